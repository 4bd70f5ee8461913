/**
 * The spread of hidden units in an embedding, as the paper's generalization vignette uses it
 * (Gigante et al. 2019, section 4.2): more heterogeneous units go with better generalization.
 *
 * - `sliceSpread`: per slice, the trace of the covariance of that slice's unit coordinates,
 *   after the whole embedding is centred and scaled to unit root-mean-square (so sessions of
 *   different extent compare).
 * - `histogramEntropy`: the entropy (bits) of a 10 x 10 histogram of all points over their
 *   bounding box, the paper's earlier variant. Maximum log2(100) = 6.64 bits.
 *
 * Pure functions with no imports: the dashboard bundles this module alone
 * (`@mphate/core/heterogeneity`) without tfjs.
 */
export interface EmbeddingShape {
    slices: number;
    units: number;
    /** Components per point (2 or 3); only the first two enter the histogram. */
    dims: number;
}
/** Centres the coordinates and scales them to unit RMS distance from the centre. Returns a new array. */
export declare function normalizeRms(coordinates: Float32Array, dims: number): Float64Array;
/** Per slice: trace of the (population) covariance of its units' RMS-normalised coordinates. */
export declare function sliceSpread(coordinates: Float32Array, shape: EmbeddingShape): Float64Array;
/** Entropy in bits of a `bins` x `bins` histogram of the points' first two coordinates. */
export declare function histogramEntropy(coordinates: Float32Array, dims: number, bins?: number): number;
//# sourceMappingURL=heterogeneity.d.ts.map