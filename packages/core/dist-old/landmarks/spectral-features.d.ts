import type { MultisliceKernel } from '../graph/multislice.js';
import type { Random } from '../linalg/random.js';
/**
 * Power iterations of the landmark range finder, by sklearn's rule for randomized_svd
 * (n_iter='auto': 7 when the components are under a tenth of the points, else 4). Each is two
 * products with A, as in sklearn. Without them the range finder returns a nearly random
 * subspace on real networks' kernels, whose spectrum is flat (|λ| 1 to 0.92 over the first 100
 * on the dropout fixture), and k-means finds other landmarks (docs/mphate.md).
 */
export declare function landmarkSvdPowerIterations(components: number, points: number): number;
export interface RsvdOptions {
    components: number;
    /** Extra columns of the random range finder (sklearn: 10). */
    oversamples?: number;
    /** Power iterations, two products with A each (default `landmarkSvdPowerIterations`). */
    powerIterations?: number;
    random: Random;
}
/**
 * Landmark spectral features (docs/algorithm.md §6.1-6.2): V = the top `components` right singular
 * vectors of the symmetric A = D^-1/2 K D^-1/2 as sklearn's randomized_svd computes them (Halko,
 * Martinsson, Tropp), then F = P·V = D^-1 K V. Returns F, N x components, float32.
 */
export declare function spectralFeatures(k: MultisliceKernel, o: RsvdOptions): Promise<{
    features: Float32Array;
    components: number;
}>;
//# sourceMappingURL=spectral-features.d.ts.map