import { kthSmallest } from '../linalg/select.js';
import { sharedInt32, toSharedFloat32 } from '../linalg/shared.js';
import { runOnThreads, threadCount } from '../linalg/thread-pool.js';
import { GRAPH_EXACT, gramDistances } from './distances.js';

/** One slice's symmetric intraslice kernel block, CSR with local column indices (sorted), diagonal 1. */
export interface IntraBlock {
  units: number;
  rowPtr: Int32Array;
  cols: Int32Array;
  vals: Float64Array;
}

/** graphtools' floor on the adaptive bandwidth (float64 machine epsilon). */
const BANDWIDTH_FLOOR = 2.220446049250313e-16;

/** The k actually used for n units: graphtools lowers k to n - 2; we keep at least 1 when n >= 2. */
export function effectiveIntraKnn(k: number, units: number): number {
  return Math.max(Math.min(k, units - 2), Math.min(1, units - 1));
}

/**
 * Intraslice kernel of one slice (docs/algorithm.md §3): `z` holds `units` rows of `dim` values starting at
 * `offset`. Bandwidth sigma_i = the k-th nearest other unit (position k of the sorted row,
 * self at 0), floored; a_ij = exp(-(d_ij / sigma_i)^decay) (NaN -> 1); directed entries below
 * `thresh` dropped; then (A + A^T)/2. Entries of the symmetrised block below `thresh` are
 * dropped too: that is the global threshold of docs/algorithm.md §5, which these entries would meet anyway.
 */
export function intrasliceBlock(
  z: Float32Array,
  offset: number,
  units: number,
  dim: number,
  knn: number,
  decay: number,
  thresh: number,
  distances?: Float64Array,
): IntraBlock {
  const n = units;
  const dist = distances ?? exactDistances(z, offset, n, dim);
  const k = effectiveIntraKnn(knn, n);
  const intDecay = Number.isInteger(decay) && decay > 0 && decay <= 16;
  const row = new Float64Array(n);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) row[j] = dist[i * n + j]!;
    let sigma = k >= 1 ? kthSmallest(row, n, k) : 0;
    if (!(sigma > BANDWIDTH_FLOOR)) sigma = BANDWIDTH_FLOOR;
    // exp(-(d/sigma)^decay) >= thresh  <=>  d <= sigma * (-ln thresh)^(1/decay): skip the rest
    const radius = thresh > 0 ? sigma * (-Math.log(thresh)) ** (1 / decay) : Number.POSITIVE_INFINITY;
    for (let j = 0; j < n; j++) {
      const d = dist[i * n + j]!;
      if (d > radius * (1 + 1e-12)) continue;
      const x = d / sigma;
      // integer decay (default 5) by multiplication: Math.pow dominates this loop otherwise
      let v = Math.exp(-(intDecay ? powInt(x, decay) : x ** decay));
      if (Number.isNaN(v)) v = 1;
      a[i * n + j] = v >= thresh ? v : 0;
    }
    a[i * n + i] = 1;
  }
  let nnz = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const s = (a[i * n + j]! + a[j * n + i]!) / 2;
      if (s > 0 && s >= thresh) nnz++;
    }
  const rowPtr = new Int32Array(n + 1);
  const cols = new Int32Array(nnz);
  const vals = new Float64Array(nnz);
  let p = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const s = (a[i * n + j]! + a[j * n + i]!) / 2;
      if (s > 0 && s >= thresh) {
        cols[p] = j;
        vals[p] = i === j ? 1 : s;
        p++;
      }
    }
    rowPtr[i + 1] = p;
  }
  return { units: n, rowPtr, cols, vals };
}

function powInt(x: number, e: number): number {
  let r = x;
  for (let i = 1; i < e; i++) r *= x;
  return r;
}

/** The n x n Euclidean distances of the rows z[offset + i*dim ..], exactly in Float64. */
export function exactDistances(z: Float32Array, offset: number, n: number, dim: number): Float64Array {
  const dist = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const oi = offset + i * dim;
    for (let j = i + 1; j < n; j++) {
      const oj = offset + j * dim;
      let s = 0;
      for (let k = 0; k < dim; k++) {
        const v = z[oi + k]! - z[oj + k]!;
        s += v * v;
      }
      const d = Math.sqrt(s);
      dist[i * n + j] = d;
      dist[j * n + i] = d;
    }
  }
  return dist;
}

/**
 * Intraslice blocks of every slice of a (normalised, maybe PCA'd) tensor, T x n x dim. The
 * slices are independent: each of core's threads takes the next slice not yet taken (a shared
 * counter), so a worker still starting up (its first task) holds nothing back; z is shared with
 * them. The blocks are the same bits whichever thread computes them.
 */
export async function intrasliceBlocks(
  z: Float32Array,
  epochs: number,
  units: number,
  dim: number,
  knn: number,
  decay: number,
  thresh: number,
  onSlice?: (done: number) => void,
): Promise<IntraBlock[]> {
  const threads = epochs > 1 ? await threadCount() : 1;
  const task: IntrasliceSlicesArgs = {
    z: threads > 1 ? toSharedFloat32(z) : z,
    epochs,
    units,
    dim,
    knn,
    decay,
    thresh,
    next: sharedInt32(1),
  };
  // the calling thread's share reports progress as it goes; the workers' come in at the end
  let done = 0;
  const local = (a: IntrasliceSlicesArgs) => intrasliceSlices(a, () => onSlice?.(++done));
  const parts = await runOnThreads('intrasliceSlices', Array(threads).fill(task), local);
  const blocks = new Array<IntraBlock>(epochs);
  for (const part of parts)
    for (let k = 0; k < part.slices.length; k++) blocks[part.slices[k]!] = part.blocks[k]!;
  onSlice?.(epochs);
  return blocks;
}

/** One thread's part of `intrasliceBlocks` (thread-tasks.ts). */
export interface IntrasliceSlicesArgs {
  z: Float32Array;
  epochs: number;
  units: number;
  dim: number;
  knn: number;
  decay: number;
  thresh: number;
  /** The next slice to take (shared by the threads, Atomics). */
  next: Int32Array;
}

/** Blocks of the slices this thread took, with their slice numbers. */
export async function intrasliceSlices(
  a: IntrasliceSlicesArgs,
  onSlice?: () => void,
): Promise<{ slices: Int32Array; blocks: IntraBlock[] }> {
  const { z, units, dim } = a;
  const slices: number[] = [];
  const blocks: IntraBlock[] = [];
  for (let tau = Atomics.add(a.next, 0, 1); tau < a.epochs; tau = Atomics.add(a.next, 0, 1)) {
    const offset = tau * units * dim;
    const dist = await gramDistances(z.subarray(offset, offset + units * dim), units, dim, GRAPH_EXACT);
    blocks.push(intrasliceBlock(z, offset, units, dim, a.knn, a.decay, a.thresh, dist));
    slices.push(tau);
    onSlice?.();
  }
  return { slices: Int32Array.from(slices), blocks };
}
