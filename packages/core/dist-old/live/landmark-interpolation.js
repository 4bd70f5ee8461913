/**
 * Y_all = P_NL · Y_L for the live landmark operator: each point at the kernel-mass-weighted
 * mean of its landmarks' coordinates, read slice by slice (intraslice part) and unit by unit
 * (interslice part) from the operator's block form.
 */
export function interpolateLive(k, y, d) {
    const n = k.units;
    const T = k.epochs;
    const cap = k.weights.capacity;
    const labels = k.labels;
    const out = new Float64Array(T * n * d);
    // the coordinates of the landmark of every point of one slice (intraslice part) or of one
    // unit (interslice part), gathered once so the inner loops read a small dense array
    const yl = new Float64Array(Math.max(n, T) * 3);
    for (let tau = 0; tau < T; tau++) {
        const labs = k.sliceLabels[tau];
        const e = k.sliceRows[tau];
        const lt = labs.length;
        for (let x = 0; x < lt; x++)
            for (let k = 0; k < d; k++)
                yl[x * 3 + k] = y[labs[x] * d + k];
        for (let i = 0; i < n; i++) {
            // d is 2 or 3: one pass over the row with three accumulators
            let a0 = 0;
            let a1 = 0;
            let a2 = 0;
            for (let x = 0, o = i * lt; x < lt; x++) {
                const v = e[o + x];
                a0 += v * yl[x * 3];
                a1 += v * yl[x * 3 + 1];
                a2 += v * yl[x * 3 + 2];
            }
            const o = (tau * n + i) * d;
            out[o] = a0;
            out[o + 1] = a1;
            if (d === 3)
                out[o + 2] = a2;
        }
    }
    for (let i = 0; i < n; i++) {
        for (let u = 0; u < T; u++)
            for (let k = 0; k < d; k++)
                yl[u * 3 + k] = y[labels[u * n + i] * d + k];
        const w = k.weights.of(i);
        for (let tau = 0; tau < T; tau++) {
            const row = tau * cap;
            let a0 = 0;
            let a1 = 0;
            let a2 = 0;
            if (d === 2)
                for (let u = 0; u < T; u++) {
                    const v = w[row + u];
                    a0 += v * yl[u * 3];
                    a1 += v * yl[u * 3 + 1];
                }
            else
                for (let u = 0; u < T; u++) {
                    const v = w[row + u];
                    a0 += v * yl[u * 3];
                    a1 += v * yl[u * 3 + 1];
                    a2 += v * yl[u * 3 + 2];
                }
            const o = (tau * n + i) * d;
            const inv = 1 / k.degree[tau * n + i];
            out[o] = (out[o] + a0) * inv;
            out[o + 1] = (out[o + 1] + a1) * inv;
            if (d === 3)
                out[o + 2] = (out[o + 2] + a2) * inv;
        }
    }
    return out;
}
//# sourceMappingURL=landmark-interpolation.js.map