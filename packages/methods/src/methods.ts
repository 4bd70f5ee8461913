/**
 * The comparison methods of docs/algorithm.md §12.4 plus PCA and UMAP, by name, each with the
 * largest trace it embeds (points = slices x units) and why. Every method reads its inputs from
 * one `MethodInputs`, which computes the pieces methods share (the M-PHATE kernel, its geodesic
 * distances, the flattened points, the naive PHATE graph) once and charges their time to every
 * method that uses them, so each method's time is what it would cost alone.
 */
import type { Trace } from '@mphate/core';
import { mphateCoordinates, mphateKernel, naivePhateCoordinates, naivePhateKernel } from './core-adapter.js';
import type { SparseMatrix } from './csr.js';
import { diffusionMaps } from './diffusion-maps.js';
import { isomapFromGeodesics, kernelGeodesics, pointGeodesics } from './isomap.js';
import { distanceNeighbours, pointNeighbours } from './knn.js';
import { pcaScores } from './pca.js';
import { jointProbabilities, neighboursForPerplexity } from './tsne/affinities.js';
import { pcaInit, randomInit, TSNE_DEFAULTS, tsne } from './tsne/tsne.js';
import { umap } from './umap.js';

export const METHOD_NAMES = [
  'm-phate',
  'dm',
  'isomap',
  'tsne',
  'phate',
  'naive-dm',
  'naive-isomap',
  'naive-tsne',
  'pca',
  'umap',
] as const;
export type MethodName = (typeof METHOD_NAMES)[number];

/** Dense geodesic distances: N² float32 (144 MB at 6,000 points) and N Dijkstra searches. */
export const GEODESIC_LIMIT = 6000;

export interface MethodInfo {
  name: MethodName;
  /** Column heading: the paper's name and whether it uses the slices. */
  label: string;
  group: 'multislice' | 'naive' | 'baseline';
  summary: string;
  /** Largest number of points (slices x units) it embeds. */
  maxPoints: number;
  /** Why there is a limit. */
  limitReason: string;
}

const noLimit = 'no dense N x N stage';

export const METHODS: Readonly<Record<MethodName, MethodInfo>> = Object.freeze({
  'm-phate': {
    name: 'm-phate',
    label: 'M-PHATE',
    group: 'multislice',
    summary: 'Multislice PHATE with its defaults',
    maxPoints: Number.POSITIVE_INFINITY,
    limitReason: noLimit,
  },
  dm: {
    name: 'dm',
    label: 'DM (multislice)',
    group: 'multislice',
    summary: 'diffusion maps of the M-PHATE kernel',
    maxPoints: 150_000,
    limitReason: 'a 400-vector Lanczos basis of N float64 values',
  },
  isomap: {
    name: 'isomap',
    label: 'Isomap (multislice)',
    group: 'multislice',
    summary: 'classical scaling of shortest paths on the M-PHATE kernel (edge length -ln K)',
    maxPoints: GEODESIC_LIMIT,
    limitReason: 'dense N x N geodesic distances',
  },
  tsne: {
    name: 'tsne',
    label: 't-SNE (multislice)',
    group: 'multislice',
    summary: 't-SNE on the M-PHATE geodesic distances (precomputed, random init)',
    maxPoints: GEODESIC_LIMIT,
    limitReason: 'dense N x N geodesic distances',
  },
  phate: {
    name: 'phate',
    label: 'PHATE (naive)',
    group: 'naive',
    summary: 'PHATE on the flattened points with its defaults (knn 5, decay 40, gamma 1, 2000 landmarks)',
    maxPoints: 12_000,
    limitReason: 'the N x N distances of its kNN kernel',
  },
  'naive-dm': {
    name: 'naive-dm',
    label: 'DM (naive)',
    group: 'naive',
    summary: 'diffusion maps of the naive PHATE graph',
    maxPoints: 12_000,
    limitReason: 'the N x N distances of its kNN kernel',
  },
  'naive-isomap': {
    name: 'naive-isomap',
    label: 'Isomap (naive)',
    group: 'naive',
    summary: "scikit-learn's Isomap() on the flattened points (5 neighbours)",
    maxPoints: GEODESIC_LIMIT,
    limitReason: 'dense N x N geodesic distances',
  },
  'naive-tsne': {
    name: 'naive-tsne',
    label: 't-SNE (naive)',
    group: 'naive',
    summary: "scikit-learn 1.2's TSNE() on the flattened points (Barnes-Hut, PCA init)",
    maxPoints: 50_000,
    limitReason: 'an exact nearest-neighbour search over all N² pairs',
  },
  pca: {
    name: 'pca',
    label: 'PCA',
    group: 'baseline',
    summary: '2-D PCA of the flattened points',
    maxPoints: Number.POSITIVE_INFINITY,
    limitReason: noLimit,
  },
  umap: {
    name: 'umap',
    label: 'UMAP',
    group: 'baseline',
    summary: 'umap-js with its defaults on the flattened points',
    maxPoints: 50_000,
    limitReason: 'umap-js keeps the points as JavaScript arrays',
  },
});

export function isMethodName(name: string): name is MethodName {
  return (METHOD_NAMES as readonly string[]).includes(name);
}

/** Throws an Error naming the known methods when `name` is not one. */
export function methodInfo(name: string): MethodInfo {
  if (!isMethodName(name)) throw new Error(`unknown method '${name}' (methods: ${METHOD_NAMES.join(', ')})`);
  return METHODS[name];
}

/** The inputs of every method for one trace, computed lazily and once. */
export class MethodInputs {
  private readonly pieces = new Map<string, { value: Promise<unknown>; ms: number }>();
  private charged = 0;

  constructor(
    readonly trace: Trace,
    readonly seed = 42,
  ) {}

  get points(): number {
    return this.trace.epochs * this.trace.units;
  }

  /** A shared piece: computed on first use; its time is charged to every method that uses it. */
  private async piece<T>(name: string, compute: () => Promise<T> | T): Promise<T> {
    let entry = this.pieces.get(name);
    if (!entry) {
      const started = performance.now();
      const made = { value: Promise.resolve().then(compute), ms: 0 };
      made.value = made.value.then((v) => {
        made.ms = performance.now() - started;
        return v;
      });
      entry = made;
      this.pieces.set(name, entry);
    }
    const value = (await entry.value) as T;
    this.charged += entry.ms;
    return value;
  }

  mphateKernel(): Promise<SparseMatrix> {
    return this.piece('mphate-kernel', () => mphateKernel(this.trace, this.seed));
  }

  async mphateGeodesics(): Promise<Float32Array> {
    const kernel = await this.mphateKernel();
    return this.piece('mphate-geodesics', () => kernelGeodesics(kernel));
  }

  naiveKernel(): Promise<SparseMatrix> {
    return this.piece('naive-kernel', () => naivePhateKernel(this.trace));
  }

  /**
   * Embeds with one method. Returns N x 2 coordinates and the milliseconds it took, counting
   * the shared pieces it used as if it had computed them itself.
   */
  async embed(name: MethodName): Promise<{ coordinates: Float64Array; ms: number }> {
    const info = METHODS[name];
    if (this.points > info.maxPoints) throw new MethodLimitError(info, this.points);
    const started = performance.now();
    const before = this.charged;
    const sharedBefore = this.sharedMs();
    const coordinates = await this.run(name);
    // own work = wall time minus the pieces computed during it; plus every piece it used
    const wall = performance.now() - started;
    const computedNow = this.sharedMs() - sharedBefore;
    return { coordinates, ms: wall - computedNow + (this.charged - before) };
  }

  private sharedMs(): number {
    let s = 0;
    for (const p of this.pieces.values()) s += p.ms;
    return s;
  }

  private async run(name: MethodName): Promise<Float64Array> {
    const { trace, seed } = this;
    const N = this.points;
    const m = trace.samples;
    switch (name) {
      case 'm-phate':
        return Float64Array.from(await mphateCoordinates(trace, seed));
      case 'dm':
        return diffusionMaps(await this.mphateKernel(), { seed });
      case 'isomap':
        return isomapFromGeodesics(await this.mphateGeodesics(), N, seed);
      case 'tsne': {
        const d = await this.mphateGeodesics();
        const nn = distanceNeighbours(d, N, neighboursForPerplexity(TSNE_DEFAULTS.perplexity, N));
        const P = jointProbabilities(nn, N, TSNE_DEFAULTS.perplexity, false);
        return tsne(P, { init: randomInit(N, seed) }).coordinates;
      }
      case 'phate':
        return naivePhateCoordinates(trace, await this.naiveKernel(), seed);
      case 'naive-dm':
        return diffusionMaps(await this.naiveKernel(), { seed });
      case 'naive-isomap':
        return isomapFromGeodesics(pointGeodesics(trace.data, N, m), N, seed);
      case 'naive-tsne': {
        const nn = pointNeighbours(trace.data, N, m, neighboursForPerplexity(TSNE_DEFAULTS.perplexity, N));
        const P = jointProbabilities(nn, N, TSNE_DEFAULTS.perplexity, true);
        return tsne(P, { init: pcaInit(pcaScores(trace.data, N, m, 2, seed), N) }).coordinates;
      }
      case 'pca':
        return pcaScores(trace.data, N, m, 2, seed);
      case 'umap':
        return umap(trace.data, N, m, seed);
    }
  }
}

/** A trace larger than a method embeds. */
export class MethodLimitError extends Error {
  constructor(
    readonly method: MethodInfo,
    readonly points: number,
  ) {
    super(
      `${method.name} embeds at most ${method.maxPoints.toLocaleString('en-US')} points (${method.limitReason}); ` +
        `this trace has ${points.toLocaleString('en-US')} (slices x units)`,
    );
    this.name = 'MethodLimitError';
  }
}
