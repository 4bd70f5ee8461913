import type { IntersliceDistances } from './interslice.js';
import type { IntraBlock } from './intraslice.js';
/**
 * The multislice kernel K (docs/algorithm.md §5), N x N with N = epochs x units, row a = tau * units + i, in
 * its natural block form and never as a dense N x N matrix:
 * - diagonal block (tau, tau) = the intraslice block of slice tau (sparse CSR, diagonal 1);
 * - entry (tau n + i, upsilon n + i), tau != upsilon = inter[i][tau][upsilon], the interslice
 *   affinity exp(-(D_i[tau, upsilon] / eps)^2), stored densely per unit (units x T x T, float32,
 *   zero diagonal: the diagonal belongs to the intraslice blocks);
 * - every other entry 0. Entries below `thresh` are dropped (the global threshold).
 * Random-walk traces make the intraslice blocks nearly dense and the interslice blocks wholly
 * dense, so this layout costs T n^2 + n T^2 at most, less than a CSR of the same entries.
 */
export interface MultisliceKernel {
    epochs: number;
    units: number;
    intra: readonly IntraBlock[];
    /** units x T x T interslice weights (zero diagonal), or null when there is one slice. */
    inter: Float32Array | null;
    /** Row sums of K. */
    degree: Float64Array;
}
/**
 * The largest distance whose interslice affinity exp(-(d/eps)^2) reaches `thresh`:
 * W >= thresh  <=>  (d/eps)^2 <= -ln(thresh); with thresh 0, what does not underflow.
 */
export declare function affinityRadius(eps: number, thresh: number): number;
/** Interslice weights of every unit from its distances and the global bandwidth (docs/algorithm.md §4.4, 5). */
export declare function intersliceWeights(d: IntersliceDistances, eps: number, thresh: number): Float32Array;
/** Assembles K from its parts and computes the degrees. */
export declare function multisliceKernel(blocks: readonly IntraBlock[], inter: Float32Array | null): MultisliceKernel;
//# sourceMappingURL=multislice.d.ts.map