/** Raw stress Σ_{a<b} (||y_a - y_b|| - D_ab)² of a configuration (M x d) against a full distance matrix. */
export function stress(y, dist, m, d) {
    let s = 0;
    for (let a = 0; a < m; a++)
        for (let b = a + 1; b < m; b++) {
            let e = 0;
            for (let c = 0; c < d; c++)
                e += (y[a * d + c] - y[b * d + c]) ** 2;
            const r = Math.sqrt(e) - dist[a * m + b];
            s += r * r;
        }
    return s;
}
//# sourceMappingURL=stress.js.map