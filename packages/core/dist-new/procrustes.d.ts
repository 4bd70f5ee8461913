/** SVD of a d x d matrix c (row-major): c = U·diag(s)·Vᵀ, s descending. */
export declare function smallSvd(c: Float64Array, d: number): {
    u: Float64Array;
    s: Float64Array;
    v: Float64Array;
};
/**
 * Aligns `moving` onto `reference` (both rows x d) by translation, rotation or reflection and a
 * uniform scale (least squares); returns the aligned copy. Used to keep a live frame in place.
 */
export declare function alignTo(reference: Float64Array, moving: Float64Array, rows: number, d: number): Float64Array;
/**
 * scipy.spatial.procrustes as PHATE uses it after metric MDS (spec 9.3): both centred and scaled
 * to unit Frobenius norm; AᵀB = UΣVᵀ, R = UVᵀ, s = trace Σ; returns B·Rᵀ·s and the disparity.
 */
export declare function procrustes(reference: Float64Array, moving: Float64Array, rows: number, d: number): {
    aligned: Float64Array;
    disparity: number;
};
//# sourceMappingURL=procrustes.d.ts.map