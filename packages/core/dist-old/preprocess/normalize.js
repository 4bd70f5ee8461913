/**
 * Per-(slice, unit) z-score (docs/algorithm.md §2.1): mean over probe samples, population std; a constant
 * unit becomes an all-zero row instead of NaN.
 *
 * `data` holds `rows` consecutive rows of `samples` values; the result has the same layout.
 */
export function zscoreRows(data, rows, samples) {
    const out = new Float32Array(rows * samples);
    for (let r = 0; r < rows; r++) {
        const o = r * samples;
        let mean = 0;
        for (let k = 0; k < samples; k++)
            mean += data[o + k];
        mean /= samples;
        let ss = 0;
        for (let k = 0; k < samples; k++) {
            const v = data[o + k] - mean;
            ss += v * v;
        }
        const sd = Math.sqrt(ss / samples);
        const inv = sd > 0 ? 1 / sd : 1;
        for (let k = 0; k < samples; k++)
            out[o + k] = (data[o + k] - mean) * inv;
    }
    return out;
}
//# sourceMappingURL=normalize.js.map