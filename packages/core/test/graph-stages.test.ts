import { beforeAll, describe, expect, it } from 'vitest';
import { gramDistances, isSymmetric } from '../src/graph/distances.js';
import {
  DenseIntersliceDistances,
  effectiveInterKnn,
  intersliceEpsilon,
  unitScales,
} from '../src/graph/interslice.js';
import { effectiveIntraKnn, exactDistances, intrasliceBlock } from '../src/graph/intraslice.js';
import { KernelProduct } from '../src/graph/kernel-product.js';
import {
  intersliceWeights,
  type MultisliceKernel,
  multisliceKernel,
  toCsr,
} from '../src/graph/multislice.js';
import { compact } from '../src/landmarks/kmeans.js';
import { fullOperator, landmarkOperator } from '../src/landmarks/operator.js';
import { Random } from '../src/linalg/random.js';
import { kthSmallest, median } from '../src/linalg/select.js';
import { zscoreRows } from '../src/preprocess/normalize.js';

/** Points on a line: one row of `dim` values per unit, unit i at position xs[i] along axis 0. */
function onLine(xs: number[], dim = 3): Float32Array {
  const z = new Float32Array(xs.length * dim);
  xs.forEach((x, i) => {
    z[i * dim] = x;
  });
  return z;
}

function randomWalk(T: number, n: number, m: number, seed: number): Float32Array {
  const r = new Random(seed);
  const data = new Float32Array(T * n * m);
  for (let t = 0; t < T; t++)
    for (let j = 0; j < n * m; j++) data[t * n * m + j] = (t ? data[(t - 1) * n * m + j]! : 0) + r.normal();
  return data;
}

function denseOf(b: { units: number; rowPtr: Int32Array; cols: Int32Array; vals: Float64Array }): number[][] {
  const a = Array.from({ length: b.units }, () => new Array<number>(b.units).fill(0));
  for (let i = 0; i < b.units; i++)
    for (let p = b.rowPtr[i]!; p < b.rowPtr[i + 1]!; p++) a[i]![b.cols[p]!] = b.vals[p]!;
  return a;
}

describe('selection (numpy partition / median semantics)', () => {
  it('kthSmallest returns the value at sorted position k', () => {
    const v = [5, 1, 4, 1, 3, 9, 2];
    const sorted = [...v].sort((a, b) => a - b);
    for (let k = 0; k < v.length; k++) expect(kthSmallest(Float64Array.from(v), v.length, k)).toBe(sorted[k]);
  });
  it('median averages the two middle values for even length', () => {
    expect(median(Float64Array.from([4, 1, 3, 2]), 4)).toBe(2.5);
    expect(median(Float64Array.from([4, 1, 3]), 3)).toBe(3);
  });
});

describe('normalisation', () => {
  it('z-scores each row with the population std and maps a constant row to zeros', () => {
    const z = zscoreRows(Float32Array.from([1, 2, 3, 7, 7, 7]), 2, 3);
    const sd = Math.sqrt(2 / 3);
    expect(z[0]).toBeCloseTo(-1 / sd, 6);
    expect(z[2]).toBeCloseTo(1 / sd, 6);
    expect(Array.from(z.subarray(3))).toEqual([0, 0, 0]);
  });
});

describe('intraslice kernel (spec 3)', () => {
  it('uses the k-th nearest other unit as bandwidth: the 3rd smallest distance including self for k = 2', () => {
    // unit 0 at 0; others at 1, 2, 10: distances from unit 0 are 0, 1, 2, 10 -> sigma_0 = 2
    const b = intrasliceBlock(onLine([0, 1, 2, 10]), 0, 4, 3, 2, 5, 1e-4);
    const a = denseOf(b);
    // directed a_01 = exp(-(1/2)^5); from unit 1 (distances 1, 0, 1, 9) sigma_1 = 1, a_10 = exp(-1)
    expect(a[0]![1]).toBeCloseTo((Math.exp(-(0.5 ** 5)) + Math.exp(-1)) / 2, 12);
    // a_02 = exp(-1) (d = sigma_0); unit 2: distances 2, 1, 0, 8 -> sigma_2 = 2, a_20 = exp(-1)
    expect(a[0]![2]).toBeCloseTo(Math.exp(-1), 12);
    // unit 3 is 10 away from 0: a_03 = exp(-5^5) ~ 0 dropped; sigma_3 = 9 (distances 10, 9, 8, 0)
    // a_30 = exp(-(10/9)^5) ~ 0.18 survives; symmetrised entry = a_30 / 2
    expect(a[0]![3]).toBeCloseTo(Math.exp(-((10 / 9) ** 5)) / 2, 12);
  });

  it('drops directed entries below thresh before symmetrising, and keeps a unit diagonal', () => {
    const b = intrasliceBlock(onLine([0, 1, 2, 3, 50]), 0, 5, 3, 2, 5, 1e-4);
    const a = denseOf(b);
    for (let i = 0; i < 5; i++) expect(a[i]![i]).toBe(1);
    // 50 vs 0: sigma_4 = 48, a_40 = exp(-(50/48)^5) ~ 0.3; a_04 = 0 -> entry 0.15
    expect(a[0]![4]).toBeCloseTo(Math.exp(-((50 / 48) ** 5)) / 2, 12);
    // pair (1, 3): from unit 1, sigma_1 = 1 (distances 1, 0, 1, 2, 49), exp(-(2/1)^5) = 1.3e-14 < thresh
    // is dropped; from unit 3, sigma_3 = 2 (distances 3, 2, 1, 0, 47), exp(-1). Exactly exp(-1)/2 remains.
    expect(a[1]![3]).toBe(Math.exp(-1) / 2);
    for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) expect(a[i]![j]).toBe(a[j]![i]);
  });

  it('floors a zero bandwidth (duplicates, dead units) instead of producing NaN', () => {
    const b = intrasliceBlock(onLine([0, 0, 0, 5]), 0, 4, 3, 2, 5, 1e-4);
    for (const v of b.vals) expect(Number.isFinite(v)).toBe(true);
    expect(denseOf(b)[0]![1]).toBe(1);
  });

  it('Gram-trick distances (tfjs float32) match exact Float64 ones; duplicates and dead units stay exactly 0', async () => {
    const n = 40;
    const m = 30;
    const z = zscoreRows(randomWalk(1, n, m, 9), n, m);
    z.copyWithin(5 * m, 4 * m, 5 * m); // unit 5 duplicates unit 4
    z.fill(0, 7 * m, 8 * m); // unit 7 dead
    const exact = exactDistances(z, 0, n, m);
    const fast = await gramDistances(z, 0, n, m);
    for (let p = 0; p < n * n; p++)
      expect(Math.abs(fast[p]! - exact[p]!)).toBeLessThan(1e-5 * Math.max(1, exact[p]!));
    expect(fast[4 * n + 5]).toBe(0);
    expect(fast[7 * n + 7]).toBe(0);
  });

  it('clamps k to units - 2 (at least 1)', () => {
    expect(effectiveIntraKnn(2, 3)).toBe(1);
    expect(effectiveIntraKnn(2, 2)).toBe(1);
    expect(effectiveIntraKnn(5, 100)).toBe(5);
  });
});

describe('interslice kernel (spec 4)', () => {
  it('scale = median over slices of the distance to the k-th nearest other slice; epsilon = mean over units', async () => {
    // one unit moving along a line through 4 slices at positions 0, 1, 3, 6 (dim 3), second unit static-ish
    const T = 4;
    const n = 2;
    const dim = 3;
    const z = new Float32Array(T * n * dim);
    [0, 1, 3, 6].forEach((x, t) => {
      z[(t * n + 0) * dim] = x;
      z[(t * n + 1) * dim + 1] = 2 * t;
    });
    const d = await DenseIntersliceDistances.create(z, T, n, dim);
    // unit 0, k' = 1: nearest other slice distances per row: 1, 1, 2, 3 -> median 1.5
    // unit 1 (positions 0, 2, 4, 6): 2, 2, 2, 2 -> 2
    const s = unitScales(d, 1);
    expect(s[0]).toBeCloseTo(1.5, 6);
    expect(s[1]).toBeCloseTo(2, 6);
    expect(intersliceEpsilon(s)).toBeCloseTo(1.75, 6);
    // k' = 2: unit 0 rows sorted: [0,1,3,6],[0,1,2,5],[0,2,3,3],[0,3,5,6] -> 3, 2, 3, 5 -> median 3
    expect(unitScales(d, 2)[0]).toBeCloseTo(3, 6);
    // weights exp(-(d/eps)^2), no factor 2
    const w = intersliceWeights(d, 1.75, 1e-4);
    expect(w[0 * T * T + 0 * T + 1]).toBeCloseTo(Math.exp(-((1 / 1.75) ** 2)), 6);
    expect(w[0]).toBe(0); // diagonal belongs to the intraslice block
  });

  it("clamps k' to epochs - 1; a single slice has no interslice links", () => {
    expect(effectiveInterKnn(25, 20)).toBe(19);
    expect(effectiveInterKnn(25, 2)).toBe(1);
    expect(effectiveInterKnn(25, 1)).toBe(0);
  });
});

describe('multislice kernel and operators (spec 5, 6)', () => {
  const T = 6;
  const n = 12;
  const m = 8;
  const data = randomWalk(T, n, m, 3);
  const z = zscoreRows(data, T * n, m);
  const blocks = Array.from({ length: T }, (_, t) => intrasliceBlock(z, t * n * m, n, m, 2, 5, 1e-4));
  let k: MultisliceKernel;
  beforeAll(async () => {
    const d = await DenseIntersliceDistances.create(z, T, n, m);
    const eps = intersliceEpsilon(unitScales(d, 3));
    k = multisliceKernel(blocks, intersliceWeights(d, eps, 1e-4));
  });

  it('is symmetric with a unit diagonal, entries in (thresh, 1], and links only the same unit across slices', () => {
    const csr = toCsr(k);
    expect(isSymmetric(csr)).toBe(true);
    for (let a = 0; a < csr.rows; a++) {
      let diag = 0;
      for (let p = csr.rowPtr[a]!; p < csr.rowPtr[a + 1]!; p++) {
        const b = csr.cols[p]!;
        const v = csr.vals[p]!;
        expect(v).toBeGreaterThanOrEqual(1e-4 * (1 - 1e-6));
        expect(v).toBeLessThanOrEqual(1);
        if (b === a) diag = v;
        const sameSlice = Math.floor(a / n) === Math.floor(b / n);
        if (!sameSlice) expect(b % n).toBe(a % n);
      }
      expect(diag).toBe(1);
      let s = 0;
      for (let p = csr.rowPtr[a]!; p < csr.rowPtr[a + 1]!; p++) s += csr.vals[p]!;
      expect(k.degree[a]).toBeCloseTo(s, 10);
    }
  });

  function expectRowStochastic(op: {
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

  it('full diffusion operator Q = diag(1/s) S diag(s) is row-stochastic', () => {
    expectRowStochastic(fullOperator(k));
  });

  it('landmark operator is row-stochastic and P_NL rows sum to 1', () => {
    const labels = Int32Array.from({ length: T * n }, (_, a) => (a * 7) % 10);
    const { operator, transitions } = landmarkOperator(k, labels, 10);
    expectRowStochastic(operator);
    for (let a = 0; a < transitions.rows; a++) {
      let s = 0;
      for (let p = transitions.rowPtr[a]!; p < transitions.rowPtr[a + 1]!; p++) s += transitions.vals[p]!;
      expect(s).toBeCloseTo(1, 6); // float32 weights
    }
    // Q = P_LN P_NL computed directly for one row
    const N = T * n;
    const csr = toCsr(k);
    const M = Array.from({ length: 10 }, () => new Float64Array(N));
    for (let a = 0; a < N; a++)
      for (let p = csr.rowPtr[a]!; p < csr.rowPtr[a + 1]!; p++) M[labels[a]!]![csr.cols[p]!] += csr.vals[p]!;
    const q01 = (() => {
      const rowSum = M[0]!.reduce((x, y) => x + y, 0);
      let s = 0;
      for (let b = 0; b < N; b++) s += (M[0]![b]! / rowSum) * (M[1]![b]! / k.degree[b]!);
      return s;
    })();
    const got = (operator.symmetric[0 * 10 + 1]! * operator.sqrtDegree[1]!) / operator.sqrtDegree[0]!;
    expect(got).toBeCloseTo(q01, 6); // G is kept in float32
  });

  it('block products through tfjs equal the CSR product K·X', () => {
    const csr = toCsr(k);
    const N = T * n;
    const c = 3;
    const r = new Random(5);
    const x = Float32Array.from({ length: N * c }, () => r.normal());
    const kp = new KernelProduct(k);
    const got = kp.apply(x, c);
    kp.dispose();
    for (let a = 0; a < N; a++)
      for (let j = 0; j < c; j++) {
        let s = 0;
        for (let p = csr.rowPtr[a]!; p < csr.rowPtr[a + 1]!; p++)
          s += csr.vals[p]! * x[csr.cols[p]! * c + j]!;
        expect(got[a * c + j]).toBeCloseTo(s, 4);
      }
  });

  it('compacts empty clusters away in label order', () => {
    const r = compact(Int32Array.from([4, 0, 4, 2]), 5);
    expect(r.clusters).toBe(3);
    expect(Array.from(r.labels)).toEqual([2, 0, 2, 1]);
  });
});
