/**
 * Exact symmetric eigendecomposition in Float64: Householder tridiagonalisation followed by the
 * implicit QL algorithm (the EISPACK tred2/tql2 pair, as in JAMA). O(n^3): meant for n up to a
 * few hundred (Rayleigh-Ritz blocks, PCA, small SVDs, the exact spectra of small operators);
 * large ones go through block Krylov (krylov.ts).
 */
export interface SymmetricEigen {
    /** Eigenvalues, descending. */
    values: Float64Array;
    /** Eigenvectors as the columns of a row-major n x n matrix (column j pairs with values[j]). */
    vectors: Float64Array;
}
/** All eigenpairs of the symmetric n x n row-major matrix `a` (only its lower triangle is read). */
export declare function symmetricEigen(a: Float64Array | Float32Array, n: number): SymmetricEigen;
//# sourceMappingURL=eigen.d.ts.map