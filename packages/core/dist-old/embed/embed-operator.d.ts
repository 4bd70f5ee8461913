/**
 * The dense embedding stages of M-PHATE on a diffusion operator (spec sections 7-9): t by the
 * von Neumann entropy ('entropy', only when t = 'auto'), Q^t ('power'), the potential and its
 * row distances ('potential'), metric MDS started from classic MDS and aligned onto it ('mds').
 */
import type { DiffusionOperator } from '../landmarks/diffusion-operator.js';
import type { Random } from '../linalg/random.js';
import type { Phase, ProgressListener } from '../options.js';
export interface EmbedOperatorOptions {
    t: number | 'auto';
    gamma: number;
    nComponents: 2 | 3;
    mdsSolver: 'sgd' | 'smacof';
    random: Random;
    /** M x d warm start (previous live frame): skips classic MDS and the Procrustes to it. */
    init?: Float64Array;
    /** SGD sweeps (default 30). A warm start draws the pairs' random order once (sgdMds `reshuffle`). */
    sweeps?: number;
    /**
     * Potential distances with d² below this fraction of the largest squared row norm are
     * recomputed exactly (potential.ts rowDistances; default 1e-5). The live engine passes 1e-6.
     */
    exactBelow?: number;
    onProgress?: ProgressListener;
}
export interface EmbedOperatorResult {
    /** M x d, row-major. */
    coordinates: Float64Array;
    t: number;
    timings: Partial<Record<Phase, number>>;
}
export declare function embedOperator(op: DiffusionOperator, o: EmbedOperatorOptions): Promise<EmbedOperatorResult>;
//# sourceMappingURL=embed-operator.d.ts.map