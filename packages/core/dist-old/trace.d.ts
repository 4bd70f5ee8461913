/**
 * A trace: activations of `units` hidden units on `samples` probe inputs at each of `epochs`
 * slices, epoch-major (numpy C order of a T x n x m array): data[(epoch * units + unit) * samples + k].
 */
export interface Trace {
    epochs: number;
    units: number;
    samples: number;
    data: Float32Array;
}
//# sourceMappingURL=trace.d.ts.map