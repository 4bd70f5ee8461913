import {
  DenseIntersliceDistances,
  effectiveInterKnn,
  intersliceEpsilon,
  intersliceWeights,
  unitScales,
} from '@mphate/core/internal';
import { describe, expect, it } from 'vitest';

describe('interslice kernel (docs/algorithm.md §4)', () => {
  it('scale = median over slices of the distance to the k-th nearest other slice; epsilon = mean over units', async () => {
    // one unit moving along a line through 4 slices at positions 0, 1, 3, 6 (dim 3), second unit static-ish
    const T = 4;
    const n = 2;
    const dim = 3;
    const z = new Float32Array(T * n * dim);
    [0, 1, 3, 6].forEach((x, t) => {
      z[(t * n + 0) * dim] = x;
      z[(t * n + 1) * dim + 1] = 2 * t;
    });
    const d = await DenseIntersliceDistances.create(z, T, n, dim);
    // unit 0, k' = 1: nearest other slice distances per row: 1, 1, 2, 3 -> median 1.5
    // unit 1 (positions 0, 2, 4, 6): 2, 2, 2, 2 -> 2
    const s = unitScales(d, 1);
    expect(s[0]).toBeCloseTo(1.5, 6);
    expect(s[1]).toBeCloseTo(2, 6);
    expect(intersliceEpsilon(s)).toBeCloseTo(1.75, 6);
    // k' = 2: unit 0 rows sorted: [0,1,3,6],[0,1,2,5],[0,2,3,3],[0,3,5,6] -> 3, 2, 3, 5 -> median 3
    expect(unitScales(d, 2)[0]).toBeCloseTo(3, 6);
    // weights exp(-(d/eps)^2), no factor 2
    const w = intersliceWeights(d, 1.75, 1e-4);
    expect(w[0 * T * T + 0 * T + 1]).toBeCloseTo(Math.exp(-((1 / 1.75) ** 2)), 6);
    expect(w[0]).toBe(0); // diagonal belongs to the intraslice block
  });

  it("clamps k' to epochs - 1; a single slice has no interslice links", () => {
    expect(effectiveInterKnn(25, 20)).toBe(19);
    expect(effectiveInterKnn(25, 2)).toBe(1);
    expect(effectiveInterKnn(25, 1)).toBe(0);
  });
});
