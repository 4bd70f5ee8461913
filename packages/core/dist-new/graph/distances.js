import { matMul } from '../linalg/matmul.js';
import { sharedFloat64, toSharedFloat32 } from '../linalg/shared.js';
import { runOnThreads } from '../linalg/thread-pool.js';
import { transpose } from '../linalg/transpose.js';
/**
 * Graph distances of z-scored rows: bandwidths and affinities need d to ~1e-6 relative, which
 * float32 Gram entries give; duplicates and dead units stay exactly 0.
 */
export const GRAPH_EXACT = Object.freeze({ below: 1e-3, relativeTo: 'pair' });
/**
 * The rows x rows Euclidean distances between the rows of x (rows x cols, row-major), in Float64.
 *
 * The Gram matrix goes through tfjs products (float32) with the norms in Float64; d² = |a|² +
 * |b|² - 2 a·b then loses digits to cancellation for close rows, so the pairs `exact` names are
 * recomputed exactly (docs/mphate.md measures both rules). The Gram matrix is symmetric: from
 * 1000 rows only the blocks on and above the diagonal are computed (4 row blocks: 10 of 16
 * products; tfjs-wasm gives each entry the same bits either way).
 */
export async function gramDistances(x, rows, cols, exact, 
/** Allocate the result in a SharedArrayBuffer (where there is one), for core's threads. */
o = {}) {
    const m = rows;
    if (x.length !== m * cols)
        throw new Error(`gramDistances: length ${x.length}, expected ${m * cols}`);
    const norms = new Float64Array(m);
    let maxNorm = 0;
    for (let i = 0; i < m; i++) {
        let s = 0;
        for (let k = 0; k < cols; k++)
            s += x[i * cols + k] ** 2;
        norms[i] = s;
        if (s > maxNorm)
            maxNorm = s;
    }
    const pair = exact.relativeTo === 'pair';
    const threshold = exact.below * maxNorm;
    const d = o.shared ? sharedFloat64(m * m) : new Float64Array(m * m);
    const p = m >= 1000 ? 4 : 1;
    const size = Math.ceil(m / p);
    // shared only when the blocks go to core's threads (one block runs here: no copy needed)
    const xf = p > 1 ? toSharedFloat32(x) : x instanceof Float32Array ? x : Float32Array.from(x);
    // one task per block pair on or above the diagonal, spread over core's threads
    const tasks = [];
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
            if (Number.isNaN(d[i * m + j])) {
                let d2 = 0;
                const a = i * cols;
                const b = j * cols;
                for (let k = 0; k < cols; k++) {
                    const v = x[a + k] - x[b + k];
                    d2 += v * v;
                }
                d[i * m + j] = Math.sqrt(d2);
            }
    // mirror the upper triangle in cache-sized tiles (a column-wise write per pair is a cache miss)
    const tile = 64;
    for (let i0 = 0; i0 < m; i0 += tile)
        for (let j0 = i0; j0 < m; j0 += tile) {
            const i1 = Math.min(m, i0 + tile);
            const j1 = Math.min(m, j0 + tile);
            for (let i = i0; i < i1; i++)
                for (let j = Math.max(j0, i + 1); j < j1; j++)
                    d[j * m + i] = d[i * m + j];
        }
    return d;
}
export async function gramBlock(a) {
    const { x, cols, norms, m, d } = a;
    const [i0, i1] = a.i;
    const [j0, j1] = a.j;
    const w = j1 - j0;
    const g = await matMul(x.subarray(i0 * cols, i1 * cols), transpose(x.subarray(j0 * cols, j1 * cols), w, cols), i1 - i0, cols, w);
    for (let i = i0; i < i1; i++)
        for (let j = Math.max(j0, i + 1); j < j1; j++) {
            const d2 = norms[i] + norms[j] - 2 * g[(i - i0) * w + (j - j0)];
            d[i * m + j] =
                d2 < (a.pair ? a.below * (norms[i] + norms[j]) : a.threshold)
                    ? Number.NaN
                    : Math.sqrt(Math.max(d2, 0));
        }
    return true;
}
//# sourceMappingURL=distances.js.map