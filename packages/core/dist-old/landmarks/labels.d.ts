import type { MultisliceKernel } from '../graph/multislice.js';
/** Landmark clustering (docs/algorithm.md §6.1-6.3): labels of every point and the effective landmark count. */
export declare function landmarkLabels(kernel: MultisliceKernel, landmarks: number, nSvd: number, seed: number): Promise<{
    labels: Int32Array;
    clusters: number;
}>;
//# sourceMappingURL=labels.d.ts.map