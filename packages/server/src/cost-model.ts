/**
 * The cost model: what a session will ask of the server, checked before any work starts (at
 * hello, at each slice, at import, at re-embed). The M-PHATE stages grow with the points
 * (slices x units), the intraslice graphs with units^2 per slice, the interslice kernel with
 * units x slices^2 and the diffusion operator with its size^2 (landmarks, or the points when
 * they are fewer), so bounding units, samples, slices, points and the operator bounds the
 * memory and the time of every job. A refusal names the limit, its value and the flag that
 * raises it. The same estimate scales each job's deadline.
 */
import { MphateError, type MphateOptionsJson } from '@mphate/protocol';
import { type CostLimits, LIMIT_FLAGS, SERVER_DEFAULTS } from './defaults.js';

export interface SessionShape {
  units: number;
  samples: number;
  slices: number;
  options?: MphateOptionsJson;
}

export function refuseOver(limits: CostLimits, limit: keyof CostLimits, what: string, value: number): never {
  throw new MphateError(
    `${what} (${value}) exceeds the server's limit of ${limits[limit]} ${limit}; raise it with ${LIMIT_FLAGS[limit]}`,
    'too-large',
  );
}

/** Throws a 'too-large' MphateError naming the first limit the session breaks. */
export function checkCost(limits: CostLimits, shape: SessionShape): void {
  const { units, samples, slices } = shape;
  if (units > limits.units) refuseOver(limits, 'units', `a session of ${units} units`, units);
  if (samples > limits.samples) refuseOver(limits, 'samples', `a probe of ${samples} samples`, samples);
  if (slices > limits.slices) refuseOver(limits, 'slices', `a session of ${slices} slices`, slices);
  const points = units * Math.max(slices, 2);
  if (points > limits.points)
    refuseOver(limits, 'points', `an embedding of ${Math.max(slices, 2)} slices x ${units} units`, points);
  const operator = Math.min(points, shape.options?.nLandmark ?? limits.landmarks);
  if (operator > limits.landmarks)
    refuseOver(limits, 'landmarks', `a diffusion operator of ${operator} landmarks (nLandmark)`, operator);
}

/** The most slices a session of `units` units may reach under the limits. */
export function maxSlicesFor(limits: CostLimits, units: number): number {
  return Math.min(limits.slices, Math.floor(limits.points / units));
}

/** Estimated work of one embedding, in units of one multiply-add (order of magnitude only). */
export function estimatedWork(shape: SessionShape, limits: CostLimits): number {
  const { units: n, samples: m, slices: t } = shape;
  const points = n * t;
  const operator = Math.min(points, shape.options?.nLandmark ?? limits.landmarks);
  return t * n * n * m + n * t * t + points * operator + operator * operator * operator;
}

/** How long a job of that estimate may run before it is stopped: generous (a real T = 300 batch is never killed). */
export function jobDeadlineMs(
  work: number,
  base: number = SERVER_DEFAULTS.jobBaseDeadlineMs,
  perWork: number = SERVER_DEFAULTS.jobMsPerUnitOfWork,
): number {
  return Math.round(base + work * perWork);
}
