import * as tf from '@tensorflow/tfjs-core';
import type { MultisliceKernel } from './multislice.js';

/**
 * Products K·X for dense X (N x c) through tfjs matMul (float32), using the block form of K:
 * the intraslice part is one dense n x n block per slice times that slice's rows of X; the
 * interslice part is one dense T x T block per unit times that unit's rows of X. Each is a
 * dense product at matMul speed, where a general sparse product would stream X from memory
 * once per slice (random-walk kernels have ~n entries per row). tfjs-wasm runs 2-D products
 * much faster than batched 3-D ones, hence one 2-D product per block. Float32 is enough where
 * these serve: the landmark spectral features only feed k-means.
 */
export class KernelProduct {
  private intra: tf.Tensor2D[] = [];
  private inter: tf.Tensor2D[] = [];
  private readonly T: number;
  private readonly n: number;

  constructor(k: MultisliceKernel) {
    const T = k.epochs;
    const n = k.units;
    this.T = T;
    this.n = n;
    const dense = new Float32Array(n * n);
    for (let tau = 0; tau < T; tau++) {
      const b = k.intra[tau]!;
      dense.fill(0);
      for (let i = 0; i < n; i++)
        for (let p = b.rowPtr[i]!; p < b.rowPtr[i + 1]!; p++) dense[i * n + b.cols[p]!] = b.vals[p]!;
      this.intra.push(tf.tensor2d(dense, [n, n]));
    }
    if (k.inter)
      for (let i = 0; i < n; i++)
        this.inter.push(tf.tensor2d(k.inter.subarray(i * T * T, (i + 1) * T * T), [T, T]));
  }

  /** diag(left) · K · diag(right) · X, X a [N, c] tensor; `left`/`right` are [N, 1] tensors or omitted. */
  apply(x: tf.Tensor2D, left?: tf.Tensor2D, right?: tf.Tensor2D): tf.Tensor2D {
    const { T, n } = this;
    const c = x.shape[1];
    return tf.tidy(() => {
      const xs = right ? tf.mul(x, right) : x;
      const bySlice = tf.split(xs, T, 0) as tf.Tensor2D[];
      let y = tf.concat(
        bySlice.map((xt, tau) => tf.matMul(this.intra[tau]!, xt)),
        0,
      ) as tf.Tensor2D;
      if (this.inter.length > 0) {
        const byUnit = tf.transpose(tf.reshape(xs, [T, n, c]), [1, 0, 2]);
        const parts = tf.split(tf.reshape(byUnit, [n * T, c]), n, 0) as tf.Tensor2D[];
        const z = tf.concat(
          parts.map((xu, i) => tf.matMul(this.inter[i]!, xu)),
          0,
        );
        y = tf.add(y, tf.reshape(tf.transpose(tf.reshape(z, [n, T, c]), [1, 0, 2]), [T * n, c]));
      }
      return left ? tf.mul(y, left) : y;
    });
  }

  dispose(): void {
    tf.dispose(this.intra);
    tf.dispose(this.inter);
    this.intra = [];
    this.inter = [];
  }
}
