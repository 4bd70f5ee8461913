import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from './backend.js';
import type { LeftMultiplier } from './matmul.js';
import { sharedFloat32, toSharedFloat32 } from './shared.js';
import { runOnThreads, threadCount } from './thread-pool.js';
import { transpose } from './transpose.js';

/**
 * A square-or-not matrix A kept on the backends of all core's threads, one block of its columns
 * on each (thread i holds block i: runOnThreads sends task i to thread i), so X·A is the blocks'
 * products side by side, on every core. Each entry of X·A is the same dot product whichever
 * block holds its column (checked on the wasm backend at M = 1500-4000), so the products are
 * the same bits for any thread count. The eigensolvers of the dense stages multiply by the
 * M x M operator ~100 times (16 x 4000 by 4000 x 4000 each at M = 4000).
 *
 * A block is kept transposed and each product is made as (Aᵀ_block · Xᵀ)ᵀ: tfjs-wasm's matMul
 * is about twice as fast with the large operand on the left (here, random matrices: 16 x 4000 by
 * 4000 x 4000 47-51 ms, 4000 x 4000 by 4000 x 16 22-24 ms), and only the thin X and result are
 * transposed.
 */
export class SplitMatrix implements LeftMultiplier {
  private static nextId = 1;
  private released = false;

  private constructor(
    private readonly id: number,
    private readonly source: Float32Array,
    readonly rows: number,
    readonly cols: number,
    private readonly bounds: number[],
  ) {}

  static async create(a: Float32Array | Float64Array, rows: number, cols: number): Promise<SplitMatrix> {
    if (a.length !== rows * cols)
      throw new Error(`SplitMatrix: length ${a.length}, expected rows*cols = ${rows * cols}`);
    const blocks = Math.min(await threadCount(), cols);
    const bounds = Array.from({ length: blocks + 1 }, (_, i) => Math.floor((i * cols) / blocks));
    return new SplitMatrix(SplitMatrix.nextId++, toSharedFloat32(a), rows, cols, bounds);
  }

  /** X·A for X of shape b x rows (row-major); returns b x cols. */
  async leftMul(x: Float32Array | Float64Array, b: number): Promise<Float32Array> {
    if (this.released) throw new Error('SplitMatrix: used after dispose()');
    if (x.length !== b * this.rows)
      throw new Error(`SplitMatrix.leftMul: x has length ${x.length}, expected ${b * this.rows}`);
    const xs = transpose(x, b, this.rows, { out: sharedFloat32(x.length) });
    const tasks: BlockProductArgs[] = [];
    for (let i = 0; i + 1 < this.bounds.length; i++)
      tasks.push({
        id: this.id,
        source: this.source,
        rows: this.rows,
        cols: this.cols,
        lo: this.bounds[i]!,
        hi: this.bounds[i + 1]!,
        x: xs,
        b,
      });
    const parts = await runOnThreads('splitBlockProduct', tasks, splitBlockProduct);
    if (parts.length === 1) return parts[0]!;
    const out = new Float32Array(b * this.cols);
    for (const [i, part] of parts.entries()) {
      const { lo, hi } = tasks[i]!;
      const w = hi - lo;
      for (let r = 0; r < b; r++) out.set(part.subarray(r * w, (r + 1) * w), r * this.cols + lo);
    }
    return out;
  }

  async dispose(): Promise<void> {
    if (this.released) return;
    this.released = true;
    const tasks = this.bounds.slice(1).map(() => ({ id: this.id }));
    await runOnThreads('splitBlockRelease', tasks, splitBlockRelease);
  }
}

/** This thread's blocks, by matrix id. */
const blocks = new Map<number, tf.Tensor2D>();

export interface BlockProductArgs {
  id: number;
  /** The whole matrix, shared: a thread makes its block from it on first use. */
  source: Float32Array;
  rows: number;
  cols: number;
  lo: number;
  hi: number;
  /** Xᵀ (rows x b). */
  x: Float32Array;
  b: number;
}

/** X times columns lo..hi of the matrix (a thread task, thread-tasks.ts): b x (hi - lo). */
export async function splitBlockProduct(a: BlockProductArgs): Promise<Float32Array> {
  await initBackend();
  const w = a.hi - a.lo;
  let block = blocks.get(a.id);
  if (!block) {
    const cols = new Float32Array(a.rows * w);
    for (let r = 0; r < a.rows; r++) cols.set(a.source.subarray(r * a.cols + a.lo, r * a.cols + a.hi), r * w);
    block = tf.tidy(() => tf.transpose(tf.tensor2d(cols, [a.rows, w])));
    blocks.set(a.id, block);
  }
  const bt = block;
  const out = tf.tidy(() => tf.transpose(tf.matMul(bt, tf.tensor2d(a.x, [a.rows, a.b]))));
  try {
    return (await out.data()) as Float32Array;
  } finally {
    out.dispose();
  }
}

/** Frees this thread's block of a matrix (a thread task). */
export function splitBlockRelease(a: { id: number }): boolean {
  blocks.get(a.id)?.dispose();
  return blocks.delete(a.id);
}
