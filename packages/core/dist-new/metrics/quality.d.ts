import type { Trace } from '../types.js';
/**
 * Neighbourhood preservation at k against the RAW trace (Euclidean, self excluded, k clamped to
 * the group size - 1). intraslice: for each (slice, unit), the share of the unit's k nearest
 * units of that slice in the embedding that are also among its k nearest in the trace;
 * interslice: the same among the T points of each unit. Both are means over all (slice, unit).
 */
export declare function neighbourhoodPreservation(trace: Trace, coords: Float32Array | Float64Array, d: number, k: number): {
    intraslice: number;
    interslice: number;
};
/**
 * Agreement of two embeddings of the same rows: Spearman correlation (average ranks for ties) of
 * their distances over `pairs` sampled pairs (i, j uniform, j != i), seeded.
 */
export declare function distanceAgreement(a: Float32Array | Float64Array, b: Float32Array | Float64Array, rows: number, dA: number, dB: number, pairs?: number, seed?: number): number;
/** Spearman rank correlation with average ranks for ties. */
export declare function spearman(x: Float64Array, y: Float64Array): number;
//# sourceMappingURL=quality.d.ts.map