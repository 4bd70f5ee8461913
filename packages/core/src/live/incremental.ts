import { embedOperator } from '../embed/embed-operator.js';
import { MphateInputError } from '../errors.js';
import { effectiveInterKnn, intersliceEpsilon } from '../graph/interslice.js';
import { type IntraBlock, intrasliceBlock } from '../graph/intraslice.js';
import { intersliceWeights, type MultisliceKernel, multisliceKernel } from '../graph/multislice.js';
import type { DiffusionOperator } from '../landmarks/diffusion-operator.js';
import { landmarkLabels } from '../landmarks/labels.js';
import { fullOperator } from '../landmarks/operator.js';
import { initBackend } from '../linalg/backend.js';
import { Random } from '../linalg/random.js';
import type { IncrementalOptions, LiveOptions, ResolvedOptions } from '../options.js';
import { PhaseClock } from '../phase-clock.js';
import { zscoreRows } from '../preprocess/normalize.js';
import { fitPcaFloat64, type PcaBasis, projectPcaFloat64 } from '../preprocess/pca.js';
import type { Embedding } from '../types.js';
import { resolveLiveOptions, resolveOptions, validateFinite, validateShape } from '../validate.js';
import { alignOnto } from './alignment.js';
import { GrowingDistances } from './growing-distances.js';
import { LiveLandmarks } from './live-landmarks.js';
import { TimeSlices } from './time-slices.js';

/** New clusters computed between frames: from a kernel of `points` points; the era they start, once done. */
interface PendingClustering {
  points: number;
  done: Promise<LiveLandmarks>;
  era: LiveLandmarks | null;
  error: Error | null;
}

/**
 * Potential distances recomputed exactly below this fraction of the largest squared row norm
 * (batch: 1e-5). Measured at (100, 384, 100): the float32 Gram's error on the pairs this leaves
 * out is 3e-4 (median) to 3e-3 (max) on distances of ~4e-3, where typical distances are 0.05-1;
 * it saves ~200 ms a frame (17 % of the landmark pairs fall below 1e-5 there, 4.6 % below 1e-6).
 */
const LIVE_EXACT_BELOW = 1e-6;

/**
 * Live M-PHATE: add one slice at a time and re-embed, reusing what did not change. Each slice's
 * z-scored rows and intraslice block are computed once in addSlice, and each unit's distances to
 * the new slice are appended to its T x T matrix. Landmarks are re-clustered when the point count
 * has grown by `live.reclusterGrowth`, between frames in the idle time runBackground gives; the
 * first frame after starts their era. When epsilon moves beyond `live.epsilonTolerance`, the
 * era's operator is reweighted in place (same clusters). Within an era, epsilon and the clusters are kept
 * (new points join the cluster holding most of their kernel mass) and the landmark operator is
 * updated slice by slice (LiveLandmarks) instead of rebuilt; MDS starts from the
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
  /** The landmark operator's era (null while N <= live.nLandmark). */
  private era: LiveLandmarks | null = null;
  /** Points when the era's clusters were computed. */
  private clusteredAt = 0;
  /** New clusters being computed between frames, and the era they start once done. */
  private pending: PendingClustering | null = null;
  private readonly background = new TimeSlices();
  /** Whether the caller has given idle time (runBackground): overdue clusters then wait longer. */
  private idleGiven = false;
  private busy = false;
  private t: number | null = null;
  private tChosenAt = 0;
  private raw: Float64Array | null = null;
  private shown: Float64Array | null = null;
  private frame = 0;
  private erasStarted = 0;

  constructor(
    readonly shape: { units: number; samples: number },
    options: IncrementalOptions = {},
  ) {
    validateShape(shape.units, shape.samples);
    const { live, ...rest } = options;
    this.o = resolveOptions(rest);
    this.live = resolveLiveOptions(live);
    this.dim = Math.min(shape.samples, this.o.nPca);
    this.distances = new GrowingDistances(shape.units, this.o.intersliceKnn + 1);
  }

  /** Slices added so far. */
  get epochs(): number {
    return this.slices.length;
  }

  /**
   * Eras started so far on landmarks (docs/mphate.md, "Live mode"): one at the first clusters,
   * one at each later clustering taken in, one at each epsilon move (reweight).
   */
  get eras(): number {
    return this.erasStarted;
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
      this.pca ??= fitPcaFloat64(z, n, m, this.o.nPca);
      z = projectPcaFloat64(z, n, this.pca);
    }
    this.blocks.push(intrasliceBlock(z, 0, n, this.dim, this.o.intrasliceKnn, this.o.decay, this.o.thresh));
    this.distances.append(z, this.dim, this.slices);
    this.slices.push(z);
  }

  /** Embeds every slice added so far, aligned to the previous frame. */
  async embed(): Promise<Embedding> {
    this.enter();
    try {
      return await this.frameNow();
    } finally {
      this.busy = false;
    }
  }

  private async frameNow(): Promise<Embedding> {
    const T = this.slices.length;
    if (T === 0) throw new MphateInputError('no slices: add at least one slice before embedding');
    const n = this.shape.units;
    const N = T * n;
    const d = this.o.nComponents;
    if (N <= d) throw new MphateInputError(`need more than ${d} points to embed, got ${N}`);
    await initBackend();
    const clock = new PhaseClock(this.o.onProgress);
    const kPrime = effectiveInterKnn(this.o.intersliceKnn, T);

    let op: DiffusionOperator;
    const previousEra = this.era;
    // epsilon as the batch would compute it now (cheap: the nearest slices are kept up to date)
    const eps = await clock.run('interslice', () =>
      kPrime === 0 ? 0 : intersliceEpsilon(this.distances.scales(kPrime)),
    );
    const growth = this.live.reclusterGrowth;
    // an era starts with new clusters, or with a new epsilon for the same clusters (reweighted)
    let reweighted = false;
    if (N > this.live.nLandmark && this.era && this.era.epsilon > 0) {
      // new clusters are due: computed between frames (runBackground), from a kernel of now
      if (!this.pending && N >= this.clusteredAt * growth) {
        const weights = await clock.run('interslice', () =>
          intersliceWeights(this.distances, eps, this.o.thresh),
        );
        const kernel = await clock.run('kernel', () => multisliceKernel(this.blocks, weights));
        this.pending = this.clusterBetweenFrames(kernel, eps);
      }
      // ... and finished here once overdue: when the next would be due for a caller that gives
      // no idle time, one growth step later for one that does (its idle time may just be short
      // of a clustering: continual's 800 units had frames of 3-9 s finishing them)
      const pending = this.pending;
      const overdue = this.idleGiven ? growth * growth : growth;
      if (pending && !pending.era && N >= pending.points * overdue)
        await clock.run('landmarks', () => this.background.run(Number.POSITIVE_INFINITY, pending.done));
      if (pending?.error) throw pending.error;
      if (pending?.era) {
        this.era = pending.era;
        this.clusteredAt = pending.points;
        this.pending = null;
      }
      // take the new slices in, then follow epsilon when it moved beyond the tolerance; the
      // slices whose degrees drifted are refreshed between frames (runBackground), here only
      // when the last frame's are still due (a caller that gives no idle time)
      const era = this.era;
      const behind = era.driftedSlices(this.live.degreeTolerance).length > 0;
      reweighted = await clock.run('landmarks', () => this.bringUpToDate(era, eps, { refresh: behind }));
      op = era.operator();
    } else {
      this.pending = null;
      const weights = await clock.run('interslice', () =>
        kPrime === 0 ? null : intersliceWeights(this.distances, eps, this.o.thresh),
      );
      const kernel = await clock.run('kernel', () => multisliceKernel(this.blocks, weights));
      if (N > this.live.nLandmark) {
        // the first clusters (nothing to show meanwhile): spectral features and k-means, then C
        this.era = await clock.run('landmarks', async () => {
          const seed = this.o.seed + 7919 * this.frame;
          const res = await landmarkLabels(kernel, this.live.nLandmark, this.o.nSvd, seed);
          this.clusteredAt = N;
          return LiveLandmarks.start(kernel, res.labels, res.clusters, eps, this.o.thresh);
        });
        op = this.era.operator();
      } else {
        this.era = null;
        op = fullOperator(kernel);
      }
    }
    const landmarks = this.era;
    if (landmarks && (landmarks !== previousEra || reweighted)) this.erasStarted++;

    const M = op.size;
    const init = this.raw && this.live.warmStart ? this.warmStart(M, landmarks?.labels ?? null) : undefined;
    // t by entropy (the costly step) only when the graph changed a lot: at each era's start (new
    // clusters or a new epsilon: a stale t cost 0.03 of intraslice k = 10 preservation on the mlp
    // fixture fed slice by slice; chosen between frames for the next ones instead, the last frame
    // of mlp-3x32 agreed with the batch at >= 0.95 in 3 of 8 seeds, against 7 of 8); without
    // landmarks, once N has grown by reclusterGrowth
    const fresh =
      this.t === null || (landmarks ? landmarks !== previousEra || reweighted : N >= this.tChosenAt * growth);
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
      exactBelow: LIVE_EXACT_BELOW,
      onProgress: this.o.onProgress,
    });
    Object.assign(clock.timings, res.timings);
    this.t = res.t;
    const raw = await clock.run('interpolate', () =>
      landmarks ? landmarks.interpolate(res.coordinates, d) : res.coordinates,
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
      landmarks: landmarks ? M : 0,
      intersliceKnn: kPrime,
      timings: clock.timings,
    };
  }

  /** Whether work between frames is waiting for time (runBackground). */
  get hasBackgroundWork(): boolean {
    return this.clusteringDue || (this.era?.driftedSlices(this.live.degreeTolerance).length ?? 0) > 0;
  }

  private get clusteringDue(): boolean {
    return this.pending !== null && !this.pending.era && !this.pending.error;
  }

  /**
   * Gives the engine about `ms` of the caller's idle time for its work between frames. First
   * the era's slices whose degrees drifted past `live.degreeTolerance` get their terms
   * refreshed (frames leave them); then new clusters, due every `live.reclusterGrowth` of
   * growth, are computed in steps while frames go on with the era's clusters (then brought up
   * to the slices added meanwhile), and the first frame after they are done starts their era.
   * A caller that never gives time gets both done in frames: the refresh in the next frame,
   * the clusters in the frame at which the next ones would be due (for a caller that gives
   * time, one growth step later, if its time was not enough). Not while embed() runs.
   * Returns whether work is left.
   */
  async runBackground(ms: number): Promise<boolean> {
    if (ms > 0) this.idleGiven = true;
    if (!this.hasBackgroundWork) return false;
    const deadline = performance.now() + ms;
    this.enter();
    try {
      // first the era's drifted slices (a few ms each: the next frame's C), then new clusters
      await this.era?.refreshDrifted(this.live.degreeTolerance, () => performance.now() < deadline);
      const pending = this.pending;
      if (this.clusteringDue && performance.now() < deadline)
        await this.background.run(deadline - performance.now(), pending!.done);
    } finally {
      this.busy = false;
    }
    return this.hasBackgroundWork;
  }

  /**
   * Takes the slices the era has not seen in, brings C up to date, then follows epsilon (`eps`,
   * of the slices there are now) when it moved beyond the tolerance. Returns whether it did.
   * With `pause` (work between frames), slices may arrive at each pause: the era then stops
   * short of the newest, and the frame that takes it in does the rest.
   */
  private async bringUpToDate(
    era: LiveLandmarks,
    eps: number,
    o: { pause?: () => Promise<void>; refresh: boolean },
  ): Promise<boolean> {
    const { pause, refresh } = o;
    const T = this.slices.length;
    while (era.epochs < T) {
      era.append(this.distances);
      await pause?.();
    }
    await era.update(this.live.degreeTolerance, refresh);
    if (Math.abs(eps / era.epsilon - 1) <= this.live.epsilonTolerance) return false;
    if (pause) {
      await pause();
      if (this.slices.length !== era.epochs) return false;
    }
    await era.reweight(this.distances, eps, this.live.degreeTolerance, refresh);
    return true;
  }

  /** Starts computing new clusters and their era from `kernel`, in the time runBackground gives. */
  private clusterBetweenFrames(kernel: MultisliceKernel, eps: number): PendingClustering {
    const pause = this.background.pause;
    const seed = this.o.seed + 7919 * this.frame;
    const pending: PendingClustering = {
      points: kernel.epochs * kernel.units,
      done: (async () => {
        await pause(); // nothing before the first time slice
        const res = await landmarkLabels(kernel, this.live.nLandmark, this.o.nSvd, seed, pause);
        const era = await LiveLandmarks.start(kernel, res.labels, res.clusters, eps, this.o.thresh, pause);
        // the slices added meanwhile, here rather than in the frame that takes the era in
        await pause();
        const T = this.slices.length;
        const kPrime = effectiveInterKnn(this.o.intersliceKnn, T);
        await this.bringUpToDate(era, kPrime === 0 ? 0 : intersliceEpsilon(this.distances.scales(kPrime)), {
          pause,
          refresh: true,
        });
        return era;
      })(),
      era: null,
      error: null,
    };
    pending.done.then(
      (era) => {
        pending.era = era;
      },
      (error: unknown) => {
        pending.error = error instanceof Error ? error : new Error(String(error));
      },
    );
    return pending;
  }

  private enter(): void {
    if (this.busy) throw new Error('IncrementalMphate: embed() and runBackground() must not overlap');
    this.busy = true;
  }

  /**
   * MDS start for this frame from the previous raw coordinates: per landmark cluster, the mean of
   * its members' previous positions (without landmarks, each point's own previous position);
   * points new in this frame start at their unit's previous-slice position. A tiny jitter keeps
   * coincident starts apart (SGD cannot separate coincident points).
   */
  private warmStart(M: number, labels: Int32Array | null): Float64Array {
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
    if (labels) {
      const count = new Float64Array(M);
      for (let a = 0; a < N; a++) {
        const l = labels[a]!;
        count[l]++;
        for (let j = 0; j < d; j++) init[l * d + j] += pos[a * d + j]!;
      }
      for (let l = 0; l < M; l++) for (let j = 0; j < d; j++) init[l * d + j] /= Math.max(1, count[l]!);
    } else init.set(pos.subarray(0, M * d));
    for (let p = 0; p < init.length; p++) init[p] += (rnd.next() - 0.5) * 1e-4 * (scale || 1);
    return init;
  }
}
