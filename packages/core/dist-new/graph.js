import { intrasliceBlock } from './intraslice.js';
import { matMul } from './linalg/matmul.js';
/** Below this fraction of |a|^2 + |b|^2 a Gram-trick squared distance is recomputed exactly. */
const EXACT_BELOW = 1e-3;
/**
 * The n x n distances of one slice's rows from their Gram matrix (one tfjs float32 product):
 * d^2 = |a|^2 + |b|^2 - 2 a.b with the norms in Float64. Cancellation only hurts close pairs,
 * so every pair with d^2 below EXACT_BELOW (|a|^2 + |b|^2) is recomputed exactly in Float64
 * (duplicates and dead units stay exactly 0). The bandwidths and affinities only need d to
 * ~1e-6 relative, which float32 Gram entries of z-scored rows give.
 */
export async function gramDistances(z, offset, n, dim) {
    const rows = z.subarray(offset, offset + n * dim);
    const t = new Float32Array(dim * n);
    const norms = new Float64Array(n);
    for (let i = 0; i < n; i++) {
        let s = 0;
        for (let k = 0; k < dim; k++) {
            const v = rows[i * dim + k];
            t[k * n + i] = v;
            s += v * v;
        }
        norms[i] = s;
    }
    const gram = await matMul(rows, t, n, dim, n);
    const dist = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
        for (let j = i + 1; j < n; j++) {
            const scale = norms[i] + norms[j];
            let d2 = scale - 2 * gram[i * n + j];
            if (d2 < EXACT_BELOW * scale) {
                d2 = 0;
                for (let k = 0; k < dim; k++) {
                    const v = rows[i * dim + k] - rows[j * dim + k];
                    d2 += v * v;
                }
            }
            const d = Math.sqrt(d2);
            dist[i * n + j] = d;
            dist[j * n + i] = d;
        }
    return dist;
}
/** Intraslice blocks of every slice of a (normalised, maybe PCA'd) tensor, T x n x dim. */
export async function intrasliceBlocks(z, epochs, units, dim, knn, decay, thresh, onSlice) {
    const blocks = [];
    for (let tau = 0; tau < epochs; tau++) {
        const offset = tau * units * dim;
        const dist = await gramDistances(z, offset, units, dim);
        blocks.push(intrasliceBlock(z, offset, units, dim, knn, decay, thresh, dist));
        onSlice?.(tau + 1);
    }
    return blocks;
}
/** Whether a CSR matrix equals its transpose (values within tol); for tests and assertions. */
export function isSymmetric(m, tol = 1e-12) {
    for (let a = 0; a < m.rows; a++)
        for (let p = m.rowPtr[a]; p < m.rowPtr[a + 1]; p++) {
            const b = m.cols[p];
            // binary search a in row b (columns sorted)
            let lo = m.rowPtr[b];
            let hi = m.rowPtr[b + 1] - 1;
            let found = -1;
            while (lo <= hi) {
                const mid = (lo + hi) >>> 1;
                const c = m.cols[mid];
                if (c === a) {
                    found = mid;
                    break;
                }
                if (c < a)
                    lo = mid + 1;
                else
                    hi = mid - 1;
            }
            if (found < 0 || Math.abs(m.vals[found] - m.vals[p]) > tol)
                return false;
        }
    return true;
}
//# sourceMappingURL=graph.js.map