import type { Phase } from './options.js';
/** The result of an embedding: N x d float32 coordinates, row `epoch * units + unit`. */
export interface Embedding {
    coordinates: Float32Array;
    /** N = epochs x units. */
    points: number;
    nComponents: 2 | 3;
    /** The diffusion time used (chosen by entropy when t = 'auto'). */
    t: number;
    /** Effective landmark count (distinct clusters), 0 when the full operator was used. */
    landmarks: number;
    /** The interslice k actually used (clamped to epochs - 1). */
    intersliceKnn: number;
    /** Milliseconds per phase that ran. */
    timings: Partial<Record<Phase, number>>;
}
//# sourceMappingURL=embedding.d.ts.map