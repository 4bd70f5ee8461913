/**
 * A similarity map of rows: y = scale · (x - from) · rotation + to (rotation d x d, row-major,
 * orthogonal, possibly a reflection).
 */
export interface Similarity {
    d: number;
    from: Float64Array;
    rotation: Float64Array;
    scale: number;
    to: Float64Array;
}
/** Applies a similarity to `rows` rows of x (rows x d). */
export declare function applySimilarity(map: Similarity, x: Float64Array, rows: number): Float64Array;
/**
 * The similarity (translation, rotation or reflection, uniform scale) taking `moving` closest to
 * `reference` (both rows x d) in least squares, and `moving` mapped by it. The live engine fits
 * it on the points two frames share and applies it to every point of the new frame.
 */
export declare function alignTo(reference: Float64Array, moving: Float64Array, rows: number, d: number): {
    aligned: Float64Array;
    map: Similarity;
};
/**
 * scipy.spatial.procrustes as PHATE uses it after metric MDS (docs/algorithm.md §9.3): both centred and scaled
 * to unit Frobenius norm; AᵀB = UΣVᵀ, R = UVᵀ, s = trace Σ; returns B·Rᵀ·s and the disparity.
 */
export declare function procrustes(reference: Float64Array, moving: Float64Array, rows: number, d: number): {
    aligned: Float64Array;
    disparity: number;
};
//# sourceMappingURL=procrustes.d.ts.map