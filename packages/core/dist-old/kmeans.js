import { matMul } from './linalg/matmul.js';
/**
 * k-means of the rows of x (rows x dim) into `clusters` groups (spec 6.3): k-means++ seeding
 * on a random subsample, then mini-batch updates (sklearn's per-centre running means), or Lloyd
 * iterations when all points fit in one batch, then one assignment of every point. Distances
 * go through tfjs matMul (float32): only the argmin is used.
 */
export async function kmeans(x, rows, dim, o) {
    const L = Math.min(o.clusters, rows);
    const rnd = o.random;
    const xf = x instanceof Float32Array ? x : Float32Array.from(x);
    const sampleSize = Math.min(rows, Math.max(L, o.initSize ?? 3 * L));
    const sample = sampleWithoutReplacement(rows, sampleSize, rnd);
    const centres = await kmeansPlusPlus(xf, dim, sample, L, rnd);
    const batch = o.batchSize ?? 10000;
    let labels = new Int32Array(rows);
    if (rows <= batch) {
        const iters = o.iterations ?? 20;
        const all = Int32Array.from({ length: rows }, (_, i) => i);
        labels.fill(-1);
        for (let it = 0; it < iters; it++) {
            const next = await assign(xf, dim, all, centres, L);
            let changed = 0;
            for (let i = 0; i < rows; i++)
                if (next[i] !== labels[i])
                    changed++;
            labels = next;
            recomputeMeans(xf, dim, labels, centres, L);
            if (changed === 0)
                break;
        }
    }
    else {
        const steps = o.iterations ?? 20;
        const counts = new Float64Array(L);
        const idx = new Int32Array(batch);
        for (let s = 0; s < steps; s++) {
            for (let i = 0; i < batch; i++)
                idx[i] = rnd.nextInt(rows);
            const lab = await assign(xf, dim, idx, centres, L);
            miniBatchUpdate(xf, dim, idx, lab, centres, counts, L);
        }
    }
    const all = Int32Array.from({ length: rows }, (_, i) => i);
    labels = await assign(xf, dim, all, centres, L);
    return compact(labels, L);
}
function sampleWithoutReplacement(n, k, rnd) {
    const perm = Int32Array.from({ length: n }, (_, i) => i);
    for (let i = 0; i < k; i++) {
        const j = i + rnd.nextInt(n - i);
        const t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    return perm.slice(0, k);
}
/**
 * k-means++ seeding (D^2 sampling) over the sampled rows, drawn in rounds: each round samples
 * `ceil(L / 64)` new centres from the current D^2 distribution, then updates every point's
 * distance to its nearest centre with one matMul. One centre per round is exact k-means++;
 * small rounds keep its spread at a fraction of the cost. Returns L x dim centres.
 */
async function kmeansPlusPlus(x, dim, sample, L, rnd) {
    const S = sample.length;
    const pts = new Float32Array(S * dim);
    const ptNorm = new Float64Array(S);
    for (let s = 0; s < S; s++) {
        const o = sample[s] * dim;
        let q = 0;
        for (let k = 0; k < dim; k++) {
            const v = x[o + k];
            pts[s * dim + k] = v;
            q += v * v;
        }
        ptNorm[s] = q;
    }
    const centres = new Float32Array(L * dim);
    const best = new Float64Array(S).fill(Number.POSITIVE_INFINITY);
    const chosen = new Uint8Array(S);
    const perRound = Math.max(1, Math.ceil(L / 64));
    let count = 0;
    let picks = [rnd.nextInt(S)];
    while (true) {
        const r = picks.length;
        const ct = new Float32Array(dim * r);
        const cNorm = new Float64Array(r);
        for (let j = 0; j < r; j++) {
            const p = picks[j];
            chosen[p] = 1;
            centres.set(pts.subarray(p * dim, p * dim + dim), (count + j) * dim);
            cNorm[j] = ptNorm[p];
            for (let k = 0; k < dim; k++)
                ct[k * r + j] = pts[p * dim + k];
        }
        count += r;
        if (count >= L)
            break;
        const dots = await matMul(pts, ct, S, dim, r);
        let total = 0;
        for (let s = 0; s < S; s++) {
            let b = best[s];
            for (let j = 0; j < r; j++) {
                const d = ptNorm[s] + cNorm[j] - 2 * dots[s * r + j];
                if (d < b)
                    b = d;
            }
            b = chosen[s] ? 0 : Math.max(b, 0);
            best[s] = b;
            total += b;
        }
        const want = Math.min(perRound, L - count);
        picks = [];
        for (let j = 0; j < want; j++) {
            let pick = -1;
            if (total > 0) {
                let u = rnd.next() * total;
                for (let s = 0; s < S; s++) {
                    u -= best[s];
                    if (u < 0 && best[s] > 0) {
                        pick = s;
                        break;
                    }
                }
            }
            if (pick < 0) {
                // every remaining point coincides with a centre: take unchosen ones uniformly
                do
                    pick = rnd.nextInt(S);
                while (chosen[pick] && count + picks.length < S);
            }
            // sample without replacement within the round
            total -= best[pick];
            best[pick] = 0;
            chosen[pick] = 1;
            picks.push(pick);
        }
    }
    return centres;
}
/** Nearest centre of each listed row: argmin ||c||^2 - 2 x.c, chunked products through matMul. */
async function assign(x, dim, idx, centres, L) {
    const norms = new Float32Array(L);
    // centres transposed (dim x L): tfjs-wasm's matMul is much slower with transposeB
    const ct = new Float32Array(dim * L);
    for (let c = 0; c < L; c++) {
        let s = 0;
        for (let k = 0; k < dim; k++) {
            const v = centres[c * dim + k];
            s += v * v;
            ct[k * L + c] = v;
        }
        norms[c] = s;
    }
    const out = new Int32Array(idx.length);
    const chunk = Math.max(1, Math.min(idx.length, Math.floor(2 ** 24 / L)));
    const buf = new Float32Array(chunk * dim);
    for (let start = 0; start < idx.length; start += chunk) {
        const m = Math.min(chunk, idx.length - start);
        const a = m === chunk ? buf : buf.subarray(0, m * dim);
        for (let i = 0; i < m; i++)
            a.set(x.subarray(idx[start + i] * dim, idx[start + i] * dim + dim), i * dim);
        const dots = await matMul(a, ct, m, dim, L);
        for (let i = 0; i < m; i++) {
            const o = i * L;
            let bestC = 0;
            let bestV = Number.POSITIVE_INFINITY;
            for (let c = 0; c < L; c++) {
                const v = norms[c] - 2 * dots[o + c];
                if (v < bestV) {
                    bestV = v;
                    bestC = c;
                }
            }
            out[start + i] = bestC;
        }
    }
    return out;
}
function recomputeMeans(x, dim, labels, centres, L) {
    const sums = new Float64Array(L * dim);
    const counts = new Int32Array(L);
    for (let i = 0; i < labels.length; i++) {
        const c = labels[i];
        counts[c]++;
        for (let k = 0; k < dim; k++)
            sums[c * dim + k] += x[i * dim + k];
    }
    for (let c = 0; c < L; c++) {
        if (counts[c] === 0)
            continue; // an empty cluster keeps its centre (and may vanish at the end)
        for (let k = 0; k < dim; k++)
            centres[c * dim + k] = sums[c * dim + k] / counts[c];
    }
}
/** sklearn's mini-batch step: each centre moves to the running mean of every point it has been given. */
function miniBatchUpdate(x, dim, idx, lab, centres, counts, L) {
    const sums = new Float64Array(L * dim);
    const batchCounts = new Int32Array(L);
    for (let i = 0; i < idx.length; i++) {
        const c = lab[i];
        batchCounts[c]++;
        const o = idx[i] * dim;
        for (let k = 0; k < dim; k++)
            sums[c * dim + k] += x[o + k];
    }
    for (let c = 0; c < L; c++) {
        const b = batchCounts[c];
        if (b === 0)
            continue;
        const old = counts[c];
        const total = old + b;
        for (let k = 0; k < dim; k++)
            centres[c * dim + k] = (centres[c * dim + k] * old + sums[c * dim + k]) / total;
        counts[c] = total;
    }
}
/** Renumbers labels 0..L'-1 in label order, dropping clusters no point chose. */
export function compact(labels, L) {
    const map = new Int32Array(L).fill(-1);
    for (let i = 0; i < labels.length; i++)
        map[labels[i]] = 1;
    let next = 0;
    for (let c = 0; c < L; c++)
        if (map[c] === 1)
            map[c] = next++;
    const out = new Int32Array(labels.length);
    for (let i = 0; i < labels.length; i++)
        out[i] = map[labels[i]];
    return { labels: out, clusters: next };
}
//# sourceMappingURL=kmeans.js.map