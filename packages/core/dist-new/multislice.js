/**
 * The largest distance whose interslice affinity exp(-(d/eps)^2) reaches `thresh`:
 * W >= thresh  <=>  (d/eps)^2 <= -ln(thresh); with thresh 0, what does not underflow.
 */
export function affinityRadius(eps, thresh) {
    return eps * Math.sqrt(thresh > 0 ? -Math.log(thresh) : 745);
}
/** Interslice weights of every unit from its distances and the global bandwidth (spec 4.4, 5). */
export function intersliceWeights(d, eps, thresh) {
    const T = d.epochs;
    const n = d.units;
    const w = new Float32Array(n * T * T);
    const dMax = affinityRadius(eps, thresh);
    const inv = 1 / eps;
    const row = new Float64Array(T);
    for (let i = 0; i < n; i++)
        for (let tau = 0; tau < T; tau++) {
            d.row(i, tau, row);
            const o = (i * T + tau) * T;
            for (let u = 0; u < T; u++) {
                const dist = row[u];
                if (u !== tau && dist <= dMax) {
                    const x = dist * inv;
                    w[o + u] = Math.exp(-x * x);
                }
            }
        }
    return w;
}
/** Assembles K from its parts and computes the degrees. */
export function multisliceKernel(blocks, inter) {
    const T = blocks.length;
    const n = blocks[0].units;
    const degree = new Float64Array(T * n);
    for (let tau = 0; tau < T; tau++) {
        const b = blocks[tau];
        for (let i = 0; i < n; i++) {
            let s = 0;
            for (let p = b.rowPtr[i]; p < b.rowPtr[i + 1]; p++)
                s += b.vals[p];
            if (inter) {
                const o = (i * T + tau) * T;
                for (let u = 0; u < T; u++)
                    s += inter[o + u];
            }
            degree[tau * n + i] = s;
        }
    }
    return { epochs: T, units: n, intra: blocks, inter: T > 1 ? inter : null, degree };
}
/**
 * Calls `visit(column, value)` for every non-zero of row a = tau * n + i, columns ascending.
 * The hot loops inline this; it serves tests and small conversions.
 */
export function forEachInRow(k, a, visit) {
    const n = k.units;
    const T = k.epochs;
    const tau = Math.floor(a / n);
    const i = a % n;
    const o = (i * T + tau) * T;
    if (k.inter)
        for (let u = 0; u < tau; u++)
            if (k.inter[o + u] > 0)
                visit(u * n + i, k.inter[o + u]);
    const b = k.intra[tau];
    for (let p = b.rowPtr[i]; p < b.rowPtr[i + 1]; p++)
        visit(tau * n + b.cols[p], b.vals[p]);
    if (k.inter)
        for (let u = tau + 1; u < T; u++)
            if (k.inter[o + u] > 0)
                visit(u * n + i, k.inter[o + u]);
}
/** K as a general CSR matrix (sorted columns). Only for small N: tests, exports, comparisons. */
export function toCsr(k) {
    const N = k.epochs * k.units;
    const rowPtr = new Int32Array(N + 1);
    const cols = [];
    const vals = [];
    for (let a = 0; a < N; a++) {
        forEachInRow(k, a, (c, v) => {
            cols.push(c);
            vals.push(v);
        });
        rowPtr[a + 1] = cols.length;
    }
    return { rows: N, rowPtr, cols: Int32Array.from(cols), vals: Float64Array.from(vals) };
}
//# sourceMappingURL=multislice.js.map