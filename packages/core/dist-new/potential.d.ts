/** Elementwise potential of Q^t: gamma 1 -> -ln(x + 1e-7); -1 -> x; else x^c / c with c = (1 - gamma)/2. */
export declare function potential(qt: Float64Array, gamma: number): Float64Array;
/**
 * Full M x M matrix of Euclidean distances between the rows of u (M x M), in Float64.
 *
 * The Gram matrix goes through one tfjs product (float32); d² = |a|² + |b|² - 2 a·b then loses
 * digits to cancellation for close rows, so every pair with d² below `exactBelow` times the
 * largest squared row norm is recomputed exactly in Float64 (measured in docs/mphate.md).
 */
export declare function rowDistances(u: Float64Array, m: number, cols: number, o?: {
    exactBelow?: number;
}): Promise<Float64Array>;
//# sourceMappingURL=potential.d.ts.map