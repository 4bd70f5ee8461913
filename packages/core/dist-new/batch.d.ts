import type { MphateOptions } from './options.js';
import type { Embedding, Trace } from './types.js';
/** Batch M-PHATE (docs/algorithm.md §1-10): the whole trace in, N x d float32 coordinates out (row epoch * units + unit). */
export declare function fitTransform(trace: Trace, options?: MphateOptions): Promise<Embedding>;
//# sourceMappingURL=batch.d.ts.map