import { matMul } from './linalg/matmul.js';
import { affinityRadius } from './multislice.js';
import { UnitSquares } from './unit-squares.js';
/**
 * The landmark operator of the live engine, updated slice by slice instead of rebuilt
 * (docs/mphate.md, "Live mode"). Within an era (until new clusters or a new ε) the labels and the
 * interslice bandwidth ε are frozen. Then, with g_b = row b of G = K·Labᵀ,
 *
 *   C = Σ_b g_b g_bᵀ / deg*_b        (deg*_b: the degree of b when its term was last computed)
 *
 * changes with a new slice s in three ways, each far cheaper than a rebuild (1 in append, 2 and 3
 * together in update):
 * 1. every old point b = (u, i) gains one entry in g_b, its link w to (s, i), whose label l is
 *    the same for the whole unit: per unit, C += v e_lᵀ + e_l vᵀ + (Σ w²/deg*) e_l e_lᵀ with
 *    v = Σ_u (w_u / deg*_b) g_b (a vector of length L);
 * 2. the new points' own terms are added;
 * 3. old points' degrees grew (by w): a slice whose degrees drifted by more than `tolerance`
 *    since its terms were computed has them recomputed (a tolerance of 0 keeps C exact).
 *
 * Terms are added slice-set by slice-set in the kernel's block form (addTerms): per slice the
 * intraslice parts, per unit the interslice parts, as dense products on tfjs. The operator is
 * normalised with D_L = row sums of C, so Q = D_L⁻¹ C stays row-stochastic while some degrees
 * are stale.
 */
export class LiveLandmarks {
    blocks;
    units;
    landmarks;
    epsilon;
    thresh;
    /** Each unit's T x T interslice weights at the frozen ε. */
    weights;
    /** Slices taken in. */
    epochs = 0;
    /** Slices whose terms are in C (the rest were appended since the last update). */
    committed = 0;
    labelsBuf = new Int32Array(0);
    degree = new Float64Array(0);
    stamped = new Float64Array(0);
    /** Per slice: its distinct labels (L_τ of them). */
    sliceLabels = [];
    /**
     * Per slice: E_τ, the intraslice part of its points' rows of G, dense n x L_τ float32 (row i,
     * column x: the kernel mass of (τ, i) in the slice's x-th label). Random-walk-like slices have
     * dense intraslice blocks; this form streams a third of the bytes of their CSR.
     */
    sliceRows = [];
    c;
    /** Per unit: the distinct labels of its points (U_i), and each label's index there (n x L, -1 if absent). */
    unitLabels;
    unitLocal;
    scratch;
    constructor(blocks, units, landmarks, epsilon, thresh) {
        this.blocks = blocks;
        this.units = units;
        this.landmarks = landmarks;
        this.epsilon = epsilon;
        this.thresh = thresh;
        this.weights = new UnitSquares(units);
        this.c = new Float64Array(landmarks * landmarks);
        this.scratch = new Int32Array(landmarks).fill(-1);
        this.unitLabels = Array.from({ length: units }, () => []);
        this.unitLocal = new Int32Array(units * landmarks).fill(-1);
    }
    /**
     * Starts an era from the whole kernel (built at bandwidth `epsilon`) and every point's label.
     * `kernel.intra` must be the engine's growing list of blocks: later slices are read from it.
     * `previous`: an era whose slices carry the same labels here (a new bandwidth, same clusters);
     * its per-slice rows are reused.
     */
    static async start(kernel, labels, landmarks, epsilon, thresh, previous) {
        const T = kernel.epochs;
        const n = kernel.units;
        const live = new LiveLandmarks(kernel.intra, n, landmarks, epsilon, thresh);
        live.reserve(T * n);
        live.labelsBuf.set(labels.subarray(0, T * n));
        live.weights.resize(T);
        const cap = live.weights.capacity;
        if (kernel.inter)
            for (let i = 0; i < n; i++) {
                const w = live.weights.of(i);
                for (let a = 0; a < T; a++)
                    w.set(kernel.inter.subarray((i * T + a) * T, (i * T + a + 1) * T), a * cap);
            }
        live.degree.set(kernel.degree);
        live.stamped.set(kernel.degree);
        live.epochs = T;
        live.committed = T;
        const reused = previous && previous.landmarks === landmarks ? Math.min(previous.epochs, T) : 0;
        for (let tau = 0; tau < T; tau++)
            if (tau < reused) {
                live.sliceLabels[tau] = previous.sliceLabels[tau];
                live.sliceRows[tau] = previous.sliceRows[tau];
            }
            else
                live.indexSlice(tau);
        await live.addTerms(Array.from({ length: T }, (_, tau) => tau), Array.from({ length: T }, (_, tau) => live.inverseDegrees(tau)));
        return live;
    }
    /** Every point's landmark label, row epoch * units + unit. */
    get labels() {
        return this.labelsBuf.subarray(0, this.epochs * this.units);
    }
    /**
     * Takes in the next slice (index `epochs`; its intraslice block and distances must exist):
     * its links to every older slice at the frozen ε, its points' labels (the cluster holding most
     * of their interslice mass, else their unit's cluster at the previous slice), and the links'
     * entries in the terms already in C. Its own terms wait for update().
     */
    append(distances) {
        const s = this.epochs;
        const n = this.units;
        const L = this.landmarks;
        if (!this.blocks[s] || distances.epochs <= s)
            throw new Error(`LiveLandmarks.append: slice ${s} has no intraslice block or distances yet`);
        this.reserve((s + 1) * n);
        this.weights.resize(s + 1);
        const cap = this.weights.capacity;
        const labels = this.labelsBuf;
        const dMax = affinityRadius(this.epsilon, this.thresh);
        const inv = 1 / this.epsilon;
        const row = new Float64Array(distances.epochs);
        const cu = new Float64Array(s);
        const v = new Float64Array(L);
        for (let i = 0; i < n; i++) {
            const w = this.weights.of(i);
            distances.row(i, s, row);
            for (let u = 0; u < s; u++) {
                const x = row[u] * inv;
                const val = row[u] <= dMax ? Math.fround(Math.exp(-x * x)) : 0;
                w[s * cap + u] = val;
                w[u * cap + s] = val;
            }
        }
        labelSlice(s, n, labels, (i) => this.weights.of(i), s * cap);
        this.indexSlice(s);
        // 1. old points gain their link to the new slice (rank-2 update per unit, at stamped
        // degrees); points whose terms are not in C yet get theirs whole in update()
        const committed = this.committed;
        for (let i = 0; i < n; i++) {
            const w = this.weights.of(i);
            const l = labels[s * n + i];
            let diagonal = 0;
            let any = false;
            cu.fill(0);
            for (let u = 0; u < committed; u++) {
                const wu = w[u * cap + s];
                cu[u] = wu / this.stamped[u * n + i];
                diagonal += cu[u] * wu;
                if (wu !== 0)
                    any = true;
            }
            if (!any)
                continue;
            v.fill(0);
            for (let u = 0; u < s; u++) {
                const f = cu[u];
                if (f === 0)
                    continue;
                const labs = this.sliceLabels[u];
                const e = this.sliceRows[u];
                const lt = labs.length;
                for (let x = 0, o = i * lt; x < lt; x++)
                    v[labs[x]] += f * e[o + x];
            }
            // the interslice parts of the old rows: Σ_u cu[u] W[u, u'] at label(u', i), W symmetric
            for (let u2 = 0; u2 < s; u2++) {
                const o = u2 * cap;
                let z = 0;
                for (let u = 0; u < s; u++)
                    z += w[o + u] * cu[u];
                if (z !== 0)
                    v[labels[u2 * n + i]] += z;
            }
            const c = this.c;
            for (let x = 0; x < L; x++) {
                const val = v[x];
                if (val === 0)
                    continue;
                c[l * L + x] += val;
                c[x * L + l] += val;
            }
            c[l * L + l] += diagonal;
        }
        // degrees: the new points' and the old points' grown ones
        for (let i = 0; i < n; i++) {
            const w = this.weights.of(i);
            const blk = this.blocks[s];
            let d = 0;
            for (let p = blk.rowPtr[i]; p < blk.rowPtr[i + 1]; p++)
                d += blk.vals[p];
            for (let u = 0; u < s; u++) {
                const wu = w[s * cap + u];
                d += wu;
                this.degree[u * n + i] += wu;
            }
            this.degree[s * n + i] = d;
        }
        this.epochs = s + 1;
    }
    /**
     * Brings C up to date in one pass (addTerms): 2. the terms of the slices appended since the
     * last update, and 3. new terms for every slice whose degrees drifted by more than
     * `tolerance` (relative) since its terms were computed. Returns how many slices were refreshed.
     */
    async update(tolerance) {
        const n = this.units;
        const slices = [];
        const coefs = [];
        for (let tau = this.committed; tau < this.epochs; tau++) {
            for (let i = 0; i < n; i++)
                this.stamped[tau * n + i] = this.degree[tau * n + i];
            slices.push(tau);
            coefs.push(this.inverseDegrees(tau));
        }
        let refreshed = 0;
        for (let tau = 0; tau < this.committed; tau++) {
            let drift = 0;
            for (let i = 0; i < n; i++) {
                const b = tau * n + i;
                drift = Math.max(drift, Math.abs(this.degree[b] / this.stamped[b] - 1));
            }
            if (drift <= tolerance)
                continue;
            const coef = new Float64Array(n);
            for (let i = 0; i < n; i++) {
                const b = tau * n + i;
                coef[i] = 1 / this.degree[b] - 1 / this.stamped[b];
                this.stamped[b] = this.degree[b];
            }
            slices.push(tau);
            coefs.push(coef);
            refreshed++;
        }
        if (slices.length > 0)
            await this.addTerms(slices, coefs);
        this.committed = this.epochs;
        return refreshed;
    }
    /** The diffusion operator of the current C: S = D_L^-1/2 C D_L^-1/2, D_L = row sums of C. */
    operator() {
        if (this.committed !== this.epochs)
            throw new Error('LiveLandmarks.operator: slices were appended since the last update()');
        const L = this.landmarks;
        const c = this.c;
        const sq = new Float64Array(L);
        for (let x = 0; x < L; x++) {
            let s = 0;
            for (let y = 0; y < L; y++)
                s += c[x * L + y];
            sq[x] = Math.sqrt(s);
        }
        const symmetric = new Float64Array(L * L);
        for (let x = 0; x < L; x++) {
            const inv = 1 / sq[x];
            for (let y = 0; y < L; y++)
                symmetric[x * L + y] = (c[x * L + y] * inv) / sq[y];
        }
        return { size: L, symmetric, sqrtDegree: sq };
    }
    /** Y_all = P_NL · Y_L: each point at the kernel-mass-weighted mean of its landmarks' coordinates. */
    interpolate(y, d) {
        const n = this.units;
        const T = this.epochs;
        const cap = this.weights.capacity;
        const labels = this.labelsBuf;
        const out = new Float64Array(T * n * d);
        // the coordinates of the landmark of every point of one slice (intraslice part) or of one
        // unit (interslice part), gathered once so the inner loops read a small dense array
        const yl = new Float64Array(Math.max(n, T) * 3);
        for (let tau = 0; tau < T; tau++) {
            const labs = this.sliceLabels[tau];
            const e = this.sliceRows[tau];
            const lt = labs.length;
            for (let x = 0; x < lt; x++)
                for (let k = 0; k < d; k++)
                    yl[x * 3 + k] = y[labs[x] * d + k];
            for (let i = 0; i < n; i++) {
                // d is 2 or 3: one pass over the row with three accumulators
                let a0 = 0;
                let a1 = 0;
                let a2 = 0;
                for (let x = 0, o = i * lt; x < lt; x++) {
                    const v = e[o + x];
                    a0 += v * yl[x * 3];
                    a1 += v * yl[x * 3 + 1];
                    a2 += v * yl[x * 3 + 2];
                }
                const o = (tau * n + i) * d;
                out[o] = a0;
                out[o + 1] = a1;
                if (d === 3)
                    out[o + 2] = a2;
            }
        }
        for (let i = 0; i < n; i++) {
            for (let u = 0; u < T; u++)
                for (let k = 0; k < d; k++)
                    yl[u * 3 + k] = y[labels[u * n + i] * d + k];
            const w = this.weights.of(i);
            for (let tau = 0; tau < T; tau++) {
                const row = tau * cap;
                let a0 = 0;
                let a1 = 0;
                let a2 = 0;
                if (d === 2)
                    for (let u = 0; u < T; u++) {
                        const v = w[row + u];
                        a0 += v * yl[u * 3];
                        a1 += v * yl[u * 3 + 1];
                    }
                else
                    for (let u = 0; u < T; u++) {
                        const v = w[row + u];
                        a0 += v * yl[u * 3];
                        a1 += v * yl[u * 3 + 1];
                        a2 += v * yl[u * 3 + 2];
                    }
                const o = (tau * n + i) * d;
                const inv = 1 / this.degree[tau * n + i];
                out[o] = (out[o] + a0) * inv;
                out[o + 1] = (out[o + 1] + a1) * inv;
                if (d === 3)
                    out[o + 2] = (out[o + 2] + a2) * inv;
            }
        }
        return out;
    }
    /**
     * Adds Σ_b coef_b g_b g_bᵀ over the points of the given slices to C (coefs[j][i] for point
     * (slices[j], i)), g_b = gi_b (intraslice part, labels of its slice) + ge_b (interslice part,
     * labels of its unit's other points), organised by the kernel's blocks:
     * - gi x gi per slice: E_τᵀ diag(coef) E_τ on tfjs;
     * - ge x ge per unit: H (the slices x the labels of U_i they reach) = its interslice weights
     *   summed by label, Hᵀ diag(coef) H on tfjs;
     * - gi x ge per slice: E_τᵀ diag(coef) H_τ on tfjs, H_τ (n x L) = the slice's interslice
     *   rows summed by label, into one L x L matrix X whose transpose is added once at the end.
     * Point by point this costs Σ_b r_b² scattered adds (r_b ~ 100-300 distinct labels a point):
     * seconds at T = 100, a minute at T = 300 for a whole era; this way ~1-2 s.
     */
    async addTerms(slices, coefs) {
        const n = this.units;
        const L = this.landmarks;
        const T = this.epochs;
        const S = slices.length;
        const c = this.c;
        const cap = this.weights.capacity;
        const labels = this.labelsBuf;
        for (let j = 0; j < S; j++)
            await this.addGram(this.sliceRows[slices[j]], n, this.sliceLabels[slices[j]], coefs[j]);
        const f = new Float64Array(S);
        const unitOf = new Int32Array(T);
        const x = new Float64Array(L * L);
        for (let i = 0; i < n; i++) {
            for (let u = 0; u < T; u++)
                unitOf[u] = this.localIndex(i, labels[u * n + i]);
            for (let j = 0; j < S; j++)
                f[j] = coefs[j][i];
            const ui = this.unitLabels[i];
            const all = ui.length;
            const w = this.weights.of(i);
            const wide = new Float32Array(S * all);
            for (let j = 0; j < S; j++)
                for (let u = 0, o = slices[j] * cap; u < T; u++) {
                    const v = w[o + u];
                    if (v !== 0)
                        wide[j * all + unitOf[u]] += v;
                }
            // keep the labels these slices reach (their interslice links span a window of the unit's
            // trajectory, often a fraction of its labels)
            const used = [];
            for (let y = 0; y < all; y++)
                for (let j = 0; j < S; j++)
                    if (wide[j * all + y] !== 0) {
                        used.push(y);
                        break;
                    }
            const k = used.length;
            if (k === 0)
                continue;
            const h = new Float32Array(S * k);
            const hl = new Int32Array(k);
            for (let q = 0; q < k; q++) {
                hl[q] = ui[used[q]];
                for (let j = 0; j < S; j++)
                    h[j * k + q] = wide[j * all + used[q]];
            }
            // ge x ge
            await this.addGram(h, S, hl, f);
        }
        // gi x ge, slice by slice on tfjs: X[labs_τ, :] += E_τᵀ diag(coef) H_τ, H_τ (n x L) = the
        // slice's interslice rows summed by label (point by point this was ~1e9 scattered adds for
        // an era's start at T = 300)
        const h = new Float32Array(n * L);
        for (let j = 0; j < S; j++) {
            const tau = slices[j];
            const labs = this.sliceLabels[tau];
            const e = this.sliceRows[tau];
            const lt = labs.length;
            const coef = coefs[j];
            h.fill(0);
            for (let i = 0; i < n; i++) {
                const w = this.weights.of(i);
                for (let u = 0, o = tau * cap; u < T; u++) {
                    const v = w[o + u];
                    if (v !== 0)
                        h[i * L + labels[u * n + i]] += v;
                }
            }
            const et = new Float32Array(lt * n);
            for (let i = 0; i < n; i++)
                for (let p = 0; p < lt; p++)
                    et[p * n + i] = e[i * lt + p] * coef[i];
            const g = await matMul(et, h, lt, n, L);
            for (let p = 0; p < lt; p++) {
                const row = labs[p] * L;
                for (let y = 0; y < L; y++)
                    x[row + y] += g[p * L + y];
            }
        }
        // C += X + Xᵀ, in cache-sized tiles
        const tile = 64;
        for (let i0 = 0; i0 < L; i0 += tile)
            for (let j0 = i0; j0 < L; j0 += tile)
                for (let a = i0; a < Math.min(L, i0 + tile); a++)
                    for (let b = Math.max(j0, a); b < Math.min(L, j0 + tile); b++) {
                        const v = x[a * L + b] + x[b * L + a];
                        c[a * L + b] += v;
                        if (b !== a)
                            c[b * L + a] += v;
                    }
    }
    /**
     * C[labs, labs] += Rᵀ diag(coef) R for R (rows x |labs|, float32; column x belongs to label
     * labs[x]), on tfjs, symmetrised (float32 products are not exactly symmetric).
     */
    async addGram(r, rows, labs, coef) {
        const L = this.landmarks;
        const c = this.c;
        const k = labs.length;
        const rt = new Float32Array(k * rows);
        for (let i = 0; i < rows; i++) {
            const f = coef[i];
            for (let x = 0; x < k; x++)
                rt[x * rows + i] = r[i * k + x] * f;
        }
        const g = await matMul(rt, r, k, rows, k);
        for (let x = 0; x < k; x++) {
            const row = labs[x] * L;
            for (let y = x; y < k; y++) {
                const val = (g[x * k + y] + g[y * k + x]) / 2;
                if (val === 0)
                    continue;
                c[row + labs[y]] += val;
                if (y !== x)
                    c[labs[y] * L + labs[x]] += val;
            }
        }
    }
    /** Unit i's local index of label l (registered on first sight). */
    localIndex(i, l) {
        const at = i * this.landmarks + l;
        let k = this.unitLocal[at];
        if (k === -1) {
            k = this.unitLabels[i].length;
            this.unitLabels[i].push(l);
            this.unitLocal[at] = k;
        }
        return k;
    }
    /** Records slice tau's distinct labels and its dense rows E_τ. */
    indexSlice(tau) {
        const n = this.units;
        const seen = this.scratch;
        const loc = new Int32Array(n);
        const labs = [];
        for (let i = 0; i < n; i++) {
            const l = this.labelsBuf[tau * n + i];
            if (seen[l] === -1) {
                seen[l] = labs.length;
                labs.push(l);
            }
            loc[i] = seen[l];
        }
        for (const l of labs)
            seen[l] = -1;
        const lt = labs.length;
        const e = new Float32Array(n * lt);
        const { rowPtr, cols, vals } = this.blocks[tau];
        for (let i = 0; i < n; i++)
            for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++)
                e[i * lt + loc[cols[p]]] += vals[p];
        this.sliceLabels[tau] = Int32Array.from(labs);
        this.sliceRows[tau] = e;
    }
    inverseDegrees(tau) {
        const n = this.units;
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++)
            out[i] = 1 / this.degree[tau * n + i];
        return out;
    }
    /** Room for `points` labels and degrees (grown by 1.5x). */
    reserve(points) {
        if (points <= this.labelsBuf.length)
            return;
        const cap = Math.max(points, Math.ceil(this.labelsBuf.length * 1.5));
        const grow = (old, make) => {
            const next = make(cap);
            next.set(old);
            return next;
        };
        this.labelsBuf = grow(this.labelsBuf, (k) => new Int32Array(k));
        this.degree = grow(this.degree, (k) => new Float64Array(k));
        this.stamped = grow(this.stamped, (k) => new Float64Array(k));
    }
}
/**
 * Labels the points of slice s (every earlier slice labelled): each joins the cluster holding most
 * of its interslice kernel mass among its unit's earlier points, else its unit's cluster at the
 * previous slice. (Its intraslice neighbours are new points, unlabelled; counting their first
 * labels in a second round changed no label on the fixtures: a unit's own past outweighs them.)
 * Unit i's weight to earlier slice u is `weightsOf(i)[at + u]`.
 */
export function labelSlice(s, n, labels, weightsOf, at) {
    const base = s * n;
    const mass = new Map();
    for (let i = 0; i < n; i++) {
        const w = weightsOf(i);
        mass.clear();
        for (let u = 0; u < s; u++) {
            const v = w[at + u];
            if (v !== 0)
                addMass(mass, labels[u * n + i], v);
        }
        labels[base + i] = heaviest(mass, labels[base - n + i]);
    }
}
function addMass(mass, label, w) {
    mass.set(label, (mass.get(label) ?? 0) + w);
}
function heaviest(mass, fallback) {
    let best = fallback;
    let bestMass = 0;
    for (const [l, m] of mass)
        if (m > bestMass) {
            bestMass = m;
            best = l;
        }
    return best;
}
/** Labels for the points of `k` beyond `old` (whole slices added since), slice by slice (labelSlice). */
export function extendLabels(k, old) {
    const n = k.units;
    const T = k.epochs;
    const labels = new Int32Array(T * n);
    labels.set(old.subarray(0, Math.min(old.length, T * n)));
    const none = new Float32Array(T);
    for (let tau = old.length / n; tau < T; tau++) {
        const inter = k.inter;
        labelSlice(tau, n, labels, (i) => (inter ? inter.subarray((i * T + tau) * T) : none), 0);
    }
    return labels;
}
//# sourceMappingURL=live-landmarks.js.map