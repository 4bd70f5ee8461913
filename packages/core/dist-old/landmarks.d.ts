import type { MultisliceKernel } from './multislice.js';
import type { DiffusionOperator } from './operator.js';
import type { Csr } from './sparse.js';
/** G in compact CSR: columns as Uint16 when L <= 65536 (else Int32), values float32. */
interface CompactCsr {
    rows: number;
    rowPtr: Int32Array;
    cols: Uint16Array | Int32Array;
    vals: Float32Array;
}
/**
 * G = K · Lab^T (N x L, sparse; float32 values, 6 bytes an entry: building C is memory-bound): G[b, l] = sum of K[b, a] over a in cluster l, i.e. row b of K
 * aggregated by label. As K is symmetric, G^T is the reference's M (spec 6.4).
 */
export declare function aggregateByLabel(k: MultisliceKernel, labels: Int32Array, L: number): CompactCsr;
/**
 * The landmark operator (spec 6.4-6.7) from K, its degrees and every point's cluster label:
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
export {};
//# sourceMappingURL=landmarks.d.ts.map