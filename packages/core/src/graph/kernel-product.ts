import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../linalg/backend.js';
import { sharedFloat32, toSharedFloat32 } from '../linalg/shared.js';
import { runOnThreads, threadCount } from '../linalg/thread-pool.js';
import type { MultisliceKernel } from './multislice.js';

/** Rounds of blocks per product when it may pause (see apply). */
const PAUSED_ROUNDS = 8;

/**
 * Products K·X for dense X (N x c, row-major float32) through tfjs matMul, using the block form
 * of K: the intraslice part is one dense n x n block per slice times that slice's rows of X;
 * the interslice part is one dense T x T block per unit times that unit's rows of X. Each is a
 * dense product at matMul speed, where a general sparse product would stream X from memory once
 * per slice (random-walk kernels have ~n entries per row). The rows of X are cut and reassembled
 * in JavaScript (tfjs-wasm's split/batched matMul measured 10x slower than this). Float32 is
 * enough where these serve: the landmark spectral features only feed k-means.
 *
 * The blocks are independent, so each product is split over core's threads
 * (linalg/thread-pool.ts): thread p takes a range of slices and a range of units. The blocks, X
 * and the two partial results live in SharedArrayBuffers, read and written in place.
 */
export class KernelProduct {
  /** T dense n x n intraslice blocks. */
  private readonly intra: Float32Array;
  /** n dense T x T interslice blocks, or null with one slice. */
  private readonly inter: Float32Array | null;
  private readonly T: number;
  private readonly n: number;
  /**
   * The two partial results and two result buffers, used in turn, kept for the next products
   * with as many columns: each new N x c buffer costs its first touch (docs/mphate.md, cost).
   */
  private work:
    | { c: number; intra: Float32Array; inter: Float32Array | null; outs: Float32Array[]; next: number }
    | undefined;

  private constructor(k: MultisliceKernel) {
    this.T = k.epochs;
    this.n = k.units;
    this.intra = sharedFloat32(this.T * this.n * this.n);
    this.inter = k.inter ? sharedFloat32(k.inter.length) : null;
  }

  /**
   * The dense blocks of `k`. `pause` is awaited every few slices: at 100,000 points the blocks
   * are ~300 MB, a second of first touches on one thread (work between live frames).
   */
  static async create(k: MultisliceKernel, pause?: () => Promise<void>): Promise<KernelProduct> {
    const kp = new KernelProduct(k);
    const { T, n, intra, inter } = kp;
    for (let tau = 0; tau < T; tau++) {
      if (tau % 16 === 15) await pause?.();
      const b = k.intra[tau]!;
      const o = tau * n * n;
      for (let i = 0; i < n; i++)
        for (let p = b.rowPtr[i]!; p < b.rowPtr[i + 1]!; p++) intra[o + i * n + b.cols[p]!] = b.vals[p]!;
    }
    if (inter)
      for (let i = 0; i < n; i++) {
        if (i % 64 === 63) await pause?.();
        inter.set(k.inter!.subarray(i * T * T, (i + 1) * T * T), i * T * T);
      }
    return kp;
  }

  /**
   * diag(left) · K · diag(right) · X for X (N x c); `left`/`right` (length N) may be omitted.
   * Two rounds on core's threads: the blocks' products (each thread scaling the rows it reads),
   * then the sum of the two parts and the left scaling, a range of rows each. The result is
   * overwritten by the next-but-one product with as many columns (the power iterations' use:
   * each result is the input of the next product); copy it to keep it longer.
   */
  async apply(
    x: Float32Array,
    c: number,
    left?: Float32Array,
    right?: Float32Array,
    /** Awaited between PAUSED_ROUNDS rounds of blocks: work between live frames (live/time-slices.ts). */
    pause?: () => Promise<void>,
  ): Promise<Float32Array> {
    const { T, n } = this;
    const N = T * n;
    if (this.work?.c !== c)
      this.work = {
        c,
        intra: sharedFloat32(N * c),
        inter: this.inter ? sharedFloat32(N * c) : null,
        outs: [sharedFloat32(N * c), sharedFloat32(N * c)],
        next: 0,
      };
    const work = this.work;
    const { intra: outIntra, inter: outInter } = work;
    const xs = toSharedFloat32(x);
    const scale = right ? toSharedFloat32(right) : null;
    const parts = Math.max(1, Math.min(await threadCount(), T, n));
    const share = (p: number, of: number): [number, number] => [
      Math.floor((p * of) / parts),
      Math.floor(((p + 1) * of) / parts),
    ];
    // with a pause, the blocks go in rounds (a range of slices and of units each), so no step
    // between two pauses is a whole product (1-2 s at 100,000 points on one thread)
    const rounds = pause ? Math.min(PAUSED_ROUNDS, T, n) : 1;
    for (let r = 0; r < rounds; r++) {
      if (r > 0) await pause?.();
      // thread p's share of round r's share of `of` slices or units
      const part = (p: number, of: number): [number, number] => {
        const lo = Math.floor((r * of) / rounds);
        const [a, b] = share(p, Math.floor(((r + 1) * of) / rounds) - lo);
        return [lo + a, lo + b];
      };
      const tasks: KernelBlocksArgs[] = [];
      for (let p = 0; p < parts; p++)
        tasks.push({
          T,
          n,
          c,
          intra: this.intra,
          inter: this.inter,
          x: xs,
          right: scale,
          outIntra,
          outInter,
          slices: part(p, T),
          units: part(p, n),
        });
      await runOnThreads('kernelBlocks', tasks, kernelBlocks);
    }
    await pause?.();
    // the buffer not read now (x may be the last result)
    if (work.outs[work.next]!.buffer === x.buffer) work.next ^= 1;
    const out = work.outs[work.next]!;
    work.next ^= 1;
    const sums: KernelSumArgs[] = [];
    const l = left ? toSharedFloat32(left) : null;
    for (let p = 0; p < parts; p++)
      sums.push({ c, intra: outIntra, inter: outInter, left: l, out, rows: share(p, N) });
    await runOnThreads('kernelSum', sums, kernelSum);
    return out;
  }

  /** Drops the work buffers (the blocks are plain shared arrays, collected with the product). */
  dispose(): void {
    this.work = undefined;
  }
}

/** One thread's share of a product K·diag(right)·X (thread-tasks.ts): its slices' and its units' blocks. */
export interface KernelBlocksArgs {
  T: number;
  n: number;
  c: number;
  intra: Float32Array;
  inter: Float32Array | null;
  x: Float32Array;
  /** Row scale of x (length N), or null. */
  right: Float32Array | null;
  /** Receives the intraslice part of the rows of `slices`. */
  outIntra: Float32Array;
  /** Receives the interslice part of the rows of `units` (every slice). */
  outInter: Float32Array | null;
  slices: [number, number];
  units: [number, number];
}

export async function kernelBlocks(a: KernelBlocksArgs): Promise<true> {
  await initBackend();
  const { T, n, c, x, right } = a;
  // rows of diag(right)·X, gathered for one block
  const rows = new Float32Array(Math.max(n, T) * c);
  const gather = (count: number, row: (k: number) => number): Float32Array => {
    for (let k = 0; k < count; k++) {
      const r = row(k);
      const s = right ? right[r]! : 1;
      for (let j = 0, o = r * c, q = k * c; j < c; j++) rows[q + j] = x[o + j]! * s;
    }
    return rows.subarray(0, count * c);
  };
  for (let tau = a.slices[0]; tau < a.slices[1]; tau++) {
    const y = product(
      a.intra.subarray(tau * n * n, (tau + 1) * n * n),
      gather(n, (i) => tau * n + i),
      n,
      c,
    );
    a.outIntra.set(y, tau * n * c);
  }
  if (a.inter && a.outInter)
    for (let i = a.units[0]; i < a.units[1]; i++) {
      const y = product(
        a.inter.subarray(i * T * T, (i + 1) * T * T),
        gather(T, (tau) => tau * n + i),
        T,
        c,
      );
      for (let tau = 0; tau < T; tau++) a.outInter.set(y.subarray(tau * c, (tau + 1) * c), (tau * n + i) * c);
    }
  return true;
}

/** One thread's rows of diag(left)·(intra + inter) (thread-tasks.ts). */
export interface KernelSumArgs {
  c: number;
  intra: Float32Array;
  inter: Float32Array | null;
  left: Float32Array | null;
  out: Float32Array;
  rows: [number, number];
}

export function kernelSum(a: KernelSumArgs): true {
  const { c, intra, inter, left, out } = a;
  for (let r = a.rows[0]; r < a.rows[1]; r++) {
    const s = left ? left[r]! : 1;
    for (let q = r * c, end = q + c; q < end; q++)
      // the sum is rounded to float32 before it is scaled
      out[q] = Math.fround(intra[q]! + (inter ? inter[q]! : 0)) * s;
  }
  return true;
}

/** block (rows x rows) · x (rows x c) on the tfjs backend. */
function product(block: Float32Array, x: Float32Array, rows: number, c: number): Float32Array {
  const y = tf.tidy(() => tf.matMul(tf.tensor2d(block, [rows, rows]), tf.tensor2d(x, [rows, c])));
  const data = y.dataSync() as Float32Array;
  y.dispose();
  return data;
}
