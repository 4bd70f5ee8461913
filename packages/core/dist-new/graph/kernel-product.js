import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../linalg/backend.js';
import { sharedFloat32 } from '../linalg/shared.js';
import { runOnThreads, threadCount } from '../linalg/thread-pool.js';
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
export class KernelProduct {
    /** T dense n x n intraslice blocks. */
    intra;
    /** n dense T x T interslice blocks, or null with one slice. */
    inter;
    T;
    n;
    /** X and the two partial results, kept for the next product with as many columns. */
    work;
    constructor(k) {
        const T = k.epochs;
        const n = k.units;
        this.T = T;
        this.n = n;
        this.intra = sharedFloat32(T * n * n);
        for (let tau = 0; tau < T; tau++) {
            const b = k.intra[tau];
            const o = tau * n * n;
            for (let i = 0; i < n; i++)
                for (let p = b.rowPtr[i]; p < b.rowPtr[i + 1]; p++)
                    this.intra[o + i * n + b.cols[p]] = b.vals[p];
        }
        this.inter = k.inter ? sharedFloat32(k.inter.length) : null;
        this.inter?.set(k.inter);
    }
    /** diag(left) · K · diag(right) · X for X (N x c); `left`/`right` (length N) may be omitted. */
    async apply(x, c, left, right) {
        const { T, n } = this;
        const N = T * n;
        if (this.work?.c !== c)
            this.work = {
                c,
                x: sharedFloat32(N * c),
                intra: sharedFloat32(N * c),
                inter: this.inter ? sharedFloat32(N * c) : null,
            };
        const { x: xs, intra: outIntra, inter: outInter } = this.work;
        if (right)
            for (let a = 0; a < N; a++) {
                const r = right[a];
                for (let j = 0; j < c; j++)
                    xs[a * c + j] = x[a * c + j] * r;
            }
        else
            xs.set(x);
        const parts = Math.max(1, Math.min(await threadCount(), T, n));
        const tasks = [];
        for (let p = 0; p < parts; p++)
            tasks.push({
                T,
                n,
                c,
                intra: this.intra,
                inter: this.inter,
                x: xs,
                outIntra,
                outInter,
                slices: [Math.floor((p * T) / parts), Math.floor(((p + 1) * T) / parts)],
                units: [Math.floor((p * n) / parts), Math.floor(((p + 1) * n) / parts)],
            });
        await runOnThreads('kernelBlocks', tasks, kernelBlocks);
        const out = new Float32Array(N * c);
        for (let q = 0; q < out.length; q++)
            out[q] = outIntra[q] + (outInter ? outInter[q] : 0);
        if (left)
            for (let a = 0; a < N; a++) {
                const l = left[a];
                for (let j = 0; j < c; j++)
                    out[a * c + j] *= l;
            }
        return out;
    }
    /** Drops the work buffers (the blocks are plain shared arrays, collected with the product). */
    dispose() {
        this.work = undefined;
    }
}
export async function kernelBlocks(a) {
    await initBackend();
    const { T, n, c, x } = a;
    for (let tau = a.slices[0]; tau < a.slices[1]; tau++) {
        const y = product(a.intra.subarray(tau * n * n, (tau + 1) * n * n), x.subarray(tau * n * c, (tau + 1) * n * c), n, c);
        a.outIntra.set(y, tau * n * c);
    }
    if (a.inter && a.outInter) {
        const rows = new Float32Array(T * c);
        for (let i = a.units[0]; i < a.units[1]; i++) {
            for (let tau = 0; tau < T; tau++)
                rows.set(x.subarray((tau * n + i) * c, (tau * n + i + 1) * c), tau * c);
            const y = product(a.inter.subarray(i * T * T, (i + 1) * T * T), rows, T, c);
            for (let tau = 0; tau < T; tau++)
                a.outInter.set(y.subarray(tau * c, (tau + 1) * c), (tau * n + i) * c);
        }
    }
    return true;
}
/** block (rows x rows) · x (rows x c) on the tfjs backend. */
function product(block, x, rows, c) {
    const y = tf.tidy(() => tf.matMul(tf.tensor2d(block, [rows, rows]), tf.tensor2d(x, [rows, c])));
    const data = y.dataSync();
    y.dispose();
    return data;
}
//# sourceMappingURL=kernel-product.js.map