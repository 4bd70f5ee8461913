/**
 * The spectrum of the symmetric conjugate S of the diffusion operator, shared by the choice of t
 * (entropy) and the matrix power. See docs/mphate.md, "Dense stages: spectrum, t and the power".
 *
 * - M <= EXACT_LIMIT: every eigenpair, exactly (symmetricEigen, Float64).
 * - larger M: the leading eigenpairs by block Krylov (products on tfjs), plus a stochastic Lanczos
 *   quadrature of the rest of the spectrum for the entropy.
 */
import { symmetricEigen } from '../linalg/eigen.js';
import { blockKrylovEigen, lanczosQuadrature } from '../linalg/krylov.js';
import { matMul, ResidentMatrix } from '../linalg/matmul.js';
import { transpose } from '../linalg/transpose.js';
import { optimalT } from './entropy.js';
/** Below this size the full Float64 eigendecomposition is cheap (< 1 s) and used. */
const EXACT_LIMIT = 400;
export async function operatorSpectrum(op, random, o = {}) {
    const m = op.size;
    if (m <= (o.exactLimit ?? EXACT_LIMIT)) {
        const e = symmetricEigen(op.symmetric, m);
        const vectors = transpose(e.vectors, m, m, { out: new Float64Array(m * m) });
        return { values: e.values, vectors, deflated: m, exact: true };
    }
    const resident = await ResidentMatrix.create(op.symmetric, m, m);
    try {
        // ~M/10 leading pairs (at most 200) carry Q^t for the usual t; the rest is quadrature
        const rank = Math.min(o.rank ?? Math.min(200, Math.max(40, Math.ceil(m / 10))), m - 1);
        const block = 16;
        const steps = Math.max(2, Math.ceil((2 * rank) / block) - 1);
        const top = await blockKrylovEigen(resident, rank, { random, block, steps, order: 'magnitude' });
        // Deflate every Ritz pair, not only the converged ones: in clustered spectra (many
        // eigenvalues near 1) single Ritz vectors converge slowly while the subspace and the Ritz
        // values are already accurate, and the quadrature of the complement then only misses terms
        // of second order in the residuals.
        const deflated = top.values.length;
        const tail = o.withTail === false
            ? undefined
            : await lanczosQuadrature(resident, top.vectors, deflated, { random, probes: 16, steps: 30 });
        if (tail)
            matchMoments(tail, op, top.values, deflated);
        return { values: top.values, vectors: top.vectors, deflated, exact: false, tail };
    }
    finally {
        resident.dispose();
    }
}
/**
 * The quadrature's count is exact; make its mean and variance exact too: the tail's first two
 * moments are known from trace(S) and ||S||_F² minus the deflated eigenvalues, so the nodes are
 * mapped affinely to match them (this removes most of the stochastic error at small s, where
 * the tail weighs most in the entropy).
 */
function matchMoments(tail, op, values, deflated) {
    const m = op.size;
    let tr = 0;
    let fro = 0;
    for (let i = 0; i < m; i++)
        tr += op.symmetric[i * m + i];
    for (const v of op.symmetric)
        fro += v * v;
    for (let i = 0; i < deflated; i++) {
        tr -= values[i];
        fro -= values[i] * values[i];
    }
    const dim = m - deflated;
    if (dim <= 0 || tail.nodes.length === 0)
        return;
    const meanT = tr / dim;
    const varT = fro / dim - meanT * meanT;
    let w = 0;
    let mean = 0;
    for (let i = 0; i < tail.nodes.length; i++) {
        w += tail.weights[i];
        mean += tail.weights[i] * tail.nodes[i];
    }
    mean /= w;
    let variance = 0;
    for (let i = 0; i < tail.nodes.length; i++)
        variance += tail.weights[i] * (tail.nodes[i] - mean) ** 2;
    variance /= w;
    if (!(varT > 0) || !(variance > 0))
        return;
    const scale = Math.sqrt(varT / variance);
    for (let i = 0; i < tail.nodes.length; i++)
        tail.nodes[i] = meanT + (tail.nodes[i] - mean) * scale;
}
/** t by the knee of the von Neumann entropy of |eigenvalues of S| (docs/algorithm.md §7, with eigenvalues). */
export function spectrumT(spec, tMax = 100) {
    if (spec.exact || !spec.tail)
        return optimalT(spec.values.slice(0, spec.deflated), tMax);
    const c = spec.deflated;
    const values = new Float64Array(c + spec.tail.nodes.length);
    const density = new Float64Array(values.length);
    values.set(spec.values.subarray(0, c));
    density.fill(1, 0, c);
    values.set(spec.tail.nodes, c);
    density.set(spec.tail.weights, c);
    return optimalT(values, tMax, density);
}
/**
 * Bound on the spectral norm of the part of S^t the leading pairs leave out: |λ_last|^t (0 when
 * exact). Entries of the reconstructed Q^t are off by at most about this times sqrt(d_j/d_i).
 */
export function truncationBound(spec, t) {
    if (spec.exact)
        return 0;
    const smallest = Math.min(...Array.from(spec.values, Math.abs));
    return smallest ** t;
}
/**
 * Q^t = diag(1/sqrtDeg)·V Λ^t Vᵀ·diag(sqrtDeg) from the spectrum (Float64 when exact, one tfjs
 * product otherwise). Negative round-off entries are clipped to 0 (Q^t is non-negative).
 */
export async function powerFromSpectrum(op, spec, t) {
    const m = op.size;
    const r = spec.values.length;
    const sq = op.sqrtDegree;
    // left = diag(1/sq)·Vᵀ·Λ^t (M x r), right = V·diag(sq) (r x M)
    const left = new Float64Array(m * r);
    const right = new Float64Array(r * m);
    for (let l = 0; l < r; l++) {
        const lt = spec.values[l] ** t;
        const row = l * m;
        for (let i = 0; i < m; i++) {
            const v = spec.vectors[row + i];
            left[i * r + l] = (v * lt) / sq[i];
            right[row + i] = v * sq[i];
        }
    }
    let out;
    if (spec.exact) {
        out = new Float64Array(m * m);
        for (let i = 0; i < m; i++)
            for (let l = 0; l < r; l++) {
                const a = left[i * r + l];
                if (a === 0)
                    continue;
                const row = l * m;
                const o = i * m;
                for (let j = 0; j < m; j++)
                    out[o + j] += a * right[row + j];
            }
    }
    else {
        out = Float64Array.from(await matMul(left, right, m, r, m));
    }
    for (let i = 0; i < out.length; i++)
        if (out[i] < 0)
            out[i] = 0;
    return out;
}
/**
 * Q^t by repeated squaring of S on tfjs (float32), for when the spectrum does not decay fast
 * enough for powerFromSpectrum. ~2 log2 t dense products.
 */
export async function powerBySquaring(op, t) {
    const m = op.size;
    let base = Float32Array.from(op.symmetric);
    let acc;
    let e = t;
    while (e > 0) {
        if (e & 1)
            acc = acc ? await matMul(acc, base, m, m, m) : base;
        e >>= 1;
        if (e > 0)
            base = await matMul(base, base, m, m, m);
    }
    const s = acc ?? identity(m);
    const out = new Float64Array(m * m);
    const sq = op.sqrtDegree;
    for (let i = 0; i < m; i++)
        for (let j = 0; j < m; j++) {
            const v = (s[i * m + j] * sq[j]) / sq[i];
            out[i * m + j] = Math.max(v, 0);
        }
    return out;
}
function identity(m) {
    const id = new Float32Array(m * m);
    for (let i = 0; i < m; i++)
        id[i * m + i] = 1;
    return id;
}
//# sourceMappingURL=spectrum.js.map