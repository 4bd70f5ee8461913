/** A sparse matrix in CSR form (columns sorted per row); compact variants store Uint16 columns / float32 values. */
export interface Csr {
    rows: number;
    rowPtr: Int32Array;
    cols: Int32Array | Uint16Array;
    vals: Float64Array | Float32Array;
}
//# sourceMappingURL=csr.d.ts.map