/**
 * Classical scaling of a distance matrix as Isomap does it: sklearn's
 * `KernelPCA(n, kernel='precomputed').fit_transform(-0.5 * D**2)`, i.e. the kernel is centred
 * (J K J), its `n` algebraically largest eigenpairs are taken (ARPACK 'LA' in sklearn; Lanczos
 * here) and each vector is scaled by sqrt(max(λ, 0)). The centred kernel is never formed: each
 * product squares D on the fly.
 */
import { lanczos } from './linalg/lanczos.js';

export function kernelPcaOfDistances(d: Float32Array, N: number, components = 2, seed = 0): Float64Array {
  if (d.length !== N * N) throw new Error(`kernelPcaOfDistances: expected ${N} x ${N} distances`);
  if (N < components + 1) throw new Error(`kernelPcaOfDistances: needs more than ${components} points`);
  const centred = new Float64Array(N);
  const product = (x: Float64Array, y: Float64Array): void => {
    let mean = 0;
    for (let a = 0; a < N; a++) mean += x[a]!;
    mean /= N;
    for (let a = 0; a < N; a++) centred[a] = x[a]! - mean;
    let ymean = 0;
    for (let a = 0; a < N; a++) {
      const row = a * N;
      let s = 0;
      for (let b = 0; b < N; b++) {
        const v = d[row + b]!;
        s += v * v * centred[b]!;
      }
      y[a] = -0.5 * s;
      ymean += y[a]!;
    }
    ymean /= N;
    for (let a = 0; a < N; a++) y[a]! -= ymean;
  };
  const { values, vectors } = lanczos(product, N, components, { which: 'largest', seed });
  const out = new Float64Array(N * components);
  for (let c = 0; c < components; c++) {
    const s = Math.sqrt(Math.max(values[c]!, 0));
    for (let a = 0; a < N; a++) out[a * components + c] = vectors[a * components + c]! * s;
  }
  return out;
}
