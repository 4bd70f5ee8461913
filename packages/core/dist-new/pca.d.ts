/** A PCA basis: column means (length m) and the top components as columns (m x p, row-major). */
export interface PcaBasis {
    samples: number;
    components: number;
    mean: Float64Array;
    basis: Float32Array;
}
/**
 * Fits one PCA over all rows (spec 2.2): centre each column over all rows, take the top
 * `nPca` eigenvectors of the m x m column covariance. Exact, unlike the reference's
 * randomized PCA; pairwise distances only depend on the spanned subspace.
 */
export declare function fitPca(z: Float32Array, rows: number, samples: number, nPca: number): Promise<PcaBasis>;
/** Projects rows (rows x m) onto a fitted basis: rows x p, float32. */
export declare function projectPca(z: Float32Array, rows: number, pca: PcaBasis): Promise<Float32Array>;
/** fitPca in plain Float64 loops, for few rows (the live engine's first slice). */
export declare function fitPcaSync(z: Float32Array, rows: number, samples: number, nPca: number): PcaBasis;
/** projectPca in plain loops, for one slice. */
export declare function projectPcaSync(z: Float32Array, rows: number, pca: PcaBasis): Float32Array;
//# sourceMappingURL=pca.d.ts.map