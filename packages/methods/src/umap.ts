/**
 * UMAP by umap-js (the PAIR team's TypeScript port of McInnes' UMAP) with its own defaults:
 * 15 neighbours (its NN-descent search), min_dist 0.1, spread 1, its epoch count for N (500 up
 * to 2,500 points, then 400, 300, 200), random initialisation. Seeded through `random`.
 */
import { Random } from '@mphate/core/internal';
import { UMAP } from 'umap-js';

export function umap(points: Float32Array, N: number, m: number, seed = 0): Float64Array {
  if (N < 3) throw new Error(`umap: needs at least 3 points, got ${N}`);
  const random = new Random(seed);
  const rows: number[][] = new Array(N);
  for (let a = 0; a < N; a++) rows[a] = Array.from(points.subarray(a * m, (a + 1) * m));
  const model = new UMAP({ nComponents: 2, nNeighbors: Math.min(15, N - 1), random: () => random.next() });
  const y = model.fit(rows);
  const out = new Float64Array(N * 2);
  for (let a = 0; a < N; a++) {
    out[2 * a] = y[a]![0]!;
    out[2 * a + 1] = y[a]![1]!;
  }
  return out;
}
