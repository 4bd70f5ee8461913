import type { MultisliceKernel } from '../graph/multislice.js';
import { Random } from '../linalg/random.js';
import { kmeans } from './kmeans.js';
import { spectralFeatures } from './spectral-features.js';

/** Landmark clustering (docs/algorithm.md §6.1-6.3): labels of every point and the effective landmark count. */
export async function landmarkLabels(
  kernel: MultisliceKernel,
  landmarks: number,
  nSvd: number,
  seed: number,
  /** Awaited between steps: lets work that runs between live frames yield (live/time-slices.ts). */
  pause?: () => Promise<void>,
): Promise<{ labels: Int32Array; clusters: number }> {
  const N = kernel.epochs * kernel.units;
  const f = await spectralFeatures(kernel, { components: nSvd, random: new Random(seed), pause });
  return kmeans(f.features, N, f.components, {
    clusters: landmarks,
    random: new Random(seed + 1),
    pause,
  });
}
