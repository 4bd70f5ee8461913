import type { Embedding } from './embedding.js';
import type { MphateOptions } from './options.js';
/** What the live engine may trade for speed (see docs/mphate.md, "Live mode"). */
export interface LiveOptions {
    /** Landmarks used once epochs x units exceeds it. Default 1000. */
    nLandmark?: number;
    /** SGD sweeps of a warm-started frame. Default 10 (a cold frame uses the reference's 30). */
    sweeps?: number;
    /** Re-cluster the landmarks once the point count has grown by this factor. Default 1.25. */
    reclusterGrowth?: number;
    /** Start MDS from the previous frame (true, default) or from classic MDS every frame. */
    warmStart?: boolean;
    /**
     * An era (clusters, epsilon and the landmark operator kept and updated) ends when epsilon, as
     * the batch would compute it now, has moved by more than this (relative) from the era's.
     * Default 0.02 (0.05 cost 0.04 of interslice k = 10 preservation on rw-100x50x25 fed slice by
     * slice; a new era without re-clustering costs ~2 s at T = 100).
     */
    epsilonTolerance?: number;
    /**
     * Within an era, a slice's terms of the landmark operator are recomputed once its
     * points' degrees have drifted by more than this (relative) since they were computed.
     * 0 keeps the operator exact for the era's bandwidth. Default 0.05.
     */
    degreeTolerance?: number;
}
export interface IncrementalOptions extends MphateOptions {
    live?: LiveOptions;
}
export declare const LIVE_DEFAULTS: Readonly<Required<LiveOptions>>;
/**
 * Live M-PHATE: add one slice at a time and re-embed, reusing what did not change. Each slice's
 * z-scored rows and intraslice block are computed once in addSlice, and each unit's distances to
 * the new slice are appended to its T x T matrix. Landmarks are re-clustered when the point count
 * has grown by `live.reclusterGrowth`, which starts an era: epsilon, the interslice weights and
 * the landmark operator are computed afresh. Within an era, epsilon and the clusters are kept
 * (new points join the cluster holding most of their kernel mass) and the landmark operator is
 * updated slice by slice (LiveLandmarks) instead of rebuilt; MDS starts from the
 * previous frame (cluster means of the previous coordinates) with fewer SGD sweeps; each frame is
 * aligned onto the previous one (Procrustes on the points present in both), so the picture grows
 * instead of jumping.
 */
export declare class IncrementalMphate {
    readonly shape: {
        units: number;
        samples: number;
    };
    private readonly o;
    private readonly live;
    private readonly dim;
    private pca;
    private readonly slices;
    private readonly blocks;
    private readonly distances;
    /** The landmark operator's era (null while N <= live.nLandmark). */
    private era;
    private clusteredAt;
    private t;
    private tChosenAt;
    private raw;
    private shown;
    private frame;
    constructor(shape: {
        units: number;
        samples: number;
    }, options?: IncrementalOptions);
    /** Slices added so far. */
    get epochs(): number;
    /** Adds one slice: units x samples float32, unit-major. Throws on bad shape or non-finite values. */
    addSlice(slice: Float32Array): void;
    /** Embeds every slice added so far, aligned to the previous frame. */
    embed(): Promise<Embedding>;
    /**
     * MDS start for this frame from the previous raw coordinates: per landmark cluster, the mean of
     * its members' previous positions (without landmarks, each point's own previous position);
     * points new in this frame start at their unit's previous-slice position. A tiny jitter keeps
     * coincident starts apart (SGD cannot separate coincident points).
     */
    private warmStart;
}
//# sourceMappingURL=incremental.d.ts.map