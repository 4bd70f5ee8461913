import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../linalg/backend.js';
import type { Random } from '../linalg/random.js';
import { toSharedFloat32 } from '../linalg/shared.js';
import { runOnThreads, threadCount } from '../linalg/thread-pool.js';
import { transpose } from '../linalg/transpose.js';
import { kmeansPlusPlus } from './kmeans-seeding.js';

export interface KMeansOptions {
  clusters: number;
  random: Random;
  /** Points seeded by k-means++ (sklearn MiniBatchKMeans: init_size = 3 x clusters). */
  initSize?: number;
  /** Mini-batch size (graphtools: 10,000; at most the number of points). */
  batchSize?: number;
  /** Mini-batch steps (default MINI_BATCH_STEPS). */
  steps?: number;
  /**
   * Awaited between steps (and every few seeding steps and Gram blocks, all then on this thread): lets
   * work that runs between live frames yield (live/time-slices.ts).
   */
  pause?: () => Promise<void>;
}

/**
 * Mini-batch steps. sklearn runs until its smoothed batch inertia stops improving (30-65 steps on
 * the dropout fixture); 10 agree with the reference as well (0.995 at seeds where 65 give 0.990-0.993,
 * docs/mphate.md) at a sixth of the cost: the reassignments of the first steps are what count.
 */
const MINI_BATCH_STEPS = 10;
/** sklearn MiniBatchKMeans: centres hit by fewer than this fraction of the busiest one's points are moved. */
const REASSIGNMENT_RATIO = 0.01;

export interface KMeansResult {
  /** Cluster of every point, compacted to 0..clusters-1 in label order (empty clusters removed). */
  labels: Int32Array;
  clusters: number;
}

/**
 * k-means of the rows of x (rows x dim) into `clusters` groups as sklearn's MiniBatchKMeans runs
 * for graphtools (docs/algorithm.md §6.3): k-means++ seeding on a random subsample, then
 * mini-batch steps of `batchSize` points drawn with replacement, each centre moving to the running
 * mean of every point it was given, and centres that few points reach moved onto random points of
 * the batch (while any centre has none, and every 10 x clusters points); then one assignment of
 * every point. The reassignment is what spreads the centres over the dense regions: without it,
 * D² seeding leaves ~480 singleton clusters and clusters of up to 140 points on the dropout
 * fixture (sklearn: ~150 and ~36), and the embedding departs (docs/mphate.md). Distances go
 * through tfjs matMul (float32): only the argmin is used.
 */
export async function kmeans(
  x: Float32Array | Float64Array,
  rows: number,
  dim: number,
  o: KMeansOptions,
): Promise<KMeansResult> {
  const L = Math.min(o.clusters, rows);
  const rnd = o.random;
  // shared: the assignments read the rows from core's threads
  const xf = toSharedFloat32(x);
  const sampleSize = Math.min(rows, Math.max(L, o.initSize ?? 3 * L));
  // sklearn draws the seeding sample with replacement (randint)
  const sample = Int32Array.from({ length: sampleSize }, () => rnd.nextInt(rows));
  const centres = await kmeansPlusPlus(xf, dim, sample, L, rnd, {
    alone: o.pause !== undefined,
    pause: o.pause,
  });
  const batch = Math.min(rows, o.batchSize ?? 10000);
  const counts = new Float64Array(L);
  const idx = new Int32Array(batch);
  let sinceReassign = 0;
  for (let step = 0; step < (o.steps ?? MINI_BATCH_STEPS); step++) {
    await o.pause?.();
    for (let i = 0; i < batch; i++) idx[i] = rnd.nextInt(rows);
    sinceReassign += batch;
    const reassign = counts.includes(0) || sinceReassign >= 10 * L;
    if (reassign) sinceReassign = 0;
    const lab = await assign(xf, dim, idx, centres, L);
    miniBatchUpdate(xf, dim, idx, lab, centres, counts, L);
    if (reassign) reassignLowCounts(xf, dim, idx, centres, counts, L, rnd);
  }
  await o.pause?.();
  const all = Int32Array.from({ length: rows }, (_, i) => i);
  return compact(await assign(xf, dim, all, centres, L), L);
}

/**
 * sklearn's random reassignment: centres whose running count is below REASSIGNMENT_RATIO of the
 * largest move onto distinct random points of the batch, their counts set to the smallest kept
 * one so they are not moved again at once.
 */
function reassignLowCounts(
  x: Float32Array,
  dim: number,
  idx: Int32Array,
  centres: Float32Array,
  counts: Float64Array,
  L: number,
  rnd: Random,
): void {
  let max = 0;
  for (let c = 0; c < L; c++) max = Math.max(max, counts[c]!);
  const low: number[] = [];
  let minKept = Number.POSITIVE_INFINITY;
  for (let c = 0; c < L; c++) {
    if (counts[c]! < REASSIGNMENT_RATIO * max) low.push(c);
    else minKept = Math.min(minKept, counts[c]!);
  }
  // at most half a batch, the lowest counts first
  if (low.length > idx.length / 2) {
    low.sort((a, b) => counts[a]! - counts[b]!);
    low.length = Math.floor(idx.length / 2);
  }
  if (low.length === 0) return;
  const picks = sampleWithoutReplacement(idx.length, low.length, rnd);
  for (let j = 0; j < low.length; j++) {
    const c = low[j]!;
    const p = idx[picks[j]!]! * dim;
    centres.set(x.subarray(p, p + dim), c * dim);
    counts[c] = minKept;
  }
}

function sampleWithoutReplacement(n: number, k: number, rnd: Random): Int32Array {
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + rnd.nextInt(n - i);
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  return perm.slice(0, k);
}

/**
 * Nearest centre of each listed row, the rows split over core's threads (linalg/thread-pool.ts);
 * x and the centres are shared with them, not copied.
 */
async function assign(
  x: Float32Array,
  dim: number,
  idx: Int32Array,
  centres: Float32Array,
  L: number,
): Promise<Int32Array> {
  const parts = Math.max(1, Math.min(await threadCount(), Math.floor(idx.length / 1000)));
  const shared = toSharedFloat32(centres);
  const tasks: NearestCentresArgs[] = [];
  for (let p = 0; p < parts; p++) {
    const lo = Math.floor((p * idx.length) / parts);
    const hi = Math.floor(((p + 1) * idx.length) / parts);
    tasks.push({ x, dim, idx: idx.subarray(lo, hi), centres: shared, L });
  }
  const labels = await runOnThreads('nearestCentres', tasks, nearestCentres);
  if (labels.length === 1) return labels[0]!;
  const out = new Int32Array(idx.length);
  let at = 0;
  for (const l of labels) {
    out.set(l, at);
    at += l.length;
  }
  return out;
}

/** One thread's share of an assignment (thread-tasks.ts). */
export interface NearestCentresArgs {
  x: Float32Array;
  dim: number;
  idx: Int32Array;
  centres: Float32Array;
  L: number;
}

/**
 * Nearest centre of each listed row: argmin ||c||^2 - 2 x.c in float32, on the backend (only the
 * argmin comes back, not the rows x L products).
 */
export async function nearestCentres(a: NearestCentresArgs): Promise<Int32Array> {
  await initBackend();
  const { x, dim, idx, centres, L } = a;
  const norms = new Float32Array(L);
  for (let c = 0; c < L; c++) {
    let s = 0;
    for (let k = 0; k < dim; k++) s += centres[c * dim + k]! ** 2;
    norms[c] = s;
  }
  // centres transposed (dim x L): tfjs-wasm's matMul is much slower with transposeB. Scaled by
  // -2 (exact), so one fused product-and-bias gives norms - 2 x.c: 10 % faster than the three
  // operations apart, and the same nearest centre but at float32 ties (9 rows in 20,000 on
  // mnist-100's features, where the bias enters the sum first).
  const ct = tf.tensor2d(
    transpose(centres, L, dim).map((v) => -2 * v),
    [dim, L],
  );
  const nt = tf.tensor1d(norms);
  const out = new Int32Array(idx.length);
  // 2^22 products per chunk: ~16 MB per temporary, the backend heap of each thread stays small
  const chunk = Math.max(1, Math.min(idx.length, Math.floor(2 ** 22 / L)));
  const buf = new Float32Array(chunk * dim);
  try {
    for (let start = 0; start < idx.length; start += chunk) {
      const m = Math.min(chunk, idx.length - start);
      const a = m === chunk ? buf : buf.subarray(0, m * dim);
      for (let i = 0; i < m; i++)
        a.set(x.subarray(idx[start + i]! * dim, idx[start + i]! * dim + dim), i * dim);
      const arg = tf.tidy(() =>
        tf.argMin(tf.fused.matMul({ a: tf.tensor2d(a, [m, dim]), b: ct, bias: nt }), 1),
      );
      out.set((await arg.data()) as Int32Array, start);
      arg.dispose();
    }
  } finally {
    tf.dispose([ct, nt]);
  }
  return out;
}

/** sklearn's mini-batch step: each centre moves to the running mean of every point it has been given. */
function miniBatchUpdate(
  x: Float32Array,
  dim: number,
  idx: Int32Array,
  lab: Int32Array,
  centres: Float32Array,
  counts: Float64Array,
  L: number,
): void {
  const sums = new Float64Array(L * dim);
  const batchCounts = new Int32Array(L);
  for (let i = 0; i < idx.length; i++) {
    const c = lab[i]!;
    batchCounts[c]++;
    const o = idx[i]! * dim;
    for (let k = 0; k < dim; k++) sums[c * dim + k] += x[o + k]!;
  }
  for (let c = 0; c < L; c++) {
    const b = batchCounts[c]!;
    if (b === 0) continue;
    const old = counts[c]!;
    const total = old + b;
    for (let k = 0; k < dim; k++)
      centres[c * dim + k] = (centres[c * dim + k]! * old + sums[c * dim + k]!) / total;
    counts[c] = total;
  }
}

/** Renumbers labels 0..L'-1 in label order, dropping clusters no point chose. */
export function compact(labels: Int32Array, L: number): KMeansResult {
  const map = new Int32Array(L).fill(-1);
  for (let i = 0; i < labels.length; i++) map[labels[i]!] = 1;
  let next = 0;
  for (let c = 0; c < L; c++) if (map[c] === 1) map[c] = next++;
  const out = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) out[i] = map[labels[i]!]!;
  return { labels: out, clusters: next };
}
