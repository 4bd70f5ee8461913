/**
 * Choosing the diffusion time t by the knee of the von Neumann entropy (docs/algorithm.md §7), exactly
 * as PHATE's vne.py computes it, given a spectrum. How the spectrum of a large operator is
 * obtained quickly is in spectrum.ts.
 */
/**
 * H(s) for s = 1..tMax of the spectrum `values` (non-negative: singular values, or |eigenvalues|).
 * `density[i]` counts how many eigenvalues sit at values[i] (quadrature nodes), default 1 each —
 * PHATE's `von_neumann_entropy(eigenvalues, t_max, density)`, including the eps added after
 * normalising. Result h[x] = H(x + 1) (the reference's off-by-one).
 */
export declare function vonNeumannEntropy(values: Float64Array, tMax?: number, density?: Float64Array): Float64Array;
/**
 * PHATE's find_knee_point: for each breakpoint b = 1..len-2, a least-squares line on points 0..b
 * and one on points b-1..end; error = Σ_{0..b} |left - y| + Σ_{b..end} |right - y| (the asymmetry
 * is the reference's); returns x at the first minimum.
 */
export declare function findKneePoint(y: ArrayLike<number>, x?: ArrayLike<number>): number;
/** t = knee of the entropy curve of the spectrum (x = 0..tMax-1, so 1 <= t <= tMax-2). */
export declare function optimalT(values: Float64Array, tMax?: number, density?: Float64Array): number;
//# sourceMappingURL=entropy.d.ts.map