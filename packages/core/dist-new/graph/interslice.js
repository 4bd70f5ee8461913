import { kthSmallest, median } from '../linalg/select.js';
import { GRAPH_EXACT, gramDistances } from './distances.js';
/** The k' actually used: clamped to epochs - 1 (the reference crashes there; 0 means no interslice links). */
export function effectiveInterKnn(k, epochs) {
    return Math.max(0, Math.min(k, epochs - 1));
}
/** Floor of the per-unit interslice scale (reference HEAD). */
export const SCALE_FLOOR = 2.220446049250313e-16;
/** Dense per-unit T x T distances (units x T x T float32), computed at once for a whole trace. */
export class DenseIntersliceDistances {
    dist;
    epochs;
    units;
    constructor(dist, epochs, units) {
        this.dist = dist;
        this.epochs = epochs;
        this.units = units;
    }
    /**
     * Computes every unit's T x T distances from the (normalised) tensor z, T x units x dim:
     * one Gram product per unit through tfjs, close pairs recomputed exactly (distances.ts).
     */
    static async create(z, epochs, units, dim) {
        const T = epochs;
        const n = units;
        const dist = new Float32Array(n * T * T);
        const rows = new Float32Array(T * dim);
        for (let i = 0; i < n; i++) {
            for (let tau = 0; tau < T; tau++)
                rows.set(z.subarray((tau * n + i) * dim, (tau * n + i + 1) * dim), tau * dim);
            dist.set(await gramDistances(rows, T, dim, GRAPH_EXACT), i * T * T);
        }
        return new DenseIntersliceDistances(dist, T, n);
    }
    row(unit, tau, out) {
        const T = this.epochs;
        const o = unit * T * T + tau * T;
        for (let u = 0; u < T; u++)
            out[u] = this.dist[o + u];
    }
}
/**
 * Per-unit scale b_i (docs/algorithm.md §4.2): the median over slices of the distance to the k'-th nearest
 * other slice (position k' of the sorted row, self at 0), floored.
 */
export function unitScales(d, knn) {
    const T = d.epochs;
    const k = effectiveInterKnn(knn, T);
    const scales = new Float64Array(d.units);
    if (k === 0)
        return scales;
    const row = new Float64Array(T);
    const kth = new Float64Array(T);
    for (let i = 0; i < d.units; i++) {
        for (let tau = 0; tau < T; tau++) {
            d.row(i, tau, row);
            kth[tau] = kthSmallest(row, T, k);
        }
        scales[i] = Math.max(median(kth, T), SCALE_FLOOR);
    }
    return scales;
}
/** The global interslice bandwidth epsilon = mean over units of their scales (docs/algorithm.md §4.3). */
export function intersliceEpsilon(scales) {
    let s = 0;
    for (let i = 0; i < scales.length; i++)
        s += scales[i];
    return Math.max(s / Math.max(1, scales.length), SCALE_FLOOR);
}
//# sourceMappingURL=interslice.js.map