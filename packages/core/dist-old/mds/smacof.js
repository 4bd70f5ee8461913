/**
 * Metric SMACOF with scikit-learn's semantics (sklearn.manifold.smacof, metric=True, n_init=1,
 * 0.2x-1.3 behaviour; spec 9.2): stress over the full matrix before the update, zero distances
 * become 1e-5, Guttman transform X <- B·X / M, stop from the second iteration on when
 * prev - stress/s < eps with s = Σ_a |X_a| of the updated configuration.
 */
export function smacof(dist, m, init, d, o = {}) {
    if (init.length !== m * d)
        throw new Error(`smacof: init has length ${init.length}, expected ${m * d}`);
    const maxIter = o.maxIter ?? 3000;
    const eps = o.eps ?? 1e-6;
    let x = Float64Array.from(init);
    let next = new Float64Array(m * d);
    const rowSum = new Float64Array(m);
    let prev = 0;
    let stress = 0;
    let it = 0;
    for (it = 0; it < maxIter; it++) {
        // one pass over the pairs: stress, ratios R = D / E, and B·X accumulated symmetrically
        stress = 0;
        next.fill(0);
        rowSum.fill(0);
        for (let a = 0; a < m; a++) {
            const xa = a * d;
            for (let b = a + 1; b < m; b++) {
                const xb = b * d;
                let e2 = 0;
                for (let c = 0; c < d; c++)
                    e2 += (x[xa + c] - x[xb + c]) ** 2;
                let e = Math.sqrt(e2);
                const dab = dist[a * m + b];
                stress += (e - dab) ** 2; // ½ Σ over the full matrix = Σ over pairs
                if (e === 0)
                    e = 1e-5;
                const r = dab / e;
                rowSum[a] += r;
                rowSum[b] += r;
                // B = -R off the diagonal
                for (let c = 0; c < d; c++) {
                    next[xa + c] -= r * x[xb + c];
                    next[xb + c] -= r * x[xa + c];
                }
            }
        }
        let s = 0;
        for (let a = 0; a < m; a++) {
            let norm = 0;
            for (let c = 0; c < d; c++) {
                const v = (next[a * d + c] + rowSum[a] * x[a * d + c]) / m;
                next[a * d + c] = v;
                norm += v * v;
            }
            s += Math.sqrt(norm);
        }
        [x, next] = [next, x];
        o.onIteration?.(it + 1, maxIter);
        if (it > 0 && prev - stress / s < eps)
            break;
        prev = stress / s;
    }
    return { coordinates: x, stress, iterations: Math.min(it + 1, maxIter) };
}
//# sourceMappingURL=smacof.js.map