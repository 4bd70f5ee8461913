/** Y_all = P_NL · Y_L (spec 10): each point is the kernel-mass-weighted mean of the landmark coordinates. */
export function interpolate(transitions, landmarkCoords, d) {
    const N = transitions.rows;
    const out = new Float64Array(N * d);
    for (let a = 0; a < N; a++)
        for (let p = transitions.rowPtr[a]; p < transitions.rowPtr[a + 1]; p++) {
            const w = transitions.vals[p];
            const l = transitions.cols[p];
            for (let j = 0; j < d; j++)
                out[a * d + j] += w * landmarkCoords[l * d + j];
        }
    return out;
}
//# sourceMappingURL=interpolate.js.map