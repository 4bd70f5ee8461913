/**
 * Quality metrics of an embedding, as the fixtures README and docs/algorithm.md §12.4 define them. Used by the
 * tests, the bench, the server and the dashboard, so written for speed on typed arrays.
 */
import { Random } from '../linalg/random.js';
/**
 * Neighbourhood preservation at k against the RAW trace (Euclidean, self excluded, k clamped to
 * the group size - 1). intraslice: for each (slice, unit), the share of the unit's k nearest
 * units of that slice in the embedding that are also among its k nearest in the trace;
 * interslice: the same among the T points of each unit. Both are means over all (slice, unit).
 */
export function neighbourhoodPreservation(trace, coords, d, k) {
    const { epochs: T, units: n, samples: m, data } = trace;
    if (coords.length !== T * n * d)
        throw new Error(`neighbourhoodPreservation: coords has length ${coords.length}, expected ${T * n * d}`);
    if (!(k >= 1))
        throw new Error(`neighbourhoodPreservation: k must be >= 1, got ${k}`);
    // intraslice: groups = slices, members = units
    let intra = 0;
    if (n > 1) {
        const members = new Int32Array(n);
        for (let tau = 0; tau < T; tau++) {
            for (let i = 0; i < n; i++)
                members[i] = tau * n + i;
            intra += groupOverlap(members, data, m, coords, d, Math.min(k, n - 1));
        }
        intra /= T * n;
    }
    else
        intra = Number.NaN;
    let inter = 0;
    if (T > 1) {
        const members = new Int32Array(T);
        for (let i = 0; i < n; i++) {
            for (let tau = 0; tau < T; tau++)
                members[tau] = tau * n + i;
            inter += groupOverlap(members, data, m, coords, d, Math.min(k, T - 1));
        }
        inter /= T * n;
    }
    else
        inter = Number.NaN;
    return { intraslice: intra, interslice: inter };
}
/** Σ over the group's members of |kNN_raw ∩ kNN_embedding| / k. */
function groupOverlap(members, data, m, coords, d, k) {
    const g = members.length;
    const raw = new Float64Array(g * g);
    const emb = new Float64Array(g * g);
    for (let a = 0; a < g; a++) {
        const pa = members[a];
        for (let b = a + 1; b < g; b++) {
            const pb = members[b];
            let s = 0;
            const oa = pa * m;
            const ob = pb * m;
            for (let c = 0; c < m; c++) {
                const x = data[oa + c] - data[ob + c];
                s += x * x;
            }
            raw[a * g + b] = raw[b * g + a] = s;
            let e = 0;
            for (let c = 0; c < d; c++) {
                const x = coords[pa * d + c] - coords[pb * d + c];
                e += x * x;
            }
            emb[a * g + b] = emb[b * g + a] = e;
        }
    }
    let total = 0;
    const idx = new Int32Array(g - 1);
    const mark = new Int32Array(g).fill(-1);
    for (let a = 0; a < g; a++) {
        const nnRaw = kSmallest(raw, a, g, k, idx);
        for (const b of nnRaw)
            mark[b] = a;
        const nnEmb = kSmallest(emb, a, g, k, idx);
        let hit = 0;
        for (const b of nnEmb)
            if (mark[b] === a)
                hit++;
        total += hit / k;
    }
    return total;
}
/** Indices of the k smallest entries of row a (excluding a itself); ties broken by index. */
function kSmallest(dm, a, g, k, idx) {
    let c = 0;
    for (let b = 0; b < g; b++)
        if (b !== a)
            idx[c++] = b;
    const row = a * g;
    const arr = Array.from(idx.subarray(0, c));
    arr.sort((x, y) => dm[row + x] - dm[row + y] || x - y);
    return Int32Array.from(arr.slice(0, k));
}
/**
 * Agreement of two embeddings of the same rows: Spearman correlation (average ranks for ties) of
 * their distances over `pairs` sampled pairs (i, j uniform, j != i), seeded.
 */
export function distanceAgreement(a, b, rows, dA, dB, pairs = 200000, seed = 0) {
    if (a.length !== rows * dA)
        throw new Error(`distanceAgreement: a has length ${a.length}, expected ${rows * dA}`);
    if (b.length !== rows * dB)
        throw new Error(`distanceAgreement: b has length ${b.length}, expected ${rows * dB}`);
    if (rows < 2)
        throw new Error('distanceAgreement: need at least 2 rows');
    const random = new Random(seed);
    const da = new Float64Array(pairs);
    const db = new Float64Array(pairs);
    for (let p = 0; p < pairs; p++) {
        const i = random.nextInt(rows);
        let j = random.nextInt(rows - 1);
        if (j >= i)
            j++;
        let s = 0;
        for (let c = 0; c < dA; c++)
            s += (a[i * dA + c] - a[j * dA + c]) ** 2;
        da[p] = Math.sqrt(s);
        s = 0;
        for (let c = 0; c < dB; c++)
            s += (b[i * dB + c] - b[j * dB + c]) ** 2;
        db[p] = Math.sqrt(s);
    }
    return spearman(da, db);
}
/** Spearman rank correlation with average ranks for ties. */
export function spearman(x, y) {
    if (x.length !== y.length)
        throw new Error('spearman: arrays differ in length');
    return pearson(ranks(x), ranks(y));
}
function ranks(x) {
    const n = x.length;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++)
        order[i] = i;
    order.sort((p, q) => x[p] - x[q]);
    const r = new Float64Array(n);
    let i = 0;
    while (i < n) {
        let j = i;
        while (j + 1 < n && x[order[j + 1]] === x[order[i]])
            j++;
        const avg = (i + j) / 2 + 1;
        for (let q = i; q <= j; q++)
            r[order[q]] = avg;
        i = j + 1;
    }
    return r;
}
function pearson(x, y) {
    const n = x.length;
    let mx = 0;
    let my = 0;
    for (let i = 0; i < n; i++) {
        mx += x[i];
        my += y[i];
    }
    mx /= n;
    my /= n;
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    for (let i = 0; i < n; i++) {
        const a = x[i] - mx;
        const b = y[i] - my;
        sxy += a * b;
        sxx += a * a;
        syy += b * b;
    }
    return sxy / Math.sqrt(sxx * syy);
}
//# sourceMappingURL=quality.js.map