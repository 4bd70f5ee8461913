import type { Random } from '../../linalg/random.js';
/** M x d coordinates (row-major) from the M x M distance matrix `dist`. */
export declare function classicMds(dist: Float64Array, m: number, d: number, random: Random): Promise<Float64Array>;
//# sourceMappingURL=classic.d.ts.map