/** @mphate/methods: the paper's comparison methods (docs/algorithm.md §12.4), PCA and UMAP. */

export {
  type CompareOptions,
  type CompareResult,
  compareMethods,
  formatCompareTable,
  type MethodResult,
  planSubsample,
  type Scores,
  scoreEmbedding,
} from './compare.js';
export { csrMultiply, fromTriplets, rowSums, type SparseMatrix } from './csr.js';
export { diffusionMaps } from './diffusion-maps.js';
export { affinityLengths, fillUnreachable, pruneRedundantEdges, shortestPaths } from './geodesic.js';
export { isomapFromGeodesics, kernelGeodesics, naiveIsomap, pointGeodesics } from './isomap.js';
export { kernelPcaOfDistances } from './kernel-pca.js';
export { distanceNeighbours, type Neighbours, pointNeighbours } from './knn.js';
export { type Eigenpairs, lanczos } from './linalg/lanczos.js';
export { MethodInputs } from './methods.js';
export { pcaScores } from './pca.js';
export {
  GEODESIC_LIMIT,
  isMethodName,
  METHOD_NAMES,
  METHODS,
  type MethodInfo,
  MethodLimitError,
  type MethodName,
  methodInfo,
} from './registry.js';
export { type Subsample, subsampleSlices } from './subsample.js';
export { compareSvg } from './svg-grid.js';
export { conditionalProbabilities, jointProbabilities, neighboursForPerplexity } from './tsne/affinities.js';
export { QuadTree } from './tsne/quadtree.js';
export {
  autoLearningRate,
  gradient,
  pcaInit,
  randomInit,
  TSNE_DEFAULTS,
  type TsneResult,
  tsne,
} from './tsne/tsne.js';
export { umap } from './umap.js';
