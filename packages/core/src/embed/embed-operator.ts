/**
 * The dense embedding stages of M-PHATE on a diffusion operator (spec sections 7-9): t by the
 * von Neumann entropy ('entropy', only when t = 'auto'), Q^t ('power'), the potential and its
 * row distances ('potential'), metric MDS started from classic MDS and aligned onto it ('mds').
 */

import { potential, rowDistances } from '../diffusion/potential.js';
import {
  type OperatorSpectrum,
  operatorSpectrum,
  powerBySquaring,
  powerFromSpectrum,
  spectrumT,
  truncationBound,
} from '../diffusion/spectrum.js';
import type { DiffusionOperator } from '../landmarks/diffusion-operator.js';
import type { Random } from '../linalg/random.js';
import type { Phase, ProgressListener } from '../options.js';
import { PhaseClock } from '../phase-clock.js';
import { classicMds } from './mds/classic.js';
import { sgdMds, sgdMdsBest } from './mds/sgd.js';
import { smacof } from './mds/smacof.js';
import { procrustes } from './procrustes.js';

export interface EmbedOperatorOptions {
  t: number | 'auto';
  gamma: number;
  nComponents: 2 | 3;
  mdsSolver: 'sgd' | 'smacof';
  random: Random;
  /** M x d warm start (previous live frame): skips classic MDS and the Procrustes to it. */
  init?: Float64Array;
  /** SGD sweeps (default 30). A warm start draws the pairs' random order once (sgdMds `reshuffle`). */
  sweeps?: number;
  /**
   * The caller is done with `op`: its M x M matrix is dropped once Q^t is formed (`symmetric`
   * left empty), so it is not held through the potential and the MDS (128 MB at M = 4000).
   */
  releaseOperator?: boolean;
  /**
   * Potential distances with d² below this fraction of the largest squared row norm are
   * recomputed exactly (potential.ts rowDistances; default 1e-5). The live engine passes 1e-6.
   */
  exactBelow?: number;
  onProgress?: ProgressListener;
}

export interface EmbedOperatorResult {
  /** M x d, row-major. */
  coordinates: Float64Array;
  t: number;
  timings: Partial<Record<Phase, number>>;
}

/**
 * Largest |λ_last|^t tolerated for Q^t from the leading eigenpairs. Measured (docs/mphate.md):
 * the largest error of a potential distance is about this bound (distances range to ~2.8), so
 * 1e-4 leaves the distances' ranks unchanged.
 */
const TRUNCATION_TOLERANCE = 1e-4;
/**
 * SGD runs of a cold-start MDS, the lowest-stress one kept (sgd.ts sgdMdsBest; one per core on
 * a 2-core machine). A warm start (live frame) runs once: it starts next to its minimum.
 */
const SGD_RUNS = 2;
/** Up to this size, repeated squaring (~2 log2 t products of M^3) is cheaper than more eigenpairs. */
const SQUARING_LIMIT = 1500;
/** Most leading pairs tried before falling back to squaring (Rayleigh-Ritz on 2x this many). */
const MAX_RANK = 800;

export async function embedOperator(
  op: DiffusionOperator,
  o: EmbedOperatorOptions,
): Promise<EmbedOperatorResult> {
  const m = op.size;
  const d = o.nComponents;
  checkShapes(op, o);
  const clock = new PhaseClock(o.onProgress);

  // entropy: t from the spectrum of S
  let spectrum: OperatorSpectrum | undefined;
  let t: number;
  if (o.t === 'auto') {
    spectrum = await clock.run('entropy', () => operatorSpectrum(op, o.random, { withTail: true }));
    t = spectrumT(spectrum);
  } else {
    t = o.t;
  }

  // Q^t and U live only in this holder, so each M x M buffer can be collected once used
  // (peak memory at M = 4000: a few 128 MB Float64 matrices, not all of them at once).
  const stage: { qt?: Float64Array; u?: Float64Array } = {};
  await clock.run('power', async () => {
    // With t known, start from few leading pairs (enough for the usual t on landmark operators;
    // the live mode passes t) and add pairs while the truncation bound says they are not enough.
    spectrum ??= await operatorSpectrum(op, o.random, { withTail: false, rank: Math.min(80, m - 1) });
    while (
      truncationBound(spectrum, t) > TRUNCATION_TOLERANCE &&
      m > SQUARING_LIMIT &&
      spectrum.values.length < Math.min(MAX_RANK, m - 1)
    ) {
      const before = spectrum.values.length;
      const rank = Math.min(Math.ceil(before * 2.5), MAX_RANK, m - 1);
      spectrum = await operatorSpectrum(op, o.random, { withTail: false, rank });
      if (spectrum.values.length <= before) break; // no more pairs to be had: square instead
    }
    stage.qt =
      truncationBound(spectrum, t) <= TRUNCATION_TOLERANCE
        ? await powerFromSpectrum(op, spectrum, t)
        : await powerBySquaring(op, t);
    spectrum = undefined;
  });
  if (o.releaseOperator) op.symmetric = new Float64Array(0);

  // potential and its distances
  const dist = await clock.run('potential', () => {
    // in place: Q^t is not needed again, and a second M x M Float64 (128 MB at M = 4000) would
    // be the phase's peak
    stage.u = potential(stage.qt!, o.gamma, stage.qt);
    stage.qt = undefined;
    const u = stage.u;
    stage.u = undefined;
    return rowDistances(u, m, m, { exactBelow: o.exactBelow });
  });

  // MDS
  const coordinates = await clock.run('mds', () => metricMds(dist, m, d, o, (f) => clock.report('mds', f)));
  return { coordinates, t, timings: clock.timings };
}

async function metricMds(
  dist: Float64Array,
  m: number,
  d: 2 | 3,
  o: EmbedOperatorOptions,
  onFraction: (f: number) => void,
): Promise<Float64Array> {
  const warm = o.init !== undefined;
  const start = o.init ?? (await classicMds(dist, m, d, o.random));
  onFraction(0.05);
  let y: Float64Array | undefined;
  if (d === 2 && o.mdsSolver === 'sgd') {
    const onSweep = (done: number, total: number): void => onFraction(0.05 + (0.9 * done) / total);
    y = warm
      ? sgdMds(dist, m, start, d, o.random, { sweeps: o.sweeps, reshuffle: false, onSweep })
      : await sgdMdsBest(dist, m, start, d, o.random, { runs: SGD_RUNS, sweeps: o.sweeps, onSweep });
  }
  // SMACOF for 3-D, on request, and when SGD met coincident points (NaN), as PHATE does.
  y ??= smacof(dist, m, start, d, {
    onIteration: (it, max) => it % 10 === 0 && onFraction(0.05 + (0.9 * it) / max),
  }).coordinates;
  if (warm) return y;
  return procrustes(start, y, m, d).aligned;
}

/** The operator's and the warm start's shapes (the options were checked by resolveOptions). */
function checkShapes(op: DiffusionOperator, o: EmbedOperatorOptions): void {
  const m = op.size;
  if (!Number.isInteger(m) || m < 1)
    throw new Error(`embedOperator: operator size must be a positive integer, got ${m}`);
  if (op.symmetric.length !== m * m)
    throw new Error(`embedOperator: symmetric has length ${op.symmetric.length}, expected ${m * m}`);
  if (op.sqrtDegree.length !== m)
    throw new Error(`embedOperator: sqrtDegree has length ${op.sqrtDegree.length}, expected ${m}`);
  if (m <= o.nComponents)
    throw new Error(`embedOperator: need more than ${o.nComponents} points to embed, got ${m}`);
  if (o.init && o.init.length !== m * o.nComponents)
    throw new Error(`embedOperator: init has length ${o.init.length}, expected ${m * o.nComponents}`);
}
