/**
 * rows x cols -> cols x rows (row-major), blocked for cache locality; with `rowScale`, row i is
 * multiplied by rowScale[i] on the way (Xᵀ·diag(s) in one pass). The result is float32 unless
 * `out` is given (values are rounded into its type).
 */
export declare function transpose<T extends Float32Array | Float64Array = Float32Array>(x: ArrayLike<number>, rows: number, cols: number, o?: {
    out?: T;
    rowScale?: ArrayLike<number>;
}): T;
//# sourceMappingURL=transpose.d.ts.map