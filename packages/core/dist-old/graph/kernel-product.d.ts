import type { MultisliceKernel } from './multislice.js';
/**
 * Products K·X for dense X (N x c, row-major float32) through tfjs matMul, using the block form
 * of K: the intraslice part is one dense n x n block per slice times that slice's rows of X;
 * the interslice part is one dense T x T block per unit times that unit's rows of X. Each is a
 * dense product at matMul speed, where a general sparse product would stream X from memory once
 * per slice (random-walk kernels have ~n entries per row). The rows of X are cut and reassembled
 * in JavaScript (tfjs-wasm's split/batched matMul measured 10x slower than this). Float32 is
 * enough where these serve: the landmark spectral features only feed k-means.
 *
 * The blocks are independent, so each product is split over core's threads
 * (linalg/thread-pool.ts): thread p takes a range of slices and a range of units. The blocks, X
 * and the two partial results live in SharedArrayBuffers, read and written in place.
 */
export declare class KernelProduct {
    /** T dense n x n intraslice blocks. */
    private readonly intra;
    /** n dense T x T interslice blocks, or null with one slice. */
    private readonly inter;
    private readonly T;
    private readonly n;
    /** X and the two partial results, kept for the next product with as many columns. */
    private work;
    constructor(k: MultisliceKernel);
    /** diag(left) · K · diag(right) · X for X (N x c); `left`/`right` (length N) may be omitted. */
    apply(x: Float32Array, c: number, left?: Float32Array, right?: Float32Array): Promise<Float32Array>;
    /** Drops the work buffers (the blocks are plain shared arrays, collected with the product). */
    dispose(): void;
}
/** One thread's share of a product K·X (thread-tasks.ts): its slices' and its units' blocks. */
export interface KernelBlocksArgs {
    T: number;
    n: number;
    c: number;
    intra: Float32Array;
    inter: Float32Array | null;
    x: Float32Array;
    /** Receives the intraslice part of the rows of `slices`. */
    outIntra: Float32Array;
    /** Receives the interslice part of the rows of `units` (every slice). */
    outInter: Float32Array | null;
    slices: [number, number];
    units: [number, number];
}
export declare function kernelBlocks(a: KernelBlocksArgs): Promise<true>;
//# sourceMappingURL=kernel-product.d.ts.map