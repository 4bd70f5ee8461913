import { Lockstep } from '../linalg/lockstep.js';
import { ResidentMatrix } from '../linalg/matmul.js';
import { sharedFloat32, sharedFloat64 } from '../linalg/shared.js';
import { runBeside } from '../linalg/thread-pool.js';
import { transpose } from '../linalg/transpose.js';
const POTENTIALS = 1;
const KEEP = 2;
/** A follower silent this long has died (a step takes about a millisecond): its half runs here. */
const FOLLOWER_TIMEOUT_MS = 30_000;
/** One half of the sample kept on this thread's backend, with its share of the D² sums. */
class SeedingHalf {
    a;
    lo;
    hi;
    resident;
    dots = new Float32Array(0);
    constructor(a, lo, hi, resident) {
        this.a = a;
        this.lo = lo;
        this.hi = hi;
        this.resident = resident;
    }
    static async create(a) {
        const S = a.norms.length;
        const mid = Math.floor(S / 2);
        const [lo, hi] = a.half === 0 ? [0, mid] : [mid, S];
        const rows = transpose(a.pts.subarray(lo * a.dim, hi * a.dim), hi - lo, a.dim);
        return new SeedingHalf(a, lo, hi, await ResidentMatrix.create(rows, a.dim, hi - lo));
    }
    /** Each of the first `count` candidates' total D² over this half, were it added. */
    async potentials(count) {
        const { cand, candNorm, norms, closest, pots, dim, trials, half } = this.a;
        const { lo, hi } = this;
        const n = hi - lo;
        this.dots = await this.resident.leftMul(cand.subarray(0, count * dim), count);
        for (let j = 0; j < count; j++) {
            const cn = candNorm[j];
            let p = 0;
            for (let s = 0, at = j * n; s < n; s++, at++) {
                let d = norms[lo + s] + cn - 2 * this.dots[at];
                if (d < 0)
                    d = 0;
                p += Math.min(d, closest[lo + s]);
            }
            pots[half * trials + j] = p;
        }
    }
    /** Candidate j (of the last `potentials`) is a centre now: this half's D² and sums follow. */
    keep(j) {
        const { candNorm, norms, closest, cumsum, totals, half } = this.a;
        const { lo, hi } = this;
        const n = hi - lo;
        const cn = candNorm[j];
        let run = 0;
        for (let s = 0, at = j * n; s < n; s++, at++) {
            let d = norms[lo + s] + cn - 2 * this.dots[at];
            if (d < 0)
                d = 0;
            if (d < closest[lo + s])
                closest[lo + s] = d;
            cumsum[lo + s] = run += closest[lo + s];
        }
        totals[half] = run;
    }
    dispose() {
        this.resident.dispose();
    }
}
/** The second half's loop on a core worker thread (thread-tasks.ts): steps until stopped. */
export async function seedingFollower(a) {
    const channel = Lockstep.of(a.ctrl);
    if (channel.stopped)
        return 0; // run late, on the calling thread, after the lead took over
    const half = await SeedingHalf.create(a);
    let seen = 0;
    try {
        for (let c = channel.receive(seen); c; c = channel.receive(seen)) {
            seen++;
            if (c.cmd === POTENTIALS)
                await half.potentials(c.arg);
            else
                half.keep(c.arg);
            channel.done(seen);
        }
    }
    finally {
        half.dispose();
    }
    return seen;
}
/**
 * Greedy k-means++ seeding over the sampled rows, as sklearn's `_kmeans_plusplus` does: the first
 * centre uniformly, then for each next one 2 + floor(ln L) candidates drawn from the D²
 * distribution, and the candidate that lowers the total D² the most is kept. Plain D² sampling
 * (one draw per centre) strands centres on outliers more often: on the dropout fixture's features
 * at seed 2 its clustering gave an embedding agreeing with the reference at 0.969, where
 * sklearn's clusterings of the same features give 0.993-0.995 (docs/mphate.md).
 *
 * The sample is split in two halves, each on a backend with its share of the D² sums: one on the
 * calling thread, one on a core worker thread beside it, in lockstep (linalg/lockstep.ts), so each
 * step's products (trials x dim by dim x S/2) and sums run on both cores. Without a worker both
 * halves run here, the same way: the centres are the same bits for any thread count. Returns
 * L x dim centres.
 */
export async function kmeansPlusPlus(x, dim, sample, L, rnd, 
/** Both halves on the calling thread even where a worker is free (tests). */
alone = false) {
    const S = sample.length;
    const trials = 2 + Math.floor(Math.log(L));
    const args = {
        pts: sharedFloat32(S * dim),
        norms: sharedFloat64(S),
        closest: sharedFloat64(S).fill(Number.POSITIVE_INFINITY),
        cumsum: sharedFloat64(S),
        cand: sharedFloat32(trials * dim),
        candNorm: sharedFloat64(trials),
        pots: sharedFloat64(2 * trials),
        totals: sharedFloat64(2),
        dim,
        trials,
        half: 0,
    };
    const { pts, norms, cumsum, cand, candNorm, pots, totals } = args;
    for (let s = 0; s < S; s++) {
        const row = x.subarray(sample[s] * dim, (sample[s] + 1) * dim);
        pts.set(row, s * dim);
        let q = 0;
        for (let k = 0; k < dim; k++)
            q += row[k] * row[k];
        norms[s] = q;
    }
    const setCandidate = (j, s) => {
        cand.set(pts.subarray(s * dim, (s + 1) * dim), j * dim);
        candNorm[j] = norms[s];
    };
    const mid = Math.floor(S / 2);
    // numpy searchsorted (side 'left') of u in the running D² sums, clipped to the last row
    const search = (u) => {
        const t0 = totals[0];
        let lo = 0;
        let hi = S - 1;
        while (lo < hi) {
            const m = (lo + hi) >>> 1;
            if ((m < mid ? cumsum[m] : t0 + cumsum[m]) < u)
                lo = m + 1;
            else
                hi = m;
        }
        return lo;
    };
    const channel = Lockstep.create();
    const lead = async (beside) => {
        const own = await SeedingHalf.create(args);
        let other = beside ? undefined : await SeedingHalf.create({ ...args, half: 1 });
        const step = async (cmd, arg, count) => {
            if (!other)
                channel.send(cmd, arg);
            if (cmd === POTENTIALS)
                await own.potentials(arg);
            else
                own.keep(arg);
            if (!other) {
                if (channel.awaitDone(FOLLOWER_TIMEOUT_MS))
                    return;
                // the follower died: its half runs here from now on, this step's products first
                channel.stop();
                other = await SeedingHalf.create({ ...args, half: 1 });
                if (cmd === KEEP)
                    await other.potentials(count);
            }
            if (cmd === POTENTIALS)
                await other.potentials(arg);
            else
                other.keep(arg);
        };
        const centres = new Float32Array(L * dim);
        try {
            const first = rnd.nextInt(S);
            setCandidate(0, first);
            await step(POTENTIALS, 1, 1);
            await step(KEEP, 0, 1);
            centres.set(cand.subarray(0, dim), 0);
            for (let c = 1; c < L; c++) {
                const pot = totals[0] + totals[1];
                for (let j = 0; j < trials; j++)
                    setCandidate(j, search(rnd.next() * pot));
                await step(POTENTIALS, trials, trials);
                // each candidate's new total D²; the first of equal ones wins
                let best = 0;
                for (let j = 1; j < trials; j++)
                    if (pots[j] + pots[trials + j] < pots[best] + pots[trials + best])
                        best = j;
                await step(KEEP, best, trials);
                centres.set(cand.subarray(best * dim, (best + 1) * dim), c * dim);
            }
        }
        finally {
            channel.stop();
            own.dispose();
            other?.dispose();
        }
        return centres;
    };
    return alone ? lead(false) : runBeside('seedingFollower', { ...args, half: 1, ctrl: channel.ctrl }, lead);
}
//# sourceMappingURL=kmeans-seeding.js.map