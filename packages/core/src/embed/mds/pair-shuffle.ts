/**
 * The SGD's pair records and their per-sweep shuffle, in two halves that two threads run side by
 * side (sgd.ts) or one thread runs one after the other, with the same bits either way.
 *
 * Each pair is one 8-byte record, (a << 16 | b) then its distance as float32; a record is moved
 * as one float64 word, a third faster than as two 32-bit words. That keeps its bits: its high word
 * is a float32 distance, which read as a float64's high word is never a NaN (only a NaN distance
 * would be, and that run ends in NaN anyway).
 *
 * A plain Fisher-Yates over 8 M records (M = 4000) is bound by memory latency (~1 s per sweep
 * here), so the uniform permutation is drawn by the Rao-Sandelius method instead: every record
 * goes to one of BUCKETS uniformly random buckets, then each (cache-resident) bucket is
 * Fisher-Yates shuffled. The result is an exactly uniform random permutation of all pairs, as the
 * reference's shuffle is. Split in halves: each half of the sorted records draws its own buckets
 * (count, then scatter after both counts are known), and each half of the buckets is shuffled by
 * its own stream; every stream is seeded per sweep, so who runs a half does not matter.
 */
export const BUCKET_BITS = 9;
export const BUCKETS = 1 << BUCKET_BITS;

/** The M(M-1)/2 pair records (a < b), sorted, as float64 words. */
export function pairRecords(dist: Float64Array, m: number, into: Float64Array): Float64Array {
  const words = new Uint32Array(into.buffer, into.byteOffset, 2 * into.length);
  const floats = new Float32Array(into.buffer, into.byteOffset, 2 * into.length);
  let p = 0;
  for (let a = 0; a < m; a++)
    for (let b = a + 1; b < m; b++) {
      words[p] = ((a << 16) | b) >>> 0;
      floats[p + 1] = dist[a * m + b]!;
      p += 2;
    }
  return into;
}

/** One sweep's shuffle: the sorted records, the destination, and where each bucket starts. */
export interface ShuffleTarget {
  /** The sorted records (never written). */
  src: Float64Array;
  dst: Float64Array;
  /** 2 x BUCKETS: each half's records per bucket. */
  counts: Int32Array;
  /** BUCKETS + 1: each bucket's first record in dst (written by half 0's scatter). */
  start: Int32Array;
  /** 4 stream seeds: the halves' bucket draws, then the bucket halves' Fisher-Yates. */
  seeds: Uint32Array;
}

function halfRange(n: number, half: number): [number, number] {
  const mid = n >>> 1;
  return half === 0 ? [0, mid] : [mid, n];
}

/** Step 1 (each half): the number of this half's records drawn into each bucket. */
export function countHalf(t: ShuffleTarget, half: 0 | 1): void {
  const [lo, hi] = halfRange(t.src.length, half);
  const counts = t.counts.subarray(half * BUCKETS, (half + 1) * BUCKETS).fill(0);
  // 4 M draws per half at M = 4000: an inline xorshift32 stream costs a fraction of a method call
  // per draw. The buckets are drawn again from the same seed to scatter, instead of being kept
  // (2 bytes a pair: 16 MB at M = 4000).
  let x = t.seeds[half]! | 1;
  for (let i = lo; i < hi; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    counts[(x >>> 0) >>> (32 - BUCKET_BITS)]++;
  }
}

/** Step 2 (each half, once both counts are in): this half's records into their buckets. */
export function scatterHalf(t: ShuffleTarget, half: 0 | 1): void {
  const { src, dst, counts, start } = t;
  const [lo, hi] = halfRange(src.length, half);
  // bucket b holds half 0's records, then half 1's
  const fill = new Int32Array(BUCKETS);
  let at = 0;
  for (let b = 0; b < BUCKETS; b++) {
    if (half === 0) start[b] = at;
    fill[b] = half === 0 ? at : at + counts[b]!;
    at += counts[b]! + counts[BUCKETS + b]!;
  }
  if (half === 0) start[BUCKETS] = at;
  let x = t.seeds[half]! | 1;
  for (let i = lo; i < hi; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    dst[fill[(x >>> 0) >>> (32 - BUCKET_BITS)]!++] = src[i]!;
  }
}

/** Step 3 (each half of the buckets, once both scatters are done): Fisher-Yates in each bucket. */
export function shuffleBucketsHalf(t: ShuffleTarget, half: 0 | 1): void {
  const { dst, start } = t;
  const [b0, b1] = halfRange(BUCKETS, half);
  let x = t.seeds[2 + half]! | 1;
  for (let b = b0; b < b1; b++) {
    const lo = start[b]!;
    for (let i = start[b + 1]! - 1; i > lo; i--) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      const j = lo + Math.floor(((x >>> 0) / 4294967296) * (i - lo + 1));
      const v = dst[i]!;
      dst[i] = dst[j]!;
      dst[j] = v;
    }
  }
}
