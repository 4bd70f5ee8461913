/**
 * Barnes-Hut t-SNE with scikit-learn 1.2's defaults and optimiser (`TSNE()`), written here
 * because npm has no maintained Barnes-Hut implementation (tsne-js and @keckelt/tsne are the
 * exact O(N²)-per-iteration algorithm of tsnejs). What it reproduces:
 * - perplexity 30 over min(N - 1, 91) nearest neighbours (affinities.ts);
 * - learning rate 'auto' = max(N / early_exaggeration / 4, 50); early exaggeration 12;
 * - 250 iterations with P exaggerated and momentum 0.5, then up to 1000 in all with momentum
 *   0.8 (gains and the update reset between the two phases, as sklearn's two calls to
 *   `_gradient_descent` do); gains +0.2 where the update and gradient disagree in sign, x0.8
 *   elsewhere, floored at 0.01; the error checked every 50 iterations, stopping after 300
 *   without progress or when the gradient norm is below 1e-7;
 * - the gradient 4 (Σ_j p_ij q_ij (y_i - y_j) - Σ_j q_ij² Z (y_i - y_j) / Z) with one degree of
 *   freedom, the repulsion by a quadtree with angle 0.5;
 * - init: 'pca' (the 1.2 default for feature input) = the 2 leading PCA scores scaled so the
 *   first has standard deviation 1e-4; 'random' = 1e-4 N(0, 1), which is what sklearn 1.2 needs
 *   for metric='precomputed' (it refuses init='pca' there, so the reference script's
 *   `TSNE(metric='precomputed')`, written when 'random' was the default, runs only with it).
 */
import { Random } from '@mphate/core/internal';
import type { SparseMatrix } from '../csr.js';
import { QuadTree } from './quadtree.js';

export const TSNE_DEFAULTS = Object.freeze({
  perplexity: 30,
  earlyExaggeration: 12,
  iterations: 1000,
  explorationIterations: 250,
  iterationsWithoutProgress: 300,
  minGradNorm: 1e-7,
  angle: 0.5,
  checkEvery: 50,
  minGain: 0.01,
});

export interface TsneOptions {
  /** N x 2 initial coordinates; default random 1e-4 N(0, 1) from `seed`. */
  init?: Float64Array;
  seed?: number;
  iterations?: number;
  /** Called at every check with the iteration (1-based) and the KL divergence. */
  onCheck?: (iteration: number, kl: number) => void;
}

export interface TsneResult {
  coordinates: Float64Array;
  /** KL divergence at each check, with its iteration (1-based). */
  kl: { iteration: number; value: number }[];
  iterations: number;
}

/** sklearn's learning_rate='auto'. */
export function autoLearningRate(N: number): number {
  return Math.max(N / TSNE_DEFAULTS.earlyExaggeration / 4, 50);
}

/** 1e-4 N(0, 1): sklearn's init='random'. */
export function randomInit(N: number, seed: number): Float64Array {
  const random = new Random(seed);
  const y = new Float64Array(2 * N);
  for (let i = 0; i < y.length; i++) y[i] = 1e-4 * random.normal();
  return y;
}

/** sklearn's init='pca' from 2-D PCA scores: scaled so column 0 has standard deviation 1e-4. */
export function pcaInit(scores: Float64Array, N: number): Float64Array {
  let mean = 0;
  for (let i = 0; i < N; i++) mean += scores[2 * i]!;
  mean /= N;
  let v = 0;
  for (let i = 0; i < N; i++) v += (scores[2 * i]! - mean) ** 2;
  const std = Math.sqrt(v / N) || 1;
  return scores.map((x) => (x / std) * 1e-4);
}

/** Runs the optimiser on joint probabilities P (symmetric CSR summing to 1). */
export function tsne(P: SparseMatrix, options: TsneOptions = {}): TsneResult {
  const N = P.rows;
  const D = TSNE_DEFAULTS;
  const y = options.init ? Float64Array.from(options.init) : randomInit(N, options.seed ?? 0);
  if (y.length !== 2 * N) throw new Error(`tsne: init has ${y.length / 2} rows, expected ${N}`);
  const rate = autoLearningRate(N);
  const total = options.iterations ?? D.iterations;
  const tree = new QuadTree();
  const grad = new Float64Array(2 * N);
  const kl: TsneResult['kl'] = [];
  let it = 0;
  const phase = (exaggeration: number, momentum: number, end: number, patience: number): void => {
    const update = new Float64Array(2 * N);
    const gains = new Float64Array(2 * N).fill(1);
    let bestError = Number.MAX_VALUE;
    let bestIter = it;
    for (let i = it; i < end; i++) {
      const check = (i + 1) % D.checkEvery === 0 || i === end - 1;
      const error = gradient(P, y, N, exaggeration, D.angle, tree, grad, check);
      let gradNorm = 0;
      for (let c = 0; c < 2 * N; c++) {
        const g = grad[c]!;
        gradNorm += g * g;
        if (update[c]! * g < 0) gains[c]! += 0.2;
        else gains[c]! *= 0.8;
        if (gains[c]! < D.minGain) gains[c] = D.minGain;
        update[c] = momentum * update[c]! - rate * gains[c]! * g;
        y[c]! += update[c]!;
      }
      it = i;
      if (check) {
        kl.push({ iteration: i + 1, value: error });
        options.onCheck?.(i + 1, error);
        if (error < bestError) {
          bestError = error;
          bestIter = i;
        } else if (i - bestIter > patience) break;
        if (Math.sqrt(gradNorm) <= D.minGradNorm) break;
      }
    }
  };
  const exploration = Math.min(D.explorationIterations, total);
  phase(D.earlyExaggeration, 0.5, exploration, D.explorationIterations);
  if (total > exploration) {
    it += 1;
    phase(1, 0.8, total, D.iterationsWithoutProgress);
  }
  return { coordinates: y, kl, iterations: it + 1 };
}

/**
 * The Barnes-Hut gradient of KL(P || Q) into `grad` (P multiplied by `exaggeration`); returns
 * the KL divergence when `withError` (of the exaggerated P, as sklearn reports it), else NaN.
 */
export function gradient(
  P: SparseMatrix,
  y: Float64Array,
  N: number,
  exaggeration: number,
  angle: number,
  tree: QuadTree,
  grad: Float64Array,
  withError: boolean,
): number {
  tree.build(y, N);
  const theta2 = angle * angle;
  const neg = new Float64Array(2);
  let z = 0;
  grad.fill(0);
  const negative = new Float64Array(2 * N);
  for (let i = 0; i < N; i++) {
    neg[0] = 0;
    neg[1] = 0;
    z += tree.repulsion(y, i, theta2, neg);
    negative[2 * i] = neg[0]!;
    negative[2 * i + 1] = neg[1]!;
  }
  const { rowPtr, cols, vals } = P;
  const tiny = 1.1754943508222875e-38;
  let error = 0;
  for (let i = 0; i < N; i++) {
    const xi = y[2 * i]!;
    const yi = y[2 * i + 1]!;
    let fx = 0;
    let fy = 0;
    for (let p = rowPtr[i]!; p < rowPtr[i + 1]!; p++) {
      const j = cols[p]!;
      const dx = xi - y[2 * j]!;
      const dy = yi - y[2 * j + 1]!;
      const q = 1 / (1 + dx * dx + dy * dy);
      const pij = vals[p]! * exaggeration;
      fx += pij * q * dx;
      fy += pij * q * dy;
      if (withError) error += pij * Math.log(Math.max(pij, tiny) / Math.max(q / z, tiny));
    }
    grad[2 * i] = 4 * (fx - negative[2 * i]! / z);
    grad[2 * i + 1] = 4 * (fy - negative[2 * i + 1]! / z);
  }
  return withError ? error : Number.NaN;
}
