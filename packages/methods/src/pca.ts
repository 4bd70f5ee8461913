/**
 * PCA scores of an N x m point matrix: columns centred, the leading right singular vectors by
 * Lanczos on the covariance XᵀX (applied as two products, never formed), scores = X V. What
 * sklearn's PCA(n).fit_transform returns, up to the sign of each component.
 */
import { lanczos } from './linalg/lanczos.js';

export function pcaScores(
  points: Float32Array,
  N: number,
  m: number,
  components = 2,
  seed = 0,
): Float64Array {
  if (m < components) throw new Error(`pca: ${m} features cannot give ${components} components`);
  const mean = new Float64Array(m);
  for (let a = 0; a < N; a++) for (let c = 0; c < m; c++) mean[c]! += points[a * m + c]!;
  for (let c = 0; c < m; c++) mean[c]! /= N;
  const centred = new Float64Array(N * m);
  for (let a = 0; a < N; a++) for (let c = 0; c < m; c++) centred[a * m + c] = points[a * m + c]! - mean[c]!;
  const xv = new Float64Array(N);
  const product = (v: Float64Array, out: Float64Array): void => {
    for (let a = 0; a < N; a++) {
      let s = 0;
      for (let c = 0; c < m; c++) s += centred[a * m + c]! * v[c]!;
      xv[a] = s;
    }
    out.fill(0);
    for (let a = 0; a < N; a++) {
      const s = xv[a]!;
      for (let c = 0; c < m; c++) out[c]! += centred[a * m + c]! * s;
    }
  };
  const { vectors } = lanczos(product, m, components, { which: 'largest', seed, tol: 1e-11 });
  const scores = new Float64Array(N * components);
  for (let a = 0; a < N; a++)
    for (let j = 0; j < components; j++) {
      let s = 0;
      for (let c = 0; c < m; c++) s += centred[a * m + c]! * vectors[c * components + j]!;
      scores[a * components + j] = s;
    }
  return scores;
}
