import { describe, expect, it } from 'vitest';
import {
  compareMethods,
  everyKthSlice,
  loadTrace,
  METHOD_NAMES,
  MethodInputs,
  MethodLimitError,
  type MethodName,
  planSubsample,
  scoreEmbedding,
} from './helpers.js';

// Every method on the committed mlp-3x32 fixture, cut to every 6th epoch (10 x 96 = 960
// points) so the file stays at a minute or two on a busy 2-core machine; docs/mphate.md has
// the full-size table.
const trace = everyKthSlice(loadTrace('mlp-3x32'), 6);
const N = trace.epochs * trace.units;

describe('every method on the mlp-3x32 fixture (every 6th epoch)', () => {
  const first = new MethodInputs(trace, 7);
  const second = new MethodInputs(trace, 7);
  for (const method of METHOD_NAMES) {
    it(`${method}: finite N x 2 coordinates, the same for the same seed`, async () => {
      const a = await first.embed(method);
      expect(a.coordinates.length).toBe(N * 2);
      for (const v of a.coordinates) expect(Number.isFinite(v)).toBe(true);
      // not collapsed to a point
      let spread = 0;
      for (let i = 2; i < a.coordinates.length; i += 2)
        spread += Math.abs(a.coordinates[i]! - a.coordinates[0]!);
      expect(spread).toBeGreaterThan(0);
      const b = await second.embed(method);
      expect(Array.from(b.coordinates)).toEqual(Array.from(a.coordinates));
      expect(a.ms).toBeGreaterThan(0);
    });
  }
});

/** Neighbourhood overlap the slow, obvious way: full sorts of both distance matrices. */
function naiveOverlap(
  groups: number[][],
  raw: (a: number, b: number) => number,
  emb: (a: number, b: number) => number,
  k: number,
): number {
  let total = 0;
  let count = 0;
  for (const members of groups) {
    const kk = Math.min(k, members.length - 1);
    for (const a of members) {
      const others = members.filter((b) => b !== a);
      const byRaw = [...others].sort((x, y) => raw(a, x) - raw(a, y) || x - y).slice(0, kk);
      const byEmb = [...others].sort((x, y) => emb(a, x) - emb(a, y) || x - y).slice(0, kk);
      total += byEmb.filter((b) => byRaw.includes(b)).length / kk;
      count++;
    }
  }
  return total / count;
}

describe('the comparison table', () => {
  it('scores each method as an independent computation of the overlap does', async () => {
    const small = everyKthSlice(loadTrace('rw-20x50x25'), 4); // 5 epochs x 50 units
    const result = await compareMethods(small, { methods: ['pca', 'naive-isomap'], seed: 3 });
    const { epochs: T, units: n, samples: m, data } = small;
    const raw = (a: number, b: number) => {
      let s = 0;
      for (let c = 0; c < m; c++) s += (data[a * m + c]! - data[b * m + c]!) ** 2;
      return s;
    };
    const slices = Array.from({ length: T }, (_, t) => Array.from({ length: n }, (_, i) => t * n + i));
    const units = Array.from({ length: n }, (_, i) => Array.from({ length: T }, (_, t) => t * n + i));
    for (const r of result.results) {
      const y = r.coordinates;
      const emb = (a: number, b: number) =>
        (y[2 * a]! - y[2 * b]!) ** 2 + (y[2 * a + 1]! - y[2 * b + 1]!) ** 2;
      expect(r.scores.intra10).toBeCloseTo(naiveOverlap(slices, raw, emb, 10), 10);
      expect(r.scores.inter10).toBeCloseTo(naiveOverlap(units, raw, emb, 10), 10);
      expect(r.scores.intra40).toBeCloseTo(naiveOverlap(slices, raw, emb, 40), 10);
      expect(r.scores.inter40).toBeCloseTo(naiveOverlap(units, raw, emb, 40), 10);
      expect(scoreEmbedding(small, y)).toEqual(r.scores);
    }
    expect(result.subsample).toBeNull();
  });

  it('subsamples every method alike, every k-th epoch, when a requested method has a limit', () => {
    const big = { epochs: 60, units: 384, samples: 3, data: new Float32Array(60 * 384 * 3) };
    const plan = planSubsample(big, ['m-phate', 'pca', 'isomap']);
    expect(plan?.sample.step).toBe(4);
    expect(plan?.sample.slices).toEqual(Array.from({ length: 15 }, (_, j) => 4 * j));
    expect(plan!.sample.trace.epochs * 384).toBe(5760);
    expect(plan?.limitedBy).toEqual(['isomap']);
    expect(planSubsample(big, ['m-phate', 'pca'])).toBeNull();
    const wide = { epochs: 2, units: 7000, samples: 3, data: new Float32Array(2 * 7000 * 3) };
    expect(() => planSubsample(wide, ['tsne'])).toThrow(
      /7,000 units, more than tsne.*6,000 points: dense N x N geodesic distances/,
    );
  });

  it('refuses a trace above a method limit with a message naming the limit', async () => {
    const big = { epochs: 61, units: 100, samples: 3, data: new Float32Array(61 * 100 * 3) };
    const inputs = new MethodInputs(big);
    for (const method of ['isomap', 'tsne', 'naive-isomap'] as MethodName[]) {
      const error = await inputs.embed(method).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MethodLimitError);
      expect((error as Error).message).toBe(
        `${method} embeds at most 6,000 points (dense N x N geodesic distances); this trace has 6,100 (slices x units)`,
      );
    }
  });
});
