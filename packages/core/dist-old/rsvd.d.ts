import type { MultisliceKernel } from './multislice.js';
import type { Random } from './random.js';
export interface RsvdOptions {
    components: number;
    /** Extra columns of the random range finder (sklearn: 10). */
    oversamples?: number;
    /** Power iterations (sklearn: 7 here; see docs/mphate.md for our choice). */
    powerIterations?: number;
    random: Random;
}
/**
 * Landmark spectral features (spec 6.1-6.2): V = the top `components` singular vectors of the
 * symmetric A = D^-1/2 K D^-1/2 by a randomized range finder (Halko, Martinsson, Tropp; what
 * sklearn's randomized_svd does), then F = P·V = D^-1 K V. For symmetric A the right singular
 * vectors are the eigenvectors of largest |eigenvalue|. Returns F, N x components, float32.
 */
export declare function spectralFeatures(k: MultisliceKernel, o: RsvdOptions): Promise<{
    features: Float32Array;
    components: number;
}>;
//# sourceMappingURL=rsvd.d.ts.map