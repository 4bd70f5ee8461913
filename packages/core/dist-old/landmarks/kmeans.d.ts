import type { Random } from '../linalg/random.js';
export interface KMeansOptions {
    clusters: number;
    random: Random;
    /** Points seeded by k-means++ (sklearn MiniBatchKMeans: init_size = 3 x clusters). */
    initSize?: number;
    /** Mini-batch size (graphtools: 10,000; at most the number of points). */
    batchSize?: number;
    /** Mini-batch steps (default MINI_BATCH_STEPS). */
    steps?: number;
}
export interface KMeansResult {
    /** Cluster of every point, compacted to 0..clusters-1 in label order (empty clusters removed). */
    labels: Int32Array;
    clusters: number;
}
/**
 * k-means of the rows of x (rows x dim) into `clusters` groups as sklearn's MiniBatchKMeans runs
 * for graphtools (docs/algorithm.md §6.3): k-means++ seeding on a random subsample, then
 * mini-batch steps of `batchSize` points drawn with replacement, each centre moving to the running
 * mean of every point it was given, and centres that few points reach moved onto random points of
 * the batch (while any centre has none, and every 10 x clusters points); then one assignment of
 * every point. The reassignment is what spreads the centres over the dense regions: without it,
 * D² seeding leaves ~480 singleton clusters and clusters of up to 140 points on the dropout
 * fixture (sklearn: ~150 and ~36), and the embedding departs (docs/mphate.md). Distances go
 * through tfjs matMul (float32): only the argmin is used.
 */
export declare function kmeans(x: Float32Array | Float64Array, rows: number, dim: number, o: KMeansOptions): Promise<KMeansResult>;
/** One thread's share of an assignment (thread-tasks.ts). */
export interface NearestCentresArgs {
    x: Float32Array;
    dim: number;
    idx: Int32Array;
    centres: Float32Array;
    L: number;
}
/**
 * Nearest centre of each listed row: argmin ||c||^2 - 2 x.c in float32, on the backend (only the
 * argmin comes back, not the rows x L products).
 */
export declare function nearestCentres(a: NearestCentresArgs): Promise<Int32Array>;
/** Renumbers labels 0..L'-1 in label order, dropping clusters no point chose. */
export declare function compact(labels: Int32Array, L: number): KMeansResult;
//# sourceMappingURL=kmeans.d.ts.map