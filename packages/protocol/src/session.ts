import { array, finite, integer, object, string } from './check.js';
import { ProtocolError } from './errors.js';
import {
  checkOptions,
  LIVE_OPTIONS,
  type LiveOptionValues,
  MPHATE_OPTIONS,
  type MphateOptionValues,
} from './options/spec.js';

/** Hard ceilings any receiver applies before its own (configurable, lower) limits. */
export const LIMITS = Object.freeze({
  maxUnits: 65_536,
  maxSamples: 65_536,
  maxLayers: 1_024,
  maxClasses: 1_000,
  maxNameLength: 256,
});

/** One traced layer. Units of all layers are concatenated in this order. */
export interface LayerInfo {
  /** The layer's name in the model. */
  name: string;
  /** Its tfjs class name (Dense, Conv2D, LSTM, ...). */
  className: string;
  /** Units traced from it (after subsampling). */
  units: number;
  /** Units the layer has (output columns or channels). */
  totalUnits: number;
  /** When subsampled: the indices (in the layer) of the traced units, ascending. Absent when all are kept. */
  keptUnits?: number[];
}

/**
 * M-PHATE options as JSON: the batch options of the option table (options/spec.ts) and, under
 * `live`, the live engine's.
 */
export type MphateOptionsJson = MphateOptionValues & { live?: LiveOptionValues };

/** The session header: sent once per connection in `hello`, stored with the session, first part of a snapshot. */
export interface SessionHeader {
  /** UUID made by the callback. */
  id: string;
  /** Human name (default: model name + time). */
  name: string;
  /** ms since the Unix epoch. */
  createdAt: number;
  /** Total traced units (sum of layers[].units). */
  units: number;
  /** Probe samples per unit. */
  samples: number;
  layers: LayerInfo[];
  /** Class id per probe sample (length `samples`), when labels were given. */
  probeLabels?: number[];
  /** Names of the classes, indexed by class id. */
  classNames?: string[];
  /** 'epoch' or every N batches. */
  every: 'epoch' | number;
  /** M-PHATE options for this session. */
  mphate?: MphateOptionsJson;
  /** Free-form description of the run: model name, tfjs version and backend, fit params. Small JSON. */
  model?: { name?: string; tfjsVersion?: string; backend?: string; params?: Record<string, unknown> };
  /** Where the session came from when it was not streamed by a callback ('npy' import). */
  source?: 'callback' | 'npy' | 'snapshot';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Validates an untrusted session header; throws ProtocolError naming the field. */
export function validateSessionHeader(value: unknown, path = 'session'): SessionHeader {
  const o = object(value, path);
  const id = string(o.id, `${path}.id`, 64);
  if (!isUuid(id)) throw new ProtocolError(`${path}.id must be a UUID, got '${id}'`);
  const name = string(o.name, `${path}.name`, LIMITS.maxNameLength);
  const createdAt = finite(o.createdAt, `${path}.createdAt`);
  const units = integer(o.units, `${path}.units`, 1, LIMITS.maxUnits);
  const samples = integer(o.samples, `${path}.samples`, 3, LIMITS.maxSamples);
  const layers = array(o.layers, `${path}.layers`, LIMITS.maxLayers).map((l, i) =>
    validateLayer(l, `${path}.layers[${i}]`),
  );
  if (layers.length === 0) throw new ProtocolError(`${path}.layers must list at least one layer`);
  const sum = layers.reduce((s, l) => s + l.units, 0);
  if (sum !== units) throw new ProtocolError(`${path}.units is ${units} but its layers hold ${sum} units`);
  const header: SessionHeader = {
    id,
    name,
    createdAt,
    units,
    samples,
    layers,
    every: validateEvery(o.every, `${path}.every`),
  };
  if (o.probeLabels !== undefined && o.probeLabels !== null) {
    const labels = array(o.probeLabels, `${path}.probeLabels`, LIMITS.maxSamples);
    if (labels.length !== samples) {
      throw new ProtocolError(`${path}.probeLabels has ${labels.length} labels for ${samples} probe samples`);
    }
    header.probeLabels = labels.map((c, i) =>
      integer(c, `${path}.probeLabels[${i}]`, 0, LIMITS.maxClasses - 1),
    );
  }
  if (o.classNames !== undefined && o.classNames !== null) {
    header.classNames = array(o.classNames, `${path}.classNames`, LIMITS.maxClasses).map((c, i) =>
      string(c, `${path}.classNames[${i}]`, LIMITS.maxNameLength),
    );
  }
  if (o.mphate !== undefined && o.mphate !== null)
    header.mphate = validateMphateOptions(o.mphate, `${path}.mphate`);
  if (o.model !== undefined && o.model !== null) {
    const model = object(o.model, `${path}.model`);
    if (JSON.stringify(model).length > 16_384) throw new ProtocolError(`${path}.model is larger than 16 KiB`);
    header.model = model as SessionHeader['model'];
  }
  if (o.source !== undefined) {
    if (o.source !== 'callback' && o.source !== 'npy' && o.source !== 'snapshot') {
      throw new ProtocolError(`${path}.source must be 'callback', 'npy' or 'snapshot'`);
    }
    header.source = o.source;
  }
  return header;
}

function validateLayer(value: unknown, path: string): LayerInfo {
  const o = object(value, path);
  const layer: LayerInfo = {
    name: string(o.name, `${path}.name`, LIMITS.maxNameLength),
    className: string(o.className, `${path}.className`, LIMITS.maxNameLength),
    units: integer(o.units, `${path}.units`, 1, LIMITS.maxUnits),
    totalUnits: integer(o.totalUnits, `${path}.totalUnits`, 1, 1 << 30),
  };
  if (layer.units > layer.totalUnits) throw new ProtocolError(`${path}.units exceeds ${path}.totalUnits`);
  if (o.keptUnits !== undefined && o.keptUnits !== null) {
    const kept = array(o.keptUnits, `${path}.keptUnits`, LIMITS.maxUnits).map((u, i) =>
      integer(u, `${path}.keptUnits[${i}]`, 0, layer.totalUnits - 1),
    );
    if (kept.length !== layer.units)
      throw new ProtocolError(`${path}.keptUnits must list ${layer.units} units`);
    layer.keptUnits = kept;
  }
  return layer;
}

function validateEvery(value: unknown, path: string): 'epoch' | number {
  if (value === undefined || value === 'epoch') return 'epoch';
  return integer(value, path, 1, 1 << 30);
}

/** Validates M-PHATE options from JSON against the option table: known keys only, values in range. */
export function validateMphateOptions(value: unknown, path = 'mphate'): MphateOptionsJson {
  const fail = (message: string): never => {
    throw new ProtocolError(message);
  };
  const o = object(value, path);
  const out: MphateOptionsJson = checkOptions(MPHATE_OPTIONS, o, fail, { path, allow: ['live'] });
  if (o.live !== undefined && o.live !== null)
    out.live = checkOptions(LIVE_OPTIONS, object(o.live, `${path}.live`), fail, { path: `${path}.live` });
  return out;
}
