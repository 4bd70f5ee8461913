import { type IntraBlock } from './intraslice.js';
import type { Csr } from './sparse.js';
/**
 * The n x n distances of one slice's rows from their Gram matrix (one tfjs float32 product):
 * d^2 = |a|^2 + |b|^2 - 2 a.b with the norms in Float64. Cancellation only hurts close pairs,
 * so every pair with d^2 below EXACT_BELOW (|a|^2 + |b|^2) is recomputed exactly in Float64
 * (duplicates and dead units stay exactly 0). The bandwidths and affinities only need d to
 * ~1e-6 relative, which float32 Gram entries of z-scored rows give.
 */
export declare function gramDistances(z: Float32Array, offset: number, n: number, dim: number): Promise<Float64Array>;
/** Intraslice blocks of every slice of a (normalised, maybe PCA'd) tensor, T x n x dim. */
export declare function intrasliceBlocks(z: Float32Array, epochs: number, units: number, dim: number, knn: number, decay: number, thresh: number, onSlice?: (done: number) => void): Promise<IntraBlock[]>;
/** Whether a CSR matrix equals its transpose (values within tol); for tests and assertions. */
export declare function isSymmetric(m: Csr, tol?: number): boolean;
//# sourceMappingURL=graph.d.ts.map