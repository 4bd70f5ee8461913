import type { Embedding } from './embedding.js';
import type { MphateOptions } from './options.js';
import type { Trace } from './trace.js';

/** Batch M-PHATE: the whole trace in, N x d coordinates out. STUB: to be implemented. */
export async function fitTransform(trace: Trace, options: MphateOptions = {}): Promise<Embedding> {
  void trace;
  void options;
  throw new Error('not implemented');
}
