export type { Embedding } from './embedding.js';
export { IncrementalMphate } from './incremental.js';
export { fitTransform } from './mphate.js';
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
export { Random } from './random.js';
export type { Trace } from './trace.js';
