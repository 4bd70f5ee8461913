import {
  fitPca,
  fitPcaFloat64,
  projectPca,
  projectPcaFloat64,
  Random,
  symmetricEigen,
} from '@mphate/core/internal';
import { describe, expect, it } from 'vitest';

/** Rows with a dominant 3-D subspace plus small noise: rows x m. */
function lowRank(rows: number, m: number, seed: number): Float32Array {
  const r = new Random(seed);
  const basis = Array.from({ length: 3 }, () => Float64Array.from({ length: m }, () => r.normal()));
  const z = new Float32Array(rows * m);
  for (let i = 0; i < rows; i++) {
    const w = [5 * r.normal(), 3 * r.normal(), 2 * r.normal()];
    for (let k = 0; k < m; k++)
      z[i * m + k] =
        1.5 + w[0]! * basis[0]![k]! + w[1]! * basis[1]![k]! + w[2]! * basis[2]![k]! + 0.01 * r.normal();
  }
  return z;
}

/** Pairwise distances of the rows of x (rows x d). */
function distances(x: ArrayLike<number>, rows: number, d: number): Float64Array {
  const out = new Float64Array(rows * rows);
  for (let a = 0; a < rows; a++)
    for (let b = 0; b < rows; b++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += (x[a * d + c]! - x[b * d + c]!) ** 2;
      out[a * rows + b] = Math.sqrt(s);
    }
  return out;
}

describe('PCA (docs/algorithm.md §2.2)', () => {
  const rows = 120;
  const m = 20;
  const p = 3;
  const z = lowRank(rows, m, 5);

  /** The exact answer: centred rows times the top-p eigenvectors of the Float64 covariance. */
  function exactScores(): Float64Array {
    const mean = new Float64Array(m);
    for (let i = 0; i < rows; i++) for (let k = 0; k < m; k++) mean[k]! += z[i * m + k]! / rows;
    const cov = new Float64Array(m * m);
    for (let i = 0; i < rows; i++)
      for (let a = 0; a < m; a++)
        for (let b = 0; b < m; b++)
          cov[a * m + b]! += (z[i * m + a]! - mean[a]!) * (z[i * m + b]! - mean[b]!);
    const { vectors } = symmetricEigen(cov, m);
    const out = new Float64Array(rows * p);
    for (let i = 0; i < rows; i++)
      for (let c = 0; c < p; c++) {
        let s = 0;
        for (let k = 0; k < m; k++) s += (z[i * m + k]! - mean[k]!) * vectors[k * m + c]!;
        out[i * p + c] = s;
      }
    return out;
  }

  it('projected distances equal those of the exact top components (tfjs and Float64 paths)', async () => {
    const want = distances(exactScores(), rows, p);
    const viaBackend = await projectPca(z, rows, await fitPca(z, rows, m, p));
    const viaFloat64 = projectPcaFloat64(z, rows, fitPcaFloat64(z, rows, m, p));
    const scale = Math.max(...want);
    for (const got of [distances(viaBackend, rows, p), distances(viaFloat64, rows, p)])
      for (let q = 0; q < want.length; q++) expect(Math.abs(got[q]! - want[q]!)).toBeLessThan(1e-4 * scale);
  });

  it('keeps at most `samples` components, orthonormal', async () => {
    const pca = await fitPca(z, rows, m, 50);
    expect(pca.components).toBe(m);
    for (let a = 0; a < m; a++)
      for (let b = 0; b < m; b++) {
        let s = 0;
        for (let k = 0; k < m; k++) s += pca.basis[k * m + a]! * pca.basis[k * m + b]!;
        expect(s).toBeCloseTo(a === b ? 1 : 0, 5);
      }
  });
});
