/**
 * Exact k nearest neighbours (self excluded), brute force: from points (Euclidean, each pair
 * computed once in Float64) or from a dense distance matrix. Rows ascending by distance, ties
 * by index, like sklearn's NearestNeighbors on a fitted set queried with X = None.
 */

export interface Neighbours {
  k: number;
  /** N x k neighbour indices. */
  indices: Int32Array;
  /** N x k distances (not squared), ascending. */
  distances: Float64Array;
}

/** k nearest neighbours of every row of an N x m point matrix. */
export function pointNeighbours(
  points: Float32Array | Float64Array,
  N: number,
  m: number,
  k: number,
): Neighbours {
  checkK(k, N);
  const heaps = new BoundedHeaps(N, k);
  const norms = new Float64Array(N);
  for (let a = 0; a < N; a++) {
    let s = 0;
    for (let c = 0; c < m; c++) s += points[a * m + c]! ** 2;
    norms[a] = s;
  }
  const row = new Float64Array(m);
  for (let a = 0; a < N; a++) {
    for (let c = 0; c < m; c++) row[c] = points[a * m + c]!;
    for (let b = a + 1; b < N; b++) {
      let s = 0;
      const o = b * m;
      for (let c = 0; c < m; c++) {
        const x = row[c]! - points[o + c]!;
        s += x * x;
      }
      heaps.offer(a, b, s);
      heaps.offer(b, a, s);
    }
  }
  return heaps.result(true);
}

/** k nearest neighbours of every row of a dense N x N distance matrix. */
export function distanceNeighbours(d: Float32Array | Float64Array, N: number, k: number): Neighbours {
  checkK(k, N);
  const heaps = new BoundedHeaps(N, k);
  for (let a = 0; a < N; a++) {
    const row = a * N;
    for (let b = 0; b < N; b++) if (b !== a) heaps.offer(a, b, d[row + b]!);
  }
  return heaps.result(false);
}

function checkK(k: number, N: number): void {
  if (!(Number.isInteger(k) && k >= 1 && k < N))
    throw new Error(`nearest neighbours: k must be an integer from 1 to ${N - 1}, got ${k}`);
}

/** One max-heap of (key, index) of capacity k per row; the worst kept neighbour is on top. */
class BoundedHeaps {
  private readonly keys: Float64Array;
  private readonly ids: Int32Array;
  private readonly sizes: Int32Array;

  constructor(
    private readonly rows: number,
    private readonly k: number,
  ) {
    this.keys = new Float64Array(rows * k);
    this.ids = new Int32Array(rows * k);
    this.sizes = new Int32Array(rows);
  }

  /** Worse = larger key, or equal key and larger index. */
  private worse(p: number, q: number): boolean {
    const kp = this.keys[p]!;
    const kq = this.keys[q]!;
    return kp > kq || (kp === kq && this.ids[p]! > this.ids[q]!);
  }

  offer(a: number, b: number, key: number): void {
    const { k, keys, ids } = this;
    const base = a * k;
    const size = this.sizes[a]!;
    if (size < k) {
      let pos = size;
      keys[base + pos] = key;
      ids[base + pos] = b;
      this.sizes[a] = size + 1;
      while (pos > 0) {
        const parent = (pos - 1) >> 1;
        if (!this.worse(base + pos, base + parent)) break;
        this.swap(base + pos, base + parent);
        pos = parent;
      }
      return;
    }
    const topKey = keys[base]!;
    if (key > topKey || (key === topKey && b > ids[base]!)) return;
    keys[base] = key;
    ids[base] = b;
    let pos = 0;
    for (;;) {
      let child = 2 * pos + 1;
      if (child >= k) break;
      if (child + 1 < k && this.worse(base + child + 1, base + child)) child++;
      if (!this.worse(base + child, base + pos)) break;
      this.swap(base + pos, base + child);
      pos = child;
    }
  }

  private swap(p: number, q: number): void {
    const key = this.keys[p]!;
    this.keys[p] = this.keys[q]!;
    this.keys[q] = key;
    const id = this.ids[p]!;
    this.ids[p] = this.ids[q]!;
    this.ids[q] = id;
  }

  result(squared: boolean): Neighbours {
    const { rows, k } = this;
    const indices = new Int32Array(rows * k);
    const distances = new Float64Array(rows * k);
    for (let a = 0; a < rows; a++) {
      const base = a * k;
      const order = Array.from({ length: k }, (_, i) => base + i).sort(
        (p, q) => this.keys[p]! - this.keys[q]! || this.ids[p]! - this.ids[q]!,
      );
      order.forEach((p, j) => {
        indices[base + j] = this.ids[p]!;
        distances[base + j] = squared ? Math.sqrt(this.keys[p]!) : this.keys[p]!;
      });
    }
    return { k, indices, distances };
  }
}
