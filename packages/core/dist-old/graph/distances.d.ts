/**
 * Which Gram-trick squared distances are recomputed exactly (in Float64, from the rows): those
 * below `below` times |a|² + |b|² of their own pair ('pair'), or times the largest squared row
 * norm ('largest').
 */
export interface ExactRule {
    below: number;
    relativeTo: 'pair' | 'largest';
}
/**
 * Graph distances of z-scored rows: bandwidths and affinities need d to ~1e-6 relative, which
 * float32 Gram entries give; duplicates and dead units stay exactly 0.
 */
export declare const GRAPH_EXACT: ExactRule;
/**
 * The rows x rows Euclidean distances between the rows of x (rows x cols, row-major), in Float64.
 *
 * The Gram matrix goes through tfjs products (float32) with the norms in Float64; d² = |a|² +
 * |b|² - 2 a·b then loses digits to cancellation for close rows, so the pairs `exact` names are
 * recomputed exactly (docs/mphate.md measures both rules). The Gram matrix is symmetric: from
 * 1000 rows only the blocks on and above the diagonal are computed (4 row blocks: 10 of 16
 * products; tfjs-wasm gives each entry the same bits either way).
 */
export declare function gramDistances(x: Float32Array | Float64Array, rows: number, cols: number, exact: ExactRule, 
/** Allocate the result in a SharedArrayBuffer (where there is one), for core's threads. */
o?: {
    shared?: boolean;
}): Promise<Float64Array>;
/** One block of the Gram distances (thread-tasks.ts): rows i x rows j, written into d. */
export interface GramBlockArgs {
    x: Float32Array;
    cols: number;
    norms: Float64Array;
    m: number;
    i: [number, number];
    j: [number, number];
    pair: boolean;
    below: number;
    threshold: number;
    /** m x m result; entries above the diagonal of this block are written, NaN where exact is due. */
    d: Float64Array;
}
export declare function gramBlock(a: GramBlockArgs): Promise<true>;
//# sourceMappingURL=distances.d.ts.map