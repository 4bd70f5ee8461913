import { KernelProduct } from './kernel-product.js';
import { symmetricEigen } from './linalg/eigen.js';
import { matMul } from './linalg/matmul.js';
/** Yᵀ·Z (c x c, Float64) for Y, Z of shape rows x c, through one tfjs product. */
async function crossProduct(y, z, rows, c) {
    const yt = new Float32Array(c * rows);
    for (let a = 0; a < rows; a++)
        for (let j = 0; j < c; j++)
            yt[j * rows + a] = y[a * c + j];
    const g = Float64Array.from(await matMul(yt, z, c, rows, c));
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
 * Landmark spectral features (spec 6.1-6.2): V = the top `components` singular vectors of the
 * symmetric A = D^-1/2 K D^-1/2 by a randomized range finder (Halko, Martinsson, Tropp; what
 * sklearn's randomized_svd does), then F = P·V = D^-1 K V. For symmetric A the right singular
 * vectors are the eigenvectors of largest |eigenvalue|. Returns F, N x components, float32.
 */
export async function spectralFeatures(k, o) {
    const N = k.epochs * k.units;
    const comps = Math.min(o.components, N);
    const c = Math.min(N, comps + (o.oversamples ?? 10));
    const iterations = o.powerIterations ?? 0;
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
        let q = await orthonormalize(applyA(omega, c), N, c);
        for (let it = 0; it < iterations; it++)
            q = await orthonormalize(applyA(q, c), N, c);
        // B = Qᵀ A Q, c x c, symmetric; its eigenvectors rotate Q onto A's leading eigenvectors
        const b = await crossProduct(q, applyA(q, c), N, c);
        const eig = symmetricEigen(b, c);
        const order = Array.from({ length: c }, (_, i) => i).sort((i, j) => Math.abs(eig.values[j]) - Math.abs(eig.values[i]));
        const u = new Float32Array(c * comps);
        for (let col = 0; col < comps; col++) {
            const src = order[col];
            for (let i = 0; i < c; i++)
                u[i * comps + col] = eig.vectors[i * c + src];
        }
        const v = await matMul(q, u, N, c, comps);
        return { features: product.apply(v, comps, invDeg), components: comps };
    }
    finally {
        product.dispose();
    }
}
//# sourceMappingURL=rsvd.js.map