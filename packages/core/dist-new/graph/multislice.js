/**
 * The largest distance whose interslice affinity exp(-(d/eps)^2) reaches `thresh`:
 * W >= thresh  <=>  (d/eps)^2 <= -ln(thresh); with thresh 0, what does not underflow.
 */
export function affinityRadius(eps, thresh) {
    return eps * Math.sqrt(thresh > 0 ? -Math.log(thresh) : 745);
}
/** Interslice weights of every unit from its distances and the global bandwidth (docs/algorithm.md §4.4, 5). */
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
//# sourceMappingURL=multislice.js.map