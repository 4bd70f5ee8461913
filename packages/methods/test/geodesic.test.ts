import { Random } from '@mphate/core/internal';
import { describe, expect, it } from 'vitest';
import {
  affinityLengths,
  distanceNeighbours,
  fillUnreachable,
  fromTripletsForTest as fromTriplets,
  pointGeodesics,
  pointNeighbours,
  pruneRedundantEdges,
  shortestPaths,
} from './helpers.js';

/** Floyd-Warshall on a dense matrix of lengths (Infinity = no edge): the independent answer. */
function floydWarshall(w: Float64Array, N: number): Float64Array {
  const d = Float64Array.from(w);
  for (let a = 0; a < N; a++) d[a * N + a] = 0;
  for (let c = 0; c < N; c++)
    for (let a = 0; a < N; a++)
      for (let b = 0; b < N; b++) {
        const v = d[a * N + c]! + d[c * N + b]!;
        if (v < d[a * N + b]!) d[a * N + b] = v;
      }
  return d;
}

/** A random symmetric kernel on points of the plane: exp(-(d/s)^5), two far-apart groups. */
function kernel(N: number, seed: number) {
  const r = new Random(seed);
  const p = Array.from({ length: N }, (_, a) => [r.next() * 4 + (a < N / 2 ? 0 : 100), r.next() * 4]);
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  for (let a = 0; a < N; a++)
    for (let b = 0; b < N; b++) {
      const v = Math.exp(-(Math.hypot(p[a]![0]! - p[b]![0]!, p[a]![1]! - p[b]![1]!) ** 5));
      if (v >= 1e-4) {
        rows.push(a);
        cols.push(b);
        vals.push(v);
      }
    }
  return fromTriplets(N, rows, cols, vals);
}

describe('geodesic distances', () => {
  it('equal Floyd-Warshall on the -ln K lengths, with the redundant edges pruned', () => {
    const N = 90;
    const K = kernel(N, 4);
    const g = affinityLengths(K);
    const pruned = pruneRedundantEdges(g);
    expect(pruned.cols.length).toBeLessThan(g.cols.length);
    const w = new Float64Array(N * N).fill(Number.POSITIVE_INFINITY);
    for (let a = 0; a < N; a++)
      for (let p = K.rowPtr[a]!; p < K.rowPtr[a + 1]!; p++)
        if (K.cols[p] !== a) w[a * N + K.cols[p]!] = -Math.log(K.vals[p]!);
    const exact = floydWarshall(w, N);
    const d = shortestPaths(g);
    for (let i = 0; i < N * N; i++) {
      if (Number.isFinite(exact[i]!)) expect(d[i]).toBeCloseTo(exact[i]!, 4);
      else expect(d[i]).toBe(Number.POSITIVE_INFINITY);
    }
    // the two groups are not connected: the reference fills those pairs with the largest finite value
    let max = 0;
    for (const v of exact) if (Number.isFinite(v) && v > max) max = v;
    expect(fillUnreachable(d)).toBe(2 * (N / 2) ** 2);
    expect(Math.max(...d)).toBeCloseTo(max, 4);
  });

  it('naive Isomap joins disconnected kNN components as sklearn does (closest pair between them)', () => {
    // two clusters on a line: 0..4 and 100..104; 2 neighbours each cannot reach across
    const pts = Float32Array.from([0, 1, 2, 3, 4, 100, 101, 102, 103, 104]);
    const d = pointGeodesics(pts, 10, 1, 2);
    expect(d[0 * 10 + 9]).toBeCloseTo(104, 4); // 0 -> 4 -> 100 -> 104 along the line
    expect(d[4 * 10 + 5]).toBeCloseTo(96, 4);
  });
});

describe('nearest neighbours', () => {
  it('match a full sort of each row, from points and from distances', () => {
    const r = new Random(1);
    const N = 70;
    const m = 5;
    const pts = new Float32Array(N * m).map(() => r.normal());
    const D = new Float64Array(N * N);
    for (let a = 0; a < N; a++)
      for (let b = 0; b < N; b++) {
        let s = 0;
        for (let c = 0; c < m; c++) s += (pts[a * m + c]! - pts[b * m + c]!) ** 2;
        D[a * N + b] = Math.sqrt(s);
      }
    const k = 7;
    const fromPoints = pointNeighbours(pts, N, m, k);
    const fromDistances = distanceNeighbours(D, N, k);
    for (let a = 0; a < N; a++) {
      const sorted = Array.from({ length: N }, (_, b) => b)
        .filter((b) => b !== a)
        .sort((x, y) => D[a * N + x]! - D[a * N + y]! || x - y)
        .slice(0, k);
      expect(Array.from(fromPoints.indices.subarray(a * k, (a + 1) * k))).toEqual(sorted);
      expect(Array.from(fromDistances.indices.subarray(a * k, (a + 1) * k))).toEqual(sorted);
      expect(fromPoints.distances[a * k + k - 1]).toBeCloseTo(D[a * N + sorted[k - 1]!]!, 5);
    }
  });
});
