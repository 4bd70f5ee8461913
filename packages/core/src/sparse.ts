/** A sparse matrix in CSR form (columns sorted per row); compact variants store Uint16 columns / float32 values. */
export interface Csr {
  rows: number;
  rowPtr: Int32Array;
  cols: Int32Array | Uint16Array;
  vals: Float64Array | Float32Array;
}

/** Row sums. */
export function rowSums(m: Csr): Float64Array {
  const out = new Float64Array(m.rows);
  for (let a = 0; a < m.rows; a++) {
    let s = 0;
    for (let p = m.rowPtr[a]!; p < m.rowPtr[a + 1]!; p++) s += m.vals[p]!;
    out[a] = s;
  }
  return out;
}
