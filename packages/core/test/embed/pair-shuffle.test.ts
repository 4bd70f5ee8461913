import {
  BUCKETS,
  countHalf,
  pairRecords,
  Random,
  type ShuffleTarget,
  scatterHalf,
  shuffleBucketsHalf,
} from '@mphate/core/internal';
import { describe, expect, it } from 'vitest';

/** The records of m points' pairs (distance of pair (a, b): a + b / 1000). */
function records(m: number): Float64Array {
  const dist = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) dist[a * m + b] = a + b / 1000;
  return pairRecords(dist, m, new Float64Array((m * (m - 1)) / 2));
}

function shuffle(src: Float64Array, random: Random): { dst: Float64Array; start: Int32Array } {
  const t: ShuffleTarget = {
    src,
    dst: new Float64Array(src.length),
    counts: new Int32Array(2 * BUCKETS),
    start: new Int32Array(BUCKETS + 1),
    seeds: Uint32Array.from({ length: 4 }, () => random.nextUint32()),
  };
  for (const step of [countHalf, scatterHalf, shuffleBucketsHalf])
    for (const half of [0, 1] as const) step(t, half);
  return { dst: t.dst, start: t.start };
}

describe("the SGD's pair shuffle", () => {
  it('holds each pair once, with its distance, and the bucket starts cover the records', () => {
    const m = 90;
    const src = records(m);
    const { dst, start } = shuffle(src, new Random(1));
    expect(start[0]).toBe(0);
    expect(start[BUCKETS]).toBe(src.length);
    for (let b = 0; b < BUCKETS; b++) expect(start[b + 1]).toBeGreaterThanOrEqual(start[b]!);
    const words = new Uint32Array(dst.buffer);
    const floats = new Float32Array(dst.buffer);
    const seen = new Set<number>();
    for (let p = 0; p < dst.length; p++) {
      const a = words[2 * p]! >>> 16;
      const b = words[2 * p]! & 0xffff;
      expect(a).toBeLessThan(b);
      expect(floats[2 * p + 1]).toBe(Math.fround(a + b / 1000));
      seen.add(a * m + b);
    }
    expect(seen.size).toBe(src.length);
    expect(Array.from(dst)).not.toEqual(Array.from(src));
  });

  it('puts a record at every position equally often (chi-square over 4000 shuffles)', () => {
    const src = records(30); // 435 records
    const n = src.length;
    const shuffles = 4000;
    const first = new Float64Array(n); // where record 0 lands
    const last = new Float64Array(n); // where the last record lands
    const random = new Random(2);
    for (let k = 0; k < shuffles; k++) {
      const { dst } = shuffle(src, random);
      first[dst.indexOf(src[0]!)]++;
      last[dst.indexOf(src[n - 1]!)]++;
    }
    const expected = shuffles / n;
    for (const counts of [first, last]) {
      let chi = 0;
      for (const c of counts) chi += (c - expected) ** 2 / expected;
      // n - 1 degrees of freedom: mean 434, sd 29.5; a biased shuffle lands far above
      expect(chi).toBeLessThan(n - 1 + 5 * Math.sqrt(2 * (n - 1)));
      expect(chi).toBeGreaterThan(n - 1 - 5 * Math.sqrt(2 * (n - 1)));
    }
  });
});
