import type { MultisliceKernel } from '../graph/multislice.js';
import { Random } from '../linalg/random.js';
import { kmeans } from './kmeans.js';
import { LANDMARK_SVD_POWER_ITERATIONS, spectralFeatures } from './spectral-features.js';

/** Mini-batch k-means steps of 10,000 points (or Lloyd iterations when N <= 10,000). */
const KMEANS_STEPS = 10;

/** Landmark clustering (docs/algorithm.md §6.1-6.3): labels of every point and the effective landmark count. */
export async function landmarkLabels(
  kernel: MultisliceKernel,
  landmarks: number,
  nSvd: number,
  seed: number,
  powerIterations = LANDMARK_SVD_POWER_ITERATIONS,
  steps = KMEANS_STEPS,
): Promise<{ labels: Int32Array; clusters: number }> {
  const N = kernel.epochs * kernel.units;
  const f = await spectralFeatures(kernel, { components: nSvd, powerIterations, random: new Random(seed) });
  return kmeans(f.features, N, f.components, {
    clusters: landmarks,
    random: new Random(seed + 1),
    iterations: steps,
  });
}
