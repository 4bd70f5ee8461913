/** Growable parallel (column, value) arrays for building a compact CSR row by row. */
class CsrBuilder {
    wide;
    cols;
    vals;
    size = 0;
    constructor(capacity, wide) {
        this.wide = wide;
        this.cols = wide ? new Int32Array(Math.max(16, capacity)) : new Uint16Array(Math.max(16, capacity));
        this.vals = new Float32Array(Math.max(16, capacity));
    }
    reserve(extra) {
        if (this.size + extra <= this.cols.length)
            return;
        const cap = Math.max(this.size + extra, Math.ceil(this.cols.length * 1.5));
        const c = this.wide ? new Int32Array(cap) : new Uint16Array(cap);
        c.set(this.cols.subarray(0, this.size));
        const v = new Float32Array(cap);
        v.set(this.vals.subarray(0, this.size));
        this.cols = c;
        this.vals = v;
    }
}
/**
 * G = K · Lab^T (N x L, sparse; float32 values, 6 bytes an entry: building C is memory-bound): G[b, l] = sum of K[b, a] over a in cluster l, i.e. row b of K
 * aggregated by label. As K is symmetric, G^T is the reference's M (docs/algorithm.md §6.4).
 */
function aggregateByLabel(k, labels, L) {
    const T = k.epochs;
    const n = k.units;
    const N = T * n;
    const acc = new Float64Array(L);
    const seen = new Int32Array(L).fill(-1);
    const touched = new Int32Array(L);
    const rowPtr = new Int32Array(N + 1);
    const out = new CsrBuilder(N * 16, L > 65536);
    const inter = k.inter;
    for (let tau = 0; tau < T; tau++) {
        const blk = k.intra[tau];
        for (let i = 0; i < n; i++) {
            const b = tau * n + i;
            let r = 0;
            // (inlined twice: a closure per row costs more than the loop body)
            for (let p = blk.rowPtr[i]; p < blk.rowPtr[i + 1]; p++) {
                const l = labels[tau * n + blk.cols[p]];
                if (seen[l] !== b) {
                    seen[l] = b;
                    acc[l] = 0;
                    touched[r++] = l;
                }
                acc[l] += blk.vals[p];
            }
            if (inter) {
                const o = (i * T + tau) * T;
                for (let u = 0; u < T; u++) {
                    const w = inter[o + u];
                    if (w === 0)
                        continue;
                    const l = labels[u * n + i];
                    if (seen[l] !== b) {
                        seen[l] = b;
                        acc[l] = 0;
                        touched[r++] = l;
                    }
                    acc[l] += w;
                }
            }
            out.reserve(r);
            const sorted = touched.subarray(0, r).sort();
            for (let x = 0; x < r; x++) {
                out.cols[out.size] = sorted[x];
                out.vals[out.size++] = acc[sorted[x]];
            }
            rowPtr[b + 1] = out.size;
        }
    }
    return { rows: N, rowPtr, cols: out.cols.slice(0, out.size), vals: out.vals.slice(0, out.size) };
}
/**
 * The landmark operator (docs/algorithm.md §6.4-6.7) from K, its degrees and every point's cluster label:
 *   P_NL[b, l] = G[b, l] / deg_b                    (data -> landmark, kept sparse, N x L)
 *   C = G^T D_N^-1 G = M D_N^-1 M^T                 (L x L)
 *   D_L = row sums of C = column sums of G,  S = D_L^-1/2 C D_L^-1/2,  Q = P_LN P_NL = D_L^-1 C.
 * C is accumulated landmark row by landmark row (through G^T), so the dense accumulator stays
 * in cache; the cost is sum over points of r_b^2, r_b = distinct clusters among b's neighbours.
 */
export function landmarkOperator(k, labels, landmarks) {
    const L = landmarks;
    const g = aggregateByLabel(k, labels, L);
    const N = g.rows;
    // G^T by counting sort
    const tPtr = new Int32Array(L + 1);
    for (let p = 0; p < g.cols.length; p++)
        tPtr[g.cols[p] + 1]++;
    for (let l = 0; l < L; l++)
        tPtr[l + 1] += tPtr[l];
    const fill = tPtr.slice(0, L);
    const tRow = new Int32Array(g.cols.length);
    const tVal = new Float32Array(g.cols.length);
    // degrees as the row sums of G's float32 values: C, D_L and P_NL then agree to float64 rounding
    const gdeg = new Float64Array(N);
    for (let b = 0; b < N; b++)
        for (let p = g.rowPtr[b]; p < g.rowPtr[b + 1]; p++)
            gdeg[b] += g.vals[p];
    for (let b = 0; b < N; b++)
        for (let p = g.rowPtr[b]; p < g.rowPtr[b + 1]; p++) {
            const q = fill[g.cols[p]]++;
            tRow[q] = b;
            tVal[q] = g.vals[p];
        }
    const dl = new Float64Array(L);
    for (let l = 0; l < L; l++)
        for (let q = tPtr[l]; q < tPtr[l + 1]; q++)
            dl[l] += tVal[q];
    const c = new Float64Array(L * L);
    const acc = new Float64Array(L);
    // upper triangle only (C is symmetric; G's rows are sorted, so each row's part with column >= l
    // is a suffix found by binary search), mirrored below
    const gPtr = g.rowPtr;
    const gVal = g.vals;
    const gCol = g.cols;
    for (let l = 0; l < L; l++) {
        acc.fill(0, l);
        const qEnd = tPtr[l + 1];
        for (let q = tPtr[l]; q < qEnd; q++) {
            const b = tRow[q];
            const w = tVal[q] / gdeg[b];
            let lo = gPtr[b];
            const end = gPtr[b + 1];
            let hi = end;
            while (lo < hi) {
                const mid = (lo + hi) >>> 1;
                if (gCol[mid] < l)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            for (let p = lo; p < end; p++)
                acc[gCol[p]] += w * gVal[p];
        }
        c.set(acc.subarray(l), l * L + l);
    }
    for (let i = 0; i < L; i++)
        for (let j = 0; j < i; j++)
            c[i * L + j] = c[j * L + i];
    const sqrtDegree = new Float64Array(L);
    for (let l = 0; l < L; l++)
        sqrtDegree[l] = Math.sqrt(dl[l]);
    for (let i = 0; i < L; i++) {
        const si = sqrtDegree[i];
        for (let j = i; j < L; j++) {
            const v = c[i * L + j] / (si * sqrtDegree[j]);
            c[i * L + j] = v;
            c[j * L + i] = v;
        }
    }
    // P_NL = D_N^-1 G (float32: it only weights the landmark coordinates)
    const pVals = new Float32Array(g.vals.length);
    for (let b = 0; b < N; b++) {
        const inv = 1 / gdeg[b];
        for (let p = g.rowPtr[b]; p < g.rowPtr[b + 1]; p++)
            pVals[p] = g.vals[p] * inv;
    }
    return {
        operator: { size: L, symmetric: c, sqrtDegree },
        transitions: { rows: N, rowPtr: g.rowPtr, cols: g.cols, vals: pVals },
    };
}
/** Without landmarks (N <= nLandmark): S = D^-1/2 K D^-1/2 densified (N x N), sqrtDegree = sqrt(deg). */
export function fullOperator(k) {
    const T = k.epochs;
    const n = k.units;
    const N = T * n;
    const s = new Float64Array(N * N);
    const sq = new Float64Array(N);
    for (let a = 0; a < N; a++)
        sq[a] = Math.sqrt(k.degree[a]);
    for (let tau = 0; tau < T; tau++) {
        const blk = k.intra[tau];
        for (let i = 0; i < n; i++) {
            const a = tau * n + i;
            for (let p = blk.rowPtr[i]; p < blk.rowPtr[i + 1]; p++) {
                const b = tau * n + blk.cols[p];
                s[a * N + b] = blk.vals[p] / (sq[a] * sq[b]);
            }
            if (k.inter) {
                const o = (i * T + tau) * T;
                for (let u = 0; u < T; u++) {
                    const w = k.inter[o + u];
                    if (w !== 0)
                        s[a * N + u * n + i] = w / (sq[a] * sq[u * n + i]);
                }
            }
        }
    }
    return { size: N, symmetric: s, sqrtDegree: sq };
}
//# sourceMappingURL=operator.js.map