/**
 * Exact symmetric eigendecomposition in Float64: Householder tridiagonalisation followed by the
 * implicit QL algorithm (the EISPACK tred2/tql2 pair, as in JAMA). O(n^3): meant for n up to a
 * few hundred (Rayleigh-Ritz blocks, PCA, small SVDs, the exact spectra of small operators);
 * large ones go through block Krylov (krylov.ts).
 */
/** All eigenpairs of the symmetric n x n row-major matrix `a` (only its lower triangle is read). */
export function symmetricEigen(a, n) {
    if (!Number.isInteger(n) || n < 0)
        throw new Error(`symmetricEigen: bad size ${n}`);
    if (a.length !== n * n)
        throw new Error(`symmetricEigen: matrix has length ${a.length}, expected ${n * n}`);
    if (n === 0)
        return { values: new Float64Array(0), vectors: new Float64Array(0) };
    const v = Float64Array.from(a);
    const d = new Float64Array(n);
    const e = new Float64Array(n);
    // tred2 and tql2 both work on W = Vᵀ (a is symmetric, so a is its own transpose), so that their
    // inner loops and the QL rotations run along contiguous rows.
    const w = v;
    tred2(w, d, e, n);
    tql2(w, d, e, n);
    // Sort descending; output eigenvector j as column j of a row-major matrix.
    const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[y] - d[x]);
    const values = new Float64Array(n);
    const vectors = new Float64Array(n * n);
    for (let j = 0; j < n; j++) {
        const src = order[j];
        values[j] = d[src];
        const row = src * n;
        for (let k = 0; k < n; k++)
            vectors[k * n + j] = w[row + k];
    }
    return { values, vectors };
}
/** Householder reduction to tridiagonal form; works on the TRANSPOSE (U = Vᵀ, so that its inner loops run along rows) and leaves Vᵀ in it. */
function tred2(V, d, e, n) {
    for (let j = 0; j < n; j++)
        d[j] = V[j * n + (n - 1)];
    for (let i = n - 1; i > 0; i--) {
        let scale = 0;
        let h = 0;
        for (let k = 0; k < i; k++)
            scale += Math.abs(d[k]);
        if (scale === 0) {
            e[i] = d[i - 1];
            for (let j = 0; j < i; j++) {
                d[j] = V[j * n + (i - 1)];
                V[j * n + i] = 0;
                V[i * n + j] = 0;
            }
        }
        else {
            for (let k = 0; k < i; k++) {
                d[k] /= scale;
                h += d[k] * d[k];
            }
            let f = d[i - 1];
            let g = Math.sqrt(h);
            if (f > 0)
                g = -g;
            e[i] = scale * g;
            h -= f * g;
            d[i - 1] = f - g;
            for (let j = 0; j < i; j++)
                e[j] = 0;
            for (let j = 0; j < i; j++) {
                f = d[j];
                V[i * n + j] = f;
                g = e[j] + V[j * n + j] * f;
                for (let k = j + 1; k <= i - 1; k++) {
                    const vkj = V[j * n + k];
                    g += vkj * d[k];
                    e[k] += vkj * f;
                }
                e[j] = g;
            }
            f = 0;
            for (let j = 0; j < i; j++) {
                e[j] /= h;
                f += e[j] * d[j];
            }
            const hh = f / (h + h);
            for (let j = 0; j < i; j++)
                e[j] -= hh * d[j];
            for (let j = 0; j < i; j++) {
                f = d[j];
                g = e[j];
                for (let k = j; k <= i - 1; k++)
                    V[j * n + k] -= f * e[k] + g * d[k];
                d[j] = V[j * n + (i - 1)];
                V[j * n + i] = 0;
            }
        }
        d[i] = h;
    }
    // Accumulate the transformations.
    for (let i = 0; i < n - 1; i++) {
        V[i * n + (n - 1)] = V[i * n + i];
        V[i * n + i] = 1;
        const h = d[i + 1];
        if (h !== 0) {
            for (let k = 0; k <= i; k++)
                d[k] = V[(i + 1) * n + k] / h;
            for (let j = 0; j <= i; j++) {
                let g = 0;
                for (let k = 0; k <= i; k++)
                    g += V[(i + 1) * n + k] * V[j * n + k];
                for (let k = 0; k <= i; k++)
                    V[j * n + k] -= g * d[k];
            }
        }
        for (let k = 0; k <= i; k++)
            V[(i + 1) * n + k] = 0;
    }
    for (let j = 0; j < n; j++) {
        d[j] = V[j * n + (n - 1)];
        V[j * n + (n - 1)] = 0;
    }
    V[(n - 1) * n + (n - 1)] = 1;
    e[0] = 0;
}
/** Implicit QL on the tridiagonal (d, e); W = Vᵀ, so eigenvector j ends up in row j of W. */
function tql2(W, d, e, n) {
    for (let i = 1; i < n; i++)
        e[i - 1] = e[i];
    e[n - 1] = 0;
    let f = 0;
    let tst1 = 0;
    const eps = 2 ** -52;
    for (let l = 0; l < n; l++) {
        tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
        let m = l;
        while (m < n) {
            if (Math.abs(e[m]) <= eps * tst1)
                break;
            m++;
        }
        if (m > l) {
            let iter = 0;
            do {
                if (++iter > 200)
                    throw new Error('symmetricEigen: QL iteration did not converge');
                let g = d[l];
                let p = (d[l + 1] - g) / (2 * e[l]);
                let r = hypot(p, 1);
                if (p < 0)
                    r = -r;
                d[l] = e[l] / (p + r);
                d[l + 1] = e[l] * (p + r);
                const dl1 = d[l + 1];
                let h = g - d[l];
                for (let i = l + 2; i < n; i++)
                    d[i] -= h;
                f += h;
                p = d[m];
                let c = 1;
                let c2 = c;
                let c3 = c;
                const el1 = e[l + 1];
                let s = 0;
                let s2 = 0;
                for (let i = m - 1; i >= l; i--) {
                    c3 = c2;
                    c2 = c;
                    s2 = s;
                    g = c * e[i];
                    h = c * p;
                    r = hypot(p, e[i]);
                    e[i + 1] = s * r;
                    s = e[i] / r;
                    c = p / r;
                    p = c * d[i] - s * g;
                    d[i + 1] = h + s * (c * g + s * d[i]);
                    // Rotate rows i and i+1 of W (columns of V).
                    const ri = i * n;
                    const ri1 = ri + n;
                    for (let k = 0; k < n; k++) {
                        const hk = W[ri1 + k];
                        const wik = W[ri + k];
                        W[ri1 + k] = s * wik + c * hk;
                        W[ri + k] = c * wik - s * hk;
                    }
                }
                p = (-s * s2 * c3 * el1 * e[l]) / dl1;
                e[l] = s * p;
                d[l] = c * p;
            } while (Math.abs(e[l]) > eps * tst1);
        }
        d[l] += f;
        e[l] = 0;
    }
}
function hypot(a, b) {
    const x = Math.abs(a);
    const y = Math.abs(b);
    if (x > y) {
        const r = y / x;
        return x * Math.sqrt(1 + r * r);
    }
    if (y === 0)
        return 0;
    const r = x / y;
    return y * Math.sqrt(1 + r * r);
}
//# sourceMappingURL=eigen.js.map