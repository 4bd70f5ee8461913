import { compact, kmeans, Random } from '@mphate/core/internal';
import { describe, expect, it } from 'vitest';

/** `perBlob` points around each of `centres` (2-D), spread `sd`; labels = blob index. */
function blobs(centres: number[][], perBlob: number, sd: number, seed: number) {
  const r = new Random(seed);
  const x = new Float32Array(centres.length * perBlob * 2);
  const truth: number[] = [];
  centres.forEach(([cx, cy], b) => {
    for (let i = 0; i < perBlob; i++) {
      const p = b * perBlob + i;
      x[2 * p] = cx! + sd * r.normal();
      x[2 * p + 1] = cy! + sd * r.normal();
      truth.push(b);
    }
  });
  return { x, truth, rows: truth.length };
}

/** Each true group maps to one label and no two groups share one. */
function expectSamePartition(labels: Int32Array, truth: number[]): void {
  const labelOf = new Map<number, number>();
  for (let i = 0; i < truth.length; i++) {
    const seen = labelOf.get(truth[i]!);
    if (seen === undefined) labelOf.set(truth[i]!, labels[i]!);
    else expect(labels[i]).toBe(seen);
  }
  expect(new Set(labelOf.values()).size).toBe(labelOf.size);
}

describe('k-means (docs/algorithm.md §6.3)', () => {
  const centres = [
    [0, 0],
    [10, 0],
    [0, 10],
    [10, 10],
  ];

  it('finds well-separated blobs with Lloyd iterations (all points in one batch)', async () => {
    const { x, truth, rows } = blobs(centres, 40, 0.5, 1);
    const r = await kmeans(x, rows, 2, { clusters: 4, random: new Random(7) });
    expect(r.clusters).toBe(4);
    expectSamePartition(r.labels, truth);
  });

  it('finds them with mini-batch steps when the points exceed a batch', async () => {
    const { x, truth, rows } = blobs(centres, 40, 0.5, 2);
    const r = await kmeans(x, rows, 2, { clusters: 4, random: new Random(8), batchSize: 50, iterations: 30 });
    expect(r.clusters).toBe(4);
    expectSamePartition(r.labels, truth);
  });

  it('is deterministic under a seed and never returns more clusters than points', async () => {
    const { x, rows } = blobs(centres, 5, 2, 3);
    const a = await kmeans(x, rows, 2, { clusters: 6, random: new Random(9) });
    const b = await kmeans(x, rows, 2, { clusters: 6, random: new Random(9) });
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    const few = await kmeans(x.subarray(0, 6), 3, 2, { clusters: 10, random: new Random(1) });
    expect(few.clusters).toBeLessThanOrEqual(3);
  });

  it('compacts empty clusters away in label order', () => {
    const r = compact(Int32Array.from([4, 0, 4, 2]), 5);
    expect(r.clusters).toBe(3);
    expect(Array.from(r.labels)).toEqual([2, 0, 2, 1]);
  });
});
