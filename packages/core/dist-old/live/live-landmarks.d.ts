import type { IntersliceDistances } from '../graph/interslice.js';
import { type MultisliceKernel } from '../graph/multislice.js';
import type { DiffusionOperator } from '../landmarks/diffusion-operator.js';
import { UnitSquares } from './unit-squares.js';
/**
 * The landmark operator of the live engine, updated slice by slice instead of rebuilt
 * (docs/mphate.md, "Live mode"). Within an era (until new clusters or a new ε) the labels and the
 * interslice bandwidth ε are frozen. Then, with g_b = row b of G = K·Labᵀ,
 *
 *   C = Σ_b g_b g_bᵀ / deg*_b        (deg*_b: the degree of b when its term was last computed)
 *
 * changes with a new slice s in three ways, each far cheaper than a rebuild (1 in append, 2 and 3
 * together in update):
 * 1. every old point b = (u, i) gains one entry in g_b, its link w to (s, i), whose label l is
 *    the same for the whole unit: per unit, C += v e_lᵀ + e_l vᵀ + (Σ w²/deg*) e_l e_lᵀ with
 *    v = Σ_u (w_u / deg*_b) g_b (a vector of length L);
 * 2. the new points' own terms are added;
 * 3. old points' degrees grew (by w): a slice whose degrees drifted by more than `tolerance`
 *    since its terms were computed has them recomputed (a tolerance of 0 keeps C exact).
 *
 * Terms are added slice-set by slice-set in the kernel's block form (addTerms): per slice the
 * intraslice parts, per unit the interslice parts, as dense products on tfjs. The operator is
 * normalised with D_L = row sums of C, so Q = D_L⁻¹ C stays row-stochastic while some degrees
 * are stale.
 */
export declare class LiveLandmarks {
    private readonly blocks;
    readonly units: number;
    readonly landmarks: number;
    readonly epsilon: number;
    private readonly thresh;
    /** Each unit's T x T interslice weights at the frozen ε. */
    readonly weights: UnitSquares;
    /** Slices taken in. */
    epochs: number;
    /** Slices whose terms are in C (the rest were appended since the last update). */
    private committed;
    private labelsBuf;
    private degree;
    private stamped;
    /** Per slice: its distinct labels (L_τ of them). */
    private readonly sliceLabels;
    /**
     * Per slice: E_τ, the intraslice part of its points' rows of G, dense n x L_τ float32 (row i,
     * column x: the kernel mass of (τ, i) in the slice's x-th label). Random-walk-like slices have
     * dense intraslice blocks; this form streams a third of the bytes of their CSR.
     */
    private readonly sliceRows;
    private readonly c;
    /** Per unit: the distinct labels of its points (U_i), and each label's index there (n x L, -1 if absent). */
    private readonly unitLabels;
    private readonly unitLocal;
    private readonly scratch;
    private constructor();
    /**
     * Starts an era from the whole kernel (built at bandwidth `epsilon`) and every point's label.
     * `kernel.intra` must be the engine's growing list of blocks: later slices are read from it.
     * `previous`: an era whose slices carry the same labels here (a new bandwidth, same clusters);
     * its per-slice rows are reused.
     */
    static start(kernel: MultisliceKernel, labels: Int32Array, landmarks: number, epsilon: number, thresh: number, previous?: LiveLandmarks): Promise<LiveLandmarks>;
    /** Every point's landmark label, row epoch * units + unit. */
    get labels(): Int32Array;
    /**
     * Takes in the next slice (index `epochs`; its intraslice block and distances must exist):
     * its links to every older slice at the frozen ε, its points' labels (the cluster holding most
     * of their interslice mass, else their unit's cluster at the previous slice), and the links'
     * entries in the terms already in C. Its own terms wait for update().
     */
    append(distances: IntersliceDistances): void;
    /**
     * Brings C up to date in one pass (addTerms): 2. the terms of the slices appended since the
     * last update, and 3. new terms for every slice whose degrees drifted by more than
     * `tolerance` (relative) since its terms were computed. Returns how many slices were refreshed.
     */
    update(tolerance: number): Promise<number>;
    /** The diffusion operator of the current C: S = D_L^-1/2 C D_L^-1/2, D_L = row sums of C. */
    operator(): DiffusionOperator;
    /** Y_all = P_NL · Y_L: each point at the kernel-mass-weighted mean of its landmarks' coordinates. */
    interpolate(y: Float64Array, d: number): Float64Array;
    /**
     * Adds Σ_b coef_b g_b g_bᵀ over the points of the given slices to C (coefs[j][i] for point
     * (slices[j], i)), g_b = gi_b (intraslice part, labels of its slice) + ge_b (interslice part,
     * labels of its unit's other points), organised by the kernel's blocks:
     * - gi x gi per slice: E_τᵀ diag(coef) E_τ on tfjs;
     * - ge x ge per unit: H (the slices x the labels of U_i they reach) = its interslice weights
     *   summed by label, Hᵀ diag(coef) H on tfjs;
     * - gi x ge per slice: E_τᵀ diag(coef) H_τ on tfjs, H_τ (n x L) = the slice's interslice
     *   rows summed by label, into one L x L matrix X whose transpose is added once at the end.
     * Point by point this costs Σ_b r_b² scattered adds (r_b ~ 100-300 distinct labels a point):
     * seconds at T = 100, a minute at T = 300 for a whole era; this way ~1-2 s.
     */
    private addTerms;
    /**
     * C[labs, labs] += Rᵀ diag(coef) R for R (rows x |labs|, float32; column x belongs to label
     * labs[x]), on tfjs, symmetrised (float32 products are not exactly symmetric).
     */
    private addGram;
    /** Unit i's local index of label l (registered on first sight). */
    private localIndex;
    /** Records slice tau's distinct labels and its dense rows E_τ. */
    private indexSlice;
    private inverseDegrees;
    /** Room for `points` labels and degrees (grown by 1.5x). */
    private reserve;
}
//# sourceMappingURL=live-landmarks.d.ts.map