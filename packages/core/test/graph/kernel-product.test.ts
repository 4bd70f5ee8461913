import { KernelProduct, type MultisliceKernel, Random } from '@mphate/core/internal';
import { beforeAll, describe, expect, it } from 'vitest';
import { smallKernel, toCsr } from '../helpers/graph.js';

describe('kernel products', () => {
  let T = 0;
  let n = 0;
  let k: MultisliceKernel;
  beforeAll(async () => {
    ({ k, T, n } = await smallKernel());
  });

  it('block products through tfjs equal the CSR product K·X', () => {
    const csr = toCsr(k);
    const N = T * n;
    const c = 3;
    const r = new Random(5);
    const x = Float32Array.from({ length: N * c }, () => r.normal());
    const kp = new KernelProduct(k);
    const got = kp.apply(x, c);
    kp.dispose();
    for (let a = 0; a < N; a++)
      for (let j = 0; j < c; j++) {
        let s = 0;
        for (let p = csr.rowPtr[a]!; p < csr.rowPtr[a + 1]!; p++)
          s += csr.vals[p]! * x[csr.cols[p]! * c + j]!;
        expect(got[a * c + j]).toBeCloseTo(s, 4);
      }
  });
});
