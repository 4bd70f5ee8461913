import type { DiffusionOperator } from './operator.js';
import type { Phase, ProgressListener } from './options.js';
import type { Random } from './random.js';

export interface EmbedOperatorOptions {
  t: number | 'auto';
  gamma: number;
  nComponents: 2 | 3;
  mdsSolver: 'sgd' | 'smacof';
  random: Random;
  /** M x d warm start (previous live frame): skips classic MDS and the Procrustes to it. */
  init?: Float64Array;
  /** SGD sweeps (default 30). */
  sweeps?: number;
  onProgress?: ProgressListener;
}

export interface EmbedOperatorResult {
  /** M x d, row-major. */
  coordinates: Float64Array;
  t: number;
  timings: Partial<Record<Phase, number>>;
}

/** Entropy (t), power, potential and MDS of a dense diffusion operator (STUB). */
export async function embedOperator(op: DiffusionOperator, o: EmbedOperatorOptions): Promise<EmbedOperatorResult> {
  void o;
  throw new Error(`embedOperator: not implemented (M = ${op.size})`);
}
