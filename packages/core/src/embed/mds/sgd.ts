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

export function sgdMds(
  dist: Float64Array,
  m: number,
  init: Float64Array,
  d: number,
  random: Random,
  o: {
    sweeps?: number;
    /**
     * false: draw the uniform permutation once, then each later sweep visits its 512 buckets in
     * a fresh random order (a warm start's few sweeps; the full shuffle is most of a sweep's cost).
     */
    reshuffle?: boolean;
    onSweep?: (done: number, total: number) => void;
  } = {},
): Float64Array | undefined {
  if (m > 65536) throw new Error(`sgdMds: at most 65536 points, got ${m}`);
  if (init.length !== m * d) throw new Error(`sgdMds: init has length ${init.length}, expected ${m * d}`);
  const sweeps = o.sweeps ?? 30;
  const pairs = (m * (m - 1)) / 2;
  const recA = new Uint32Array(2 * pairs); // [packed pair, distance bits] per record
  const recB = new Uint32Array(2 * pairs); // the shuffle's destination, swapped every sweep
  const recAF = new Float32Array(recA.buffer);
  const recBF = new Float32Array(recB.buffer);
  // the shuffle moves each record as one 8-byte word (see shuffleRecords)
  const recA64 = new Float64Array(recA.buffer);
  const recB64 = new Float64Array(recB.buffer);
  let rec = recA;
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
      const fromA = rec === recA;
      shuffleRecords(fromA ? recA64 : recB64, fromA ? recB64 : recA64, start, random);
      rec = fromA ? recB : recA;
      recF = fromA ? recBF : recAF;
    } else random.shuffle(order);
    const mu = Math.min(etaMax * Math.exp(-lambda * s), 1);
    if (d === 2) {
      for (let ob = 0; ob < BUCKETS; ob++)
        for (let q = 2 * start[order[ob]!]!, qEnd = 2 * start[order[ob]! + 1]!; q < qEnd; q += 2) {
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
    } else {
      for (let ob = 0; ob < BUCKETS; ob++)
        for (let q = 2 * start[order[ob]!]!, qEnd = 2 * start[order[ob]! + 1]!; q < qEnd; q += 2) {
          const packed = rec[q];
          const a = (packed >>> 16) * d;
          const b = (packed & 0xffff) * d;
          let mag = 0;
          for (let c = 0; c < d; c++) mag += (x[a + c] - x[b + c]) ** 2;
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
    for (let i = 0; i < x.length; i++) if (Number.isNaN(x[i])) return undefined;
    o.onSweep?.(s + 1, sweeps);
  }
  return x;
}

/** One SGD run with its own seed, as a thread task (thread-tasks.ts): the layout and its stress. */
export interface SgdRunArgs {
  dist: Float64Array;
  m: number;
  init: Float64Array;
  d: number;
  seed: number;
  sweeps?: number | undefined;
}

export function sgdRun(
  a: SgdRunArgs,
  onSweep?: (done: number, total: number) => void,
): { coordinates: Float64Array; stress: number } | null {
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
export async function sgdMdsBest(
  dist: Float64Array,
  m: number,
  init: Float64Array,
  d: number,
  random: Random,
  o: { runs: number; sweeps?: number; onSweep?: (done: number, total: number) => void },
): Promise<Float64Array | undefined> {
  const shared = toSharedFloat64(dist);
  const args: SgdRunArgs[] = Array.from({ length: o.runs }, () => ({
    dist: shared,
    m,
    init,
    d,
    seed: random.nextUint32(),
    sweeps: o.sweeps,
  }));
  const runs = await runOnThreads('sgdRun', args, (a) => sgdRun(a, a === args[0] ? o.onSweep : undefined));
  let best: { coordinates: Float64Array; stress: number } | undefined;
  for (const r of runs) {
    if (!r) return undefined;
    if (!best || r.stress < best.stress) best = r;
  }
  return best?.coordinates;
}

/** Normalised stress of a layout: Σ (|x_a - x_b| - D_ab)² / Σ D_ab² over the pairs a < b. */
export function layoutStress(dist: Float64Array, m: number, x: Float64Array, d: number): number {
  let num = 0;
  let den = 0;
  for (let a = 0; a < m; a++)
    for (let b = a + 1; b < m; b++) {
      let mag = 0;
      for (let c = 0; c < d; c++) mag += (x[a * d + c] - x[b * d + c]) ** 2;
      const target = dist[a * m + b];
      const e = Math.sqrt(mag) - target;
      num += e * e;
      den += target * target;
    }
  return den > 0 ? num / den : 0;
}

const BUCKET_BITS = 9;
const BUCKETS = 1 << BUCKET_BITS;

/**
 * Uniform random permutation of the records of `src` into `dst` (Rao-Sandelius): each record
 * goes to a uniformly random bucket, then each bucket is Fisher-Yates shuffled; `start` receives
 * the buckets' first records (BUCKETS + 1 entries). A record is moved as one float64, a third
 * faster than as two 32-bit words. That keeps its bits: its high word is a float32 distance,
 * which read as a float64's high word is never a NaN (only a NaN distance would be, and that
 * run ends in NaN anyway).
 */
function shuffleRecords(src: Float64Array, dst: Float64Array, start: Int32Array, random: Random): void {
  const n = src.length;
  const buckets = BUCKETS;
  start.fill(0);
  // 8 M draws per pass at M = 4000: an inline xorshift32 stream, seeded from `random` each
  // sweep, costs a fraction of a method call per draw (reproducible under the seed all the same).
  // The buckets are drawn twice from the same start, to count and then to scatter, instead of
  // being kept (2 bytes a pair: 16 MB a run at M = 4000); the second pass ends where the first did.
  const x0 = random.nextUint32() | 1;
  let x = x0;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    start[((x >>> 0) >>> (32 - BUCKET_BITS)) + 1]++;
  }
  for (let b = 0; b < buckets; b++) start[b + 1] += start[b];
  const fill = start.slice(0, buckets);
  let y = x0;
  for (let i = 0; i < n; i++) {
    y ^= y << 13;
    y ^= y >>> 17;
    y ^= y << 5;
    dst[fill[(y >>> 0) >>> (32 - BUCKET_BITS)]++] = src[i];
  }
  for (let b = 0; b < buckets; b++) {
    const lo = start[b];
    for (let i = start[b + 1] - 1; i > lo; i--) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      const j = lo + Math.floor(((x >>> 0) / 4294967296) * (i - lo + 1));
      const t = dst[i];
      dst[i] = dst[j];
      dst[j] = t;
    }
  }
}
