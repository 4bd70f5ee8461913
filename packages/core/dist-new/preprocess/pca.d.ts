/** A PCA basis: column means (length m) and the top components as columns (m x p, row-major). */
export interface PcaBasis {
    samples: number;
    components: number;
    mean: Float64Array;
    basis: Float32Array;
}
/**
 * One PCA over all rows (docs/algorithm.md §2.2): centre each column over all rows, take the top `nPca`
 * eigenvectors of the m x m column covariance. Exact, unlike the reference's randomized PCA;
 * pairwise distances only depend on the spanned subspace.
 *
 * Two ways to form XᵀX, named by how: fitPca through one tfjs product (float32, for a whole
 * trace), fitPcaFloat64 in plain Float64 loops (synchronous, for the few rows of the live
 * engine's first slice).
 */
export declare function fitPca(z: Float32Array, rows: number, samples: number, nPca: number): Promise<PcaBasis>;
/** fitPca with XᵀX in Float64 loops. */
export declare function fitPcaFloat64(z: Float32Array, rows: number, samples: number, nPca: number): PcaBasis;
/** Projects rows (rows x m) onto a fitted basis through one tfjs product: rows x p, float32. */
export declare function projectPca(z: Float32Array, rows: number, pca: PcaBasis): Promise<Float32Array>;
/** projectPca in Float64 loops (one slice). */
export declare function projectPcaFloat64(z: Float32Array, rows: number, pca: PcaBasis): Float32Array;
//# sourceMappingURL=pca.d.ts.map