import { alignTo, applySimilarity, procrustes, Random } from '@mphate/core/internal';
import { describe, expect, it } from 'vitest';

function transform(
  x: Float64Array,
  rows: number,
  d: number,
  r: number[],
  s: number,
  shift: number[],
): Float64Array {
  const out = new Float64Array(rows * d);
  for (let i = 0; i < rows; i++)
    for (let c = 0; c < d; c++) {
      let t = 0;
      for (let k = 0; k < d; k++) t += x[i * d + k] * r[k * d + c];
      out[i * d + c] = s * t + shift[c];
    }
  return out;
}

describe('Procrustes', () => {
  const rows = 50;
  const rnd = new Random(4);
  const x2 = Float64Array.from({ length: rows * 2 }, () => rnd.normal());
  const x3 = Float64Array.from({ length: rows * 3 }, () => rnd.normal());
  const th = 0.7;
  const rot = [Math.cos(th), Math.sin(th), -Math.sin(th), Math.cos(th)];
  const refl = [1, 0, 0, -1];
  const rot3 = [0, 1, 0, -1, 0, 0, 0, 0, -1]; // rotation composed with a reflection of z

  for (const [name, x, d, r] of [
    ['rotation', x2, 2, rot],
    ['reflection', x2, 2, refl],
    ['3-D rotation and reflection', x3, 3, rot3],
  ] as const) {
    it(`alignTo undoes a ${name}, a scale and a shift`, () => {
      const moved = transform(x, rows, d, [...r], 3.5, d === 2 ? [10, -4] : [1, 2, 3]);
      const { aligned, map } = alignTo(x, moved, rows, d);
      for (let i = 0; i < x.length; i++) expect(aligned[i]).toBeCloseTo(x[i], 9);
      expect(map.scale).toBeCloseTo(1 / 3.5, 12);
      // the returned map carries other rows the same way: a point moved with the data comes back
      const extra = d === 2 ? [0.25, -2] : [0.25, -2, 1.5];
      const movedExtra = transform(
        Float64Array.from(extra),
        1,
        d,
        [...r],
        3.5,
        d === 2 ? [10, -4] : [1, 2, 3],
      );
      const backExtra = applySimilarity(map, movedExtra, 1);
      for (let c = 0; c < d; c++) expect(backExtra[c]).toBeCloseTo(extra[c]!, 9);
      expect(procrustes(x, moved, rows, d).disparity).toBeLessThan(1e-18);
    });
  }

  it("alignTo keeps the reference's size however poorly the frames agree, so chained frames never shrink", () => {
    // each frame aligned onto the last, as a live session does; half of each is a fresh layout
    const size = (a: Float64Array) => {
      const mean = [0, 0];
      for (let i = 0; i < rows; i++) for (let c = 0; c < 2; c++) mean[c]! += a[i * 2 + c]! / rows;
      let s = 0;
      for (let i = 0; i < rows; i++) for (let c = 0; c < 2; c++) s += (a[i * 2 + c]! - mean[c]!) ** 2;
      return Math.sqrt(s);
    };
    let shown: Float64Array = x2;
    for (let frame = 0; frame < 200; frame++) {
      const next = Float64Array.from(shown, (v, i) => (i < rows ? v : rnd.normal()));
      shown = alignTo(shown, next, rows, 2).aligned;
    }
    expect(size(shown) / size(x2)).toBeCloseTo(1, 9);
  });

  it('procrustes returns a centred result of Frobenius norm trace(Σ) <= 1, like scipy', () => {
    const noisy = Float64Array.from(x2, (v) => v + 0.3 * rnd.normal());
    const { aligned, disparity } = procrustes(x2, noisy, rows, 2);
    let n = 0;
    let mx = 0;
    for (let i = 0; i < rows; i++) {
      mx += aligned[i * 2];
      n += aligned[i * 2] ** 2 + aligned[i * 2 + 1] ** 2;
    }
    expect(Math.abs(mx)).toBeLessThan(1e-12);
    expect(Math.sqrt(n)).toBeLessThanOrEqual(1);
    // scipy: disparity = 1 - trace(Σ)^2 for unit-norm inputs
    expect(disparity).toBeCloseTo(1 - n, 10);
    expect(() => procrustes(x2, new Float64Array(rows * 2), rows, 2)).toThrow(/distinct/);
    expect(() => alignTo(x2, x3, rows, 2)).toThrow(/rows x d/);
  });
});
