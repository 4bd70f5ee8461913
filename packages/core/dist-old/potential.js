/**
 * The diffusion potential U of Q^t and the Euclidean distances between its rows (spec section 8).
 */
import { matMul } from './linalg/matmul.js';
/** Rows r0..r1 of x (rows x cols) transposed: cols x (r1 - r0). */
function transposeRows(x, r0, r1, cols) {
    const w = r1 - r0;
    const t = new Float32Array(cols * w);
    for (let i = 0; i < w; i++) {
        const row = (r0 + i) * cols;
        for (let k = 0; k < cols; k++)
            t[k * w + i] = x[row + k];
    }
    return t;
}
/** Elementwise potential of Q^t: gamma 1 -> -ln(x + 1e-7); -1 -> x; else x^c / c with c = (1 - gamma)/2. */
export function potential(qt, gamma) {
    if (!(gamma >= -1 && gamma <= 1))
        throw new Error(`potential: gamma must be in [-1, 1], got ${gamma}`);
    const g = gamma > 0.99 && gamma < 1 ? 0.99 : gamma; // the reference coerces (0.99, 1) to 0.99
    const u = new Float64Array(qt.length);
    if (g === 1)
        for (let i = 0; i < u.length; i++)
            u[i] = -Math.log(qt[i] + 1e-7);
    else if (g === -1)
        u.set(qt);
    else if (g === 0)
        for (let i = 0; i < u.length; i++)
            u[i] = 2 * Math.sqrt(qt[i]);
    else {
        const c = (1 - g) / 2;
        for (let i = 0; i < u.length; i++)
            u[i] = qt[i] ** c / c;
    }
    return u;
}
/**
 * Full M x M matrix of Euclidean distances between the rows of u (M x M), in Float64.
 *
 * The Gram matrix goes through one tfjs product (float32); d² = |a|² + |b|² - 2 a·b then loses
 * digits to cancellation for close rows, so every pair with d² below `exactBelow` times the
 * largest squared row norm is recomputed exactly in Float64 (measured in docs/mphate.md).
 */
export async function rowDistances(u, m, cols, o = {}) {
    if (u.length !== m * cols)
        throw new Error(`rowDistances: length ${u.length}, expected ${m * cols}`);
    const norms = new Float64Array(m);
    let maxNorm = 0;
    for (let i = 0; i < m; i++) {
        let s = 0;
        for (let k = 0; k < cols; k++)
            s += u[i * cols + k] ** 2;
        norms[i] = s;
        if (s > maxNorm)
            maxNorm = s;
    }
    const threshold = (o.exactBelow ?? 1e-5) * maxNorm;
    const d = new Float64Array(m * m);
    // The Gram matrix is symmetric: compute only the blocks on and above the diagonal (p row
    // blocks -> p(p+1)/2 of p² products; 10/16 of the flops for p = 4).
    const p = m >= 1000 ? 4 : 1;
    const size = Math.ceil(m / p);
    const uf = Float32Array.from(u);
    const blocksT = [];
    for (let bj = 0; bj < p; bj++) {
        const r0 = bj * size;
        const r1 = Math.min(m, r0 + size);
        blocksT.push(transposeRows(uf, r0, r1, cols));
    }
    for (let bi = 0; bi < p; bi++) {
        const i0 = bi * size;
        const i1 = Math.min(m, i0 + size);
        if (i1 <= i0)
            continue;
        for (let bj = bi; bj < p; bj++) {
            const j0 = bj * size;
            const j1 = Math.min(m, j0 + size);
            if (j1 <= j0)
                continue;
            const w = j1 - j0;
            const g = await matMul(uf.subarray(i0 * cols, i1 * cols), blocksT[bj], i1 - i0, cols, w);
            for (let i = i0; i < i1; i++) {
                for (let j = Math.max(j0, i + 1); j < j1; j++) {
                    let d2 = norms[i] + norms[j] - 2 * g[(i - i0) * w + (j - j0)];
                    if (d2 < threshold) {
                        d2 = 0;
                        const a = i * cols;
                        const b = j * cols;
                        for (let k = 0; k < cols; k++) {
                            const x = u[a + k] - u[b + k];
                            d2 += x * x;
                        }
                    }
                    d[i * m + j] = Math.sqrt(Math.max(d2, 0));
                }
            }
        }
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
//# sourceMappingURL=potential.js.map