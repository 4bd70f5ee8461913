import { Lockstep } from '../linalg/lockstep.js';
import { ResidentMatrix } from '../linalg/matmul.js';
import type { Random } from '../linalg/random.js';
import { sharedFloat32, sharedFloat64 } from '../linalg/shared.js';
import { runBeside } from '../linalg/thread-pool.js';
import { transpose } from '../linalg/transpose.js';

const POTENTIALS = 1;
const KEEP = 2;
/** A follower silent this long has died (a step takes about a millisecond): its half runs here. */
const FOLLOWER_TIMEOUT_MS = 30_000;
/** Pace: the first steps run here, the next ones beside the follower, the first few of each untimed. */
const PACE_LOCAL = 100;
const PACE_REMOTE = 150;
const PACE_WARMUP = 40;

/** The seeding's state, shared by its two halves (SharedArrayBuffer-backed in Node). */
export interface SeedingHalfArgs {
  /** S x dim: the sampled rows. */
  pts: Float32Array;
  /** S: their squared norms. */
  norms: Float64Array;
  /** S: each row's D² to its nearest centre so far. */
  closest: Float64Array;
  /** S: running sums of `closest`, restarted at each half. */
  cumsum: Float64Array;
  /** trials x dim: this step's candidate rows, and their squared norms. */
  cand: Float32Array;
  candNorm: Float64Array;
  /** 2 x trials: each half's total D² were each candidate added. */
  pots: Float64Array;
  /** 2: each half's total D². */
  totals: Float64Array;
  dim: number;
  trials: number;
  half: 0 | 1;
  /** The follower's end of the lockstep channel. */
  ctrl?: Int32Array;
}

/** One half of the sample kept on this thread's backend, with its share of the D² sums. */
class SeedingHalf {
  private dots: Float32Array = new Float32Array(0);

  private constructor(
    private readonly a: SeedingHalfArgs,
    private readonly lo: number,
    private readonly hi: number,
    private readonly resident: ResidentMatrix,
  ) {}

  static async create(a: SeedingHalfArgs): Promise<SeedingHalf> {
    const S = a.norms.length;
    const mid = Math.floor(S / 2);
    const [lo, hi] = a.half === 0 ? [0, mid] : [mid, S];
    const rows = transpose(a.pts.subarray(lo * a.dim, hi * a.dim), hi - lo, a.dim);
    return new SeedingHalf(a, lo, hi, await ResidentMatrix.create(rows, a.dim, hi - lo));
  }

  /** Each of the first `count` candidates' total D² over this half, were it added. */
  async potentials(count: number): Promise<void> {
    const { cand, candNorm, norms, closest, pots, dim, trials, half } = this.a;
    const { lo, hi } = this;
    const n = hi - lo;
    this.dots = await this.resident.leftMul(cand.subarray(0, count * dim), count);
    for (let j = 0; j < count; j++) {
      const cn = candNorm[j]!;
      let p = 0;
      for (let s = 0, at = j * n; s < n; s++, at++) {
        let d = norms[lo + s]! + cn - 2 * this.dots[at]!;
        if (d < 0) d = 0;
        p += Math.min(d, closest[lo + s]!);
      }
      pots[half * trials + j] = p;
    }
  }

  /** Candidate j (of the last `potentials`) is a centre now: this half's D² and sums follow. */
  keep(j: number): void {
    const { candNorm, norms, closest, cumsum, totals, half } = this.a;
    const { lo, hi } = this;
    const n = hi - lo;
    const cn = candNorm[j]!;
    let run = 0;
    for (let s = 0, at = j * n; s < n; s++, at++) {
      let d = norms[lo + s]! + cn - 2 * this.dots[at]!;
      if (d < 0) d = 0;
      if (d < closest[lo + s]!) closest[lo + s] = d;
      cumsum[lo + s] = run += closest[lo + s]!;
    }
    totals[half] = run;
  }

  dispose(): void {
    this.resident.dispose();
  }
}

/**
 * Whether a step runs its second half on the follower or here, decided once from the first
 * steps. Lockstep pays only while both threads have a core: quiet, 4000 centres from 12,000
 * random 100-d rows took 4.0-4.4 s beside the follower against 6.6 s alone; with two other jobs
 * on the two cores, 17 s against 12 s. So the first steps run here (timed after a warm-up), the
 * next ones beside the follower (the same), and the rest the faster way; a follower that lost
 * is stopped. Measured in this order because a follower that slept while its leader worked
 * alone comes back slow (it wakes on its leader's core) and would lose unfairly.
 */
class Pace {
  private readonly sum = { remote: 0, local: 0 };
  private readonly count = { remote: 0, local: 0 };
  private decided: boolean | undefined;

  constructor(private readonly beside: boolean) {
    if (!beside) this.decided = false;
  }

  /** The way of step `step` (1, 2, ...). */
  remote(step: number): boolean {
    return this.decided ?? step > PACE_LOCAL;
  }

  took(step: number, remote: boolean, ms: number): void {
    if (this.decided !== undefined) return;
    const start = remote ? PACE_LOCAL : 0;
    if (step - start <= PACE_WARMUP) return;
    const key = remote ? 'remote' : 'local';
    this.sum[key] += ms;
    this.count[key]++;
    if (step === PACE_LOCAL + PACE_REMOTE)
      this.decided = this.sum.remote / this.count.remote < this.sum.local / this.count.local;
  }

  /** True once the follower has lost (it is then stopped). */
  get alone(): boolean {
    return this.beside && this.decided === false;
  }

  followerGone(): void {
    this.decided = false;
  }
}

/** The second half's loop on a core worker thread (thread-tasks.ts): steps until stopped. */
export async function seedingFollower(a: SeedingHalfArgs): Promise<number> {
  const channel = Lockstep.of(a.ctrl!);
  if (channel.stopped) return 0; // run late, on the calling thread, after the lead took over
  const half = await SeedingHalf.create(a);
  let seen = 0;
  try {
    for (let c = channel.receive(seen); c; c = channel.receive(seen)) {
      seen++;
      if (c.cmd === POTENTIALS) await half.potentials(c.arg);
      else half.keep(c.arg);
      channel.done(seen);
    }
  } finally {
    half.dispose();
  }
  return seen;
}

/** Seeding steps between two pauses (~1 ms each at 1,000 centres). */
const PAUSE_EVERY = 16;

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
export async function kmeansPlusPlus(
  x: Float32Array,
  dim: number,
  sample: Int32Array,
  L: number,
  rnd: Random,
  /** Both halves on the calling thread even where a worker is free (tests, and with `pause`). */
  alone = false,
  /** Awaited every PAUSE_EVERY steps (a follower would wait through the pauses: use with `alone`). */
  pause?: () => Promise<void>,
): Promise<Float32Array> {
  const S = sample.length;
  const trials = 2 + Math.floor(Math.log(L));
  const args: SeedingHalfArgs = {
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
    const row = x.subarray(sample[s]! * dim, (sample[s]! + 1) * dim);
    pts.set(row, s * dim);
    let q = 0;
    for (let k = 0; k < dim; k++) q += row[k]! * row[k]!;
    norms[s] = q;
  }
  const setCandidate = (j: number, s: number): void => {
    cand.set(pts.subarray(s * dim, (s + 1) * dim), j * dim);
    candNorm[j] = norms[s]!;
  };
  const mid = Math.floor(S / 2);
  // numpy searchsorted (side 'left') of u in the running D² sums, clipped to the last row
  const search = (u: number): number => {
    const t0 = totals[0]!;
    let lo = 0;
    let hi = S - 1;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if ((m < mid ? cumsum[m]! : t0 + cumsum[m]!) < u) lo = m + 1;
      else hi = m;
    }
    return lo;
  };
  const channel = Lockstep.create();
  const lead = async (beside: boolean): Promise<Float32Array> => {
    const own = await SeedingHalf.create(args);
    // the second half here, when there is no follower or when it does not pay (below)
    let local: SeedingHalf | undefined;
    const pace = new Pace(beside);
    const step = async (cmd: number, arg: number, count: number, remote: boolean): Promise<void> => {
      if (remote) channel.send(cmd, arg);
      if (cmd === POTENTIALS) await own.potentials(arg);
      else own.keep(arg);
      if (remote) {
        if (channel.awaitDone(FOLLOWER_TIMEOUT_MS)) return;
        // the follower died: its half runs here from now on, this step's products first
        pace.followerGone();
        local ??= await SeedingHalf.create({ ...args, half: 1 });
        if (cmd === KEEP) await local.potentials(count);
      }
      local ??= await SeedingHalf.create({ ...args, half: 1 });
      if (cmd === POTENTIALS) await local.potentials(arg);
      else local.keep(arg);
    };
    const centres = new Float32Array(L * dim);
    try {
      const first = rnd.nextInt(S);
      setCandidate(0, first);
      await step(POTENTIALS, 1, 1, beside);
      await step(KEEP, 0, 1, beside);
      centres.set(cand.subarray(0, dim), 0);
      for (let c = 1; c < L; c++) {
        if (pause && c % PAUSE_EVERY === 0) await pause();
        const remote = pace.remote(c);
        const t0 = performance.now();
        const pot = totals[0]! + totals[1]!;
        for (let j = 0; j < trials; j++) setCandidate(j, search(rnd.next() * pot));
        await step(POTENTIALS, trials, trials, remote);
        // each candidate's new total D²; the first of equal ones wins
        let best = 0;
        for (let j = 1; j < trials; j++)
          if (pots[j]! + pots[trials + j]! < pots[best]! + pots[trials + best]!) best = j;
        await step(KEEP, best, trials, remote);
        pace.took(c, remote, performance.now() - t0);
        if (pace.alone && !channel.stopped) channel.stop(); // the follower returns
        centres.set(cand.subarray(best * dim, (best + 1) * dim), c * dim);
      }
    } finally {
      channel.stop();
      own.dispose();
      local?.dispose();
    }
    return centres;
  };
  return alone ? lead(false) : runBeside('seedingFollower', { ...args, half: 1, ctrl: channel.ctrl }, lead);
}
