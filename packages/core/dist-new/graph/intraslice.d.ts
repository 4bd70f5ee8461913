/** One slice's symmetric intraslice kernel block, CSR with local column indices (sorted), diagonal 1. */
export interface IntraBlock {
    units: number;
    rowPtr: Int32Array;
    cols: Int32Array;
    vals: Float64Array;
}
/** The k actually used for n units: graphtools lowers k to n - 2; we keep at least 1 when n >= 2. */
export declare function effectiveIntraKnn(k: number, units: number): number;
/**
 * Intraslice kernel of one slice (docs/algorithm.md §3): `z` holds `units` rows of `dim` values starting at
 * `offset`. Bandwidth sigma_i = the k-th nearest other unit (position k of the sorted row,
 * self at 0), floored; a_ij = exp(-(d_ij / sigma_i)^decay) (NaN -> 1); directed entries below
 * `thresh` dropped; then (A + A^T)/2. Entries of the symmetrised block below `thresh` are
 * dropped too: that is the global threshold of docs/algorithm.md §5, which these entries would meet anyway.
 */
export declare function intrasliceBlock(z: Float32Array, offset: number, units: number, dim: number, knn: number, decay: number, thresh: number, distances?: Float64Array): IntraBlock;
/** The n x n Euclidean distances of the rows z[offset + i*dim ..], exactly in Float64. */
export declare function exactDistances(z: Float32Array, offset: number, n: number, dim: number): Float64Array;
/** Intraslice blocks of every slice of a (normalised, maybe PCA'd) tensor, T x n x dim. */
export declare function intrasliceBlocks(z: Float32Array, epochs: number, units: number, dim: number, knn: number, decay: number, thresh: number, onSlice?: (done: number) => void): Promise<IntraBlock[]>;
//# sourceMappingURL=intraslice.d.ts.map