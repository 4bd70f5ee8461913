/**
 * Metric MDS by stochastic gradient descent, as s_gd2.mds_direct runs for PHATE (docs/algorithm.md §9.2):
 * weights 1, step sizes η_s = exp(-λ s) from 1 down to 0.01 over the sweeps, every sweep a
 * Fisher-Yates shuffle of all M(M-1)/2 pairs (our seeded Random), then for each pair
 * μ = min(η, 1), v = X_a - X_b, r = μ(|v| - D_ab)/(2|v|), X_a -= r v, X_b += r v.
 *
 * Each pair is one 8-byte record, (a << 16 | b) then its distance as float32, in one buffer, and
 * each sweep streams it once. A plain Fisher-Yates over 8 M records (M = 4000) is bound by
 * memory latency (~1 s per sweep here), so the uniform permutation is drawn by the Rao-Sandelius
 * method instead: scatter every record to one of 512 random buckets, then Fisher-Yates inside
 * each (cache-resident) bucket. The result is still an exactly uniform random permutation of
 * all pairs, as the reference's shuffle is; ~3x faster. Returns undefined when coincident points make the
 * update NaN (the caller then falls back to SMACOF, as PHATE does).
 */
import { Random } from '../../linalg/random.js';
export declare function sgdMds(dist: Float64Array, m: number, init: Float64Array, d: number, random: Random, o?: {
    sweeps?: number;
    /**
     * false: draw the uniform permutation once, then each later sweep visits its 512 buckets in
     * a fresh random order (a warm start's few sweeps; the full shuffle is most of a sweep's cost).
     */
    reshuffle?: boolean;
    onSweep?: (done: number, total: number) => void;
}): Float64Array | undefined;
/** One SGD run with its own seed, as a thread task (thread-tasks.ts): the layout and its stress. */
export interface SgdRunArgs {
    dist: Float64Array;
    m: number;
    init: Float64Array;
    d: number;
    seed: number;
    sweeps?: number | undefined;
}
export declare function sgdRun(a: SgdRunArgs, onSweep?: (done: number, total: number) => void): {
    coordinates: Float64Array;
    stress: number;
} | null;
/**
 * The lowest-stress layout of `runs` SGD runs from the same start, each with its own seed drawn
 * from `random`, run side by side on core's threads (docs/mphate.md, MDS: a deviation from
 * s_gd2's single run). On real traces one run in ~12 ends in a local minimum with a part of the
 * picture folded over (stress 6 % higher, agreement with the reference 0.95 instead of 0.99);
 * the lower of two is that unlucky only when both are. Undefined when a run met NaN.
 */
export declare function sgdMdsBest(dist: Float64Array, m: number, init: Float64Array, d: number, random: Random, o: {
    runs: number;
    sweeps?: number;
    onSweep?: (done: number, total: number) => void;
}): Promise<Float64Array | undefined>;
/** Normalised stress of a layout: Σ (|x_a - x_b| - D_ab)² / Σ D_ab² over the pairs a < b. */
export declare function layoutStress(dist: Float64Array, m: number, x: Float64Array, d: number): number;
//# sourceMappingURL=sgd.d.ts.map