/**
 * Runs the comparison methods of docs/algorithm.md §12.4 plus PCA and UMAP (registry.ts names
 * them and their limits). Every method reads its inputs from one `MethodInputs`, which computes the pieces methods share (the M-PHATE kernel, its geodesic
 * distances, the flattened points, the naive PHATE graph) once and charges their time to every
 * method that uses them, so each method's time is what it would cost alone.
 */
import type { Trace } from '@mphate/core';
import {
  mphateCoordinates,
  mphateKernel,
  type NaiveGraph,
  naivePhateCoordinates,
  naivePhateGraph,
} from './core-adapter.js';
import type { SparseMatrix } from './csr.js';
import { diffusionMaps } from './diffusion-maps.js';
import { isomapFromGeodesics, kernelGeodesics, pointGeodesics } from './isomap.js';
import { distanceNeighbours, pointNeighbours } from './knn.js';
import { pcaScores } from './pca.js';
import { METHODS, MethodLimitError, type MethodName } from './registry.js';
import { jointProbabilities, neighboursForPerplexity } from './tsne/affinities.js';
import { pcaInit, randomInit, TSNE_DEFAULTS, tsne } from './tsne/tsne.js';
import { umap } from './umap.js';

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

  naiveGraph(): Promise<NaiveGraph> {
    return this.piece('naive-graph', () => naivePhateGraph(this.trace));
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
        return naivePhateCoordinates(await this.naiveGraph(), seed);
      case 'naive-dm':
        return diffusionMaps((await this.naiveGraph()).csr, { seed });
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
