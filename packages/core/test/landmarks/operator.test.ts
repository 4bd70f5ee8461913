import { fullOperator, landmarkOperator, type MultisliceKernel } from '@mphate/core/internal';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectRowStochastic, smallKernel, toCsr } from '../helpers/graph.js';

describe('diffusion operators (docs/algorithm.md §6)', () => {
  let T = 0;
  let n = 0;
  let k: MultisliceKernel;
  beforeAll(async () => {
    ({ k, T, n } = await smallKernel());
  });

  it('full diffusion operator Q = diag(1/s) S diag(s) is row-stochastic', () => {
    expectRowStochastic(fullOperator(k));
  });

  it('landmark operator is row-stochastic and P_NL rows sum to 1', async () => {
    const labels = Int32Array.from({ length: T * n }, (_, a) => (a * 7) % 10);
    const { operator, transitions } = await landmarkOperator(k, labels, 10);
    expectRowStochastic(operator);
    for (let a = 0; a < transitions.rows; a++) {
      let s = 0;
      for (let p = transitions.rowPtr[a]!; p < transitions.rowPtr[a + 1]!; p++) s += transitions.vals[p]!;
      expect(s).toBeCloseTo(1, 6); // float32 weights
    }
    // Q = P_LN P_NL computed directly for one row
    const N = T * n;
    const csr = toCsr(k);
    const M = Array.from({ length: 10 }, () => new Float64Array(N));
    for (let a = 0; a < N; a++)
      for (let p = csr.rowPtr[a]!; p < csr.rowPtr[a + 1]!; p++) M[labels[a]!]![csr.cols[p]!] += csr.vals[p]!;
    const q01 = (() => {
      const rowSum = M[0]!.reduce((x, y) => x + y, 0);
      let s = 0;
      for (let b = 0; b < N; b++) s += (M[0]![b]! / rowSum) * (M[1]![b]! / k.degree[b]!);
      return s;
    })();
    const got = (operator.symmetric[0 * 10 + 1]! * operator.sqrtDegree[1]!) / operator.sqrtDegree[0]!;
    expect(got).toBeCloseTo(q01, 6); // G is kept in float32
  });
});
