export { backendName, initBackend } from './backend.js';
export { type EmbedOperatorOptions, type EmbedOperatorResult, embedOperator } from './embed-operator.js';
export type { Embedding } from './embedding.js';
export { type EmbeddingShape, histogramEntropy, normalizeRms, sliceSpread } from './heterogeneity.js';
export {
  IncrementalMphate,
  type IncrementalOptions,
  LIVE_DEFAULTS,
  type LiveOptions,
} from './incremental.js';
export { symmetricEigen } from './linalg/eigen.js';
export { matMul } from './linalg/matmul.js';
export { distanceAgreement, neighbourhoodPreservation, spearman } from './metrics.js';
export { fitTransform, type MultisliceGraph, multisliceGraph } from './mphate.js';
export type { MultisliceKernel } from './multislice.js';
export type { DiffusionOperator } from './operator.js';
export {
  DEFAULT_OPTIONS,
  type MphateOptions,
  PHASES,
  type Phase,
  type Progress,
  type ProgressListener,
  type ResolvedOptions,
} from './options.js';
export { alignTo, procrustes } from './procrustes.js';
export { Random } from './random.js';
export type { Trace } from './trace.js';
export { MphateInputError, resolveOptions } from './validate.js';
