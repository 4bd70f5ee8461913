import { zscoreRows } from '@mphate/core/internal';
import { describe, expect, it } from 'vitest';

describe('normalisation', () => {
  it('z-scores each row with the population std and maps a constant row to zeros', () => {
    const z = zscoreRows(Float32Array.from([1, 2, 3, 7, 7, 7]), 2, 3);
    const sd = Math.sqrt(2 / 3);
    expect(z[0]).toBeCloseTo(-1 / sd, 6);
    expect(z[2]).toBeCloseTo(1 / sd, 6);
    expect(Array.from(z.subarray(3))).toEqual([0, 0, 0]);
  });
});
