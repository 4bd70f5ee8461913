import { symmetricEigen } from '../linalg/eigen.js';
import { matMul } from '../linalg/matmul.js';
import { transpose } from '../linalg/transpose.js';
/**
 * One PCA over all rows (docs/algorithm.md §2.2): centre each column over all rows, take the top `nPca`
 * eigenvectors of the m x m column covariance. Exact, unlike the reference's randomized PCA;
 * pairwise distances only depend on the spanned subspace.
 *
 * Two ways to form XᵀX, named by how: fitPca through one tfjs product (float32, for a whole
 * trace), fitPcaFloat64 in plain Float64 loops (synchronous, for the few rows of the live
 * engine's first slice).
 */
export async function fitPca(z, rows, samples, nPca) {
    const m = samples;
    const mean = columnMeans(z, rows, m);
    const centred = centre(z, rows, mean);
    const gram = await matMul(transpose(centred, rows, m), centred, m, rows, m);
    const cov = new Float64Array(m * m);
    for (let i = 0; i < m; i++)
        for (let j = 0; j < m; j++)
            cov[i * m + j] = (gram[i * m + j] + gram[j * m + i]) / 2;
    return basisOf(cov, mean, nPca);
}
/** fitPca with XᵀX in Float64 loops. */
export function fitPcaFloat64(z, rows, samples, nPca) {
    const m = samples;
    const mean = columnMeans(z, rows, m);
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
    return basisOf(cov, mean, nPca);
}
/** Projects rows (rows x m) onto a fitted basis through one tfjs product: rows x p, float32. */
export function projectPca(z, rows, pca) {
    return matMul(centre(z, rows, pca.mean), pca.basis, rows, pca.samples, pca.components);
}
/** projectPca in Float64 loops (one slice). */
export function projectPcaFloat64(z, rows, pca) {
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
function columnMeans(z, rows, m) {
    const mean = new Float64Array(m);
    for (let r = 0; r < rows; r++)
        for (let k = 0; k < m; k++)
            mean[k] += z[r * m + k];
    for (let k = 0; k < m; k++)
        mean[k] /= rows;
    return mean;
}
/** z minus the column means, float32. */
function centre(z, rows, mean) {
    const m = mean.length;
    const out = new Float32Array(rows * m);
    for (let r = 0; r < rows; r++)
        for (let k = 0; k < m; k++)
            out[r * m + k] = z[r * m + k] - mean[k];
    return out;
}
/** The top `nPca` eigenvectors of the m x m covariance as the columns of the basis. */
function basisOf(cov, mean, nPca) {
    const m = mean.length;
    const { vectors } = symmetricEigen(cov, m);
    const p = Math.min(nPca, m);
    const basis = new Float32Array(m * p);
    for (let k = 0; k < m; k++)
        for (let c = 0; c < p; c++)
            basis[k * p + c] = vectors[k * m + c];
    return { samples: m, components: p, mean, basis };
}
//# sourceMappingURL=pca.js.map