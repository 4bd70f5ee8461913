/**
 * Orthogonal Procrustes for small d (2 or 3): the d x d SVD comes from the eigendecomposition of
 * CᵀC (symmetricEigen), with the left vectors completed when C is rank deficient.
 */
import { symmetricEigen } from './linalg/eigen.js';
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
function centre(x, rows, d) {
    const mean = new Float64Array(d);
    for (let i = 0; i < rows; i++)
        for (let c = 0; c < d; c++)
            mean[c] += x[i * d + c];
    for (let c = 0; c < d; c++)
        mean[c] /= rows;
    const centred = new Float64Array(rows * d);
    for (let i = 0; i < rows; i++)
        for (let c = 0; c < d; c++)
            centred[i * d + c] = x[i * d + c] - mean[c];
    return { centred, mean };
}
/** R (d x d) and trace(Σ) of the orthogonal Procrustes problem min ||A·R - B|| ... with AᵀB = UΣVᵀ, R = UVᵀ. */
function orthogonalProcrustes(a, b, rows, d) {
    const c = new Float64Array(d * d);
    for (let i = 0; i < rows; i++)
        for (let p = 0; p < d; p++) {
            const ap = a[i * d + p];
            for (let q = 0; q < d; q++)
                c[p * d + q] += ap * b[i * d + q];
        }
    const { u, s, v } = smallSvd(c, d);
    const r = new Float64Array(d * d);
    for (let i = 0; i < d; i++)
        for (let j = 0; j < d; j++) {
            let t = 0;
            for (let k = 0; k < d; k++)
                t += u[i * d + k] * v[j * d + k];
            r[i * d + j] = t;
        }
    return { r, scale: s.reduce((x, y) => x + y, 0) };
}
function frobenius(x) {
    let s = 0;
    for (const v of x)
        s += v * v;
    return Math.sqrt(s);
}
function checkShapes(name, a, b, rows, d) {
    if (a.length !== rows * d || b.length !== rows * d)
        throw new Error(`${name}: inputs must be rows x d = ${rows * d} values, got ${a.length} and ${b.length}`);
}
/**
 * Aligns `moving` onto `reference` (both rows x d) by translation, rotation or reflection and a
 * uniform scale (least squares); returns the aligned copy. Used to keep a live frame in place.
 */
export function alignTo(reference, moving, rows, d) {
    checkShapes('alignTo', reference, moving, rows, d);
    const ref = centre(reference, rows, d);
    const mov = centre(moving, rows, d);
    let norm2 = 0;
    for (const x of mov.centred)
        norm2 += x * x;
    if (norm2 === 0)
        return Float64Array.from({ length: rows * d }, (_, i) => ref.mean[i % d]);
    // rotation taking mov onto ref: Mᵀ·Ref = UΣVᵀ, R = UVᵀ, scale = trace Σ / |M|²
    const { r, scale } = orthogonalProcrustes(mov.centred, ref.centred, rows, d);
    const s = scale / norm2;
    const out = new Float64Array(rows * d);
    for (let i = 0; i < rows; i++)
        for (let c = 0; c < d; c++) {
            let t = 0;
            for (let k = 0; k < d; k++)
                t += mov.centred[i * d + k] * r[k * d + c];
            out[i * d + c] = s * t + ref.mean[c];
        }
    return out;
}
/**
 * scipy.spatial.procrustes as PHATE uses it after metric MDS (spec 9.3): both centred and scaled
 * to unit Frobenius norm; AᵀB = UΣVᵀ, R = UVᵀ, s = trace Σ; returns B·Rᵀ·s and the disparity.
 */
export function procrustes(reference, moving, rows, d) {
    checkShapes('procrustes', reference, moving, rows, d);
    const a = centre(reference, rows, d).centred;
    const b = centre(moving, rows, d).centred;
    const na = frobenius(a);
    const nb = frobenius(b);
    if (na === 0 || nb === 0)
        throw new Error('procrustes: input matrices must contain more than one distinct point');
    for (let i = 0; i < a.length; i++) {
        a[i] /= na;
        b[i] /= nb;
    }
    const { r, scale } = orthogonalProcrustes(a, b, rows, d);
    const aligned = new Float64Array(rows * d);
    let disparity = 0;
    for (let i = 0; i < rows; i++)
        for (let c = 0; c < d; c++) {
            let t = 0;
            for (let k = 0; k < d; k++)
                t += b[i * d + k] * r[c * d + k]; // B·Rᵀ
            aligned[i * d + c] = t * scale;
            disparity += (a[i * d + c] - aligned[i * d + c]) ** 2;
        }
    return { aligned, disparity };
}
//# sourceMappingURL=procrustes.js.map