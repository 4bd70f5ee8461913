import { compact } from '@mphate/core/internal';
import { describe, expect, it } from 'vitest';

describe('k-means (spec 6.3)', () => {
  it('compacts empty clusters away in label order', () => {
    const r = compact(Int32Array.from([4, 0, 4, 2]), 5);
    expect(r.clusters).toBe(3);
    expect(Array.from(r.labels)).toEqual([2, 0, 2, 1]);
  });
});
