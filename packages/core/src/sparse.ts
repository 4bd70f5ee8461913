/** A square sparse matrix in CSR form: Int32 structure, Float64 values, columns sorted per row. */
export interface Csr {
  rows: number;
  rowPtr: Int32Array;
  cols: Int32Array;
  vals: Float64Array;
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
