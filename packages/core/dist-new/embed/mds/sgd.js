/**
 * Metric MDS by stochastic gradient descent, as s_gd2.mds_direct runs for PHATE (docs/algorithm.md §9.2):
 * weights 1, step sizes η_s = exp(-λ s) from 1 down to 0.01 over the sweeps, every sweep a
 * Fisher-Yates shuffle of all M(M-1)/2 pairs (our seeded Random), then for each pair
 * μ = min(η, 1), v = X_a - X_b, r = μ(|v| - D_ab)/(2|v|), X_a -= r v, X_b += r v.
 *
 * Each pair is one 8-byte record, (a << 16 | b) then its distance as float32, in one buffer, and
 * each sweep streams it once. A plain Fisher-Yates over 8 M records (M = 4000) is bound by
 * memory latency (~1 s per sweep here), so the uniform permutation is drawn by the Rao-Sandelius
 * method instead: scatter every record to one of 512 random buckets, then Fisher-Yates inside
 * each (cache-resident) bucket. The result is still an exactly uniform random permutation of
 * all pairs, as the reference's shuffle is; ~3x faster. Returns undefined when coincident points make the
 * update NaN (the caller then falls back to SMACOF, as PHATE does).
 */
import { Random } from '../../linalg/random.js';
import { toSharedFloat64 } from '../../linalg/shared.js';
import { runOnThreads } from '../../linalg/thread-pool.js';
export function sgdMds(dist, m, init, d, random, o = {}) {
    if (m > 65536)
        throw new Error(`sgdMds: at most 65536 points, got ${m}`);
    if (init.length !== m * d)
        throw new Error(`sgdMds: init has length ${init.length}, expected ${m * d}`);
    const sweeps = o.sweeps ?? 30;
    const pairs = (m * (m - 1)) / 2;
    const recA = new Uint32Array(2 * pairs); // [packed pair, distance bits] per record
    const recB = new Uint32Array(2 * pairs); // the shuffle's destination, swapped every sweep
    const recAF = new Float32Array(recA.buffer);
    const recBF = new Float32Array(recB.buffer);
    let rec = recA;
    let spare = recB;
    let recF = recAF;
    let p = 0;
    for (let a = 0; a < m; a++)
        for (let b = a + 1; b < m; b++) {
            recA[p] = ((a << 16) | b) >>> 0;
            recAF[p + 1] = dist[a * m + b];
            p += 2;
        }
    const x = Float64Array.from(init);
    const etaMax = 1;
    const etaMin = 0.01;
    const lambda = sweeps > 1 ? Math.log(etaMax / etaMin) / (sweeps - 1) : 0;
    let start = new Int32Array(BUCKETS + 1);
    const order = Int32Array.from({ length: BUCKETS }, (_, b) => b);
    const fused = o.reshuffle !== false;
    for (let s = 0; s < sweeps; s++) {
        if (s === 0) {
            rec = shuffleRecords(rec, spare, start, random);
            spare = rec === recA ? recB : recA;
        }
        else if (!fused)
            random.shuffle(order);
        recF = rec === recA ? recAF : recBF;
        const mu = Math.min(etaMax * Math.exp(-lambda * s), 1);
        // every sweep but the last scatters its records to the next sweep's buckets as it goes (the
        // records are visited in array order, the order the shuffle reads them in): one pass less
        const next = fused && s + 1 < sweeps ? drawBuckets(pairs, random) : undefined;
        if (next)
            sweepScattering(rec, recF, x, d, mu, spare, next);
        else
            sweep(rec, recF, x, d, mu, start, order);
        if (next) {
            shuffleBuckets(spare, next.start, next.stream);
            [rec, spare] = [spare, rec];
            start = next.start;
        }
        // one NaN spreads to everything it touches: check once per sweep
        for (let i = 0; i < x.length; i++)
            if (Number.isNaN(x[i]))
                return undefined;
        o.onSweep?.(s + 1, sweeps);
    }
    return x;
}
export function sgdRun(a, onSweep) {
    const x = sgdMds(a.dist, a.m, a.init, a.d, new Random(a.seed), { sweeps: a.sweeps, onSweep });
    return x ? { coordinates: x, stress: layoutStress(a.dist, a.m, x, a.d) } : null;
}
/**
 * The lowest-stress layout of `runs` SGD runs from the same start, each with its own seed drawn
 * from `random`, run side by side on core's threads (docs/mphate.md, MDS: a deviation from
 * s_gd2's single run). On real traces one run in ~12 ends in a local minimum with a part of the
 * picture folded over (stress 6 % higher, agreement with the reference 0.95 instead of 0.99);
 * the lower of two is that unlucky only when both are. Undefined when a run met NaN.
 */
export async function sgdMdsBest(dist, m, init, d, random, o) {
    const shared = toSharedFloat64(dist);
    const args = Array.from({ length: o.runs }, () => ({
        dist: shared,
        m,
        init,
        d,
        seed: random.nextUint32(),
        sweeps: o.sweeps,
    }));
    const runs = await runOnThreads('sgdRun', args, (a) => sgdRun(a, a === args[0] ? o.onSweep : undefined));
    let best;
    for (const r of runs) {
        if (!r)
            return undefined;
        if (!best || r.stress < best.stress)
            best = r;
    }
    return best?.coordinates;
}
/** Normalised stress of a layout: Σ (|x_a - x_b| - D_ab)² / Σ D_ab² over the pairs a < b. */
export function layoutStress(dist, m, x, d) {
    let num = 0;
    let den = 0;
    for (let a = 0; a < m; a++)
        for (let b = a + 1; b < m; b++) {
            let mag = 0;
            for (let c = 0; c < d; c++)
                mag += (x[a * d + c] - x[b * d + c]) ** 2;
            const target = dist[a * m + b];
            const e = Math.sqrt(mag) - target;
            num += e * e;
            den += target * target;
        }
    return den > 0 ? num / den : 0;
}
const BUCKET_BITS = 9;
const BUCKETS = 1 << BUCKET_BITS;
/** One SGD sweep over the records, bucket by bucket in `order`. */
function sweep(rec, recF, x, d, mu, start, order) {
    for (let ob = 0; ob < BUCKETS; ob++)
        for (let q = 2 * start[order[ob]], qEnd = 2 * start[order[ob] + 1]; q < qEnd; q += 2)
            update(rec[q], recF[q + 1], x, d, mu);
}
/**
 * One SGD sweep over the records in array order, each record then scattered to its bucket of the
 * next sweep's permutation (`next`, drawn by drawBuckets): what shuffleRecords' scatter does, in
 * the same order with the same stream, so the permutation is the same bits.
 */
function sweepScattering(rec, recF, x, d, mu, dst, next) {
    const fill = next.start.slice(0, BUCKETS);
    let y = next.first;
    for (let q = 0; q < rec.length; q += 2) {
        const packed = rec[q];
        update(packed, recF[q + 1], x, d, mu);
        y ^= y << 13;
        y ^= y >>> 17;
        y ^= y << 5;
        const at = 2 * fill[(y >>> 0) >>> (32 - BUCKET_BITS)]++;
        dst[at] = packed;
        dst[at + 1] = rec[q + 1];
    }
}
/** s_gd2's update of one pair: μ = min(η, 1), r = μ(|v| - D_ab)/(2|v|), X_a -= r v, X_b += r v. */
function update(packed, target, x, d, mu) {
    if (d === 2) {
        const a = (packed >>> 16) << 1;
        const b = (packed & 0xffff) << 1;
        const vx = x[a] - x[b];
        const vy = x[a + 1] - x[b + 1];
        const mag = Math.sqrt(vx * vx + vy * vy);
        const r = (mu * (mag - target)) / (2 * mag);
        const rx = r * vx;
        const ry = r * vy;
        x[a] -= rx;
        x[a + 1] -= ry;
        x[b] += rx;
        x[b + 1] += ry;
        return;
    }
    const a = (packed >>> 16) * d;
    const b = (packed & 0xffff) * d;
    let mag = 0;
    for (let c = 0; c < d; c++)
        mag += (x[a + c] - x[b + c]) ** 2;
    mag = Math.sqrt(mag);
    const r = (mu * (mag - target)) / (2 * mag);
    for (let c = 0; c < d; c++) {
        const v = r * (x[a + c] - x[b + c]);
        x[a + c] -= v;
        x[b + c] += v;
    }
}
function drawBuckets(n, random) {
    const start = new Int32Array(BUCKETS + 1);
    const first = random.nextUint32() | 1;
    let x = first;
    for (let i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        start[((x >>> 0) >>> (32 - BUCKET_BITS)) + 1]++;
    }
    for (let b = 0; b < BUCKETS; b++)
        start[b + 1] += start[b];
    return { start, first, stream: x };
}
/**
 * Uniform random permutation of the 2-word records of `src` into `dst` (Rao-Sandelius): each
 * record goes to a uniformly random bucket, then each bucket is Fisher-Yates shuffled. Returns
 * dst; `start` receives the buckets' first records (BUCKETS + 1 entries).
 */
function shuffleRecords(src, dst, start, random) {
    const next = drawBuckets(src.length >>> 1, random);
    start.set(next.start);
    const fill = start.slice(0, BUCKETS);
    let y = next.first;
    for (let i = 0; i < src.length; i += 2) {
        y ^= y << 13;
        y ^= y >>> 17;
        y ^= y << 5;
        const at = 2 * fill[(y >>> 0) >>> (32 - BUCKET_BITS)]++;
        dst[at] = src[i];
        dst[at + 1] = src[i + 1];
    }
    shuffleBuckets(dst, start, next.stream);
    return dst;
}
/** Fisher-Yates inside each (cache-resident) bucket, continuing the stream from `x`. */
function shuffleBuckets(dst, start, x) {
    for (let b = 0; b < BUCKETS; b++) {
        const lo = start[b];
        for (let i = start[b + 1] - 1; i > lo; i--) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            const i2 = 2 * i;
            const j2 = 2 * (lo + Math.floor(((x >>> 0) / 4294967296) * (i - lo + 1)));
            const t = dst[i2];
            const u = dst[i2 + 1];
            dst[i2] = dst[j2];
            dst[i2 + 1] = dst[j2 + 1];
            dst[j2] = t;
            dst[j2 + 1] = u;
        }
    }
}
//# sourceMappingURL=sgd.js.map