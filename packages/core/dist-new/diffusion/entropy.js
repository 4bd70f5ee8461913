/**
 * Choosing the diffusion time t by the knee of the von Neumann entropy (docs/algorithm.md §7), exactly
 * as PHATE's vne.py computes it, given a spectrum. How the spectrum of a large operator is
 * obtained quickly is in spectrum.ts.
 */
const EPS = 2.220446049250313e-16;
/**
 * H(s) for s = 1..tMax of the spectrum `values` (non-negative: singular values, or |eigenvalues|).
 * `density[i]` counts how many eigenvalues sit at values[i] (quadrature nodes), default 1 each —
 * PHATE's `von_neumann_entropy(eigenvalues, t_max, density)`, including the eps added after
 * normalising. Result h[x] = H(x + 1) (the reference's off-by-one).
 */
export function vonNeumannEntropy(values, tMax = 100, density) {
    const n = values.length;
    if (density && density.length !== n)
        throw new Error(`vonNeumannEntropy: density has length ${density.length}, expected ${n}`);
    const h = new Float64Array(tMax);
    const pow = Float64Array.from(values, Math.abs);
    for (let s = 0; s < tMax; s++) {
        let z = 0;
        for (let i = 0; i < n; i++)
            z += pow[i] * (density ? density[i] : 1);
        let e = 0;
        for (let i = 0; i < n; i++) {
            const p = pow[i] / z + EPS;
            e -= p * Math.log(p) * (density ? density[i] : 1);
        }
        h[s] = e;
        for (let i = 0; i < n; i++)
            pow[i] *= Math.abs(values[i]);
    }
    return h;
}
/**
 * PHATE's find_knee_point: for each breakpoint b = 1..len-2, a least-squares line on points 0..b
 * and one on points b-1..end; error = Σ_{0..b} |left - y| + Σ_{b..end} |right - y| (the asymmetry
 * is the reference's); returns x at the first minimum.
 */
export function findKneePoint(y, x) {
    const len = y.length;
    if (len < 3)
        throw new Error(`findKneePoint: need at least 3 points, got ${len}`);
    const xs = x ? Float64Array.from(x) : Float64Array.from({ length: len }, (_, i) => i);
    if (xs.length !== len)
        throw new Error('findKneePoint: x and y must have the same length');
    const fit = (from, to) => {
        // least squares on points from..to inclusive, via the same sums the reference uses
        let sx = 0;
        let sy = 0;
        let sxx = 0;
        let sxy = 0;
        for (let i = from; i <= to; i++) {
            sx += xs[i];
            sy += y[i];
            sxx += xs[i] * xs[i];
            sxy += xs[i] * y[i];
        }
        const cnt = to - from + 1;
        const det = cnt * sxx - sx * sx;
        return [(cnt * sxy - sx * sy) / det, -(sx * sxy - sxx * sy) / det];
    };
    let best = Number.POSITIVE_INFINITY;
    let loc = 1;
    for (let b = 1; b < len - 1; b++) {
        const [mf, bf] = fit(0, b);
        const [mb, bb] = fit(b - 1, len - 1);
        let err = 0;
        for (let i = 0; i <= b; i++)
            err += Math.abs(mf * xs[i] + bf - y[i]);
        for (let i = b; i < len; i++)
            err += Math.abs(mb * xs[i] + bb - y[i]);
        if (err < best) {
            best = err;
            loc = b;
        }
    }
    return xs[loc];
}
/** t = knee of the entropy curve of the spectrum (x = 0..tMax-1, so 1 <= t <= tMax-2). */
export function optimalT(values, tMax = 100, density) {
    return findKneePoint(vonNeumannEntropy(values, tMax, density));
}
//# sourceMappingURL=entropy.js.map