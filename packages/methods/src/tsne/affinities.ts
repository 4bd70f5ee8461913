/**
 * t-SNE's input affinities from each point's nearest neighbours, as scikit-learn 1.2 builds
 * them for method='barnes_hut' (`_joint_probabilities_nn`): per row, a binary search for the
 * Gaussian precision beta whose conditional distribution exp(-d beta) over the neighbours has
 * the desired perplexity (natural-log entropy, tolerance 1e-5, at most 100 steps); then
 * P = (P + Pᵀ) / sum. With metric='euclidean' sklearn feeds the SQUARED distances to the search;
 * with metric='precomputed' the distances as given.
 */
import { fromTriplets, type SparseMatrix } from '../csr.js';
import type { Neighbours } from '../knn.js';

const PERPLEXITY_TOLERANCE = 1e-5;
const SEARCH_STEPS = 100;
const EPSILON_DBL = 1e-8;
const MACHINE_EPSILON = 2.220446049250313e-16;

/** sklearn's neighbour count for a perplexity: min(N - 1, floor(3 perplexity + 1)). */
export function neighboursForPerplexity(perplexity: number, N: number): number {
  return Math.min(N - 1, Math.floor(3 * perplexity + 1));
}

/** Conditional probabilities (N x k, rows summing to 1) for the given neighbour distances. */
export function conditionalProbabilities(
  distances: Float64Array,
  N: number,
  k: number,
  perplexity: number,
): Float64Array {
  const p = new Float64Array(N * k);
  const desired = Math.log(perplexity);
  for (let i = 0; i < N; i++) {
    const o = i * k;
    let beta = 1;
    let betaMin = Number.NEGATIVE_INFINITY;
    let betaMax = Number.POSITIVE_INFINITY;
    for (let step = 0; step < SEARCH_STEPS; step++) {
      let sum = 0;
      for (let j = 0; j < k; j++) {
        // sklearn's search runs on float32 distances
        const v = Math.exp(-Math.fround(distances[o + j]!) * beta);
        p[o + j] = v;
        sum += v;
      }
      if (sum === 0) sum = EPSILON_DBL;
      let sumDist = 0;
      for (let j = 0; j < k; j++) {
        p[o + j]! /= sum;
        sumDist += Math.fround(distances[o + j]!) * p[o + j]!;
      }
      const diff = Math.log(sum) + beta * sumDist - desired;
      if (Math.abs(diff) <= PERPLEXITY_TOLERANCE) break;
      if (diff > 0) {
        betaMin = beta;
        beta = betaMax === Number.POSITIVE_INFINITY ? beta * 2 : (beta + betaMax) / 2;
      } else {
        betaMax = beta;
        beta = betaMin === Number.NEGATIVE_INFINITY ? beta / 2 : (beta + betaMin) / 2;
      }
    }
  }
  return p;
}

/**
 * The symmetric joint probabilities P (CSR, sums to 1) from nearest neighbours.
 * `squared`: search on d² (sklearn's metric='euclidean'), else on d (metric='precomputed').
 */
export function jointProbabilities(
  nn: Neighbours,
  N: number,
  perplexity: number,
  squared: boolean,
): SparseMatrix {
  const { k, indices } = nn;
  const d = squared ? nn.distances.map((x) => x * x) : nn.distances;
  const cond = conditionalProbabilities(d, N, k, perplexity);
  const rows = new Int32Array(2 * N * k);
  const cols = new Int32Array(2 * N * k);
  const vals = new Float64Array(2 * N * k);
  let e = 0;
  for (let i = 0; i < N; i++)
    for (let j = 0; j < k; j++) {
      const b = indices[i * k + j]!;
      const v = cond[i * k + j]!;
      rows[e] = i;
      cols[e] = b;
      vals[e++] = v;
      rows[e] = b;
      cols[e] = i;
      vals[e++] = v;
    }
  const P = fromTriplets(N, rows, cols, vals, 'sum');
  let total = 0;
  for (const v of P.vals) total += v;
  const inv = 1 / Math.max(total, MACHINE_EPSILON);
  for (let p = 0; p < P.vals.length; p++) P.vals[p]! *= inv;
  return P;
}
