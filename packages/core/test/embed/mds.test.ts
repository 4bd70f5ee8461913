import { availableParallelism } from 'node:os';
import {
  classicMds,
  layoutStress,
  procrustes,
  Random,
  sgdMds,
  sgdMdsBest,
  sgdRuns,
  smacof,
  threadCount,
  threadTaskCounts,
} from '@mphate/core/internal';
import { describe, expect, it } from 'vitest';
import { stress } from '../helpers/stress.js';

function config(m: number, d: number, seed: number): Float64Array {
  const r = new Random(seed);
  return Float64Array.from({ length: m * d }, (_, i) => (i % d === 0 ? 3 : 1) * r.normal());
}

function distances(x: Float64Array, m: number, d: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let a = 0; a < m; a++)
    for (let b = 0; b < m; b++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += (x[a * d + c] - x[b * d + c]) ** 2;
      out[a * m + b] = Math.sqrt(s);
    }
  return out;
}

describe('classic MDS (PHATE mds.classic: no -1/2, |λ|-scaled)', () => {
  for (const m of [80, 450]) {
    it(`recovers a 2-D configuration up to rotation, with columns scaled by 2 s² (m = ${m})`, async () => {
      const x = config(m, 2, m);
      const y = await classicMds(distances(x, m, 2), m, 2, new Random(1));
      // column c of y is u_c·|λ_c| with |λ_c| = ||y_c|| = 2 s_c²; y_c / sqrt(2||y_c||) = u_c s_c
      const rescaled = new Float64Array(m * 2);
      for (let c = 0; c < 2; c++) {
        let n = 0;
        for (let i = 0; i < m; i++) n += y[i * 2 + c] ** 2;
        const f = 1 / Math.sqrt(2 * Math.sqrt(n));
        for (let i = 0; i < m; i++) rescaled[i * 2 + c] = y[i * 2 + c] * f;
      }
      expect(procrustes(x, rescaled, m, 2).disparity).toBeLessThan(1e-6);
      // sign convention: the largest-magnitude entry of each column is positive
      for (let c = 0; c < 2; c++) {
        let big = 0;
        for (let i = 0; i < m; i++) if (Math.abs(y[i * 2 + c]) > Math.abs(big)) big = y[i * 2 + c];
        expect(big).toBeGreaterThan(0);
      }
    });
  }
});

describe('metric MDS solvers', () => {
  const m = 60;
  const x = config(m, 2, 5);
  const dist = distances(x, m, 2);
  const r = new Random(11);
  const init = Float64Array.from(x, (v) => v + 2 * r.normal());

  it('SGD reduces stress and is deterministic under a seed', () => {
    const a = sgdMds(dist, m, init, 2, new Random(42));
    const b = sgdMds(dist, m, init, 2, new Random(42));
    const c = sgdMds(dist, m, init, 2, new Random(43));
    expect(a).toBeDefined();
    expect(Array.from(a!)).toEqual(Array.from(b!));
    expect(Array.from(a!)).not.toEqual(Array.from(c!));
    expect(stress(a!, dist, m, 2)).toBeLessThan(0.01 * stress(init, dist, m, 2));
  });

  it('normalised stress is the raw stress over the sum of squared distances', () => {
    let squares = 0;
    for (let a = 0; a < m; a++) for (let b = a + 1; b < m; b++) squares += dist[a * m + b] ** 2;
    expect(layoutStress(dist, m, x, 2)).toBeLessThan(1e-20);
    expect(layoutStress(dist, m, init, 2)).toBeCloseTo(stress(init, dist, m, 2) / squares, 12);
    // a layout scaled by c has stress (c - 1)²
    expect(
      layoutStress(
        dist,
        m,
        x.map((v) => 1.5 * v),
        2,
      ),
    ).toBeCloseTo(0.25, 12);
  });

  it("two runs sharing their shuffles on core's worker thread give the same layouts as on the calling thread", async () => {
    const before = { ...threadTaskCounts };
    const threaded = await sgdRuns(dist, m, init, 2, new Random(3), { runs: 2 });
    if (availableParallelism() > 1) {
      expect(await threadCount()).toBeGreaterThan(1);
      expect(threadTaskCounts.worker).toBeGreaterThan(before.worker);
      expect(threadTaskCounts.fallback).toBe(before.fallback);
    }
    const local = await sgdRuns(dist, m, init, 2, new Random(3), { runs: 2, alone: true });
    expect(threaded!.map((r) => Array.from(r.coordinates))).toEqual(
      local!.map((r) => Array.from(r.coordinates)),
    );
    expect(threaded!.map((r) => r.stress)).toEqual(local!.map((r) => r.stress));
    // the runs share each sweep's shuffle but visit it in their own order: they end apart, both fitted
    expect(Array.from(threaded![0]!.coordinates)).not.toEqual(Array.from(threaded![1]!.coordinates));
    for (const r of threaded!) {
      expect(r.stress).toBeCloseTo(layoutStress(dist, m, r.coordinates, 2), 12);
      expect(stress(r.coordinates, dist, m, 2)).toBeLessThan(0.01 * stress(init, dist, m, 2));
    }
  });

  it('the cold-start SGD keeps the lower-stress of its seeded runs', async () => {
    const far = Float64Array.from({ length: m * 2 }, () => 10 * r.normal()); // runs end apart
    for (const count of [2, 3]) {
      const runs = await sgdRuns(dist, m, far, 2, new Random(7), { runs: count, alone: true });
      expect(new Set(runs!.map((q) => q.stress)).size).toBe(count);
      const lowest = runs!.reduce((p, q) => (q.stress < p.stress ? q : p));
      const best = await sgdMdsBest(dist, m, far, 2, new Random(7), { runs: count });
      expect(Array.from(best!)).toEqual(Array.from(lowest.coordinates));
    }
  });

  it('SGD reports coincident points (NaN) by returning undefined', () => {
    const same = new Float64Array(m * 2); // all points at the origin
    expect(sgdMds(dist, m, same, 2, new Random(1))).toBeUndefined();
  });

  it('SMACOF reduces stress, stops by the sklearn rule, and is deterministic', () => {
    const a = smacof(dist, m, init, 2);
    const b = smacof(dist, m, init, 2);
    expect(Array.from(a.coordinates)).toEqual(Array.from(b.coordinates));
    expect(a.iterations).toBeLessThan(3000);
    expect(stress(a.coordinates, dist, m, 2)).toBeLessThan(0.01 * stress(init, dist, m, 2));
    // 3-D works too
    const x3 = config(m, 3, 6);
    const d3 = distances(x3, m, 3);
    const s3 = smacof(
      d3,
      m,
      Float64Array.from(x3, (v) => v + r.normal()),
      3,
    );
    expect(stress(s3.coordinates, d3, m, 3)).toBeLessThan(1e-3 * m);
  });
});
