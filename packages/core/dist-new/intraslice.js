import { kthSmallest } from './select.js';
/** graphtools' floor on the adaptive bandwidth (float64 machine epsilon). */
export const BANDWIDTH_FLOOR = 2.220446049250313e-16;
/** The k actually used for n units: graphtools lowers k to n - 2; we keep at least 1 when n >= 2. */
export function effectiveIntraKnn(k, units) {
    return Math.max(Math.min(k, units - 2), Math.min(1, units - 1));
}
/**
 * Intraslice kernel of one slice (spec 3): `z` holds `units` rows of `dim` values starting at
 * `offset`. Bandwidth sigma_i = the k-th nearest other unit (position k of the sorted row,
 * self at 0), floored; a_ij = exp(-(d_ij / sigma_i)^decay) (NaN -> 1); directed entries below
 * `thresh` dropped; then (A + A^T)/2. Entries of the symmetrised block below `thresh` are
 * dropped too: that is the global threshold of spec 5, which these entries would meet anyway.
 */
export function intrasliceBlock(z, offset, units, dim, knn, decay, thresh, distances) {
    const n = units;
    const dist = distances ?? exactDistances(z, offset, n, dim);
    const k = effectiveIntraKnn(knn, n);
    const intDecay = Number.isInteger(decay) && decay > 0 && decay <= 16;
    const row = new Float64Array(n);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++)
            row[j] = dist[i * n + j];
        let sigma = k >= 1 ? kthSmallest(row, n, k) : 0;
        if (!(sigma > BANDWIDTH_FLOOR))
            sigma = BANDWIDTH_FLOOR;
        // exp(-(d/sigma)^decay) >= thresh  <=>  d <= sigma * (-ln thresh)^(1/decay): skip the rest
        const radius = thresh > 0 ? sigma * (-Math.log(thresh)) ** (1 / decay) : Number.POSITIVE_INFINITY;
        for (let j = 0; j < n; j++) {
            const d = dist[i * n + j];
            if (d > radius * (1 + 1e-12))
                continue;
            const x = d / sigma;
            // integer decay (default 5) by multiplication: Math.pow dominates this loop otherwise
            let v = Math.exp(-(intDecay ? powInt(x, decay) : x ** decay));
            if (Number.isNaN(v))
                v = 1;
            a[i * n + j] = v >= thresh ? v : 0;
        }
        a[i * n + i] = 1;
    }
    let nnz = 0;
    for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
            const s = (a[i * n + j] + a[j * n + i]) / 2;
            if (s > 0 && s >= thresh)
                nnz++;
        }
    const rowPtr = new Int32Array(n + 1);
    const cols = new Int32Array(nnz);
    const vals = new Float64Array(nnz);
    let p = 0;
    for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
            const s = (a[i * n + j] + a[j * n + i]) / 2;
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
function powInt(x, e) {
    let r = x;
    for (let i = 1; i < e; i++)
        r *= x;
    return r;
}
/** The n x n Euclidean distances of the rows z[offset + i*dim ..], exactly in Float64. */
export function exactDistances(z, offset, n, dim) {
    const dist = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
        const oi = offset + i * dim;
        for (let j = i + 1; j < n; j++) {
            const oj = offset + j * dim;
            let s = 0;
            for (let k = 0; k < dim; k++) {
                const v = z[oi + k] - z[oj + k];
                s += v * v;
            }
            const d = Math.sqrt(s);
            dist[i * n + j] = d;
            dist[j * n + i] = d;
        }
    }
    return dist;
}
//# sourceMappingURL=intraslice.js.map