/**
 * Each unit's distances between its own rows at every pair of slices (docs/algorithm.md §4.1).
 * `row(unit, tau, out)` writes D_unit[tau, 0..epochs) into `out` (out[tau] = 0).
 */
export interface IntersliceDistances {
    readonly epochs: number;
    readonly units: number;
    row(unit: number, tau: number, out: Float64Array): void;
}
/** The k' actually used: clamped to epochs - 1 (the reference crashes there; 0 means no interslice links). */
export declare function effectiveInterKnn(k: number, epochs: number): number;
/** Floor of the per-unit interslice scale (reference HEAD). */
export declare const SCALE_FLOOR = 2.220446049250313e-16;
/** Dense per-unit T x T distances (units x T x T float32), computed at once for a whole trace. */
export declare class DenseIntersliceDistances implements IntersliceDistances {
    readonly dist: Float32Array;
    readonly epochs: number;
    readonly units: number;
    private constructor();
    /**
     * Computes every unit's T x T distances from the (normalised) tensor z, T x units x dim:
     * one Gram product per unit through tfjs, close pairs recomputed exactly (distances.ts).
     */
    static create(z: Float32Array, epochs: number, units: number, dim: number): Promise<DenseIntersliceDistances>;
    row(unit: number, tau: number, out: Float64Array): void;
}
/**
 * Per-unit scale b_i (docs/algorithm.md §4.2): the median over slices of the distance to the k'-th nearest
 * other slice (position k' of the sorted row, self at 0), floored.
 */
export declare function unitScales(d: IntersliceDistances, knn: number): Float64Array;
/** The global interslice bandwidth epsilon = mean over units of their scales (docs/algorithm.md §4.3). */
export declare function intersliceEpsilon(scales: Float64Array): number;
//# sourceMappingURL=interslice.d.ts.map