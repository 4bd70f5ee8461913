/**
 * The dense diffusion operator handed from the graph stages to the embedding stages.
 *
 * Q = diag(1 / sqrtDegree) · symmetric · diag(sqrtDegree) is row-stochastic (M x M).
 * Without landmarks Q = D^-1 K (M = N); with landmarks Q = P_LN · P_NL (M = landmarks),
 * and `symmetric` = D_L^-1/2 (M D_N^-1 M^T) D_L^-1/2. Keeping the symmetric conjugate lets
 * spectra be taken with a symmetric eigensolver (see docs/mphate.md).
 */
export interface DiffusionOperator {
    /** M, the number of rows. */
    size: number;
    /** The symmetric conjugate S, M x M, row-major. */
    symmetric: Float64Array;
    /** sqrt of the degrees, length M. */
    sqrtDegree: Float64Array;
}
//# sourceMappingURL=operator.d.ts.map