/**
 * Large symmetric spectra with the products on tfjs (float32) and the small dense work in Float64:
 *
 * - blockKrylovEigen: leading eigenpairs by randomized block Krylov (Musco & Musco 2015): the
 *   basis [Y, AY, A²Y, ...] of a random block, orthonormalised block by block, then one
 *   Rayleigh-Ritz step. Converges far faster per product than plain subspace iteration.
 * - lanczosQuadrature: stochastic Lanczos quadrature (Ubaru, Chen & Saad 2017) of the spectrum
 *   of A restricted to the orthogonal complement of given vectors: nodes and weights such that
 *   Σ w f(θ) ≈ Σ f(λ) over the eigenvalues of that restriction.
 *
 * Vectors are stored as ROWS (count x n, row-major) throughout.
 */
import { type ResidentMatrix } from './matmul.js';
import type { Random } from './random.js';
export interface EigenRows {
    /** Eigenvalues, descending. */
    values: Float64Array;
    /** count x n; row j is the unit eigenvector of values[j]. */
    vectors: Float64Array;
    /** ||A v - λ v|| per pair. */
    residuals: Float64Array;
}
/** Leading `k` eigenpairs (largest algebraic) of the symmetric n x n matrix held in `a`. */
export declare function blockKrylovEigen(a: ResidentMatrix, k: number, o: {
    random: Random;
    block?: number;
    steps?: number;
    order?: 'value' | 'magnitude';
}): Promise<EigenRows>;
export interface Quadrature {
    nodes: Float64Array;
    /** Weights, summing to the dimension of the complement (n - deflated rows). */
    weights: Float64Array;
}
/**
 * Stochastic Lanczos quadrature of A on the orthogonal complement of the rows of `deflate`
 * (count x n, orthonormal). `probes` Rademacher vectors, `steps` Lanczos steps each (full
 * reorthogonalisation), all probes advanced together so each step is one product.
 */
export declare function lanczosQuadrature(a: ResidentMatrix, deflate: Float64Array, deflateCount: number, o: {
    random: Random;
    probes?: number;
    steps?: number;
}): Promise<Quadrature>;
//# sourceMappingURL=krylov.d.ts.map