import { kthSmallest, median } from '@mphate/core/internal';
import { describe, expect, it } from 'vitest';

describe('selection (numpy partition / median semantics)', () => {
  it('kthSmallest returns the value at sorted position k', () => {
    const v = [5, 1, 4, 1, 3, 9, 2];
    const sorted = [...v].sort((a, b) => a - b);
    for (let k = 0; k < v.length; k++) expect(kthSmallest(Float64Array.from(v), v.length, k)).toBe(sorted[k]);
  });
  it('median averages the two middle values for even length', () => {
    expect(median(Float64Array.from([4, 1, 3, 2]), 4)).toBe(2.5);
    expect(median(Float64Array.from([4, 1, 3]), 3)).toBe(3);
  });
});
