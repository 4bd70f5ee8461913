import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from './backend.js';
import { toSharedFloat32 } from './shared.js';
import { runOnThreads } from './thread-pool.js';

/**
 * Row blocks of a tall matrix. Fixed by the shape alone, and the partial Grams summed in block
 * order, so the results are the same bits for any thread count.
 */
const TALL_BLOCKS = 8;

/** One block of a tall product (thread-tasks.ts). */
export interface TallBlockArgs {
  /** rows x c, shared. */
  y: Float32Array;
  c: number;
  rows: [number, number];
  /** c x c2 right factor, or null for Y itself. */
  m: Float32Array | null;
  c2: number;
  /** rows x c2, shared: receives the block of Y·M (when m is given). */
  out: Float32Array | null;
  /** Whether to return the block's Gram (of Y·M when m is given, else of Y). */
  gram: boolean;
}

/** A block's rows of Y·M into `out`, and its Gram (c2 x c2, float32) when asked. */
export async function tallBlock(a: TallBlockArgs): Promise<Float32Array | null> {
  await initBackend();
  const [lo, hi] = a.rows;
  const yb = tf.tensor2d(a.y.subarray(lo * a.c, hi * a.c), [hi - lo, a.c]);
  const z = a.m ? tf.matMul(yb, tf.tensor2d(a.m, [a.c, a.c2])) : yb;
  try {
    if (a.m && a.out) a.out.set((await z.data()) as Float32Array, lo * a.c2);
    if (!a.gram) return null;
    // transposed first: tfjs-wasm's matMul with transposeA is several times slower
    const g = tf.tidy(() => tf.matMul(tf.transpose(z), z));
    try {
      return (await g.data()) as Float32Array;
    } finally {
      g.dispose();
    }
  } finally {
    yb.dispose();
    z.dispose();
  }
}

function tasks(
  y: Float32Array,
  rows: number,
  c: number,
  m: Float32Array | null,
  c2: number,
  out: Float32Array | null,
  gram: boolean,
) {
  const ys = toSharedFloat32(y);
  const ms = m ? toSharedFloat32(m) : null;
  const blocks = Math.max(1, Math.min(TALL_BLOCKS, rows));
  const list: TallBlockArgs[] = [];
  for (let b = 0; b < blocks; b++)
    list.push({
      y: ys,
      c,
      rows: [Math.floor((b * rows) / blocks), Math.floor(((b + 1) * rows) / blocks)],
      m: ms,
      c2,
      out,
      gram,
    });
  return list;
}

/** The blocks' Grams summed in block order (float64, symmetrised). */
function sumGrams(parts: (Float32Array | null)[], c: number): Float64Array {
  const g = new Float64Array(c * c);
  for (const p of parts) for (let k = 0; k < c * c; k++) g[k]! += p![k]!;
  for (let i = 0; i < c; i++)
    for (let j = i + 1; j < c; j++) g[i * c + j] = g[j * c + i] = (g[i * c + j]! + g[j * c + i]!) / 2;
  return g;
}

/** YᵀY (c x c) of a tall Y (rows x c), by row blocks on core's threads. */
export async function tallGram(y: Float32Array, rows: number, c: number): Promise<Float64Array> {
  return sumGrams(await runOnThreads('tallBlock', tasks(y, rows, c, null, c, null, true), tallBlock), c);
}

/**
 * Z = Y·M (rows x c2) for a tall Y and M (c x c2), written into `into` (linalg/shared.ts, not Y's
 * memory: callers reuse their buffers, as a worker may keep each one it was sent until its next
 * garbage collection), and ZᵀZ when `gram`, by row blocks on core's threads.
 */
export async function tallTimes(
  y: Float32Array,
  rows: number,
  c: number,
  m: Float32Array,
  c2: number,
  into: Float32Array,
  gram: boolean,
): Promise<Float64Array | null> {
  if (into.length !== rows * c2)
    throw new Error(`tallTimes: into has length ${into.length}, expected ${rows * c2}`);
  const parts = await runOnThreads('tallBlock', tasks(y, rows, c, m, c2, into, gram), tallBlock);
  return gram ? sumGrams(parts, c2) : null;
}
