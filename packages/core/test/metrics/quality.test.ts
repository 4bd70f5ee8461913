import {
  distanceAgreement,
  neighbourhoodPreservation,
  Random,
  spearman,
  type Trace,
} from '@mphate/core/internal';
import { describe, expect, it } from 'vitest';

function randomTrace(epochs: number, units: number, samples: number, seed: number): Trace {
  const r = new Random(seed);
  const data = new Float32Array(epochs * units * samples);
  for (let e = 0; e < epochs; e++)
    for (let i = 0; i < units * samples; i++)
      data[e * units * samples + i] = (e > 0 ? data[(e - 1) * units * samples + i] : 0) + r.normal();
  return { epochs, units, samples, data };
}

describe('neighbourhood preservation (docs/algorithm.md §12.4)', () => {
  it('scores 1 for the trace itself (2 samples = 2-D) and near chance for a shuffle', () => {
    const trace = randomTrace(30, 40, 2, 1);
    const perfect = neighbourhoodPreservation(trace, trace.data, 2, 10);
    expect(perfect.intraslice).toBe(1);
    expect(perfect.interslice).toBe(1);
    const r = new Random(2);
    const shuffled = r.shuffle(Float32Array.from(trace.data));
    const chance = neighbourhoodPreservation(trace, shuffled, 2, 10);
    // chance overlap is about k / (group size - 1)
    expect(chance.intraslice).toBeGreaterThan(10 / 39 - 0.06);
    expect(chance.intraslice).toBeLessThan(10 / 39 + 0.06);
    expect(chance.interslice).toBeLessThan(10 / 29 + 0.08);
  });

  it('clamps k to the group size minus one', () => {
    const trace = randomTrace(5, 8, 3, 3);
    const anything = new Float64Array(5 * 8 * 2).map((_, i) => i % 7);
    const s = neighbourhoodPreservation(trace, anything, 2, 40);
    expect(s.intraslice).toBe(1); // all 7 other units are the neighbours either way
    expect(s.interslice).toBe(1);
    expect(() => neighbourhoodPreservation(trace, anything, 3, 10)).toThrow(/length/);
  });
});

describe('Spearman agreement of distances', () => {
  it('computes Spearman with average ranks for ties', () => {
    expect(spearman(Float64Array.from([1, 2, 3, 4]), Float64Array.from([1, 4, 9, 16]))).toBeCloseTo(1, 12);
    expect(spearman(Float64Array.from([1, 2, 2, 3]), Float64Array.from([1, 3, 2, 4]))).toBeCloseTo(
      4.5 / Math.sqrt(22.5),
      12,
    );
    expect(spearman(Float64Array.from([1, 2, 3]), Float64Array.from([3, 2, 1]))).toBeCloseTo(-1, 12);
  });

  it('is 1 for a rotated, scaled copy and low for unrelated points', () => {
    const r = new Random(5);
    const rows = 500;
    const a = Float64Array.from({ length: rows * 2 }, () => r.normal());
    const b = new Float32Array(rows * 3);
    for (let i = 0; i < rows; i++) {
      b[i * 3] = 2 * (0.6 * a[i * 2] - 0.8 * a[i * 2 + 1]) + 7;
      b[i * 3 + 1] = 2 * (0.8 * a[i * 2] + 0.6 * a[i * 2 + 1]);
      b[i * 3 + 2] = 0;
    }
    expect(distanceAgreement(a, b, rows, 2, 3, 20000, 1)).toBeGreaterThan(0.9999);
    const c = Float64Array.from({ length: rows * 2 }, () => r.normal());
    expect(Math.abs(distanceAgreement(a, c, rows, 2, 2, 20000, 1))).toBeLessThan(0.05);
    expect(distanceAgreement(a, c, rows, 2, 2, 5000, 3)).toBe(distanceAgreement(a, c, rows, 2, 2, 5000, 3));
  });
});
