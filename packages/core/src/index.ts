export { fitTransform } from './batch.js';
export {
  type EmbedOperatorOptions,
  type EmbedOperatorResult,
  embedOperator,
} from './embed/embed-operator.js';
export { alignTo, procrustes } from './embed/procrustes.js';
export { MphateInputError } from './errors.js';
export type { MultisliceKernel } from './graph/multislice.js';
export { type MultisliceGraph, multisliceGraph } from './graph/multislice-graph.js';
export type { DiffusionOperator } from './landmarks/diffusion-operator.js';
export { backendName, initBackend } from './linalg/backend.js';
export { symmetricEigen } from './linalg/eigen.js';
export { matMul } from './linalg/matmul.js';
export { Random } from './linalg/random.js';
export {
  IncrementalMphate,
  type IncrementalOptions,
  LIVE_DEFAULTS,
  type LiveOptions,
} from './live/incremental.js';
export { type EmbeddingShape, histogramEntropy, normalizeRms, sliceSpread } from './metrics/heterogeneity.js';
export { distanceAgreement, neighbourhoodPreservation, spearman } from './metrics/quality.js';
export {
  DEFAULT_OPTIONS,
  type MphateOptions,
  PHASES,
  type Phase,
  type Progress,
  type ProgressListener,
  type ResolvedOptions,
} from './options.js';
export type { Embedding, Trace } from './types.js';
export { resolveOptions } from './validate.js';
