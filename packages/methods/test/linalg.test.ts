import { Random, symmetricEigen } from '@mphate/core/internal';
import { describe, expect, it } from 'vitest';
import { diffusionMaps, fromTripletsForTest, kernelPcaOfDistances, lanczos, pcaScores } from './helpers.js';

function randomSymmetric(n: number, seed: number): Float64Array {
  const r = new Random(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = r.normal();
  return a;
}

function dense(a: Float64Array, n: number) {
  return (x: Float64Array, y: Float64Array) => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j]! * x[j]!;
      y[i] = s;
    }
  };
}

/** |cosine| between column j of two n x k matrices. */
function alignment(
  u: Float64Array,
  v: Float64Array,
  n: number,
  ku: number,
  kv: number,
  ju: number,
  jv: number,
): number {
  let s = 0;
  let a = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    s += u[i * ku + ju]! * v[i * kv + jv]!;
    a += u[i * ku + ju]! ** 2;
    b += v[i * kv + jv]! ** 2;
  }
  return Math.abs(s) / Math.sqrt(a * b);
}

describe('lanczos', () => {
  it('finds the algebraically largest and the largest-magnitude eigenpairs of a dense matrix', () => {
    const n = 120;
    const a = randomSymmetric(n, 3);
    const exact = symmetricEigen(a, n);
    const top = lanczos(dense(a, n), n, 3, { which: 'largest', seed: 1 });
    for (let j = 0; j < 3; j++) {
      expect(top.values[j]).toBeCloseTo(exact.values[j]!, 8);
      expect(alignment(top.vectors, exact.vectors, n, 3, n, j, j)).toBeGreaterThan(1 - 1e-8);
    }
    const byMagnitude = Array.from(exact.values).sort((x, y) => Math.abs(y) - Math.abs(x));
    const mag = lanczos(dense(a, n), n, 2, { which: 'magnitude', seed: 1 });
    expect(mag.values[0]).toBeCloseTo(byMagnitude[0]!, 8);
    expect(mag.values[1]).toBeCloseTo(byMagnitude[1]!, 8);
  });

  it('is deterministic under a seed', () => {
    const n = 60;
    const a = randomSymmetric(n, 5);
    const x = lanczos(dense(a, n), n, 2, { which: 'largest', seed: 9 });
    const y = lanczos(dense(a, n), n, 2, { which: 'largest', seed: 9 });
    expect(Array.from(x.vectors)).toEqual(Array.from(y.vectors));
  });
});

describe('diffusion maps', () => {
  it('are the eigenvectors of P = D^-1 K (right), 2nd and 3rd, scaled by their eigenvalues', () => {
    // a small symmetric kernel: a Gaussian on random points of the line, thresholded
    const r = new Random(7);
    const N = 80;
    const x = Array.from({ length: N }, () => r.next() * 10);
    const rows: number[] = [];
    const cols: number[] = [];
    const vals: number[] = [];
    const K = new Float64Array(N * N);
    for (let a = 0; a < N; a++)
      for (let b = 0; b < N; b++) {
        const v = Math.exp(-((x[a]! - x[b]!) ** 2));
        if (v < 1e-4) continue;
        rows.push(a);
        cols.push(b);
        vals.push(v);
        K[a * N + b] = v;
      }
    const y = diffusionMaps(fromTripletsForTest(N, rows, cols, vals), { seed: 2 });
    const d = new Float64Array(N);
    for (let a = 0; a < N; a++) for (let b = 0; b < N; b++) d[a]! += K[a * N + b]!;
    const A = new Float64Array(N * N);
    for (let a = 0; a < N; a++)
      for (let b = 0; b < N; b++) A[a * N + b] = K[a * N + b]! / Math.sqrt(d[a]! * d[b]!);
    const { values, vectors } = symmetricEigen(A, N);
    const order = Array.from({ length: N }, (_, i) => i).sort(
      (p, q) => Math.abs(values[q]!) - Math.abs(values[p]!),
    );
    const psi = new Float64Array(N * 2);
    for (let a = 0; a < N; a++)
      for (let c = 0; c < 2; c++)
        psi[a * 2 + c] =
          (vectors[a * N + order[c + 1]!]! / vectors[a * N + order[0]!]!) * Math.abs(values[order[c + 1]!]!);
    for (let c = 0; c < 2; c++) {
      expect(alignment(y, psi, N, 2, 2, c, c)).toBeGreaterThan(1 - 1e-8);
      let ny = 0;
      let np = 0;
      for (let a = 0; a < N; a++) {
        ny += y[a * 2 + c]! ** 2;
        np += psi[a * 2 + c]! ** 2;
      }
      expect(Math.sqrt(ny / np)).toBeCloseTo(1, 6);
    }
  });
});

describe('classical scaling and PCA', () => {
  it('kernel PCA of -D²/2 recovers a planar configuration up to rotation', () => {
    const r = new Random(11);
    const N = 50;
    const p = Array.from({ length: N }, () => [r.normal() * 3, r.normal()]);
    const D = new Float32Array(N * N);
    for (let a = 0; a < N; a++)
      for (let b = 0; b < N; b++) D[a * N + b] = Math.hypot(p[a]![0]! - p[b]![0]!, p[a]![1]! - p[b]![1]!);
    const y = kernelPcaOfDistances(D, N, 2, 1);
    for (let a = 0; a < N; a++)
      for (let b = 0; b < a; b++) {
        const e = Math.hypot(y[2 * a]! - y[2 * b]!, y[2 * a + 1]! - y[2 * b + 1]!);
        expect(e).toBeCloseTo(D[a * N + b]!, 4);
      }
  });

  it('PCA scores span the two leading principal directions', () => {
    const r = new Random(13);
    const N = 200;
    const m = 6;
    const pts = new Float32Array(N * m);
    for (let a = 0; a < N; a++) for (let c = 0; c < m; c++) pts[a * m + c] = r.normal() * (m - c) + 5;
    const s = pcaScores(pts, N, m, 2, 1);
    // independent: covariance eigenvectors by the dense solver
    const mean = new Float64Array(m);
    for (let a = 0; a < N; a++) for (let c = 0; c < m; c++) mean[c]! += pts[a * m + c]! / N;
    const cov = new Float64Array(m * m);
    for (let a = 0; a < N; a++)
      for (let i = 0; i < m; i++)
        for (let j = 0; j < m; j++)
          cov[i * m + j]! += (pts[a * m + i]! - mean[i]!) * (pts[a * m + j]! - mean[j]!);
    const { vectors } = symmetricEigen(cov, m);
    const exact = new Float64Array(N * 2);
    for (let a = 0; a < N; a++)
      for (let j = 0; j < 2; j++)
        for (let c = 0; c < m; c++) exact[a * 2 + j]! += (pts[a * m + c]! - mean[c]!) * vectors[c * m + j]!;
    for (let j = 0; j < 2; j++) expect(alignment(s, exact, N, 2, 2, j, j)).toBeGreaterThan(1 - 1e-6);
  });
});
