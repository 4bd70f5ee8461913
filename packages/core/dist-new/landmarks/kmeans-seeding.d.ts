import type { Random } from '../linalg/random.js';
/** The seeding's state, shared by its two halves (SharedArrayBuffer-backed in Node). */
export interface SeedingHalfArgs {
    /** S x dim: the sampled rows. */
    pts: Float32Array;
    /** S: their squared norms. */
    norms: Float64Array;
    /** S: each row's D² to its nearest centre so far. */
    closest: Float64Array;
    /** S: running sums of `closest`, restarted at each half. */
    cumsum: Float64Array;
    /** trials x dim: this step's candidate rows, and their squared norms. */
    cand: Float32Array;
    candNorm: Float64Array;
    /** 2 x trials: each half's total D² were each candidate added. */
    pots: Float64Array;
    /** 2: each half's total D². */
    totals: Float64Array;
    dim: number;
    trials: number;
    half: 0 | 1;
    /** The follower's end of the lockstep channel. */
    ctrl?: Int32Array;
}
/** The second half's loop on a core worker thread (thread-tasks.ts): steps until stopped. */
export declare function seedingFollower(a: SeedingHalfArgs): Promise<number>;
/**
 * Greedy k-means++ seeding over the sampled rows, as sklearn's `_kmeans_plusplus` does: the first
 * centre uniformly, then for each next one 2 + floor(ln L) candidates drawn from the D²
 * distribution, and the candidate that lowers the total D² the most is kept. Plain D² sampling
 * (one draw per centre) strands centres on outliers more often: on the dropout fixture's features
 * at seed 2 its clustering gave an embedding agreeing with the reference at 0.969, where
 * sklearn's clusterings of the same features give 0.993-0.995 (docs/mphate.md).
 *
 * The sample is split in two halves, each on a backend with its share of the D² sums: one on the
 * calling thread, one on a core worker thread beside it, in lockstep (linalg/lockstep.ts), so each
 * step's products (trials x dim by dim x S/2) and sums run on both cores. Without a worker both
 * halves run here, the same way: the centres are the same bits for any thread count. Returns
 * L x dim centres.
 */
export declare function kmeansPlusPlus(x: Float32Array, dim: number, sample: Int32Array, L: number, rnd: Random, 
/** Both halves on the calling thread even where a worker is free (tests). */
alone?: boolean): Promise<Float32Array>;
//# sourceMappingURL=kmeans-seeding.d.ts.map