import { symmetricEigen } from './eigen.js';
/** SVD of a d x d matrix c (row-major): c = U·diag(s)·Vᵀ, s descending. */
export function smallSvd(c, d) {
    const ctc = new Float64Array(d * d);
    for (let i = 0; i < d; i++)
        for (let j = 0; j < d; j++) {
            let t = 0;
            for (let k = 0; k < d; k++)
                t += c[k * d + i] * c[k * d + j];
            ctc[i * d + j] = t;
        }
    const e = symmetricEigen(ctc, d);
    const v = e.vectors; // columns
    const s = Float64Array.from(e.values, (x) => Math.sqrt(Math.max(x, 0)));
    const u = new Float64Array(d * d);
    const tol = 1e-12 * Math.max(s[0], 1e-300);
    for (let j = 0; j < d; j++) {
        const col = new Float64Array(d);
        if (s[j] > tol) {
            for (let i = 0; i < d; i++) {
                let t = 0;
                for (let k = 0; k < d; k++)
                    t += c[i * d + k] * v[k * d + j];
                col[i] = t / s[j];
            }
        }
        else {
            // complete with the unit vector most orthogonal to the columns so far
            let best = -1;
            for (let cand = 0; cand < d; cand++) {
                const w = new Float64Array(d);
                w[cand] = 1;
                for (let p = 0; p < j; p++) {
                    let dot = 0;
                    for (let i = 0; i < d; i++)
                        dot += w[i] * u[i * d + p];
                    for (let i = 0; i < d; i++)
                        w[i] -= dot * u[i * d + p];
                }
                const n = Math.hypot(...w);
                if (n > best) {
                    best = n;
                    for (let i = 0; i < d; i++)
                        col[i] = w[i] / n;
                }
            }
        }
        for (let i = 0; i < d; i++)
            u[i * d + j] = col[i];
    }
    return { u, s, v };
}
//# sourceMappingURL=small-svd.js.map