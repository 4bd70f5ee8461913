import type { MultisliceKernel } from './multislice.js';
/**
 * Products K·X for dense X (N x c, row-major float32) through tfjs matMul, using the block form
 * of K: the intraslice part is one dense n x n block per slice times that slice's rows of X;
 * the interslice part is one dense T x T block per unit times that unit's rows of X. Each is a
 * dense product at matMul speed, where a general sparse product would stream X from memory once
 * per slice (random-walk kernels have ~n entries per row). The blocks stay on the backend; the
 * rows of X are cut and reassembled in JavaScript (tfjs-wasm's split/batched matMul measured
 * 10x slower than this). Float32 is enough where these serve: the landmark spectral features
 * only feed k-means.
 */
export declare class KernelProduct {
    private intra;
    private inter;
    private readonly T;
    private readonly n;
    constructor(k: MultisliceKernel);
    /** diag(left) · K · diag(right) · X for X (N x c); `left`/`right` (length N) may be omitted. */
    apply(x: Float32Array, c: number, left?: Float32Array, right?: Float32Array): Float32Array;
    private product;
    dispose(): void;
}
//# sourceMappingURL=kernel-product.d.ts.map