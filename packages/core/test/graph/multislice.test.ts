import type { MultisliceKernel } from '@mphate/core/internal';
import { beforeAll, describe, expect, it } from 'vitest';
import { isSymmetric, smallKernel, toCsr } from '../helpers/graph.js';

describe('multislice kernel (docs/algorithm.md §5)', () => {
  let n = 0;
  let k: MultisliceKernel;
  beforeAll(async () => {
    ({ k, n } = await smallKernel());
  });

  it('is symmetric with a unit diagonal, entries in (thresh, 1], and links only the same unit across slices', () => {
    const csr = toCsr(k);
    expect(isSymmetric(csr)).toBe(true);
    for (let a = 0; a < csr.rows; a++) {
      let diag = 0;
      for (let p = csr.rowPtr[a]!; p < csr.rowPtr[a + 1]!; p++) {
        const b = csr.cols[p]!;
        const v = csr.vals[p]!;
        expect(v).toBeGreaterThanOrEqual(1e-4 * (1 - 1e-6));
        expect(v).toBeLessThanOrEqual(1);
        if (b === a) diag = v;
        const sameSlice = Math.floor(a / n) === Math.floor(b / n);
        if (!sameSlice) expect(b % n).toBe(a % n);
      }
      expect(diag).toBe(1);
      let s = 0;
      for (let p = csr.rowPtr[a]!; p < csr.rowPtr[a + 1]!; p++) s += csr.vals[p]!;
      expect(k.degree[a]).toBeCloseTo(s, 10);
    }
  });
});
