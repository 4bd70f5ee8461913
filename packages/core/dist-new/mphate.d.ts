import type { Embedding } from './embedding.js';
import { type MultisliceKernel } from './multislice.js';
import type { MphateOptions, ResolvedOptions } from './options.js';
import { PhaseClock } from './stages.js';
import type { Trace } from './trace.js';
/** The multislice kernel of a trace and the interslice parameters used to build it. */
export interface MultisliceGraph {
    kernel: MultisliceKernel;
    /** The interslice bandwidth epsilon (0 when there is a single slice). */
    epsilon: number;
    /** The interslice k actually used. */
    intersliceKnn: number;
}
/** Power iterations of the landmark randomized SVD (sklearn uses 7; see docs/mphate.md). */
export declare const LANDMARK_SVD_POWER_ITERATIONS = 0;
/** Mini-batch k-means steps of 10,000 points (or Lloyd iterations when N <= 10,000). */
export declare const KMEANS_STEPS = 10;
/** Normalise, PCA, intraslice, interslice and the multislice kernel (spec 2-5). */
export declare function multisliceGraph(trace: Trace, o: ResolvedOptions, clock?: PhaseClock): Promise<MultisliceGraph>;
/** Landmark clustering (spec 6.1-6.3): labels of every point and the effective landmark count. */
export declare function landmarkLabels(kernel: MultisliceKernel, landmarks: number, nSvd: number, seed: number, powerIterations?: number, steps?: number): Promise<{
    labels: Int32Array;
    clusters: number;
}>;
/** Batch M-PHATE (spec 1-10): the whole trace in, N x d float32 coordinates out (row epoch * units + unit). */
export declare function fitTransform(trace: Trace, options?: MphateOptions): Promise<Embedding>;
//# sourceMappingURL=mphate.d.ts.map