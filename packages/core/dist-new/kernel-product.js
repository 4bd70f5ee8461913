import * as tf from '@tensorflow/tfjs-core';
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
export class KernelProduct {
    intra = [];
    inter = [];
    T;
    n;
    constructor(k) {
        const T = k.epochs;
        const n = k.units;
        this.T = T;
        this.n = n;
        const dense = new Float32Array(n * n);
        for (let tau = 0; tau < T; tau++) {
            const b = k.intra[tau];
            dense.fill(0);
            for (let i = 0; i < n; i++)
                for (let p = b.rowPtr[i]; p < b.rowPtr[i + 1]; p++)
                    dense[i * n + b.cols[p]] = b.vals[p];
            this.intra.push(tf.tensor2d(dense, [n, n]));
        }
        if (k.inter)
            for (let i = 0; i < n; i++)
                this.inter.push(tf.tensor2d(k.inter.subarray(i * T * T, (i + 1) * T * T), [T, T]));
    }
    /** diag(left) · K · diag(right) · X for X (N x c); `left`/`right` (length N) may be omitted. */
    apply(x, c, left, right) {
        const { T, n } = this;
        const N = T * n;
        let xs = x;
        if (right) {
            xs = new Float32Array(N * c);
            for (let a = 0; a < N; a++) {
                const r = right[a];
                for (let j = 0; j < c; j++)
                    xs[a * c + j] = x[a * c + j] * r;
            }
        }
        const out = new Float32Array(N * c);
        for (let tau = 0; tau < T; tau++) {
            const block = xs.subarray(tau * n * c, (tau + 1) * n * c);
            out.set(this.product(this.intra[tau], block, n, c), tau * n * c);
        }
        if (this.inter.length > 0) {
            const rows = new Float32Array(T * c);
            for (let i = 0; i < n; i++) {
                for (let tau = 0; tau < T; tau++)
                    rows.set(xs.subarray((tau * n + i) * c, (tau * n + i + 1) * c), tau * c);
                const y = this.product(this.inter[i], rows, T, c);
                for (let tau = 0; tau < T; tau++) {
                    const o = (tau * n + i) * c;
                    for (let j = 0; j < c; j++)
                        out[o + j] += y[tau * c + j];
                }
            }
        }
        if (left)
            for (let a = 0; a < N; a++) {
                const l = left[a];
                for (let j = 0; j < c; j++)
                    out[a * c + j] *= l;
            }
        return out;
    }
    product(block, x, rows, c) {
        const y = tf.tidy(() => tf.matMul(block, tf.tensor2d(x, [rows, c])));
        const data = y.dataSync();
        y.dispose();
        return data;
    }
    dispose() {
        tf.dispose(this.intra);
        tf.dispose(this.inter);
        this.intra = [];
        this.inter = [];
    }
}
//# sourceMappingURL=kernel-product.js.map