/**
 * M-PHATE options. Names, ranges, defaults and docs come from the one option table in
 * @mphate/protocol (options/spec.ts); docs/algorithm.md §11 explains the defaults, except
 * `mdsSolver`, which defaults to 'sgd' (what the fixtures' reference used).
 */
import { type LiveOptionValues, type MphateOptionValues } from '@mphate/protocol/options';
/** The batch options (see MPHATE_OPTIONS for each one's range and default) and a progress listener. */
export type MphateOptions = MphateOptionValues & {
    /** Called with each phase's name and the fraction done of that phase (0..1). */
    onProgress?: ProgressListener;
};
/** What the live engine may trade for speed (see LIVE_OPTIONS; docs/mphate.md, "Live mode"). */
export type LiveOptions = LiveOptionValues;
export type IncrementalOptions = MphateOptions & {
    live?: LiveOptions;
};
export interface Progress {
    /** One of PHASES. */
    phase: Phase;
    /** Fraction of this phase done, 0..1. */
    fraction: number;
}
export type ProgressListener = (progress: Progress) => void;
/** Every phase of an embedding, in the order they run. Timings use the same names. */
export declare const PHASES: readonly ["normalize", "pca", "intraslice", "interslice", "kernel", "landmarks", "entropy", "power", "potential", "mds", "interpolate"];
export type Phase = (typeof PHASES)[number];
export type ResolvedOptions = Required<MphateOptionValues> & {
    onProgress?: ProgressListener;
};
export declare const DEFAULT_OPTIONS: Readonly<Required<import("@mphate/protocol/options").OptionValues<{
    readonly nComponents: {
        readonly kind: "choice";
        readonly choices: readonly [2, 3];
        readonly default: 2;
        readonly doc: "embedding dimensions; 3 always uses SMACOF";
    };
    readonly intrasliceKnn: {
        readonly kind: "integer";
        readonly min: 1;
        readonly max: 10000;
        readonly default: 2;
        readonly doc: "k of the intraslice kernel: bandwidth = distance to the k-th nearest other unit";
    };
    readonly intersliceKnn: {
        readonly kind: "integer";
        readonly min: 1;
        readonly max: 10000;
        readonly default: 25;
        readonly doc: "k' of the interslice kernel (clamped to epochs - 1)";
    };
    readonly decay: {
        readonly kind: "number";
        readonly min: 0;
        readonly minOpen: true;
        readonly max: 1000;
        readonly default: 5;
        readonly doc: "alpha of the intraslice kernel exp(-(d/sigma)^alpha)";
    };
    readonly thresh: {
        readonly kind: "number";
        readonly min: 0;
        readonly max: 1;
        readonly maxOpen: true;
        readonly default: 0.0001;
        readonly doc: "affinities below this are dropped";
    };
    readonly nPca: {
        readonly kind: "integer";
        readonly min: 1;
        readonly max: 65536;
        readonly default: 100;
        readonly doc: "PCA components applied to the probe samples when samples > nPca";
    };
    readonly nLandmark: {
        readonly kind: "integer";
        readonly min: 10;
        readonly max: 1000000;
        readonly default: 4000;
        readonly doc: "landmark count when epochs x units exceeds it";
    };
    readonly nSvd: {
        readonly kind: "integer";
        readonly min: 1;
        readonly max: 10000;
        readonly default: 100;
        readonly doc: "spectral components for the landmark clustering";
    };
    readonly t: {
        readonly kind: "integerOrAuto";
        readonly min: 1;
        readonly max: 10000;
        readonly default: "auto";
        readonly doc: "diffusion time, or auto (knee of the von Neumann entropy)";
    };
    readonly gamma: {
        readonly kind: "number";
        readonly min: -1;
        readonly max: 1;
        readonly default: 0;
        readonly doc: "potential: 1 log, 0 square root, -1 raw";
    };
    readonly mdsSolver: {
        readonly kind: "choice";
        readonly choices: readonly ["sgd", "smacof"];
        readonly default: "sgd";
        readonly doc: "metric MDS solver for 2-D (3-D always uses SMACOF)";
    };
    readonly seed: {
        readonly kind: "integer";
        readonly min: 0;
        readonly max: 4294967295;
        readonly default: 42;
        readonly doc: "seed for every random stage (landmark SVD, k-means, MDS)";
    };
}>>>;
export declare const LIVE_DEFAULTS: Readonly<Required<import("@mphate/protocol/options").OptionValues<{
    readonly nLandmark: {
        readonly kind: "integer";
        readonly min: 10;
        readonly max: 1000000;
        readonly default: 1000;
        readonly doc: "landmark count of the live engine once epochs x units exceeds it";
    };
    readonly sweeps: {
        readonly kind: "integer";
        readonly min: 1;
        readonly max: 1000;
        readonly default: 10;
        readonly doc: "SGD sweeps of a warm-started frame (a cold frame uses the reference 30)";
    };
    readonly reclusterGrowth: {
        readonly kind: "number";
        readonly min: 1;
        readonly minOpen: true;
        readonly max: 100;
        readonly default: 1.25;
        readonly doc: "re-cluster the landmarks once the point count has grown by this factor";
    };
    readonly warmStart: {
        readonly kind: "boolean";
        readonly default: true;
        readonly doc: "start MDS from the previous frame (else from classic MDS every frame)";
    };
    readonly epsilonTolerance: {
        readonly kind: "number";
        readonly min: 0;
        readonly max: 1;
        readonly default: 0.02;
        readonly doc: "an era ends when the batch epsilon has moved by more than this (relative)";
    };
    readonly degreeTolerance: {
        readonly kind: "number";
        readonly min: 0;
        readonly max: 1;
        readonly default: 0.05;
        readonly doc: "a slice's landmark terms are recomputed once its degrees drift by more than this";
    };
}>>>;
//# sourceMappingURL=options.d.ts.map