import { type Quadrature } from './linalg/krylov.js';
import type { DiffusionOperator } from './operator.js';
import type { Random } from './random.js';
/** Below this size the full Float64 eigendecomposition is cheap (< 1 s) and used. */
export declare const EXACT_LIMIT = 400;
export interface OperatorSpectrum {
    /** Leading eigenvalues of S: all M descending when exact, else the largest in magnitude, by magnitude. */
    values: Float64Array;
    /** values.length x M; row j is the unit eigenvector of values[j]. */
    vectors: Float64Array;
    /** How many leading pairs are treated as exact eigenpairs (all Ritz pairs; all M when exact). */
    deflated: number;
    exact: boolean;
    /** Quadrature of the eigenvalues beyond the deflated ones (approximate path only). */
    tail?: Quadrature;
}
export declare function operatorSpectrum(op: DiffusionOperator, random: Random, o?: {
    rank?: number;
    withTail?: boolean;
    exactLimit?: number;
}): Promise<OperatorSpectrum>;
/** t by the knee of the von Neumann entropy of |eigenvalues of S| (spec 7 with eigenvalues, see docs). */
export declare function spectrumT(spec: OperatorSpectrum, tMax?: number): number;
/**
 * Bound on the spectral norm of the part of S^t the leading pairs leave out: |λ_last|^t (0 when
 * exact). Entries of the reconstructed Q^t are off by at most about this times sqrt(d_j/d_i).
 */
export declare function truncationBound(spec: OperatorSpectrum, t: number): number;
/**
 * Q^t = diag(1/sqrtDeg)·V Λ^t Vᵀ·diag(sqrtDeg) from the spectrum (Float64 when exact, one tfjs
 * product otherwise). Negative round-off entries are clipped to 0 (Q^t is non-negative).
 */
export declare function powerFromSpectrum(op: DiffusionOperator, spec: OperatorSpectrum, t: number): Promise<Float64Array>;
/**
 * Q^t by repeated squaring of S on tfjs (float32), for when the spectrum does not decay fast
 * enough for powerFromSpectrum. ~2 log2 t dense products.
 */
export declare function powerBySquaring(op: DiffusionOperator, t: number): Promise<Float64Array>;
//# sourceMappingURL=spectrum.d.ts.map