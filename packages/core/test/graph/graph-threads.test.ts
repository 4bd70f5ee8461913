import { availableParallelism } from 'node:os';
import {
  DenseIntersliceDistances,
  GRAPH_EXACT,
  gramDistances,
  intrasliceBlocks,
  Random,
  threadTaskCounts,
} from '@mphate/core/internal';
import { describe, expect, it } from 'vitest';

// A random walk over slices, as units drift during a training: T x n x dim.
function walk(T: number, n: number, dim: number): Float32Array {
  const r = new Random(3);
  const z = new Float32Array(T * n * dim);
  for (let t = 0; t < T; t++)
    for (let j = 0; j < n * dim; j++)
      z[t * n * dim + j] = (t > 0 ? z[(t - 1) * n * dim + j]! : 0) + r.normal();
  return z;
}

describe("graph stages on core's threads", () => {
  const T = 40;
  const n = 60;
  const dim = 12;
  const z = walk(T, n, dim);

  it('intraslice blocks come back in slice order, each the same bits as the slice computed alone', async () => {
    const before = threadTaskCounts.worker;
    const seen: number[] = [];
    const blocks = await intrasliceBlocks(z, T, n, dim, 5, 40, 1e-4, (done) => seen.push(done));
    if (availableParallelism() > 1) expect(threadTaskCounts.worker).toBeGreaterThan(before);
    expect(blocks).toHaveLength(T);
    expect(seen.at(-1)).toBe(T);
    for (let t = 0; t < T; t++) {
      const [alone] = await intrasliceBlocks(
        z.subarray(t * n * dim, (t + 1) * n * dim),
        1,
        n,
        dim,
        5,
        40,
        1e-4,
      );
      expect(blocks[t]!.rowPtr).toEqual(alone!.rowPtr);
      expect(blocks[t]!.cols).toEqual(alone!.cols);
      expect(blocks[t]!.vals).toEqual(alone!.vals);
    }
  });

  it("interslice distances: each unit's T x T block is its rows' own distances", async () => {
    const d = await DenseIntersliceDistances.create(z, T, n, dim);
    const rows = new Float32Array(T * dim);
    const out = new Float64Array(T);
    for (const i of [0, 29, 30, n - 1]) {
      for (let t = 0; t < T; t++) rows.set(z.subarray((t * n + i) * dim, (t * n + i + 1) * dim), t * dim);
      const own = await gramDistances(rows, T, dim, GRAPH_EXACT);
      for (let t = 0; t < T; t++) {
        d.row(i, t, out);
        for (let u = 0; u < T; u++) expect(out[u]).toBe(Math.fround(own[t * T + u]!));
      }
    }
  });
});
