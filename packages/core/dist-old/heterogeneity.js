/**
 * The spread of hidden units in an embedding, as the paper's generalization vignette uses it
 * (Gigante et al. 2019, section 4.2): more heterogeneous units go with better generalization.
 *
 * - `sliceSpread`: per slice, the trace of the covariance of that slice's unit coordinates,
 *   after the whole embedding is centred and scaled to unit root-mean-square (so sessions of
 *   different extent compare).
 * - `histogramEntropy`: the entropy (bits) of a 10 x 10 histogram of all points over their
 *   bounding box, the paper's earlier variant. Maximum log2(100) = 6.64 bits.
 *
 * Pure functions with no imports: the dashboard bundles this module alone
 * (`@mphate/core/heterogeneity`) without tfjs.
 */
/** Centres the coordinates and scales them to unit RMS distance from the centre. Returns a new array. */
export function normalizeRms(coordinates, dims) {
    const n = coordinates.length / dims;
    const out = new Float64Array(coordinates.length);
    if (n === 0)
        return out;
    const mean = new Float64Array(dims);
    for (let i = 0; i < n; i++)
        for (let d = 0; d < dims; d++)
            mean[d] += coordinates[i * dims + d];
    for (let d = 0; d < dims; d++)
        mean[d] /= n;
    let sq = 0;
    for (let i = 0; i < n; i++) {
        for (let d = 0; d < dims; d++) {
            const v = coordinates[i * dims + d] - mean[d];
            out[i * dims + d] = v;
            sq += v * v;
        }
    }
    const rms = Math.sqrt(sq / n);
    if (rms > 0)
        for (let i = 0; i < out.length; i++)
            out[i] /= rms;
    return out;
}
/** Per slice: trace of the (population) covariance of its units' RMS-normalised coordinates. */
export function sliceSpread(coordinates, shape) {
    const { slices, units, dims } = shape;
    if (coordinates.length !== slices * units * dims) {
        throw new Error(`coordinates hold ${coordinates.length} values, expected ${slices} x ${units} x ${dims}`);
    }
    const x = normalizeRms(coordinates, dims);
    const out = new Float64Array(slices);
    for (let s = 0; s < slices; s++) {
        let trace = 0;
        for (let d = 0; d < dims; d++) {
            let sum = 0;
            let sum2 = 0;
            for (let u = 0; u < units; u++) {
                const v = x[(s * units + u) * dims + d];
                sum += v;
                sum2 += v * v;
            }
            const mean = sum / units;
            trace += sum2 / units - mean * mean;
        }
        out[s] = Math.max(0, trace);
    }
    return out;
}
/** Entropy in bits of a `bins` x `bins` histogram of the points' first two coordinates. */
export function histogramEntropy(coordinates, dims, bins = 10) {
    const n = coordinates.length / dims;
    if (n === 0)
        return 0;
    let x0 = Infinity;
    let x1 = -Infinity;
    let y0 = Infinity;
    let y1 = -Infinity;
    for (let i = 0; i < n; i++) {
        const x = coordinates[i * dims];
        const y = coordinates[i * dims + 1];
        if (x < x0)
            x0 = x;
        if (x > x1)
            x1 = x;
        if (y < y0)
            y0 = y;
        if (y > y1)
            y1 = y;
    }
    const counts = new Float64Array(bins * bins);
    const wx = x1 - x0 || 1;
    const wy = y1 - y0 || 1;
    for (let i = 0; i < n; i++) {
        const bx = Math.min(bins - 1, Math.floor(((coordinates[i * dims] - x0) / wx) * bins));
        const by = Math.min(bins - 1, Math.floor(((coordinates[i * dims + 1] - y0) / wy) * bins));
        counts[by * bins + bx] += 1;
    }
    let h = 0;
    for (const c of counts) {
        if (c > 0) {
            const p = c / n;
            h -= p * Math.log2(p);
        }
    }
    return h;
}
//# sourceMappingURL=heterogeneity.js.map