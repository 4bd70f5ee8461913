/**
 * The public surface of @mphate/core, as docs/mphate.md describes it: batch and live M-PHATE,
 * their options, results and input error, the quality metrics and the backend choice. The
 * heterogeneity metrics have their own import-free entry (`@mphate/core/heterogeneity`); bench
 * and tests reach the stages through `@mphate/core/internal`, which is not an API.
 */
export { fitTransform } from './batch.js';
export { MphateInputError } from './errors.js';
export { backendName, initBackend } from './linalg/backend.js';
export { IncrementalMphate } from './live/incremental.js';
export { distanceAgreement, neighbourhoodPreservation, spearman } from './metrics/quality.js';
export { DEFAULT_OPTIONS, type IncrementalOptions, LIVE_DEFAULTS, type LiveOptions, type MphateOptions, PHASES, type Phase, type Progress, type ProgressListener, } from './options.js';
export type { Embedding, Trace } from './types.js';
//# sourceMappingURL=index.d.ts.map