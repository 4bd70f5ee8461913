import { initBackend } from './backend.js';
import { embedOperator } from './embed-operator.js';
import type { Embedding } from './embedding.js';
import { interpolate } from './interpolate.js';
import { effectiveInterKnn, type IntersliceDistances, intersliceEpsilon, unitScales } from './interslice.js';
import { type IntraBlock, intrasliceBlock } from './intraslice.js';
import { fullOperator, landmarkOperator } from './landmarks.js';
import { landmarkLabels } from './mphate.js';
import { intersliceWeights, type MultisliceKernel, multisliceKernel } from './multislice.js';
import { zscoreRows } from './normalize.js';
import type { DiffusionOperator } from './operator.js';
import type { MphateOptions, ResolvedOptions } from './options.js';
import { fitPcaSync, type PcaBasis, projectPcaSync } from './pca.js';
import { alignTo } from './procrustes.js';
import { Random } from './random.js';
import type { Csr } from './sparse.js';
import { PhaseClock } from './stages.js';
import { MphateInputError, resolveOptions, validateFinite, validateShape } from './validate.js';

/** What the live engine may trade for speed (see docs/mphate.md, "Live mode"). */
export interface LiveOptions {
  /** Landmarks used once epochs x units exceeds it. Default 1000. */
  nLandmark?: number;
  /** SGD sweeps of a warm-started frame. Default 10 (a cold frame uses the reference's 30). */
  sweeps?: number;
  /** Re-cluster the landmarks once the point count has grown by this factor. Default 1.25. */
  reclusterGrowth?: number;
  /** Start MDS from the previous frame (true, default) or from classic MDS every frame. */
  warmStart?: boolean;
}

export interface IncrementalOptions extends MphateOptions {
  live?: LiveOptions;
}

export const LIVE_DEFAULTS: Readonly<Required<LiveOptions>> = Object.freeze({
  nLandmark: 1000,
  sweeps: 10,
  reclusterGrowth: 1.25,
  warmStart: true,
});

/** Each unit's T x T distance matrix, grown geometrically as slices arrive (float32). */
class GrowingDistances implements IntersliceDistances {
  epochs = 0;
  private capacity = 0;
  private perUnit: Float32Array[] = [];
  constructor(readonly units: number) {}

  /** Appends a slice: `z` holds its units x dim rows; `slices` returns a previous slice's rows. */
  append(z: Float32Array, dim: number, slices: readonly Float32Array[]): void {
    const tau = this.epochs;
    if (tau + 1 > this.capacity) this.grow(Math.max(16, Math.ceil((tau + 1) * 1.5)));
    const cap = this.capacity;
    for (let i = 0; i < this.units; i++) {
      const d = this.perUnit[i]!;
      const oi = i * dim;
      for (let u = 0; u < tau; u++) {
        const other = slices[u]!;
        let s = 0;
        for (let k = 0; k < dim; k++) {
          const v = z[oi + k]! - other[oi + k]!;
          s += v * v;
        }
        const dist = Math.sqrt(s);
        d[tau * cap + u] = dist;
        d[u * cap + tau] = dist;
      }
    }
    this.epochs = tau + 1;
  }

  private grow(cap: number): void {
    const old = this.capacity;
    for (let i = 0; i < this.units; i++) {
      const next = new Float32Array(cap * cap);
      const prev = this.perUnit[i];
      if (prev)
        for (let r = 0; r < this.epochs; r++)
          next.set(prev.subarray(r * old, r * old + this.epochs), r * cap);
      this.perUnit[i] = next;
    }
    this.capacity = cap;
  }

  row(unit: number, tau: number, out: Float64Array): void {
    const o = tau * this.capacity;
    const d = this.perUnit[unit]!;
    for (let u = 0; u < this.epochs; u++) out[u] = d[o + u]!;
  }
}

/**
 * Live M-PHATE: add one slice at a time and re-embed, reusing what did not change. Each slice's
 * z-scored rows and intraslice block are computed once in addSlice, and each unit's distances to
 * the new slice are appended to its T x T matrix; every embed recomputes the interslice scales,
 * epsilon and weights (epsilon is global: any new slice changes every weight). Landmark clusters
 * are kept between frames (new points join the cluster holding most of their kernel mass) and
 * re-clustered when the point count has grown by `live.reclusterGrowth`; MDS starts from the
 * previous frame (cluster means of the previous coordinates) with fewer SGD sweeps; each frame is
 * aligned onto the previous one (Procrustes on the points present in both), so the picture grows
 * instead of jumping.
 */
export class IncrementalMphate {
  private readonly o: ResolvedOptions;
  private readonly live: Required<LiveOptions>;
  private readonly dim: number;
  private pca: PcaBasis | null = null;
  private readonly slices: Float32Array[] = [];
  private readonly blocks: IntraBlock[] = [];
  private readonly distances: GrowingDistances;
  // previous frame
  private labels: Int32Array | null = null;
  private clusters = 0;
  private clusteredAt = 0;
  private t: number | null = null;
  private tChosenAt = 0;
  private raw: Float64Array | null = null;
  private shown: Float64Array | null = null;
  private frame = 0;

  constructor(
    readonly shape: { units: number; samples: number },
    options: IncrementalOptions = {},
  ) {
    validateShape(shape.units, shape.samples);
    const { live, ...rest } = options;
    this.o = resolveOptions(rest);
    this.live = {
      ...LIVE_DEFAULTS,
      ...Object.fromEntries(Object.entries(live ?? {}).filter(([, v]) => v !== undefined)),
    };
    if (!(Number.isInteger(this.live.nLandmark) && this.live.nLandmark >= 1))
      throw new MphateInputError(`live.nLandmark must be a positive integer, got ${this.live.nLandmark}`);
    if (!(Number.isInteger(this.live.sweeps) && this.live.sweeps >= 1))
      throw new MphateInputError(`live.sweeps must be a positive integer, got ${this.live.sweeps}`);
    if (!(this.live.reclusterGrowth > 1))
      throw new MphateInputError(`live.reclusterGrowth must be > 1, got ${this.live.reclusterGrowth}`);
    this.dim = Math.min(shape.samples, this.o.nPca);
    this.distances = new GrowingDistances(shape.units);
  }

  /** Slices added so far. */
  get epochs(): number {
    return this.slices.length;
  }

  /** Adds one slice: units x samples float32, unit-major. Throws on bad shape or non-finite values. */
  addSlice(slice: Float32Array): void {
    const { units: n, samples: m } = this.shape;
    if (!(slice instanceof Float32Array)) throw new MphateInputError('slice must be a Float32Array');
    if (slice.length !== n * m)
      throw new MphateInputError(
        `slice has length ${slice.length}, expected units x samples = ${n} x ${m} = ${n * m}`,
      );
    validateFinite(slice, n, m, this.slices.length);
    let z = zscoreRows(slice, n, m);
    if (m > this.o.nPca) {
      // One PCA basis, fitted on the first slice and kept (a refit would invalidate every cache).
      this.pca ??= fitPcaSync(z, n, m, this.o.nPca);
      z = projectPcaSync(z, n, this.pca);
    }
    this.blocks.push(intrasliceBlock(z, 0, n, this.dim, this.o.intrasliceKnn, this.o.decay, this.o.thresh));
    this.distances.append(z, this.dim, this.slices);
    this.slices.push(z);
  }

  /** Embeds every slice added so far, aligned to the previous frame. */
  async embed(): Promise<Embedding> {
    const T = this.slices.length;
    if (T === 0) throw new MphateInputError('no slices: add at least one slice before embedding');
    const n = this.shape.units;
    const N = T * n;
    const d = this.o.nComponents;
    if (N <= d) throw new MphateInputError(`need more than ${d} points to embed, got ${N}`);
    await initBackend();
    const clock = new PhaseClock(this.o.onProgress);
    const kPrime = effectiveInterKnn(this.o.intersliceKnn, T);
    const weights = await clock.run('interslice', () => {
      if (kPrime === 0) return null;
      const eps = intersliceEpsilon(unitScales(this.distances, kPrime));
      return intersliceWeights(this.distances, eps, this.o.thresh);
    });
    const kernel = await clock.run('kernel', () => multisliceKernel(this.blocks, weights));

    let op: DiffusionOperator;
    let transitions: Csr | null = null;
    let reclustered = false;
    if (N > this.live.nLandmark) {
      const built = await clock.run('landmarks', async () => {
        if (!this.labels || N >= this.clusteredAt * this.live.reclusterGrowth) {
          const seed = this.o.seed + 7919 * this.frame;
          const res = await landmarkLabels(kernel, this.live.nLandmark, this.o.nSvd, seed);
          this.labels = res.labels;
          this.clusters = res.clusters;
          this.clusteredAt = N;
          reclustered = true;
        } else this.labels = extendLabels(kernel, this.labels);
        return landmarkOperator(kernel, this.labels, this.clusters);
      });
      op = built.operator;
      transitions = built.transitions;
    } else {
      this.labels = null;
      op = fullOperator(kernel);
    }

    const M = op.size;
    const init = this.raw && this.live.warmStart ? this.warmStart(M, transitions) : undefined;
    // t by entropy only when the graph changed a lot: after a re-clustering, or once the point
    // count has grown by reclusterGrowth since t was last chosen (the entropy is the costly step).
    const fresh = reclustered || this.t === null || N >= this.tChosenAt * this.live.reclusterGrowth;
    const t = this.o.t !== 'auto' ? this.o.t : fresh ? 'auto' : this.t!;
    if (this.o.t === 'auto' && fresh) this.tChosenAt = N;
    const res = await embedOperator(op, {
      t,
      gamma: this.o.gamma,
      nComponents: d,
      mdsSolver: this.o.mdsSolver,
      random: new Random(this.o.seed + 2 + this.frame),
      init,
      sweeps: init ? this.live.sweeps : undefined,
      onProgress: this.o.onProgress,
    });
    Object.assign(clock.timings, res.timings);
    this.t = res.t;
    const raw = await clock.run('interpolate', () =>
      transitions ? interpolate(transitions, res.coordinates, d) : res.coordinates,
    );
    const shown = this.shown ? alignOnto(this.shown, raw, this.shown.length / d, N, d) : raw;
    this.raw = raw;
    this.shown = shown;
    this.frame++;
    return {
      coordinates: Float32Array.from(shown),
      points: N,
      nComponents: d,
      t: res.t,
      landmarks: transitions ? M : 0,
      intersliceKnn: kPrime,
      timings: clock.timings,
    };
  }

  /**
   * MDS start for this frame from the previous raw coordinates: per landmark cluster, the mean of
   * its members' previous positions (without landmarks, each point's own previous position);
   * points new in this frame start at their unit's previous-slice position. A tiny jitter keeps
   * coincident starts apart (SGD cannot separate coincident points).
   */
  private warmStart(M: number, transitions: Csr | null): Float64Array {
    const d = this.o.nComponents;
    const prev = this.raw!;
    const prevN = prev.length / d;
    const n = this.shape.units;
    const N = this.slices.length * n;
    // previous position of every current point (new points borrow their unit's last known one)
    const pos = new Float64Array(N * d);
    pos.set(prev.subarray(0, Math.min(prevN, N) * d));
    for (let a = prevN; a < N; a++) for (let j = 0; j < d; j++) pos[a * d + j] = pos[(a - n) * d + j]!;
    let scale = 0;
    for (let p = 0; p < prevN * d; p++) scale = Math.max(scale, Math.abs(prev[p]!));
    const rnd = new Random(this.o.seed + 31 * this.frame + 5);
    const init = new Float64Array(M * d);
    if (transitions && this.labels) {
      const count = new Float64Array(M);
      for (let a = 0; a < N; a++) {
        const l = this.labels[a]!;
        count[l]++;
        for (let j = 0; j < d; j++) init[l * d + j] += pos[a * d + j]!;
      }
      for (let l = 0; l < M; l++) for (let j = 0; j < d; j++) init[l * d + j] /= Math.max(1, count[l]!);
    } else init.set(pos.subarray(0, M * d));
    for (let p = 0; p < init.length; p++) init[p] += (rnd.next() - 0.5) * 1e-4 * (scale || 1);
    return init;
  }
}

/**
 * New points (rows beyond the previous labels) join the cluster that holds most of their kernel
 * mass among already labelled points (their own unit at other slices, through the interslice
 * links); without such links, the cluster of their unit at the previous slice.
 */
function extendLabels(k: MultisliceKernel, old: Int32Array): Int32Array {
  const n = k.units;
  const T = k.epochs;
  const N = T * n;
  const labels = new Int32Array(N);
  labels.set(old.subarray(0, Math.min(old.length, N)));
  const mass = new Map<number, number>();
  for (let a = old.length; a < N; a++) {
    const tau = Math.floor(a / n);
    const i = a % n;
    mass.clear();
    if (k.inter) {
      const o = (i * T + tau) * T;
      for (let u = 0; u < tau; u++) {
        const w = k.inter[o + u]!;
        if (w === 0) continue;
        const l = labels[u * n + i]!;
        mass.set(l, (mass.get(l) ?? 0) + w);
      }
    }
    let best = labels[a - n]!;
    let bestMass = 0;
    for (const [l, m] of mass)
      if (m > bestMass) {
        bestMass = m;
        best = l;
      }
    labels[a] = best;
  }
  return labels;
}

/**
 * Aligns a new frame onto the previous one: orthogonal Procrustes (rotation/reflection, uniform
 * scale, translation) fitted on the first `common` rows, then the same similarity applied to
 * every row. The map is recovered from alignTo's output by least squares (it is exact).
 */
function alignOnto(
  previous: Float64Array,
  next: Float64Array,
  common: number,
  rows: number,
  d: number,
): Float64Array {
  const aligned = alignTo(previous, next.subarray(0, common * d), common, d);
  // solve [x 1] X = y for X ((d+1) x d) over the common rows: normal equations
  const k = d + 1;
  const ata = new Float64Array(k * k);
  const aty = new Float64Array(k * d);
  const xr = new Float64Array(k);
  for (let r = 0; r < common; r++) {
    for (let j = 0; j < d; j++) xr[j] = next[r * d + j]!;
    xr[d] = 1;
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) ata[i * k + j] += xr[i]! * xr[j]!;
      for (let j = 0; j < d; j++) aty[i * d + j] += xr[i]! * aligned[r * d + j]!;
    }
  }
  const map = solve(ata, aty, k, d);
  const out = new Float64Array(rows * d);
  if (!map) {
    out.set(next);
    out.set(aligned);
    return out;
  }
  for (let r = 0; r < rows; r++)
    for (let j = 0; j < d; j++) {
      let s = map[d * d + j]!;
      for (let i = 0; i < d; i++) s += next[r * d + i]! * map[i * d + j]!;
      out[r * d + j] = s;
    }
  return out;
}

/** Solves A X = B (A k x k, B k x c) by Gaussian elimination with partial pivoting; null if singular. */
function solve(a: Float64Array, b: Float64Array, k: number, c: number): Float64Array | null {
  const m = Float64Array.from(a);
  const x = Float64Array.from(b);
  for (let col = 0; col < k; col++) {
    let piv = col;
    for (let r = col + 1; r < k; r++) if (Math.abs(m[r * k + col]!) > Math.abs(m[piv * k + col]!)) piv = r;
    if (Math.abs(m[piv * k + col]!) < 1e-300) return null;
    if (piv !== col) {
      for (let j = 0; j < k; j++) [m[col * k + j], m[piv * k + j]] = [m[piv * k + j]!, m[col * k + j]!];
      for (let j = 0; j < c; j++) [x[col * c + j], x[piv * c + j]] = [x[piv * c + j]!, x[col * c + j]!];
    }
    for (let r = 0; r < k; r++) {
      if (r === col) continue;
      const f = m[r * k + col]! / m[col * k + col]!;
      if (f === 0) continue;
      for (let j = col; j < k; j++) m[r * k + j] -= f * m[col * k + j]!;
      for (let j = 0; j < c; j++) x[r * c + j] -= f * x[col * c + j]!;
    }
  }
  for (let r = 0; r < k; r++) for (let j = 0; j < c; j++) x[r * c + j] /= m[r * k + r]!;
  return x;
}
