import { GrowingDistances, Random, unitScales } from '@mphate/core/internal';
import { describe, expect, it } from 'vitest';

describe('GrowingDistances: the live engine per-unit interslice distances', () => {
  it('grows slice by slice with exact distances, and its kept nearest give unitScales at every size', () => {
    const n = 7;
    const dim = 5;
    const knn = 4;
    const r = new Random(9);
    const slices: Float32Array[] = [];
    const d = new GrowingDistances(n, knn + 1);
    // 20 slices: crosses the 16-slice initial capacity, and T <= knn at the start (k' clamped)
    for (let t = 0; t < 20; t++) {
      const z = Float32Array.from({ length: n * dim }, () => r.normal());
      d.append(z, dim, slices);
      slices.push(z);
      expect(d.epochs).toBe(t + 1);
      for (const k of [1, 2, knn]) expect(Array.from(d.scales(k))).toEqual(Array.from(unitScales(d, k)));
    }
    const row = new Float64Array(d.epochs);
    for (const [i, a, b] of [
      [0, 3, 17],
      [6, 19, 0],
      [3, 8, 8],
    ] as const) {
      d.row(i, a, row);
      let s = 0;
      for (let k = 0; k < dim; k++) s += (slices[a]![i * dim + k]! - slices[b]![i * dim + k]!) ** 2;
      expect(row[b]).toBeCloseTo(Math.sqrt(s), 5);
    }
    expect(() => d.scales(knn + 1)).toThrow(/exceeds the 4 kept/);
  });
});
