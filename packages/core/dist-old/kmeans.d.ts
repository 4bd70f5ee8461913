import type { Random } from './random.js';
export interface KMeansOptions {
    clusters: number;
    random: Random;
    /** Points seeded by k-means++ (sklearn MiniBatchKMeans: init_size = 3 x clusters). */
    initSize?: number;
    /** Mini-batch size (sklearn: 10,000 in graphtools). With N <= batch, full Lloyd iterations run. */
    batchSize?: number;
    /** Mini-batch steps (large N) or Lloyd iterations (small N). */
    iterations?: number;
}
export interface KMeansResult {
    /** Cluster of every point, compacted to 0..clusters-1 in label order (empty clusters removed). */
    labels: Int32Array;
    clusters: number;
}
/**
 * k-means of the rows of x (rows x dim) into `clusters` groups (spec 6.3): k-means++ seeding
 * on a random subsample, then mini-batch updates (sklearn's per-centre running means), or Lloyd
 * iterations when all points fit in one batch, then one assignment of every point. Distances
 * go through tfjs matMul (float32): only the argmin is used.
 */
export declare function kmeans(x: Float32Array | Float64Array, rows: number, dim: number, o: KMeansOptions): Promise<KMeansResult>;
/** Renumbers labels 0..L'-1 in label order, dropping clusters no point chose. */
export declare function compact(labels: Int32Array, L: number): KMeansResult;
//# sourceMappingURL=kmeans.d.ts.map