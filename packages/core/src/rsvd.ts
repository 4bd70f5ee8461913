import * as tf from '@tensorflow/tfjs-core';
import { KernelProduct } from './kernel-product.js';
import { symmetricEigen } from './linalg/eigen.js';
import type { MultisliceKernel } from './multislice.js';
import type { Random } from './random.js';

export interface RsvdOptions {
  components: number;
  /** Extra columns of the random range finder (sklearn: 10). */
  oversamples?: number;
  /** Power iterations (sklearn: 7 here; see docs/mphate.md for our choice). */
  powerIterations?: number;
  random: Random;
}

/** Reads a small tensor into a Float64Array (and disposes it). */
async function toF64(t: tf.Tensor): Promise<Float64Array> {
  const d = await t.data();
  t.dispose();
  return Float64Array.from(d);
}

/**
 * Orthonormal basis of the columns of y ([N, c]) by SVQB (Stathopoulos & Wu): G = Y^T Y,
 * G = U L U^T, Q = Y U L^-1/2, done twice so float32 rounding in the first pass is cleaned up.
 * Eigenvalues below 1e-10 of the largest are clamped (their columns carry no range).
 */
async function orthonormalize(y: tf.Tensor2D): Promise<tf.Tensor2D> {
  const c = y.shape[1];
  let q = y;
  for (let pass = 0; pass < 2; pass++) {
    const g = await toF64(tf.tidy(() => tf.matMul(tf.transpose(q), q)));
    for (let i = 0; i < c; i++)
      for (let j = i + 1; j < c; j++) g[i * c + j] = g[j * c + i] = (g[i * c + j]! + g[j * c + i]!) / 2;
    const { values, vectors } = symmetricEigen(g, c);
    const floor = Math.max(values[0]!, 1e-300) * 1e-10;
    const m = new Float32Array(c * c);
    for (let j = 0; j < c; j++) {
      const s = 1 / Math.sqrt(Math.max(values[j]!, floor));
      for (let i = 0; i < c; i++) m[i * c + j] = vectors[i * c + j]! * s;
    }
    const prev = q;
    q = tf.tidy(() => tf.matMul(prev, tf.tensor2d(m, [c, c])));
    if (prev !== y) prev.dispose();
  }
  return q;
}

/**
 * Landmark spectral features (spec 6.1-6.2): V = the top `components` singular vectors of the
 * symmetric A = D^-1/2 K D^-1/2 by a randomized range finder (Halko, Martinsson, Tropp; what
 * sklearn's randomized_svd does), then F = P·V = D^-1 K V. For symmetric A the right singular
 * vectors are the eigenvectors of largest |eigenvalue|. Returns F, N x components, float32.
 */
export async function spectralFeatures(
  k: MultisliceKernel,
  o: RsvdOptions,
): Promise<{ features: Float32Array; components: number }> {
  const N = k.epochs * k.units;
  const comps = Math.min(o.components, N);
  const c = Math.min(N, comps + (o.oversamples ?? 10));
  const iterations = o.powerIterations ?? 0;
  const invSqrt = new Float32Array(N);
  const invDeg = new Float32Array(N);
  for (let a = 0; a < N; a++) {
    invSqrt[a] = 1 / Math.sqrt(k.degree[a]!);
    invDeg[a] = 1 / k.degree[a]!;
  }
  const omega = new Float32Array(N * c);
  for (let p = 0; p < omega.length; p++) omega[p] = o.random.normal();
  const product = new KernelProduct(k);
  const dHalf = tf.tensor2d(invSqrt, [N, 1]);
  const dInv = tf.tensor2d(invDeg, [N, 1]);
  try {
    const applyA = (x: tf.Tensor2D): tf.Tensor2D => product.apply(x, dHalf, dHalf);
    const om = tf.tensor2d(omega, [N, c]);
    let y = applyA(om);
    om.dispose();
    let q = await orthonormalize(y);
    y.dispose();
    for (let it = 0; it < iterations; it++) {
      y = applyA(q);
      q.dispose();
      q = await orthonormalize(y);
      y.dispose();
    }
    // B = Q^T A Q, c x c, symmetric; its eigenvectors rotate Q onto A's leading eigenvectors
    const z = applyA(q);
    const b = await toF64(tf.tidy(() => tf.matMul(tf.transpose(q), z)));
    z.dispose();
    for (let i = 0; i < c; i++)
      for (let j = i + 1; j < c; j++) b[i * c + j] = b[j * c + i] = (b[i * c + j]! + b[j * c + i]!) / 2;
    const eig = symmetricEigen(b, c);
    const order = Array.from({ length: c }, (_, i) => i).sort(
      (i, j) => Math.abs(eig.values[j]!) - Math.abs(eig.values[i]!),
    );
    const u = new Float32Array(c * comps);
    for (let col = 0; col < comps; col++) {
      const src = order[col]!;
      for (let i = 0; i < c; i++) u[i * comps + col] = eig.vectors[i * c + src]!;
    }
    const v = tf.tidy(() => tf.matMul(q, tf.tensor2d(u, [c, comps]))) as tf.Tensor2D;
    q.dispose();
    const f = product.apply(v, dInv);
    v.dispose();
    const features = (await f.data()) as Float32Array;
    f.dispose();
    return { features, components: comps };
  } finally {
    product.dispose();
    dHalf.dispose();
    dInv.dispose();
  }
}
