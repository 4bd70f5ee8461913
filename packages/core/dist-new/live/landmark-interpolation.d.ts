import type { UnitSquares } from './unit-squares.js';
/** What the live landmark operator keeps that the interpolation reads (see LiveLandmarks). */
export interface LiveLandmarkRows {
    units: number;
    epochs: number;
    /** Every point's landmark label, row epoch * units + unit. */
    labels: Int32Array;
    /** Every point's current degree. */
    degree: Float64Array;
    /** Per slice: its distinct labels (L_τ of them). */
    sliceLabels: readonly Int32Array[];
    /** Per slice: E_τ, n x L_τ float32, the intraslice kernel mass of each point in each label. */
    sliceRows: readonly Float32Array[];
    /** Each unit's interslice weights. */
    weights: UnitSquares;
}
/**
 * Y_all = P_NL · Y_L for the live landmark operator: each point at the kernel-mass-weighted
 * mean of its landmarks' coordinates, read slice by slice (intraslice part) and unit by unit
 * (interslice part) from the operator's block form.
 */
export declare function interpolateLive(k: LiveLandmarkRows, y: Float64Array, d: number): Float64Array;
//# sourceMappingURL=landmark-interpolation.d.ts.map