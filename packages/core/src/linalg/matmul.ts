/**
 * Dense float32 products through tfjs-core (wasm/webgl/tfjs-node, whichever initBackend chose).
 * Inputs may be Float64Array: they are rounded to float32 on the way in. No tensor outlives a call.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from './backend.js';
import { transpose } from './transpose.js';

/** C = A·B (or A·Bᵀ with transposeB): a is m x k row-major; b is k x n, or n x k when transposeB. */
export async function matMul(
  a: Float32Array | Float64Array,
  b: Float32Array | Float64Array,
  m: number,
  k: number,
  n: number,
  opts: { transposeB?: boolean } = {},
): Promise<Float32Array> {
  if (a.length !== m * k) throw new Error(`matMul: a has length ${a.length}, expected m*k = ${m * k}`);
  if (b.length !== k * n) throw new Error(`matMul: b has length ${b.length}, expected k*n = ${k * n}`);
  await initBackend();
  // tfjs-wasm's matMul with transposeB is ~10x slower than a plain one (measured at 1500^3:
  // 32 s vs 3 s), so Bᵀ is formed here in O(kn) instead.
  const bk = opts.transposeB ? transpose(b, n, k) : toF32(b);
  const out = tf.tidy(() => tf.matMul(tf.tensor2d(toF32(a), [m, k]), tf.tensor2d(bk, [k, n])));
  try {
    return (await out.data()) as Float32Array;
  } finally {
    out.dispose();
  }
}

function toF32(x: Float32Array | Float64Array): Float32Array {
  return x instanceof Float32Array ? x : Float32Array.from(x);
}

/** What the eigensolvers multiply by (linalg/krylov.ts): X·A for X of shape b x rows. */
export interface LeftMultiplier {
  readonly rows: number;
  readonly cols: number;
  leftMul(x: Float32Array | Float64Array, b: number): Promise<Float32Array>;
}

/**
 * A matrix kept on the tfjs backend across many products (subspace iterations, Lanczos), so it is
 * uploaded once. Call dispose() when done.
 */
export class ResidentMatrix implements LeftMultiplier {
  private constructor(
    private tensor: tf.Tensor2D | undefined,
    readonly rows: number,
    readonly cols: number,
  ) {}

  static async create(a: Float32Array | Float64Array, rows: number, cols: number): Promise<ResidentMatrix> {
    if (a.length !== rows * cols)
      throw new Error(`ResidentMatrix: length ${a.length}, expected rows*cols = ${rows * cols}`);
    await initBackend();
    return new ResidentMatrix(tf.tensor2d(toF32(a), [rows, cols]), rows, cols);
  }

  /** X·A for X of shape b x rows (row-major); returns b x cols. */
  async leftMul(x: Float32Array | Float64Array, b: number): Promise<Float32Array> {
    const a = this.live();
    if (x.length !== b * this.rows)
      throw new Error(`ResidentMatrix.leftMul: x has length ${x.length}, expected ${b * this.rows}`);
    const out = tf.tidy(() => tf.matMul(tf.tensor2d(toF32(x), [b, this.rows]), a));
    try {
      return (await out.data()) as Float32Array;
    } finally {
      out.dispose();
    }
  }

  /** The matrix's entries, row-major. */
  async read(): Promise<Float32Array> {
    return (await this.live().data()) as Float32Array;
  }

  dispose(): void {
    this.tensor?.dispose();
    this.tensor = undefined;
  }

  private live(): tf.Tensor2D {
    if (!this.tensor) throw new Error('ResidentMatrix: used after dispose()');
    return this.tensor;
  }
}
