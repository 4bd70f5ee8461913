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
    const bucketOf = new Uint16Array(pairs);
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
    const start = new Int32Array(BUCKETS + 1);
    const order = Int32Array.from({ length: BUCKETS }, (_, b) => b);
    for (let s = 0; s < sweeps; s++) {
        if (s === 0 || o.reshuffle !== false) {
            rec = shuffleRecords(rec, spare, bucketOf, start, random);
            spare = rec === recA ? recB : recA;
            recF = rec === recA ? recAF : recBF;
        }
        else
            random.shuffle(order);
        const mu = Math.min(etaMax * Math.exp(-lambda * s), 1);
        if (d === 2) {
            for (let ob = 0; ob < BUCKETS; ob++)
                for (let q = 2 * start[order[ob]], qEnd = 2 * start[order[ob] + 1]; q < qEnd; q += 2) {
                    const packed = rec[q];
                    const a = (packed >>> 16) << 1;
                    const b = (packed & 0xffff) << 1;
                    const vx = x[a] - x[b];
                    const vy = x[a + 1] - x[b + 1];
                    const mag = Math.sqrt(vx * vx + vy * vy);
                    const r = (mu * (mag - recF[q + 1])) / (2 * mag);
                    const rx = r * vx;
                    const ry = r * vy;
                    x[a] -= rx;
                    x[a + 1] -= ry;
                    x[b] += rx;
                    x[b + 1] += ry;
                }
        }
        else {
            for (let ob = 0; ob < BUCKETS; ob++)
                for (let q = 2 * start[order[ob]], qEnd = 2 * start[order[ob] + 1]; q < qEnd; q += 2) {
                    const packed = rec[q];
                    const a = (packed >>> 16) * d;
                    const b = (packed & 0xffff) * d;
                    let mag = 0;
                    for (let c = 0; c < d; c++)
                        mag += (x[a + c] - x[b + c]) ** 2;
                    mag = Math.sqrt(mag);
                    const r = (mu * (mag - recF[q + 1])) / (2 * mag);
                    for (let c = 0; c < d; c++) {
                        const v = r * (x[a + c] - x[b + c]);
                        x[a + c] -= v;
                        x[b + c] += v;
                    }
                }
        }
        // one NaN spreads to everything it touches: check once per sweep
        for (let i = 0; i < x.length; i++)
            if (Number.isNaN(x[i]))
                return undefined;
        o.onSweep?.(s + 1, sweeps);
    }
    return x;
}
const BUCKET_BITS = 9;
const BUCKETS = 1 << BUCKET_BITS;
/**
 * Uniform random permutation of the 2-word records of `src` into `dst` (Rao-Sandelius): each
 * record goes to a uniformly random bucket, then each bucket is Fisher-Yates shuffled. Returns
 * dst; `start` receives the buckets' first records (BUCKETS + 1 entries).
 */
function shuffleRecords(src, dst, bucketOf, start, random) {
    const n = src.length >>> 1;
    const buckets = BUCKETS;
    start.fill(0);
    // 16 M draws per sweep at M = 4000: an inline xorshift32 stream, seeded from `random` each
    // sweep, costs a fraction of a method call per draw (reproducible under the seed all the same).
    let x = random.nextUint32() | 1;
    for (let i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        const b = (x >>> 0) >>> (32 - BUCKET_BITS);
        bucketOf[i] = b;
        start[b + 1]++;
    }
    for (let b = 0; b < buckets; b++)
        start[b + 1] += start[b];
    const fill = start.slice(0, buckets);
    for (let i = 0; i < n; i++) {
        const at = 2 * fill[bucketOf[i]]++;
        dst[at] = src[2 * i];
        dst[at + 1] = src[2 * i + 1];
    }
    for (let b = 0; b < buckets; b++) {
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
    return dst;
}
//# sourceMappingURL=sgd.js.map