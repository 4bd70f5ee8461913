/**
 * The value at 0-based position `k` of `a[0..len)` sorted ascending (numpy.partition's kth),
 * found in place by quickselect (Hoare partition, median-of-three pivot). Reorders `a`.
 */
export declare function kthSmallest(a: Float64Array, len: number, k: number): number;
/** Median of a[0..len) (mean of the two middle values when len is even), numpy semantics. Reorders `a`. */
export declare function median(a: Float64Array, len: number): number;
//# sourceMappingURL=select.d.ts.map