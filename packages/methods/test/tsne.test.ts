import { Random } from '@mphate/core/internal';
import { describe, expect, it } from 'vitest';
import {
  autoLearningRate,
  conditionalProbabilities,
  fromTripletsForTest as fromTriplets,
  gradient,
  jointProbabilities,
  neighboursForPerplexity,
  pcaInit,
  pcaScores,
  pointNeighbours,
  QuadTree,
  randomInit,
  tsne,
} from './helpers.js';

/** Three well-separated Gaussian blobs in 10-D. */
function blobs(
  perBlob: number,
  seed: number,
): { pts: Float32Array; label: Int32Array; N: number; m: number } {
  const r = new Random(seed);
  const m = 10;
  const N = 3 * perBlob;
  const pts = new Float32Array(N * m);
  const label = new Int32Array(N);
  for (let a = 0; a < N; a++) {
    const b = Math.floor(a / perBlob);
    label[a] = b;
    for (let c = 0; c < m; c++) pts[a * m + c] = r.normal() + (c === b ? 30 : 0);
  }
  return { pts, label, N, m };
}

function affinities(pts: Float32Array, N: number, m: number, perplexity = 30) {
  const nn = pointNeighbours(pts, N, m, neighboursForPerplexity(perplexity, N));
  return { nn, P: jointProbabilities(nn, N, perplexity, true) };
}

describe('t-SNE affinities', () => {
  it('give every row the asked perplexity and a symmetric P summing to 1', () => {
    const { pts, N, m } = blobs(40, 1);
    const { nn, P } = affinities(pts, N, m, 10);
    const cond = conditionalProbabilities(
      nn.distances.map((d) => d * d),
      N,
      nn.k,
      10,
    );
    for (let a = 0; a < N; a++) {
      let h = 0;
      for (let j = 0; j < nn.k; j++) {
        const p = cond[a * nn.k + j]!;
        if (p > 0) h -= p * Math.log(p);
      }
      expect(Math.abs(h - Math.log(10))).toBeLessThan(1e-4);
    }
    let total = 0;
    for (const v of P.vals) total += v;
    expect(total).toBeCloseTo(1, 12);
    const dense = new Float64Array(N * N);
    for (let a = 0; a < N; a++)
      for (let p = P.rowPtr[a]!; p < P.rowPtr[a + 1]!; p++) dense[a * N + P.cols[p]!] = P.vals[p]!;
    for (let a = 0; a < N; a++) for (let b = 0; b < a; b++) expect(dense[a * N + b]).toBe(dense[b * N + a]);
  });

  it('sklearn: 91 neighbours at perplexity 30, fewer for tiny sets; learning rate max(N/48, 50)', () => {
    expect(neighboursForPerplexity(30, 5760)).toBe(91);
    expect(neighboursForPerplexity(30, 50)).toBe(49);
    expect(autoLearningRate(5760)).toBe(120);
    expect(autoLearningRate(1000)).toBe(50);
  });
});

describe('Barnes-Hut gradient', () => {
  it('with angle 0 equals the exact t-SNE gradient; with 0.5 stays close', () => {
    const { pts, N, m } = blobs(30, 2);
    const { P } = affinities(pts, N, m, 10);
    const y = randomInit(N, 3).map((v) => v * 1e4);
    const dense = new Float64Array(N * N);
    for (let a = 0; a < N; a++)
      for (let p = P.rowPtr[a]!; p < P.rowPtr[a + 1]!; p++) dense[a * N + P.cols[p]!] = P.vals[p]!;
    let Z = 0;
    for (let a = 0; a < N; a++)
      for (let b = 0; b < N; b++)
        if (a !== b) Z += 1 / (1 + (y[2 * a]! - y[2 * b]!) ** 2 + (y[2 * a + 1]! - y[2 * b + 1]!) ** 2);
    const exact = new Float64Array(2 * N);
    let kl = 0;
    for (let a = 0; a < N; a++)
      for (let b = 0; b < N; b++) {
        if (a === b) continue;
        const dx = y[2 * a]! - y[2 * b]!;
        const dy = y[2 * a + 1]! - y[2 * b + 1]!;
        const w = 1 / (1 + dx * dx + dy * dy);
        const g = 4 * (dense[a * N + b]! - w / Z) * w;
        exact[2 * a]! += g * dx;
        exact[2 * a + 1]! += g * dy;
        if (dense[a * N + b]! > 0) kl += dense[a * N + b]! * Math.log(dense[a * N + b]! / (w / Z));
      }
    const grad = new Float64Array(2 * N);
    const error = gradient(P, y, N, 1, 0, new QuadTree(), grad, true);
    expect(error).toBeCloseTo(kl, 10);
    let scale = 0;
    for (const v of exact) scale = Math.max(scale, Math.abs(v));
    for (let i = 0; i < 2 * N; i++) expect(Math.abs(grad[i]! - exact[i]!)).toBeLessThan(1e-9 * scale);
    gradient(P, y, N, 1, 0.5, new QuadTree(), grad, false);
    let err = 0;
    let norm = 0;
    for (let i = 0; i < 2 * N; i++) {
      err += (grad[i]! - exact[i]!) ** 2;
      norm += exact[i]! ** 2;
    }
    expect(Math.sqrt(err / norm)).toBeLessThan(0.05);
  });
});

describe('t-SNE optimisation', () => {
  const { pts, label, N, m } = blobs(60, 5);
  const { P } = affinities(pts, N, m);
  const init = pcaInit(pcaScores(pts, N, m, 2, 1), N);
  const run = tsne(P, { init });

  it('keeps well-separated clusters separated', () => {
    const y = run.coordinates;
    for (const v of y) expect(Number.isFinite(v)).toBe(true);
    // every point's 10 nearest embedded neighbours are from its own blob
    const nn = pointNeighbours(y, N, 2, 10);
    for (let a = 0; a < N; a++)
      for (let j = 0; j < 10; j++) expect(label[nn.indices[a * 10 + j]!]).toBe(label[a]);
  });

  it('decreases the KL divergence once the exaggeration ends', () => {
    const after = run.kl.filter((c) => c.iteration > 250).map((c) => c.value);
    expect(after.length).toBeGreaterThan(2);
    expect(after[after.length - 1]!).toBeLessThan(after[0]!);
    for (let i = 1; i < after.length; i++) expect(after[i]!).toBeLessThanOrEqual(after[i - 1]! + 1e-3);
  });

  it('is deterministic under a seed, and the seed matters', () => {
    const a = tsne(P, { seed: 4, iterations: 300 }).coordinates;
    const b = tsne(P, { seed: 4, iterations: 300 }).coordinates;
    const c = tsne(P, { seed: 5, iterations: 300 }).coordinates;
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('handles coincident points (one shared quadtree leaf) without NaN', () => {
    const M = 40;
    const rows: number[] = [];
    const cols: number[] = [];
    const vals: number[] = [];
    for (let a = 0; a < M; a++) {
      const b = (a + 1) % M;
      rows.push(a, b);
      cols.push(b, a);
      vals.push(1 / (2 * M), 1 / (2 * M));
    }
    const init = new Float64Array(2 * M); // all at the origin
    const y = tsne(fromTriplets(M, rows, cols, vals), { init, iterations: 60 }).coordinates;
    for (const v of y) expect(Number.isFinite(v)).toBe(true);
  });
});
