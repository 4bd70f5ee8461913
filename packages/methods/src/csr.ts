/**
 * The plain sparse layout the methods take: an N x N matrix in CSR form, columns sorted in each
 * row, Float64 values. Kernels are symmetric with their diagonal stored; graphs of edge lengths
 * are what `affinityLengths` and the kNN graphs build from them.
 */
export interface SparseMatrix {
  rows: number;
  rowPtr: Int32Array;
  cols: Int32Array;
  vals: Float64Array;
}

/** y = M x for a CSR matrix. */
export function csrMultiply(m: SparseMatrix, x: Float64Array, y: Float64Array): void {
  const { rows, rowPtr, cols, vals } = m;
  for (let a = 0; a < rows; a++) {
    let s = 0;
    for (let p = rowPtr[a]!; p < rowPtr[a + 1]!; p++) s += vals[p]! * x[cols[p]!]!;
    y[a] = s;
  }
}

/** Row sums (degrees of a kernel). */
export function rowSums(m: SparseMatrix): Float64Array {
  const d = new Float64Array(m.rows);
  for (let a = 0; a < m.rows; a++) {
    let s = 0;
    for (let p = m.rowPtr[a]!; p < m.rowPtr[a + 1]!; p++) s += m.vals[p]!;
    d[a] = s;
  }
  return d;
}

/** Builds a CSR matrix from (row, col, value) triplets; duplicates are summed, or the least kept. */
export function fromTriplets(
  rows: number,
  rowIdx: ArrayLike<number>,
  colIdx: ArrayLike<number>,
  values: ArrayLike<number>,
  merge: 'sum' | 'min' = 'sum',
): SparseMatrix {
  const count = new Int32Array(rows + 1);
  for (let e = 0; e < rowIdx.length; e++) count[rowIdx[e]! + 1]!++;
  for (let a = 0; a < rows; a++) count[a + 1]! += count[a]!;
  const fill = count.slice(0, rows);
  const cols = new Int32Array(rowIdx.length);
  const vals = new Float64Array(rowIdx.length);
  for (let e = 0; e < rowIdx.length; e++) {
    const p = fill[rowIdx[e]!]!++;
    cols[p] = colIdx[e]!;
    vals[p] = values[e]!;
  }
  // sort each row by column and merge duplicates
  const outPtr = new Int32Array(rows + 1);
  let w = 0;
  for (let a = 0; a < rows; a++) {
    const start = count[a]!;
    const end = count[a + 1]!;
    const order = Array.from({ length: end - start }, (_, i) => start + i).sort(
      (x, y) => cols[x]! - cols[y]!,
    );
    const c = order.map((p) => cols[p]!);
    const v = order.map((p) => vals[p]!);
    for (let i = 0; i < c.length; i++) {
      if (i > 0 && c[i] === c[i - 1])
        vals[w - 1] = merge === 'sum' ? vals[w - 1]! + v[i]! : Math.min(vals[w - 1]!, v[i]!);
      else {
        cols[w] = c[i]!;
        vals[w] = v[i]!;
        w++;
      }
    }
    outPtr[a + 1] = w;
  }
  return { rows, rowPtr: outPtr, cols: cols.slice(0, w), vals: vals.slice(0, w) };
}
