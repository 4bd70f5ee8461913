import { effectiveInterKnn, SCALE_FLOOR } from './interslice.js';
import { median } from './select.js';
import { UnitSquares } from './unit-squares.js';
/**
 * Each unit's T x T distance matrix, grown as slices arrive (float32), and for every (unit,
 * slice) its `keep` smallest distances (self included, ascending), so the interslice scales of
 * spec 4.2 cost O(units x T) a frame instead of a selection over every row (830 ms at T = 300).
 */
export class GrowingDistances {
    units;
    keep;
    squares;
    /** Per unit: `keep` ascending distances per slice (Infinity where fewer slices exist). */
    nearest;
    nearestCapacity = 0;
    constructor(units, keep) {
        this.units = units;
        this.keep = keep;
        this.squares = new UnitSquares(units);
        this.nearest = Array.from({ length: units }, () => new Float32Array(0));
    }
    get epochs() {
        return this.squares.epochs;
    }
    /** Appends a slice: `z` holds its units x dim rows; `slices` returns a previous slice's rows. */
    append(z, dim, slices) {
        const tau = this.squares.epochs;
        this.squares.resize(tau + 1);
        this.reserveNearest(tau + 1);
        const cap = this.squares.capacity;
        const k = this.keep;
        for (let i = 0; i < this.units; i++) {
            const d = this.squares.of(i);
            const near = this.nearest[i];
            const own = tau * k;
            near.fill(Number.POSITIVE_INFINITY, own, own + k);
            insertSorted(near, own, k, 0);
            const oi = i * dim;
            for (let u = 0; u < tau; u++) {
                const other = slices[u];
                let s = 0;
                for (let j = 0; j < dim; j++) {
                    const v = z[oi + j] - other[oi + j];
                    s += v * v;
                }
                const dist = Math.sqrt(s);
                d[tau * cap + u] = dist;
                d[u * cap + tau] = dist;
                const f = d[tau * cap + u]; // as stored (float32)
                insertSorted(near, own, k, f);
                insertSorted(near, u * k, k, f);
            }
        }
    }
    row(unit, tau, out) {
        const o = tau * this.squares.capacity;
        const d = this.squares.of(unit);
        for (let u = 0; u < this.epochs; u++)
            out[u] = d[o + u];
    }
    /** unitScales(this, knn) from the kept nearest distances (knn < keep). */
    scales(knn) {
        const T = this.epochs;
        const k = effectiveInterKnn(knn, T);
        const out = new Float64Array(this.units);
        if (k === 0)
            return out;
        if (k >= this.keep)
            throw new Error(`GrowingDistances.scales: knn ${k} exceeds the ${this.keep - 1} kept`);
        const kth = new Float64Array(T);
        for (let i = 0; i < this.units; i++) {
            const near = this.nearest[i];
            for (let tau = 0; tau < T; tau++)
                kth[tau] = near[tau * this.keep + k];
            out[i] = Math.max(median(kth, T), SCALE_FLOOR);
        }
        return out;
    }
    reserveNearest(epochs) {
        if (epochs <= this.nearestCapacity)
            return;
        const cap = Math.max(16, Math.ceil(epochs * 1.5));
        for (let i = 0; i < this.units; i++) {
            const next = new Float32Array(cap * this.keep);
            next.set(this.nearest[i]);
            this.nearest[i] = next;
        }
        this.nearestCapacity = cap;
    }
}
/** Inserts v into the ascending list a[o .. o + k) if it is smaller than the last, dropping the last. */
function insertSorted(a, o, k, v) {
    let j = o + k - 1;
    if (!(v < a[j]))
        return;
    while (j > o && a[j - 1] > v) {
        a[j] = a[j - 1];
        j--;
    }
    a[j] = v;
}
//# sourceMappingURL=growing-distances.js.map