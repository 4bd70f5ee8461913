import { type IntersliceDistances } from './interslice.js';
/**
 * Each unit's T x T distance matrix, grown as slices arrive (float32), and for every (unit,
 * slice) its `keep` smallest distances (self included, ascending), so the interslice scales of
 * spec 4.2 cost O(units x T) a frame instead of a selection over every row (830 ms at T = 300).
 */
export declare class GrowingDistances implements IntersliceDistances {
    readonly units: number;
    private readonly keep;
    private readonly squares;
    /** Per unit: `keep` ascending distances per slice (Infinity where fewer slices exist). */
    private nearest;
    private nearestCapacity;
    constructor(units: number, keep: number);
    get epochs(): number;
    /** Appends a slice: `z` holds its units x dim rows; `slices` returns a previous slice's rows. */
    append(z: Float32Array, dim: number, slices: readonly Float32Array[]): void;
    row(unit: number, tau: number, out: Float64Array): void;
    /** unitScales(this, knn) from the kept nearest distances (knn < keep). */
    scales(knn: number): Float64Array;
    private reserveNearest;
}
//# sourceMappingURL=growing-distances.d.ts.map