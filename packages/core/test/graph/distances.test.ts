import { exactDistances, GRAPH_EXACT, gramDistances, zscoreRows } from '@mphate/core/internal';
import { describe, expect, it } from 'vitest';
import { randomWalk } from '../helpers/graph.js';

describe('Gram-trick distances', () => {
  it('Gram-trick distances (tfjs float32) match exact Float64 ones; duplicates and dead units stay exactly 0', async () => {
    const n = 40;
    const m = 30;
    const z = zscoreRows(randomWalk(1, n, m, 9), n, m);
    z.copyWithin(5 * m, 4 * m, 5 * m); // unit 5 duplicates unit 4
    z.fill(0, 7 * m, 8 * m); // unit 7 dead
    const exact = exactDistances(z, 0, n, m);
    const fast = await gramDistances(z, n, m, GRAPH_EXACT);
    for (let p = 0; p < n * n; p++)
      expect(Math.abs(fast[p]! - exact[p]!)).toBeLessThan(1e-5 * Math.max(1, exact[p]!));
    expect(fast[4 * n + 5]).toBe(0);
    expect(fast[7 * n + 7]).toBe(0);
  });
});
