/** Small graphs and kernels for the graph and landmark tests, and what only tests need of a kernel. */
import {
  type Csr,
  DenseIntersliceDistances,
  intersliceEpsilon,
  intersliceWeights,
  intrasliceBlock,
  type MultisliceKernel,
  multisliceKernel,
  Random,
  unitScales,
  zscoreRows,
} from '@mphate/core/internal';
import { expect } from 'vitest';
/** Points on a line: one row of `dim` values per unit, unit i at position xs[i] along axis 0. */
export function onLine(xs: number[], dim = 3): Float32Array {
  const z = new Float32Array(xs.length * dim);
  xs.forEach((x, i) => {
    z[i * dim] = x;
  });
  return z;
}

export function randomWalk(T: number, n: number, m: number, seed: number): Float32Array {
  const r = new Random(seed);
  const data = new Float32Array(T * n * m);
  for (let t = 0; t < T; t++)
    for (let j = 0; j < n * m; j++) data[t * n * m + j] = (t ? data[(t - 1) * n * m + j]! : 0) + r.normal();
  return data;
}

export function denseOf(b: {
  units: number;
  rowPtr: Int32Array;
  cols: Int32Array;
  vals: Float64Array;
}): number[][] {
  const a = Array.from({ length: b.units }, () => new Array<number>(b.units).fill(0));
  for (let i = 0; i < b.units; i++)
    for (let p = b.rowPtr[i]!; p < b.rowPtr[i + 1]!; p++) a[i]![b.cols[p]!] = b.vals[p]!;
  return a;
}

/** A 6 x 12 x 8 random-walk kernel (intraslice k = 2, interslice k' = 3, thresh 1e-4). */
export async function smallKernel(): Promise<{ k: MultisliceKernel; T: number; n: number; m: number }> {
  const T = 6;
  const n = 12;
  const m = 8;
  const z = zscoreRows(randomWalk(T, n, m, 3), T * n, m);
  const blocks = Array.from({ length: T }, (_, t) => intrasliceBlock(z, t * n * m, n, m, 2, 5, 1e-4));
  const d = await DenseIntersliceDistances.create(z, T, n, m);
  const eps = intersliceEpsilon(unitScales(d, 3));
  return { k: multisliceKernel(blocks, intersliceWeights(d, eps, 1e-4)), T, n, m };
}

/** Expects Q = diag(1/s) S diag(s) row-stochastic and S symmetric. */
export function expectRowStochastic(op: {
  size: number;
  symmetric: Float64Array;
  sqrtDegree: Float64Array;
}): void {
  const M = op.size;
  for (let i = 0; i < M; i++) {
    let s = 0;
    for (let j = 0; j < M; j++) {
      const q = (op.symmetric[i * M + j]! * op.sqrtDegree[j]!) / op.sqrtDegree[i]!;
      expect(q).toBeGreaterThanOrEqual(0);
      s += q;
      expect(op.symmetric[i * M + j]).toBe(op.symmetric[j * M + i]);
    }
    expect(s).toBeCloseTo(1, 12);
  }
}

/**
 * Calls `visit(column, value)` for every non-zero of row a = tau * n + i, columns ascending.
 * The hot loops inline this; it serves tests and small conversions.
 */
export function forEachInRow(
  k: MultisliceKernel,
  a: number,
  visit: (col: number, val: number) => void,
): void {
  const n = k.units;
  const T = k.epochs;
  const tau = Math.floor(a / n);
  const i = a % n;
  const o = (i * T + tau) * T;
  if (k.inter) for (let u = 0; u < tau; u++) if (k.inter[o + u]! > 0) visit(u * n + i, k.inter[o + u]!);
  const b = k.intra[tau]!;
  for (let p = b.rowPtr[i]!; p < b.rowPtr[i + 1]!; p++) visit(tau * n + b.cols[p]!, b.vals[p]!);
  if (k.inter) for (let u = tau + 1; u < T; u++) if (k.inter[o + u]! > 0) visit(u * n + i, k.inter[o + u]!);
}

/** K as a general CSR matrix (sorted columns). Only for small N: tests, exports, comparisons. */
export function toCsr(k: MultisliceKernel): Csr {
  const N = k.epochs * k.units;
  const rowPtr = new Int32Array(N + 1);
  const cols: number[] = [];
  const vals: number[] = [];
  for (let a = 0; a < N; a++) {
    forEachInRow(k, a, (c, v) => {
      cols.push(c);
      vals.push(v);
    });
    rowPtr[a + 1] = cols.length;
  }
  return { rows: N, rowPtr, cols: Int32Array.from(cols), vals: Float64Array.from(vals) };
}

/** Whether a CSR matrix equals its transpose (values within tol). */
export function isSymmetric(m: Csr, tol = 1e-12): boolean {
  for (let a = 0; a < m.rows; a++)
    for (let p = m.rowPtr[a]!; p < m.rowPtr[a + 1]!; p++) {
      const b = m.cols[p]!;
      let found = -1;
      for (let q = m.rowPtr[b]!; q < m.rowPtr[b + 1]!; q++) if (m.cols[q] === a) found = q;
      if (found < 0 || Math.abs(m.vals[found]! - m.vals[p]!) > tol) return false;
    }
  return true;
}
