/** C = A·B (or A·Bᵀ with transposeB): a is m x k row-major; b is k x n, or n x k when transposeB. */
export declare function matMul(a: Float32Array | Float64Array, b: Float32Array | Float64Array, m: number, k: number, n: number, opts?: {
    transposeB?: boolean;
}): Promise<Float32Array>;
/**
 * A matrix kept on the tfjs backend across many products (subspace iterations, Lanczos), so it is
 * uploaded once. Call dispose() when done.
 */
export declare class ResidentMatrix {
    private tensor;
    readonly rows: number;
    readonly cols: number;
    private constructor();
    static create(a: Float32Array | Float64Array, rows: number, cols: number): Promise<ResidentMatrix>;
    /** X·A for X of shape b x rows (row-major); returns b x cols. */
    leftMul(x: Float32Array | Float64Array, b: number): Promise<Float32Array>;
    dispose(): void;
}
//# sourceMappingURL=matmul.d.ts.map