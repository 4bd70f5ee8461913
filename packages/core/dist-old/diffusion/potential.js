/**
 * The diffusion potential U of Q^t and the Euclidean distances between its rows (docs/algorithm.md §8).
 */
import { gramDistances } from '../graph/distances.js';
/**
 * Elementwise potential of Q^t: gamma 1 -> -ln(x + 1e-7); -1 -> x; else x^c / c with
 * c = (1 - gamma)/2. `gamma` comes from resolveOptions (in [-1, 1], (0.99, 1) already coerced).
 * `out` may be qt itself (each entry is read before it is written).
 */
export function potential(qt, g, out = new Float64Array(qt.length)) {
    const u = out;
    if (g === 1)
        for (let i = 0; i < u.length; i++)
            u[i] = -Math.log(qt[i] + 1e-7);
    else if (g === -1) {
        if (u !== qt)
            u.set(qt);
    }
    else if (g === 0)
        for (let i = 0; i < u.length; i++)
            u[i] = 2 * Math.sqrt(qt[i]);
    else {
        const c = (1 - g) / 2;
        for (let i = 0; i < u.length; i++)
            u[i] = qt[i] ** c / c;
    }
    return u;
}
/**
 * The M x M Euclidean distances between the rows of u (M x M), in Float64 (graph/distances.ts):
 * pairs with d² below `exactBelow` (default 1e-5) times the largest squared row norm are
 * recomputed exactly (measured in docs/mphate.md).
 */
export function rowDistances(u, m, cols, o = {}) {
    // shared: the MDS's SGD runs read it from core's threads without a copy
    return gramDistances(u, m, cols, { below: o.exactBelow ?? 1e-5, relativeTo: 'largest' }, { shared: true });
}
//# sourceMappingURL=potential.js.map