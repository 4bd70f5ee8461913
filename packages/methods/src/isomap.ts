/**
 * Isomap. Multislice (docs/algorithm.md §12.4): shortest paths on the M-PHATE kernel with edge
 * length -ln K, unreachable pairs set to the largest finite length, then classical scaling.
 * Naive: scikit-learn 1.2's `Isomap()` with its defaults on the flattened points: the directed
 * 5-nearest-neighbour graph (Euclidean lengths) taken as undirected, its connected components
 * joined as sklearn does (for every pair of components, one edge between their closest pair of
 * points), shortest paths, classical scaling.
 */
import { fromTriplets, type SparseMatrix } from './csr.js';
import { affinityLengths, fillUnreachable, shortestPaths } from './geodesic.js';
import { kernelPcaOfDistances } from './kernel-pca.js';
import { pointNeighbours } from './knn.js';

/** sklearn Isomap's default n_neighbors. */
export const ISOMAP_NEIGHBOURS = 5;

/** Geodesic distances of a kernel (edge length -ln K), unreachable pairs filled. */
export function kernelGeodesics(kernel: SparseMatrix): Float32Array {
  const d = shortestPaths(affinityLengths(kernel));
  fillUnreachable(d);
  return d;
}

/** Isomap coordinates (N x 2) from geodesic distances. */
export function isomapFromGeodesics(d: Float32Array, N: number, seed = 0): Float64Array {
  return kernelPcaOfDistances(d, N, 2, seed);
}

/** The undirected kNN graph of the points with sklearn's component fix; also its geodesics. */
export function pointGeodesics(
  points: Float32Array,
  N: number,
  m: number,
  k = ISOMAP_NEIGHBOURS,
): Float32Array {
  const nn = pointNeighbours(points, N, m, Math.min(k, N - 1));
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  const add = (a: number, b: number, v: number) => {
    rows.push(a, b);
    cols.push(b, a);
    vals.push(v, v);
  };
  for (let a = 0; a < N; a++)
    for (let j = 0; j < nn.k; j++) add(a, nn.indices[a * nn.k + j]!, nn.distances[a * nn.k + j]!);
  let graph = fromTriplets(N, rows, cols, vals, 'min');
  const labels = components(graph);
  const count = labels.reduce((mx, l) => Math.max(mx, l + 1), 0);
  if (count > 1) {
    const members: number[][] = Array.from({ length: count }, () => []);
    for (let a = 0; a < N; a++) members[labels[a]!]!.push(a);
    for (let i = 0; i < count; i++)
      for (let j = 0; j < i; j++) {
        let best = Number.POSITIVE_INFINITY;
        let pa = -1;
        let pb = -1;
        for (const a of members[i]!)
          for (const b of members[j]!) {
            let s = 0;
            for (let c = 0; c < m; c++) s += (points[a * m + c]! - points[b * m + c]!) ** 2;
            if (s < best) {
              best = s;
              pa = a;
              pb = b;
            }
          }
        add(pa, pb, Math.sqrt(best));
      }
    graph = fromTriplets(N, rows, cols, vals, 'min');
  }
  return shortestPaths(graph);
}

/** Connected-component label of every vertex (labels in order of first vertex). */
function components(graph: SparseMatrix): Int32Array {
  const N = graph.rows;
  const label = new Int32Array(N).fill(-1);
  const stack = new Int32Array(N);
  let next = 0;
  for (let s = 0; s < N; s++) {
    if (label[s] !== -1) continue;
    let top = 0;
    stack[top++] = s;
    label[s] = next;
    while (top > 0) {
      const u = stack[--top]!;
      for (let p = graph.rowPtr[u]!; p < graph.rowPtr[u + 1]!; p++) {
        const v = graph.cols[p]!;
        if (label[v] === -1) {
          label[v] = next;
          stack[top++] = v;
        }
      }
    }
    next++;
  }
  return label;
}

/** Naive Isomap of N x m points with sklearn 1.2's defaults. */
export function naiveIsomap(points: Float32Array, N: number, m: number, seed = 0): Float64Array {
  return isomapFromGeodesics(pointGeodesics(points, N, m), N, seed);
}
