/**
 * rows x cols -> cols x rows (row-major), blocked for cache locality; with `rowScale`, row i is
 * multiplied by rowScale[i] on the way (Xᵀ·diag(s) in one pass). The result is float32 unless
 * `out` is given (values are rounded into its type).
 */
export function transpose(x, rows, cols, o = {}) {
    const t = o.out ?? new Float32Array(rows * cols);
    const s = o.rowScale;
    const B = 64;
    for (let i0 = 0; i0 < rows; i0 += B)
        for (let j0 = 0; j0 < cols; j0 += B) {
            const i1 = Math.min(i0 + B, rows);
            const j1 = Math.min(j0 + B, cols);
            for (let i = i0; i < i1; i++) {
                const f = s ? s[i] : 1;
                if (s)
                    for (let j = j0; j < j1; j++)
                        t[j * rows + i] = x[i * cols + j] * f;
                else
                    for (let j = j0; j < j1; j++)
                        t[j * rows + i] = x[i * cols + j];
            }
        }
    return t;
}
//# sourceMappingURL=transpose.js.map