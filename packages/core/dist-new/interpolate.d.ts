import type { Csr } from './sparse.js';
/** Y_all = P_NL · Y_L (spec 10): each point is the kernel-mass-weighted mean of the landmark coordinates. */
export declare function interpolate(transitions: Csr, landmarkCoords: Float64Array, d: number): Float64Array;
//# sourceMappingURL=interpolate.d.ts.map