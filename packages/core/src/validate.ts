import { MphateInputError } from './errors.js';
import { DEFAULT_OPTIONS, type MphateOptions, type ResolvedOptions } from './options.js';
import type { Trace } from './types.js';

function positiveInt(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1)
    throw new MphateInputError(`${name} must be a positive integer, got ${v}`);
}

/** Checks the shape of one slice's worth of data (units x samples) and returns nothing. */
export function validateShape(units: number, samples: number): void {
  if (!Number.isInteger(units) || units < 1)
    throw new MphateInputError(`no units: units must be >= 1, got ${units}`);
  if (!Number.isInteger(samples) || samples < 3)
    throw new MphateInputError(`fewer than 3 probe samples: samples must be >= 3, got ${samples}`);
}

/** Throws naming the first non-finite value as (epoch, unit, sample). */
export function validateFinite(data: Float32Array, units: number, samples: number, epochOffset = 0): void {
  for (let p = 0; p < data.length; p++) {
    const v = data[p]!;
    if (!Number.isFinite(v)) {
      const row = Math.floor(p / samples);
      const epoch = epochOffset + Math.floor(row / units);
      const unit = row % units;
      const what = Number.isNaN(v) ? 'NaN' : v > 0 ? 'Inf' : '-Inf';
      throw new MphateInputError(`${what} at epoch ${epoch}, unit ${unit}, sample ${p % samples}`);
    }
  }
}

/** Validates a whole trace: shape, data length, finiteness. */
export function validateTrace(trace: Trace): void {
  if (trace === null || typeof trace !== 'object') throw new MphateInputError('trace must be an object');
  const { epochs, units, samples, data } = trace;
  if (!Number.isInteger(epochs) || epochs < 1)
    throw new MphateInputError(`epochs must be >= 1, got ${epochs}`);
  validateShape(units, samples);
  if (!(data instanceof Float32Array)) throw new MphateInputError('trace.data must be a Float32Array');
  const expected = epochs * units * samples;
  if (data.length !== expected)
    throw new MphateInputError(
      `trace.data has length ${data.length}, expected epochs x units x samples = ${epochs} x ${units} x ${samples} = ${expected}`,
    );
  validateFinite(data, units, samples);
}

/** Fills defaults and rejects out-of-range options with a message naming the option. */
export function resolveOptions(options: MphateOptions = {}): ResolvedOptions {
  const o = { ...DEFAULT_OPTIONS, ...stripUndefined(options) } as ResolvedOptions;
  if (o.nComponents !== 2 && o.nComponents !== 3)
    throw new MphateInputError(`nComponents must be 2 or 3, got ${o.nComponents}`);
  positiveInt('intrasliceKnn', o.intrasliceKnn);
  positiveInt('intersliceKnn', o.intersliceKnn);
  positiveInt('nPca', o.nPca);
  positiveInt('nLandmark', o.nLandmark);
  positiveInt('nSvd', o.nSvd);
  if (!(Number.isFinite(o.decay) && o.decay > 0))
    throw new MphateInputError(`decay must be > 0, got ${o.decay}`);
  if (!(Number.isFinite(o.thresh) && o.thresh >= 0 && o.thresh < 1))
    throw new MphateInputError(`thresh must be in [0, 1), got ${o.thresh}`);
  if (!(Number.isFinite(o.gamma) && o.gamma >= -1 && o.gamma <= 1))
    throw new MphateInputError(`gamma must be in [-1, 1], got ${o.gamma}`);
  // The reference coerces gamma in (0.99, 1) to 0.99.
  if (o.gamma > 0.99 && o.gamma < 1) o.gamma = 0.99;
  if (o.t !== 'auto') positiveInt('t', o.t);
  if (o.mdsSolver !== 'sgd' && o.mdsSolver !== 'smacof')
    throw new MphateInputError(`mdsSolver must be 'sgd' or 'smacof', got ${String(o.mdsSolver)}`);
  if (!Number.isInteger(o.seed)) throw new MphateInputError(`seed must be an integer, got ${o.seed}`);
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function')
    throw new MphateInputError('onProgress must be a function');
  return o;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
