/**
 * Elementwise potential of Q^t: gamma 1 -> -ln(x + 1e-7); -1 -> x; else x^c / c with
 * c = (1 - gamma)/2. `gamma` comes from resolveOptions (in [-1, 1], (0.99, 1) already coerced).
 * `out` may be qt itself (each entry is read before it is written).
 */
export declare function potential(qt: Float64Array, g: number, out?: Float64Array): Float64Array;
/**
 * The M x M Euclidean distances between the rows of u (M x M), in Float64 (graph/distances.ts):
 * pairs with d² below `exactBelow` (default 1e-5) times the largest squared row norm are
 * recomputed exactly (measured in docs/mphate.md).
 */
export declare function rowDistances(u: Float64Array, m: number, cols: number, o?: {
    exactBelow?: number;
}): Promise<Float64Array>;
//# sourceMappingURL=potential.d.ts.map