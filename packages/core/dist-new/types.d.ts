import type { Phase } from './options.js';
/**
 * A trace: activations of `units` hidden units on `samples` probe inputs at each of `epochs`
 * slices, epoch-major (numpy C order of a T x n x m array): data[(epoch * units + unit) * samples + k].
 */
export interface Trace {
    epochs: number;
    units: number;
    samples: number;
    data: Float32Array;
}
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
//# sourceMappingURL=types.d.ts.map