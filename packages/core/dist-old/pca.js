import { symmetricEigen } from './linalg/eigen.js';
import { matMul } from './linalg/matmul.js';
/**
 * Fits one PCA over all rows (spec 2.2): centre each column over all rows, take the top
 * `nPca` eigenvectors of the m x m column covariance. Exact, unlike the reference's
 * randomized PCA; pairwise distances only depend on the spanned subspace.
 */
export async function fitPca(z, rows, samples, nPca) {
    const m = samples;
    const mean = new Float64Array(m);
    for (let r = 0; r < rows; r++)
        for (let k = 0; k < m; k++)
            mean[k] += z[r * m + k];
    for (let k = 0; k < m; k++)
        mean[k] /= rows;
    // X^T X through a dense product of the centred, transposed data (m x rows).
    const xt = new Float32Array(m * rows);
    for (let r = 0; r < rows; r++)
        for (let k = 0; k < m; k++)
            xt[k * rows + r] = z[r * m + k] - mean[k];
    const gram = await matMul(xt, xt, m, rows, m, { transposeB: true });
    const cov = new Float64Array(m * m);
    for (let i = 0; i < m; i++)
        for (let j = 0; j < m; j++)
            cov[i * m + j] = (gram[i * m + j] + gram[j * m + i]) / 2;
    const { vectors } = symmetricEigen(cov, m);
    const p = Math.min(nPca, m);
    const basis = new Float32Array(m * p);
    for (let k = 0; k < m; k++)
        for (let c = 0; c < p; c++)
            basis[k * p + c] = vectors[k * m + c];
    return { samples: m, components: p, mean, basis };
}
/** Projects rows (rows x m) onto a fitted basis: rows x p, float32. */
export async function projectPca(z, rows, pca) {
    const m = pca.samples;
    const centred = new Float32Array(rows * m);
    for (let r = 0; r < rows; r++)
        for (let k = 0; k < m; k++)
            centred[r * m + k] = z[r * m + k] - pca.mean[k];
    return matMul(centred, pca.basis, rows, m, pca.components);
}
/** fitPca in plain Float64 loops, for few rows (the live engine's first slice). */
export function fitPcaSync(z, rows, samples, nPca) {
    const m = samples;
    const mean = new Float64Array(m);
    for (let r = 0; r < rows; r++)
        for (let k = 0; k < m; k++)
            mean[k] += z[r * m + k];
    for (let k = 0; k < m; k++)
        mean[k] /= rows;
    const cov = new Float64Array(m * m);
    const row = new Float64Array(m);
    for (let r = 0; r < rows; r++) {
        for (let k = 0; k < m; k++)
            row[k] = z[r * m + k] - mean[k];
        for (let i = 0; i < m; i++) {
            const v = row[i];
            for (let j = 0; j <= i; j++)
                cov[i * m + j] += v * row[j];
        }
    }
    for (let i = 0; i < m; i++)
        for (let j = 0; j < i; j++)
            cov[j * m + i] = cov[i * m + j];
    const { vectors } = symmetricEigen(cov, m);
    const p = Math.min(nPca, m);
    const basis = new Float32Array(m * p);
    for (let k = 0; k < m; k++)
        for (let c = 0; c < p; c++)
            basis[k * p + c] = vectors[k * m + c];
    return { samples: m, components: p, mean, basis };
}
/** projectPca in plain loops, for one slice. */
export function projectPcaSync(z, rows, pca) {
    const m = pca.samples;
    const p = pca.components;
    const out = new Float32Array(rows * p);
    const row = new Float64Array(m);
    const acc = new Float64Array(p);
    for (let r = 0; r < rows; r++) {
        for (let k = 0; k < m; k++)
            row[k] = z[r * m + k] - pca.mean[k];
        acc.fill(0);
        for (let k = 0; k < m; k++) {
            const v = row[k];
            for (let c = 0; c < p; c++)
                acc[c] += v * pca.basis[k * p + c];
        }
        for (let c = 0; c < p; c++)
            out[r * p + c] = acc[c];
    }
    return out;
}
//# sourceMappingURL=pca.js.map