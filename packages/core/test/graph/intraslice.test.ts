import { effectiveIntraKnn, intrasliceBlock } from '@mphate/core/internal';
import { describe, expect, it } from 'vitest';
import { denseOf, onLine } from '../helpers/graph.js';

describe('intraslice kernel (docs/algorithm.md §3)', () => {
  it('uses the k-th nearest other unit as bandwidth: the 3rd smallest distance including self for k = 2', () => {
    // unit 0 at 0; others at 1, 2, 10: distances from unit 0 are 0, 1, 2, 10 -> sigma_0 = 2
    const b = intrasliceBlock(onLine([0, 1, 2, 10]), 0, 4, 3, 2, 5, 1e-4);
    const a = denseOf(b);
    // directed a_01 = exp(-(1/2)^5); from unit 1 (distances 1, 0, 1, 9) sigma_1 = 1, a_10 = exp(-1)
    expect(a[0]![1]).toBeCloseTo((Math.exp(-(0.5 ** 5)) + Math.exp(-1)) / 2, 12);
    // a_02 = exp(-1) (d = sigma_0); unit 2: distances 2, 1, 0, 8 -> sigma_2 = 2, a_20 = exp(-1)
    expect(a[0]![2]).toBeCloseTo(Math.exp(-1), 12);
    // unit 3 is 10 away from 0: a_03 = exp(-5^5) ~ 0 dropped; sigma_3 = 9 (distances 10, 9, 8, 0)
    // a_30 = exp(-(10/9)^5) ~ 0.18 survives; symmetrised entry = a_30 / 2
    expect(a[0]![3]).toBeCloseTo(Math.exp(-((10 / 9) ** 5)) / 2, 12);
  });

  it('drops directed entries below thresh before symmetrising, and keeps a unit diagonal', () => {
    const b = intrasliceBlock(onLine([0, 1, 2, 3, 50]), 0, 5, 3, 2, 5, 1e-4);
    const a = denseOf(b);
    for (let i = 0; i < 5; i++) expect(a[i]![i]).toBe(1);
    // 50 vs 0: sigma_4 = 48, a_40 = exp(-(50/48)^5) ~ 0.3; a_04 = 0 -> entry 0.15
    expect(a[0]![4]).toBeCloseTo(Math.exp(-((50 / 48) ** 5)) / 2, 12);
    // pair (1, 3): from unit 1, sigma_1 = 1 (distances 1, 0, 1, 2, 49), exp(-(2/1)^5) = 1.3e-14 < thresh
    // is dropped; from unit 3, sigma_3 = 2 (distances 3, 2, 1, 0, 47), exp(-1). Exactly exp(-1)/2 remains.
    expect(a[1]![3]).toBe(Math.exp(-1) / 2);
    for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) expect(a[i]![j]).toBe(a[j]![i]);
  });

  it('floors a zero bandwidth (duplicates, dead units) instead of producing NaN', () => {
    const b = intrasliceBlock(onLine([0, 0, 0, 5]), 0, 4, 3, 2, 5, 1e-4);
    for (const v of b.vals) expect(Number.isFinite(v)).toBe(true);
    expect(denseOf(b)[0]![1]).toBe(1);
  });

  it('clamps k to units - 2 (at least 1)', () => {
    expect(effectiveIntraKnn(2, 3)).toBe(1);
    expect(effectiveIntraKnn(2, 2)).toBe(1);
    expect(effectiveIntraKnn(5, 100)).toBe(5);
  });
});
