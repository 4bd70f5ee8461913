import { ResidentMatrix } from '../linalg/matmul.js';
import type { Random } from '../linalg/random.js';
import { sharedFloat32, sharedFloat64, sharedInt32 } from '../linalg/shared.js';
import { runOnThreads } from '../linalg/thread-pool.js';
import { transpose } from '../linalg/transpose.js';

/**
 * Most (candidate, row) pairs the lists may hold: 12 bytes each in the lists (96 MB), 16 while
 * the blocks collect them. mnist-100's features
 * (12,000 sampled rows) have 4.8 M pairs that can still lower a D² after 8 centres, 2.8 M after 64.
 */
const PAIR_BUDGET = 8_000_000;
/** Centres placed directly before the pairs are first counted; the count is retried at 2x, 4x, ... */
const FIRST_COUNT = 8;
/** Rows whose pairs are counted to estimate the lists' size (their pairs x S / PROBE_ROWS). */
const PROBE_ROWS = 256;
/** Safety factor on that estimate (the probe rows are a random sample). */
const ESTIMATE_MARGIN = 1.5;
/** Products per piece of a Gram block: 2^22 (16 MB per temporary on a thread's backend). */
const GRAM_BLOCK_PRODUCTS = 2 ** 22;
/** Blocks of rows of the sample's Gram, each of the same area of its upper triangle. */
const GRAM_BLOCKS = 16;
/** Seeding steps between two pauses (~1 ms each when placed directly). */
const PAUSE_EVERY = 16;

/** One block of rows of the sample's Gram, upper triangle (thread-tasks.ts). */
export interface SeedingPairsArgs {
  /** S x dim: the sampled rows (shared). */
  pts: Float32Array;
  /** S: their squared norms. */
  norms: Float64Array;
  /** S: each row's D² to its nearest centre so far. */
  closest: Float64Array;
  dim: number;
  rows: [number, number];
  /** Most pairs all blocks together may hold (twice the budget: the count was an estimate). */
  cap: number;
  /** 1: the pairs found so far by all blocks (shared, Atomics). */
  found: Int32Array;
  /** The block's expected pairs: its arrays' first size (grown arrays are garbage a worker may keep long). */
  expect: number;
}

/** Pairs (candidate `from[p]`, row `to[p]`) at squared distance `d2[p]`. */
export interface SeedingPairs {
  from: Int32Array;
  to: Int32Array;
  d2: Float64Array;
}

/** The squared distance from a Gram entry, as every step computes it. */
function squaredDistance(ns: number, nt: number, dot: number): number {
  return Math.max(ns + nt - 2 * dot, 0);
}

/**
 * The pairs of a block of rows s with the rows t >= s: (s, t) when d²(s, t) < closest[t], and
 * (t, s) when d²(s, t) < closest[s], the only rows a candidate can still bring closer to a
 * centre. The Gram rows are computed in pieces of GRAM_BLOCK_PRODUCTS, so the backend's heap
 * stays small. Null, and stopped at once, when all blocks' pairs together pass `cap`.
 */
export async function seedingPairs(a: SeedingPairsArgs): Promise<SeedingPairs | null> {
  const { pts, norms, closest, dim } = a;
  const S = norms.length;
  const [lo, hi] = a.rows;
  const w = S - lo;
  const resident = await ResidentMatrix.create(transpose(pts.subarray(lo * dim), w, dim), dim, w);
  const first = Math.max(1024, Math.ceil(a.expect));
  let from = new Int32Array(first);
  let to = new Int32Array(first);
  let d2 = new Float64Array(first);
  let size = 0;
  let counted = 0;
  const push = (s: number, t: number, d: number): void => {
    if (size === from.length) {
      from = grow(from, new Int32Array(2 * size));
      to = grow(to, new Int32Array(2 * size));
      d2 = grow(d2, new Float64Array(2 * size));
    }
    from[size] = s;
    to[size] = t;
    d2[size++] = d;
  };
  const piece = Math.max(1, Math.floor(GRAM_BLOCK_PRODUCTS / w));
  try {
    for (let p0 = lo; p0 < hi; p0 += piece) {
      const p1 = Math.min(hi, p0 + piece);
      const dots = await resident.leftMul(pts.subarray(p0 * dim, p1 * dim), p1 - p0);
      for (let s = p0; s < p1; s++) {
        const ns = norms[s]!;
        const cs = closest[s]!;
        const row = (s - p0) * w - lo;
        const self = squaredDistance(ns, ns, dots[row + s]!);
        if (self < cs) push(s, s, self);
        for (let t = s + 1; t < S; t++) {
          const d = squaredDistance(ns, norms[t]!, dots[row + t]!);
          if (d < closest[t]!) push(s, t, d);
          if (d < cs) push(t, s, d);
        }
      }
      const added = size - counted;
      counted = size;
      if (Atomics.add(a.found, 0, added) + added > a.cap) return null;
    }
  } finally {
    resident.dispose();
  }
  // views, not copies: their buffers move to the calling thread whole (thread-worker.ts)
  return { from: from.subarray(0, size), to: to.subarray(0, size), d2: d2.subarray(0, size) };
}

function grow<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** The sampled rows, their D² and the running sums the candidates are drawn from. */
class SeedingState {
  readonly S: number;
  readonly pts: Float32Array;
  readonly norms: Float64Array;
  readonly closest: Float64Array;
  private readonly cumsum: Float64Array;

  constructor(
    x: Float32Array,
    readonly dim: number,
    sample: Int32Array,
  ) {
    const S = sample.length;
    this.S = S;
    this.pts = sharedFloat32(S * dim);
    this.norms = sharedFloat64(S);
    this.closest = sharedFloat64(S).fill(Number.POSITIVE_INFINITY);
    this.cumsum = new Float64Array(S);
    for (let s = 0; s < S; s++) {
      const row = x.subarray(sample[s]! * dim, (sample[s]! + 1) * dim);
      this.pts.set(row, s * dim);
      let q = 0;
      for (let k = 0; k < dim; k++) q += row[k]! * row[k]!;
      this.norms[s] = q;
    }
  }

  /** The rows' D² total, after `resum`. */
  total = 0;

  resum(): void {
    let run = 0;
    for (let s = 0; s < this.S; s++) this.cumsum[s] = run += this.closest[s]!;
    this.total = run;
  }

  /** numpy searchsorted (side 'left') of u in the running D² sums, clipped to the last row. */
  search(u: number): number {
    let lo = 0;
    let hi = this.S - 1;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (this.cumsum[m]! < u) lo = m + 1;
      else hi = m;
    }
    return lo;
  }
}

/** Candidates' D² reductions from the products with every row (the first centres). */
class DirectSteps {
  private dots: Float32Array = new Float32Array(0);
  private constructor(
    private readonly st: SeedingState,
    private readonly resident: ResidentMatrix,
  ) {}

  static async create(st: SeedingState): Promise<DirectSteps> {
    return new DirectSteps(st, await ResidentMatrix.create(transpose(st.pts, st.S, st.dim), st.dim, st.S));
  }

  /** Total D² each candidate row would remove, were it a centre. */
  async gains(cand: Int32Array): Promise<Float64Array> {
    const { pts, norms, closest, dim, S } = this.st;
    const rows = new Float32Array(cand.length * dim);
    for (let j = 0; j < cand.length; j++)
      rows.set(pts.subarray(cand[j]! * dim, (cand[j]! + 1) * dim), j * dim);
    this.dots = await this.resident.leftMul(rows, cand.length);
    const gains = new Float64Array(cand.length);
    for (let j = 0; j < cand.length; j++) {
      const nc = norms[cand[j]!]!;
      let g = 0;
      for (let t = 0, at = j * S; t < S; t++, at++) {
        const d = squaredDistance(nc, norms[t]!, this.dots[at]!);
        if (d < closest[t]!) g += closest[t]! - d;
      }
      gains[j] = g;
    }
    return gains;
  }

  /** Candidate j of the last `gains` is a centre: the rows' D² follow. */
  keep(j: number, cand: Int32Array): void {
    const { norms, closest, S } = this.st;
    const nc = norms[cand[j]!]!;
    for (let t = 0, at = j * S; t < S; t++, at++) {
      const d = squaredDistance(nc, norms[t]!, this.dots[at]!);
      if (d < closest[t]!) closest[t] = d;
    }
  }

  /**
   * The pairs (s, t) with d²(s, t) < closest[t], estimated from PROBE_ROWS rows spread over
   * the sample (itself drawn at random).
   */
  async pairEstimate(): Promise<number> {
    const { pts, norms, closest, dim, S } = this.st;
    const probes = Math.min(S, PROBE_ROWS);
    const rows = new Float32Array(probes * dim);
    const picks = Int32Array.from({ length: probes }, (_, i) => Math.floor((i * S) / probes));
    for (let i = 0; i < probes; i++) rows.set(pts.subarray(picks[i]! * dim, (picks[i]! + 1) * dim), i * dim);
    const dots = await this.resident.leftMul(rows, probes);
    let pairs = 0;
    for (let i = 0; i < probes; i++) {
      const ns = norms[picks[i]!]!;
      for (let t = 0, at = i * S; t < S; t++, at++)
        if (squaredDistance(ns, norms[t]!, dots[at]!) < closest[t]!) pairs++;
    }
    return (pairs * S) / probes;
  }

  dispose(): void {
    this.resident.dispose();
  }
}

/** Candidates' D² reductions from the pair lists: only the rows each can still bring closer. */
class ListedSteps {
  private readonly start: Int32Array;
  private readonly cols: Int32Array;
  private readonly d2: Float64Array;

  constructor(
    private readonly st: SeedingState,
    blocks: SeedingPairs[],
  ) {
    let size = 0;
    for (const b of blocks) size += b.from.length;
    this.start = new Int32Array(st.S + 1);
    this.cols = new Int32Array(size);
    this.d2 = new Float64Array(size);
    for (const b of blocks) for (const s of b.from) this.start[s + 1]!++;
    for (let s = 0; s < st.S; s++) this.start[s + 1]! += this.start[s]!;
    const at = this.start.slice(0, st.S);
    for (const b of blocks)
      for (let p = 0; p < b.from.length; p++) {
        const q = at[b.from[p]!]!++;
        this.cols[q] = b.to[p]!;
        this.d2[q] = b.d2[p]!;
      }
  }

  gains(cand: Int32Array): Float64Array {
    const { closest } = this.st;
    const gains = new Float64Array(cand.length);
    for (let j = 0; j < cand.length; j++) {
      let g = 0;
      for (let p = this.start[cand[j]!]!; p < this.start[cand[j]! + 1]!; p++) {
        const c = closest[this.cols[p]!]!;
        if (this.d2[p]! < c) g += c - this.d2[p]!;
      }
      gains[j] = g;
    }
    return gains;
  }

  keep(j: number, cand: Int32Array): void {
    const { closest } = this.st;
    for (let p = this.start[cand[j]!]!; p < this.start[cand[j]! + 1]!; p++) {
      const t = this.cols[p]!;
      if (this.d2[p]! < closest[t]!) closest[t] = this.d2[p]!;
    }
  }
}

export interface SeedingOptions {
  /** Everything on the calling thread even where a worker is free (tests, and with `pause`). */
  alone?: boolean;
  /** Awaited every PAUSE_EVERY steps and between Gram blocks. */
  pause?: () => Promise<void>;
  /** Most pairs the lists may hold (default PAIR_BUDGET; 0: every step direct). */
  pairBudget?: number;
}

/**
 * Greedy k-means++ seeding over the sampled rows, as sklearn's `_kmeans_plusplus` does: the first
 * centre uniformly, then for each next one 2 + floor(ln L) candidates drawn from the D²
 * distribution, and the candidate that lowers the total D² the most is kept. Plain D² sampling
 * (one draw per centre) strands centres on outliers more often: on the dropout fixture's features
 * at seed 2 its clustering gave an embedding agreeing with the reference at 0.969, where
 * sklearn's clusterings of the same features give 0.993-0.995 (docs/mphate.md).
 *
 * Computed directly, each step is a product of the candidates with every row (4000 centres from
 * 12,000 100-d rows: ~96 GFLOP). But D² only shrinks, and after a few centres a candidate can
 * lower it on few rows (mnist-100's features: 403 of 12,000 on average after 8 centres). So the
 * first centres are placed directly, until the pairs (s, t) with d²(s, t) < D²(t) fit in
 * PAIR_BUDGET; then those pairs are listed once from the sample's Gram (~29 GFLOP, in row blocks
 * on core's threads), and every later step reads only its candidates' lists: a pair not listed
 * can never lower a D² again, so the seeding is the same. On data whose pairs never fit, every
 * step stays direct. The blocks are fixed, so the centres are the same bits for any thread
 * count. Returns L x dim centres.
 */
export async function kmeansPlusPlus(
  x: Float32Array,
  dim: number,
  sample: Int32Array,
  L: number,
  rnd: Random,
  o: SeedingOptions = {},
): Promise<Float32Array> {
  const { alone = false, pause, pairBudget = PAIR_BUDGET } = o;
  const st = new SeedingState(x, dim, sample);
  const trials = 2 + Math.floor(Math.log(L));
  const centres = new Float32Array(L * dim);
  const direct = await DirectSteps.create(st);
  let listed: ListedSteps | undefined;
  try {
    const first = Int32Array.of(rnd.nextInt(st.S));
    await direct.gains(first);
    direct.keep(0, first);
    st.resum();
    centres.set(st.pts.subarray(first[0]! * dim, (first[0]! + 1) * dim), 0);
    let nextCount = FIRST_COUNT;
    for (let c = 1; c < L; c++) {
      if (pause && c % PAUSE_EVERY === 0) await pause();
      if (!listed && c === nextCount) {
        nextCount *= 2;
        const estimate = await direct.pairEstimate();
        const pairs =
          estimate * ESTIMATE_MARGIN <= pairBudget
            ? await listPairs(st, pairBudget, estimate, alone, pause)
            : null;
        if (pairs) {
          listed = new ListedSteps(st, pairs);
          direct.dispose();
        }
      }
      const cand = new Int32Array(trials);
      for (let j = 0; j < trials; j++) cand[j] = st.search(rnd.next() * st.total);
      const gains = listed ? listed.gains(cand) : await direct.gains(cand);
      // the first of equal ones wins
      let best = 0;
      for (let j = 1; j < trials; j++) if (gains[j]! > gains[best]!) best = j;
      if (listed) listed.keep(best, cand);
      else direct.keep(best, cand);
      st.resum();
      centres.set(st.pts.subarray(cand[best]! * dim, (cand[best]! + 1) * dim), c * dim);
    }
  } finally {
    if (!listed) direct.dispose();
  }
  return centres;
}

/**
 * The pairs of every row from the upper triangle of the sample's Gram, in fixed blocks of rows
 * of equal area (on core's threads, or here one by one); null when they pass twice the budget (the
 * estimate was short: the steps stay direct, and the count is tried again later).
 */
async function listPairs(
  st: SeedingState,
  budget: number,
  estimate: number,
  alone: boolean,
  pause?: () => Promise<void>,
): Promise<SeedingPairs[] | null> {
  const S = st.S;
  const bounds = new Set<number>();
  for (let i = 0; i <= GRAM_BLOCKS; i++) bounds.add(Math.round(S - S * Math.sqrt(1 - i / GRAM_BLOCKS)));
  const edges = [...bounds];
  const found = sharedInt32(1);
  const tasks: SeedingPairsArgs[] = [];
  for (let i = 0; i + 1 < edges.length; i++)
    tasks.push({
      pts: st.pts,
      norms: st.norms,
      closest: st.closest,
      dim: st.dim,
      rows: [edges[i]!, edges[i + 1]!],
      cap: 2 * budget,
      found,
      // equal areas: about equal shares of the pairs
      expect: (ESTIMATE_MARGIN * estimate) / GRAM_BLOCKS,
    });
  const out: (SeedingPairs | null)[] = [];
  if (!alone) out.push(...(await runOnThreads('seedingPairs', tasks, seedingPairs)));
  else
    for (const t of tasks) {
      await pause?.();
      out.push(await seedingPairs(t));
      if (out.at(-1) === null) break;
    }
  return out.includes(null) ? null : (out as SeedingPairs[]);
}
