import { availableParallelism } from 'node:os';
import { KernelProduct, type MultisliceKernel, Random, threadTaskCounts } from '@mphate/core/internal';
import { beforeAll, describe, expect, it } from 'vitest';
import { smallKernel, toCsr } from '../helpers/graph.js';

describe('kernel products', () => {
  let T = 0;
  let n = 0;
  let k: MultisliceKernel;
  beforeAll(async () => {
    ({ k, T, n } = await smallKernel());
  });

  it("block products, split over core's threads or in paused rounds, equal the CSR product diag(l)·K·diag(r)·X", async () => {
    const csr = toCsr(k);
    const N = T * n;
    const c = 3;
    const r = new Random(5);
    const x = Float32Array.from({ length: N * c }, () => r.normal());
    const left = Float32Array.from({ length: N }, () => 0.5 + r.next());
    const right = Float32Array.from({ length: N }, () => 0.5 + r.next());
    const kp = await KernelProduct.create(k);
    const before = threadTaskCounts.worker;
    const plain = (await kp.apply(x, c)).slice();
    const scaled = (await kp.apply(x, c, left, right)).slice();
    // in rounds with pauses between them (work between live frames): the same bits
    let pauses = 0;
    const paused = await kp.apply(x, c, left, right, async () => {
      pauses++;
    });
    expect(pauses).toBeGreaterThan(1);
    expect(Array.from(paused)).toEqual(Array.from(scaled));
    kp.dispose();
    if (availableParallelism() > 1) expect(threadTaskCounts.worker).toBeGreaterThan(before);
    for (let a = 0; a < N; a++)
      for (let j = 0; j < c; j++) {
        let s = 0;
        let sScaled = 0;
        for (let p = csr.rowPtr[a]!; p < csr.rowPtr[a + 1]!; p++) {
          s += csr.vals[p]! * x[csr.cols[p]! * c + j]!;
          sScaled += csr.vals[p]! * right[csr.cols[p]!]! * x[csr.cols[p]! * c + j]!;
        }
        expect(plain[a * c + j]).toBeCloseTo(s, 4);
        expect(scaled[a * c + j]).toBeCloseTo(left[a]! * sScaled, 4);
      }
  });
});
