import { KernelProduct } from '../graph/kernel-product.js';
import type { MultisliceKernel } from '../graph/multislice.js';
import { symmetricEigen } from '../linalg/eigen.js';
import type { Random } from '../linalg/random.js';
import { sharedFloat32 } from '../linalg/shared.js';
import { tallGram, tallTimes } from '../linalg/tall-blocks.js';

/**
 * Power iterations of the landmark range finder, by sklearn's rule for randomized_svd
 * (n_iter='auto': 7 when the components are under a tenth of the points, else 4). Each is two
 * products with A, as in sklearn. Without them the range finder returns a nearly random
 * subspace on real networks' kernels, whose spectrum is flat (|λ| 1 to 0.92 over the first 100
 * on the dropout fixture), and k-means finds other landmarks (docs/mphate.md).
 */
export function landmarkSvdPowerIterations(components: number, points: number): number {
  return components < 0.1 * points ? 7 : 4;
}

export interface RsvdOptions {
  components: number;
  /** Extra columns of the random range finder (sklearn: 10). */
  oversamples?: number;
  /** Power iterations, two products with A each (default `landmarkSvdPowerIterations`). */
  powerIterations?: number;
  random: Random;
  /** Awaited between kernel products: lets work that runs between live frames yield (live/time-slices.ts). */
  pause?: () => Promise<void>;
}

/** SVQB's factor U L^-1/2 from the Gram G = U L Uᵀ (c x c); eigenvalues below 1e-10 of the largest clamped. */
function svqbFactor(gram: Float64Array, c: number): Float32Array {
  const { values, vectors } = symmetricEigen(gram, c);
  const floor = Math.max(values[0]!, 1e-300) * 1e-10;
  const m = new Float32Array(c * c);
  for (let j = 0; j < c; j++) {
    const s = 1 / Math.sqrt(Math.max(values[j]!, floor));
    for (let i = 0; i < c; i++) m[i * c + j] = vectors[i * c + j]! * s;
  }
  return m;
}

/**
 * Orthonormal basis of the columns of y (rows x c) by SVQB (Stathopoulos & Wu): G = Yᵀ Y,
 * G = U L Uᵀ, Q = Y U L^-1/2, done twice so float32 rounding in the first pass is cleaned up
 * (eigenvalues below 1e-10 of the largest are clamped: their columns carry no range). The
 * Grams and products run by row blocks on core's threads (linalg/tall-blocks.ts); the second
 * pass's Gram comes with the first pass's product. The passes write into `work`'s two buffers
 * (returned: the second), which the caller reuses from call to call.
 */
async function orthonormalize(
  y: Float32Array,
  rows: number,
  c: number,
  work: [Float32Array, Float32Array],
  pause?: () => Promise<void>,
): Promise<Float32Array> {
  const first = svqbFactor(await tallGram(y, rows, c), c);
  await pause?.();
  const gram = await tallTimes(y, rows, c, first, c, work[0], true);
  await pause?.();
  await tallTimes(work[0], rows, c, svqbFactor(gram!, c), c, work[1], false);
  return work[1];
}

/**
 * Landmark spectral features (docs/algorithm.md §6.1-6.2): V = the top `components` right singular
 * vectors of the symmetric A = D^-1/2 K D^-1/2 as sklearn's randomized_svd computes them (Halko,
 * Martinsson, Tropp), then F = P·V = D^-1 K V. Returns F, N x components, float32.
 */
export async function spectralFeatures(
  k: MultisliceKernel,
  o: RsvdOptions,
): Promise<{ features: Float32Array; components: number }> {
  const N = k.epochs * k.units;
  const comps = Math.min(o.components, N);
  const c = Math.min(N, comps + (o.oversamples ?? 10));
  const iterations = o.powerIterations ?? landmarkSvdPowerIterations(comps, N);
  const invSqrt = new Float32Array(N);
  const invDeg = new Float32Array(N);
  for (let a = 0; a < N; a++) {
    invSqrt[a] = 1 / Math.sqrt(k.degree[a]!);
    invDeg[a] = 1 / k.degree[a]!;
  }
  const product = await KernelProduct.create(k, o.pause);
  try {
    const applyA = async (x: Float32Array, cols: number): Promise<Float32Array> => {
      await o.pause?.();
      return product.apply(x, cols, invSqrt, invSqrt, o.pause);
    };
    await o.pause?.();
    const omega = new Float32Array(N * c);
    for (let p = 0; p < omega.length; p++) {
      // 12.7 M normals at 100,000 points: in steps
      if (p % 2 ** 20 === 0) await o.pause?.();
      omega[p] = o.random.normal();
    }
    // sklearn's randomized_range_finder: per iteration a product with A and one with Aᵀ (= A),
    // then a normalisation (SVQB where sklearn uses LU: the same span); then Q = orth(A·Q).
    const work: [Float32Array, Float32Array] = [sharedFloat32(N * c), sharedFloat32(N * c)];
    let q: Float32Array = omega;
    for (let it = 0; it < iterations; it++)
      q = await orthonormalize(await applyA(await applyA(q, c), c), N, c, work, o.pause);
    q = await orthonormalize(await applyA(q, c), N, c, work, o.pause);
    // randomized_svd's V: the right singular vectors of B = Qᵀ·A, i.e. the left singular vectors
    // of Y = A·Q, by singular value: V = Y·U·Σ⁻¹ with YᵀY = U Σ² Uᵀ (eigenvalues descending).
    const y = await applyA(q, c);
    await o.pause?.();
    const { values, vectors } = symmetricEigen(await tallGram(y, N, c), c);
    const u = new Float32Array(c * comps);
    for (let col = 0; col < comps; col++) {
      const s = 1 / Math.sqrt(Math.max(values[col]!, 1e-300));
      for (let i = 0; i < c; i++) u[i * comps + col] = vectors[i * c + col]! * s;
    }
    const v = work[0].subarray(0, N * comps);
    await o.pause?.();
    await tallTimes(y, N, c, u, comps, v, false);
    await o.pause?.();
    return { features: await product.apply(v, comps, invDeg, undefined, o.pause), components: comps };
  } finally {
    product.dispose();
  }
}
