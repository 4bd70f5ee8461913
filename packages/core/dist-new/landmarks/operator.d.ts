import type { MultisliceKernel } from '../graph/multislice.js';
import type { Csr } from '../linalg/csr.js';
import type { DiffusionOperator } from './diffusion-operator.js';
/**
 * The landmark operator (docs/algorithm.md §6.4-6.7) from K, its degrees and every point's cluster label:
 *   P_NL[b, l] = G[b, l] / deg_b                    (data -> landmark, kept sparse, N x L)
 *   C = G^T D_N^-1 G = M D_N^-1 M^T                 (L x L)
 *   D_L = row sums of C = column sums of G,  S = D_L^-1/2 C D_L^-1/2,  Q = P_LN P_NL = D_L^-1 C.
 * C is accumulated landmark row by landmark row (through G^T), so the dense accumulator stays
 * in cache; the cost is sum over points of r_b^2, r_b = distinct clusters among b's neighbours.
 */
export declare function landmarkOperator(k: MultisliceKernel, labels: Int32Array, landmarks: number): {
    operator: DiffusionOperator;
    transitions: Csr;
};
/** Without landmarks (N <= nLandmark): S = D^-1/2 K D^-1/2 densified (N x N), sqrtDegree = sqrt(deg). */
export declare function fullOperator(k: MultisliceKernel): DiffusionOperator;
//# sourceMappingURL=operator.d.ts.map