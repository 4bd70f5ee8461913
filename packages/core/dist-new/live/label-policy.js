/**
 * Labels the points of slice s (every earlier slice labelled): each joins the cluster holding most
 * of its interslice kernel mass among its unit's earlier points, else its unit's cluster at the
 * previous slice. (Its intraslice neighbours are new points, unlabelled; counting their first
 * labels in a second round changed no label on the fixtures: a unit's own past outweighs them.)
 * Unit i's weight to earlier slice u is `weightsOf(i)[at + u]`.
 */
export function labelSlice(s, n, labels, weightsOf, at) {
    const base = s * n;
    const mass = new Map();
    for (let i = 0; i < n; i++) {
        const w = weightsOf(i);
        mass.clear();
        for (let u = 0; u < s; u++) {
            const v = w[at + u];
            if (v !== 0)
                addMass(mass, labels[u * n + i], v);
        }
        labels[base + i] = heaviest(mass, labels[base - n + i]);
    }
}
function addMass(mass, label, w) {
    mass.set(label, (mass.get(label) ?? 0) + w);
}
function heaviest(mass, fallback) {
    let best = fallback;
    let bestMass = 0;
    for (const [l, m] of mass)
        if (m > bestMass) {
            bestMass = m;
            best = l;
        }
    return best;
}
/** Labels for the points of `k` beyond `old` (whole slices added since), slice by slice (labelSlice). */
export function extendLabels(k, old) {
    const n = k.units;
    const T = k.epochs;
    const labels = new Int32Array(T * n);
    labels.set(old.subarray(0, Math.min(old.length, T * n)));
    const none = new Float32Array(T);
    for (let tau = old.length / n; tau < T; tau++) {
        const inter = k.inter;
        labelSlice(tau, n, labels, (i) => (inter ? inter.subarray((i * T + tau) * T) : none), 0);
    }
    return labels;
}
//# sourceMappingURL=label-policy.js.map