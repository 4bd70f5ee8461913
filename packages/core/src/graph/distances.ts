import { matMul } from '../linalg/matmul.js';
import { mirrorUpper } from '../linalg/mirror.js';
import { sharedFloat64, toSharedFloat32 } from '../linalg/shared.js';
import { runOnThreads } from '../linalg/thread-pool.js';
import { transpose } from '../linalg/transpose.js';

/**
 * Which Gram-trick squared distances are recomputed exactly (in Float64, from the rows): those
 * below `below` times |a|² + |b|² of their own pair ('pair'), or times the largest squared row
 * norm ('largest').
 */
export interface ExactRule {
  below: number;
  relativeTo: 'pair' | 'largest';
}

/**
 * Graph distances of z-scored rows: bandwidths and affinities need d to ~1e-6 relative, which
 * float32 Gram entries give; duplicates and dead units stay exactly 0.
 */
export const GRAPH_EXACT: ExactRule = Object.freeze({ below: 1e-3, relativeTo: 'pair' });

/**
 * The rows x rows Euclidean distances between the rows of x (rows x cols, row-major), in Float64.
 *
 * The Gram matrix goes through tfjs products (float32) with the norms in Float64; d² = |a|² +
 * |b|² - 2 a·b then loses digits to cancellation for close rows, so the pairs `exact` names are
 * recomputed exactly (docs/mphate.md measures both rules). The Gram matrix is symmetric: from
 * 1000 rows only the blocks on and above the diagonal are computed (4 row blocks: 10 of 16
 * products; tfjs-wasm gives each entry the same bits either way).
 */
export async function gramDistances(
  x: Float32Array | Float64Array,
  rows: number,
  cols: number,
  exact: ExactRule,
  /** Allocate the result in a SharedArrayBuffer (where there is one), for core's threads. */
  o: { shared?: boolean } = {},
): Promise<Float64Array> {
  const m = rows;
  if (x.length !== m * cols) throw new Error(`gramDistances: length ${x.length}, expected ${m * cols}`);
  const norms = new Float64Array(m);
  let maxNorm = 0;
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let k = 0; k < cols; k++) s += x[i * cols + k]! ** 2;
    norms[i] = s;
    if (s > maxNorm) maxNorm = s;
  }
  const pair = exact.relativeTo === 'pair';
  const threshold = exact.below * maxNorm;
  const d = o.shared ? sharedFloat64(m * m) : new Float64Array(m * m);
  const p = m >= 1000 ? 4 : 1;
  const size = Math.ceil(m / p);
  // shared only when the blocks go to core's threads (one block runs here: no copy needed)
  const xf = p > 1 ? toSharedFloat32(x) : x instanceof Float32Array ? x : Float32Array.from(x);
  // one task per block pair on or above the diagonal, spread over core's threads
  const tasks: GramBlockArgs[] = [];
  for (let bi = 0; bi < p; bi++)
    for (let bj = bi; bj < p; bj++) {
      const i0 = bi * size;
      const j0 = bj * size;
      const i1 = Math.min(m, i0 + size);
      const j1 = Math.min(m, j0 + size);
      if (i1 > i0 && j1 > j0)
        tasks.push({
          x: xf,
          cols,
          norms,
          m,
          i: [i0, i1],
          j: [j0, j1],
          pair,
          below: exact.below,
          threshold,
          d,
        });
    }
  await runOnThreads('gramBlock', tasks, gramBlock);
  // the pairs the blocks marked (NaN) are recomputed exactly, from x in its own precision
  for (let i = 0; i < m; i++)
    for (let j = i + 1; j < m; j++)
      if (Number.isNaN(d[i * m + j]!)) {
        let d2 = 0;
        const a = i * cols;
        const b = j * cols;
        for (let k = 0; k < cols; k++) {
          const v = x[a + k]! - x[b + k]!;
          d2 += v * v;
        }
        d[i * m + j] = Math.sqrt(d2);
      }
  mirrorUpper(d, m);
  return d;
}

/** One block of the Gram distances (thread-tasks.ts): rows i x rows j, written into d. */
export interface GramBlockArgs {
  x: Float32Array;
  cols: number;
  norms: Float64Array;
  m: number;
  i: [number, number];
  j: [number, number];
  pair: boolean;
  below: number;
  threshold: number;
  /** m x m result; entries above the diagonal of this block are written, NaN where exact is due. */
  d: Float64Array;
}

export async function gramBlock(a: GramBlockArgs): Promise<true> {
  const { x, cols, norms, m, d } = a;
  const [i0, i1] = a.i;
  const [j0, j1] = a.j;
  const w = j1 - j0;
  const g = await matMul(
    x.subarray(i0 * cols, i1 * cols),
    transpose(x.subarray(j0 * cols, j1 * cols), w, cols),
    i1 - i0,
    cols,
    w,
  );
  for (let i = i0; i < i1; i++)
    for (let j = Math.max(j0, i + 1); j < j1; j++) {
      const d2 = norms[i]! + norms[j]! - 2 * g[(i - i0) * w + (j - j0)]!;
      d[i * m + j] =
        d2 < (a.pair ? a.below * (norms[i]! + norms[j]!) : a.threshold)
          ? Number.NaN
          : Math.sqrt(Math.max(d2, 0));
    }
  return true;
}
