/**
 * Per-(slice, unit) z-score (spec 2.1): mean over probe samples, population std; a constant
 * unit becomes an all-zero row instead of NaN.
 *
 * `data` holds `rows` consecutive rows of `samples` values; the result has the same layout.
 */
export declare function zscoreRows(data: Float32Array, rows: number, samples: number): Float32Array;
//# sourceMappingURL=normalize.d.ts.map