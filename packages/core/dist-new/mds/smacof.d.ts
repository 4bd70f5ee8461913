/**
 * Metric SMACOF with scikit-learn's semantics (sklearn.manifold.smacof, metric=True, n_init=1,
 * 0.2x-1.3 behaviour; spec 9.2): stress over the full matrix before the update, zero distances
 * become 1e-5, Guttman transform X <- B·X / M, stop from the second iteration on when
 * prev - stress/s < eps with s = Σ_a |X_a| of the updated configuration.
 */
export declare function smacof(dist: Float64Array, m: number, init: Float64Array, d: number, o?: {
    maxIter?: number;
    eps?: number;
    onIteration?: (it: number, max: number) => void;
}): {
    coordinates: Float64Array;
    stress: number;
    iterations: number;
};
//# sourceMappingURL=smacof.d.ts.map