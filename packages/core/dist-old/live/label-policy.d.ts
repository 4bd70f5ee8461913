import type { MultisliceKernel } from '../graph/multislice.js';
/**
 * Labels the points of slice s (every earlier slice labelled): each joins the cluster holding most
 * of its interslice kernel mass among its unit's earlier points, else its unit's cluster at the
 * previous slice. (Its intraslice neighbours are new points, unlabelled; counting their first
 * labels in a second round changed no label on the fixtures: a unit's own past outweighs them.)
 * Unit i's weight to earlier slice u is `weightsOf(i)[at + u]`.
 */
export declare function labelSlice(s: number, n: number, labels: Int32Array, weightsOf: (unit: number) => Float32Array, at: number): void;
/** Labels for the points of `k` beyond `old` (whole slices added since), slice by slice (labelSlice). */
export declare function extendLabels(k: MultisliceKernel, old: Int32Array): Int32Array;
//# sourceMappingURL=label-policy.d.ts.map