/**
 * Diffusion maps of a symmetric kernel, as the reference's comparison computes them
 * (m_phate.kernel.DM, docs/algorithm.md §12.4): the 3 leading singular vectors of the symmetric
 * conjugate A = D^-1/2 K D^-1/2 (scipy's `svds`, i.e. the eigenvalues of largest magnitude),
 * each divided elementwise by the first (a first-vector entry at or below machine epsilon is
 * replaced by ±eps, as there), the first then dropped, the others scaled by their value to the
 * power t = 1. Dividing by the first vector (∝ sqrt(D)) turns A's eigenvectors into P's.
 */
import { csrMultiply, rowSums, type SparseMatrix } from './csr.js';
import { lanczos } from './linalg/lanczos.js';

export interface DiffusionMapsOptions {
  components?: number;
  t?: number;
  seed?: number;
}

export function diffusionMaps(kernel: SparseMatrix, options: DiffusionMapsOptions = {}): Float64Array {
  const d = options.components ?? 2;
  const t = options.t ?? 1;
  const N = kernel.rows;
  if (N < d + 2) throw new Error(`diffusionMaps: needs at least ${d + 2} points, got ${N}`);
  const degree = rowSums(kernel);
  const inv = new Float64Array(N);
  for (let a = 0; a < N; a++) inv[a] = degree[a]! > 0 ? 1 / Math.sqrt(degree[a]!) : 0;
  const scaled = new Float64Array(N);
  const product = (x: Float64Array, y: Float64Array): void => {
    for (let a = 0; a < N; a++) scaled[a] = x[a]! * inv[a]!;
    csrMultiply(kernel, scaled, y);
    for (let a = 0; a < N; a++) y[a]! *= inv[a]!;
  };
  const k = d + 1;
  const { values, vectors } = lanczos(product, N, k, { which: 'magnitude', seed: options.seed ?? 0 });
  const out = new Float64Array(N * d);
  const eps = 2.220446049250313e-16;
  for (let a = 0; a < N; a++) {
    let u1 = vectors[a * k]!;
    if (Math.abs(u1) <= eps) u1 = u1 < 0 ? -eps : eps;
    for (let c = 0; c < d; c++) {
      // svds returns singular values: |λ|
      out[a * d + c] = (vectors[a * k + c + 1]! / u1) * Math.abs(values[c + 1]!) ** t;
    }
  }
  return out;
}
