import type { MultisliceKernel } from '../graph/multislice.js';
import type { Csr } from '../linalg/csr.js';
import { mirrorUpper } from '../linalg/mirror.js';
import { sharedCopy, sharedFloat32, sharedFloat64, sharedInt32 } from '../linalg/shared.js';
import { runOnThreads, threadCount } from '../linalg/thread-pool.js';
import type { DiffusionOperator } from './diffusion-operator.js';

/** G in compact CSR: columns as Uint16 when L <= 65536 (else Int32), values float32. */
interface CompactCsr {
  rows: number;
  rowPtr: Int32Array;
  cols: Uint16Array | Int32Array;
  vals: Float32Array;
}

/** Growable parallel (column, value) arrays for building a compact CSR row by row. */
class CsrBuilder {
  cols: Uint16Array | Int32Array;
  vals: Float32Array;
  size = 0;
  constructor(
    capacity: number,
    private readonly wide: boolean,
  ) {
    this.cols = wide ? new Int32Array(Math.max(16, capacity)) : new Uint16Array(Math.max(16, capacity));
    this.vals = new Float32Array(Math.max(16, capacity));
  }
  reserve(extra: number): void {
    if (this.size + extra <= this.cols.length) return;
    const cap = Math.max(this.size + extra, Math.ceil(this.cols.length * 1.5));
    const c = this.wide ? new Int32Array(cap) : new Uint16Array(cap);
    c.set(this.cols.subarray(0, this.size));
    const v = new Float32Array(cap);
    v.set(this.vals.subarray(0, this.size));
    this.cols = c;
    this.vals = v;
  }
}

/**
 * G = K · Lab^T (N x L, sparse; float32 values, 6 bytes an entry: building C is memory-bound): G[b, l] = sum of K[b, a] over a in cluster l, i.e. row b of K
 * aggregated by label. As K is symmetric, G^T is the reference's M (docs/algorithm.md §6.4).
 */
function aggregateByLabel(k: MultisliceKernel, labels: Int32Array, L: number): CompactCsr {
  const T = k.epochs;
  const n = k.units;
  const N = T * n;
  const acc = new Float64Array(L);
  const seen = new Int32Array(L).fill(-1);
  const touched = new Int32Array(L);
  const rowPtr = new Int32Array(N + 1);
  const out = new CsrBuilder(N * 16, L > 65536);
  const inter = k.inter;
  for (let tau = 0; tau < T; tau++) {
    const blk = k.intra[tau]!;
    for (let i = 0; i < n; i++) {
      const b = tau * n + i;
      let r = 0;
      // (inlined twice: a closure per row costs more than the loop body)
      for (let p = blk.rowPtr[i]!; p < blk.rowPtr[i + 1]!; p++) {
        const l = labels[tau * n + blk.cols[p]!]!;
        if (seen[l] !== b) {
          seen[l] = b;
          acc[l] = 0;
          touched[r++] = l;
        }
        acc[l] += blk.vals[p]!;
      }
      if (inter) {
        const o = (i * T + tau) * T;
        for (let u = 0; u < T; u++) {
          const w = inter[o + u]!;
          if (w === 0) continue;
          const l = labels[u * n + i]!;
          if (seen[l] !== b) {
            seen[l] = b;
            acc[l] = 0;
            touched[r++] = l;
          }
          acc[l] += w;
        }
      }
      out.reserve(r);
      const sorted = touched.subarray(0, r).sort();
      for (let x = 0; x < r; x++) {
        out.cols[out.size] = sorted[x]!;
        out.vals[out.size++] = acc[sorted[x]!]!;
      }
      rowPtr[b + 1] = out.size;
    }
  }
  // in shared memory: core's threads read G (landmarkOperatorRows)
  return {
    rows: N,
    rowPtr: sharedCopy(rowPtr),
    cols: sharedCopy(out.cols.subarray(0, out.size)),
    vals: sharedCopy(out.vals.subarray(0, out.size)),
  };
}

/**
 * The landmark operator (docs/algorithm.md §6.4-6.7) from K, its degrees and every point's cluster label:
 *   P_NL[b, l] = G[b, l] / deg_b                    (data -> landmark, kept sparse, N x L)
 *   C = G^T D_N^-1 G = M D_N^-1 M^T                 (L x L)
 *   D_L = row sums of C = column sums of G,  S = D_L^-1/2 C D_L^-1/2,  Q = P_LN P_NL = D_L^-1 C.
 * C is accumulated landmark row by landmark row (through G^T), so the dense accumulator stays
 * in cache; the cost is sum over points of r_b^2, r_b = distinct clusters among b's neighbours.
 * The rows are shared out to core's threads (landmarkOperatorRows).
 */
export async function landmarkOperator(
  k: MultisliceKernel,
  labels: Int32Array,
  landmarks: number,
): Promise<{ operator: DiffusionOperator; transitions: Csr }> {
  const L = landmarks;
  const g = aggregateByLabel(k, labels, L);
  const N = g.rows;
  // G^T by counting sort
  const tPtr = sharedInt32(L + 1);
  for (let p = 0; p < g.cols.length; p++) tPtr[g.cols[p]! + 1]++;
  for (let l = 0; l < L; l++) tPtr[l + 1] += tPtr[l]!;
  const fill = tPtr.slice(0, L);
  const tRow = sharedInt32(g.cols.length);
  const tVal = sharedFloat32(g.cols.length);
  // degrees as the row sums of G's float32 values: C, D_L and P_NL then agree to float64 rounding
  const gdeg = sharedFloat64(N);
  for (let b = 0; b < N; b++) for (let p = g.rowPtr[b]!; p < g.rowPtr[b + 1]!; p++) gdeg[b] += g.vals[p]!;
  for (let b = 0; b < N; b++)
    for (let p = g.rowPtr[b]!; p < g.rowPtr[b + 1]!; p++) {
      const q = fill[g.cols[p]!]!++;
      tRow[q] = b;
      tVal[q] = g.vals[p]!;
    }
  const dl = new Float64Array(L);
  for (let l = 0; l < L; l++) for (let q = tPtr[l]!; q < tPtr[l + 1]!; q++) dl[l] += tVal[q]!;
  const sqrtDegree = sharedFloat64(L);
  for (let l = 0; l < L; l++) sqrtDegree[l] = Math.sqrt(dl[l]!);
  // S's rows on and above the diagonal, the landmarks dealt out to core's threads in turn (the
  // cost of row l falls with l: dealing balances it), then mirrored below
  const c = sharedFloat64(L * L);
  const shared = { L, tPtr, tRow, tVal, gdeg, gPtr: g.rowPtr, gCol: g.cols, gVal: g.vals, sqrtDegree, c };
  const parts = await threadCount();
  await runOnThreads(
    'landmarkOperatorRows',
    Array.from({ length: parts }, (_, part) => ({ ...shared, part, parts })),
    landmarkOperatorRows,
  );
  mirrorUpper(c, L);
  // P_NL = D_N^-1 G (float32: it only weights the landmark coordinates)
  const pVals = new Float32Array(g.vals.length);
  for (let b = 0; b < N; b++) {
    const inv = 1 / gdeg[b]!;
    for (let p = g.rowPtr[b]!; p < g.rowPtr[b + 1]!; p++) pVals[p] = g.vals[p]! * inv;
  }
  return {
    operator: { size: L, symmetric: c, sqrtDegree },
    transitions: { rows: N, rowPtr: g.rowPtr, cols: g.cols, vals: pVals },
  };
}

/** One thread's rows of S (thread-tasks.ts): rows l = part, part + parts, ... on and above the diagonal. */
export interface LandmarkOperatorRowsArgs {
  L: number;
  /** G^T (CSR by landmark): the points of each landmark's column and their values. */
  tPtr: Int32Array;
  tRow: Int32Array;
  tVal: Float32Array;
  /** G (CSR by point, columns sorted) and its row sums. */
  gdeg: Float64Array;
  gPtr: Int32Array;
  gCol: Uint16Array | Int32Array;
  gVal: Float32Array;
  sqrtDegree: Float64Array;
  /** L x L result, written on and above the diagonal of this thread's rows. */
  c: Float64Array;
  part: number;
  parts: number;
}

export function landmarkOperatorRows(a: LandmarkOperatorRowsArgs): true {
  const { L, tPtr, tRow, tVal, gdeg, gPtr, gCol, gVal, sqrtDegree, c } = a;
  const acc = new Float64Array(L);
  for (let l = a.part; l < L; l += a.parts) {
    acc.fill(0, l);
    const qEnd = tPtr[l + 1]!;
    for (let q = tPtr[l]!; q < qEnd; q++) {
      const b = tRow[q]!;
      const w = tVal[q]! / gdeg[b]!;
      // G's rows are sorted: the part with column >= l is a suffix, found by binary search
      let lo = gPtr[b]!;
      const end = gPtr[b + 1]!;
      let hi = end;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (gCol[mid]! < l) lo = mid + 1;
        else hi = mid;
      }
      for (let p = lo; p < end; p++) acc[gCol[p]!] += w * gVal[p]!;
    }
    const sl = sqrtDegree[l]!;
    for (let j = l, o = l * L; j < L; j++) c[o + j] = acc[j]! / (sl * sqrtDegree[j]!);
  }
  return true;
}

/** Without landmarks (N <= nLandmark): S = D^-1/2 K D^-1/2 densified (N x N), sqrtDegree = sqrt(deg). */
export function fullOperator(k: MultisliceKernel): DiffusionOperator {
  const T = k.epochs;
  const n = k.units;
  const N = T * n;
  const s = new Float64Array(N * N);
  const sq = new Float64Array(N);
  for (let a = 0; a < N; a++) sq[a] = Math.sqrt(k.degree[a]!);
  for (let tau = 0; tau < T; tau++) {
    const blk = k.intra[tau]!;
    for (let i = 0; i < n; i++) {
      const a = tau * n + i;
      for (let p = blk.rowPtr[i]!; p < blk.rowPtr[i + 1]!; p++) {
        const b = tau * n + blk.cols[p]!;
        s[a * N + b] = blk.vals[p]! / (sq[a]! * sq[b]!);
      }
      if (k.inter) {
        const o = (i * T + tau) * T;
        for (let u = 0; u < T; u++) {
          const w = k.inter[o + u]!;
          if (w !== 0) s[a * N + u * n + i] = w / (sq[a]! * sq[u * n + i]!);
        }
      }
    }
  }
  return { size: N, symmetric: s, sqrtDegree: sq };
}
