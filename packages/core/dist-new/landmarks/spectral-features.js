import { KernelProduct } from '../graph/kernel-product.js';
import { symmetricEigen } from '../linalg/eigen.js';
import { matMul } from '../linalg/matmul.js';
import { transpose } from '../linalg/transpose.js';
/**
 * Power iterations of the landmark range finder, by sklearn's rule for randomized_svd
 * (n_iter='auto': 7 when the components are under a tenth of the points, else 4). Each is two
 * products with A, as in sklearn. Without them the range finder returns a nearly random
 * subspace on real networks' kernels, whose spectrum is flat (|λ| 1 to 0.92 over the first 100
 * on the dropout fixture), and k-means finds other landmarks (docs/mphate.md).
 */
export function landmarkSvdPowerIterations(components, points) {
    return components < 0.1 * points ? 7 : 4;
}
/** Yᵀ·Z (c x c, Float64) for Y, Z of shape rows x c, through one tfjs product. */
async function crossProduct(y, z, rows, c) {
    const g = Float64Array.from(await matMul(transpose(y, rows, c), z, c, rows, c));
    for (let i = 0; i < c; i++)
        for (let j = i + 1; j < c; j++)
            g[i * c + j] = g[j * c + i] = (g[i * c + j] + g[j * c + i]) / 2;
    return g;
}
/**
 * Orthonormal basis of the columns of y (rows x c) by SVQB (Stathopoulos & Wu): G = Yᵀ Y,
 * G = U L Uᵀ, Q = Y U L^-1/2, done twice so float32 rounding in the first pass is cleaned up.
 * Eigenvalues below 1e-10 of the largest are clamped (their columns carry no range).
 */
async function orthonormalize(y, rows, c) {
    let q = y;
    for (let pass = 0; pass < 2; pass++) {
        const g = await crossProduct(q, q, rows, c);
        const { values, vectors } = symmetricEigen(g, c);
        const floor = Math.max(values[0], 1e-300) * 1e-10;
        const m = new Float32Array(c * c);
        for (let j = 0; j < c; j++) {
            const s = 1 / Math.sqrt(Math.max(values[j], floor));
            for (let i = 0; i < c; i++)
                m[i * c + j] = vectors[i * c + j] * s;
        }
        q = await matMul(q, m, rows, c, c);
    }
    return q;
}
/**
 * Landmark spectral features (docs/algorithm.md §6.1-6.2): V = the top `components` right singular
 * vectors of the symmetric A = D^-1/2 K D^-1/2 as sklearn's randomized_svd computes them (Halko,
 * Martinsson, Tropp), then F = P·V = D^-1 K V. Returns F, N x components, float32.
 */
export async function spectralFeatures(k, o) {
    const N = k.epochs * k.units;
    const comps = Math.min(o.components, N);
    const c = Math.min(N, comps + (o.oversamples ?? 10));
    const iterations = o.powerIterations ?? landmarkSvdPowerIterations(comps, N);
    const invSqrt = new Float32Array(N);
    const invDeg = new Float32Array(N);
    for (let a = 0; a < N; a++) {
        invSqrt[a] = 1 / Math.sqrt(k.degree[a]);
        invDeg[a] = 1 / k.degree[a];
    }
    const product = new KernelProduct(k);
    try {
        const applyA = (x, cols) => product.apply(x, cols, invSqrt, invSqrt);
        const omega = new Float32Array(N * c);
        for (let p = 0; p < omega.length; p++)
            omega[p] = o.random.normal();
        // sklearn's randomized_range_finder: per iteration a product with A and one with Aᵀ (= A),
        // then a normalisation (SVQB where sklearn uses LU: the same span); then Q = orth(A·Q).
        let q = omega;
        for (let it = 0; it < iterations; it++)
            q = await orthonormalize(await applyA(await applyA(q, c), c), N, c);
        q = await orthonormalize(await applyA(q, c), N, c);
        // randomized_svd's V: the right singular vectors of B = Qᵀ·A, i.e. the left singular vectors
        // of Y = A·Q, by singular value: V = Y·U·Σ⁻¹ with YᵀY = U Σ² Uᵀ (eigenvalues descending).
        const y = await applyA(q, c);
        const { values, vectors } = symmetricEigen(await crossProduct(y, y, N, c), c);
        const u = new Float32Array(c * comps);
        for (let col = 0; col < comps; col++) {
            const s = 1 / Math.sqrt(Math.max(values[col], 1e-300));
            for (let i = 0; i < c; i++)
                u[i * comps + col] = vectors[i * c + col] * s;
        }
        const v = await matMul(y, u, N, c, comps);
        return { features: await product.apply(v, comps, invDeg), components: comps };
    }
    finally {
        product.dispose();
    }
}
//# sourceMappingURL=spectral-features.js.map