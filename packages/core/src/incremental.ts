import type { Embedding } from './embedding.js';
import type { MphateOptions } from './options.js';

/** Live M-PHATE: add one slice at a time, re-embed reusing what did not change. STUB. */
export class IncrementalMphate {
  constructor(
    readonly shape: { units: number; samples: number },
    readonly options: MphateOptions = {},
  ) {}

  /** Slices added so far. */
  get epochs(): number {
    return 0;
  }

  /** Adds one slice: units x samples float32, unit-major. Throws on bad shape or non-finite values. */
  addSlice(slice: Float32Array): void {
    void slice;
    throw new Error('not implemented');
  }

  /** Embeds every slice added so far, aligned to the previous frame. */
  async embed(): Promise<Embedding> {
    throw new Error('not implemented');
  }
}
