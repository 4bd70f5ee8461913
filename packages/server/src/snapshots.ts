/**
 * Snapshots and traces in and out of the store: the snapshot file (packages/protocol, validated
 * whole before anything is stored), a bare .npy trace imported as a new session, the trace as
 * .npy. Used by the REST routes and by `mphate import` / `mphate export` on the data folder.
 */
import { randomUUID } from 'node:crypto';
import {
  decodeNpy,
  decodeSnapshot,
  encodeNpy,
  encodeSnapshot,
  firstNonFinite,
  isNpy,
  isSnapshot,
  LIMITS,
  MphateError,
  ProtocolError,
  type SessionHeader,
  type SliceMeta,
  type Snapshot,
  type SnapshotHeader,
  validateMphateOptions,
} from '@mphate/protocol';
import { activeClasses } from './active-class.js';
import { checkCost, refuseOver } from './cost-model.js';
import { type CostLimits, SERVER_DEFAULTS } from './defaults.js';
import type { SessionStore } from './session-store.js';

/** Metadata for a bare .npy import (query parameters of POST /api/snapshots, flags of `mphate import`). */
export interface NpyImportOptions {
  name?: string;
  /** Class id per probe sample. */
  labels?: number[];
  classNames?: string[];
  /** M-PHATE options for the session, JSON. */
  mphate?: unknown;
}

export async function exportSnapshot(store: SessionStore, id: string): Promise<Uint8Array | undefined> {
  const session = store.getSession(id);
  if (!session) return undefined;
  const { units, samples } = session.header;
  const slices = store.sliceMetas(id);
  const trace = store.trace(id, units, samples);
  const header: SnapshotHeader = {
    format: 'mphate-snapshot',
    version: 1,
    exportedAt: Date.now(),
    session: session.header,
    status: session.status,
    slices,
    epochs: store.epochRecords(id),
  };
  const snapshot: Snapshot = { header, trace: trace.data };
  const embedding = store.getEmbedding(id);
  if (embedding && embedding.slices <= slices.length) {
    header.embedding = {
      slices: embedding.slices,
      nComponents: embedding.nComponents,
      t: embedding.t,
      landmarks: embedding.landmarks,
      final: embedding.final,
      mphate: embedding.mphate,
    };
    snapshot.coordinates = embedding.coordinates;
  }
  return encodeSnapshot(snapshot);
}

/** The trace as float32 .npy of shape (slices, units, samples). */
export function exportTraceNpy(store: SessionStore, id: string): Uint8Array | undefined {
  const session = store.getSession(id);
  if (!session) return undefined;
  const { units, samples } = session.header;
  const trace = store.trace(id, units, samples);
  return encodeNpy({ shape: [trace.slices, units, samples], data: trace.data });
}

/**
 * Imports a snapshot file or a bare .npy trace as a new session; returns its id. Everything is
 * validated before one row is written, and the write is one transaction: all or nothing.
 */
export async function importBytes(
  store: SessionStore,
  bytes: Uint8Array,
  options: NpyImportOptions = {},
  limits: CostLimits = SERVER_DEFAULTS.limits,
): Promise<string> {
  const sessions = store.sessionCount();
  if (sessions >= limits.sessions)
    refuseOver(limits, 'sessions', 'the store holds too many sessions', sessions + 1);
  if (isSnapshot(bytes)) return importSnapshot(store, bytes, limits);
  if (isNpy(bytes)) return importNpy(store, bytes, options, limits);
  throw new MphateError('the body is neither an M-PHATE snapshot (.mphate) nor a .npy trace', 'malformed');
}

async function importSnapshot(store: SessionStore, bytes: Uint8Array, limits: CostLimits): Promise<string> {
  let snapshot: Snapshot;
  try {
    snapshot = await decodeSnapshot(bytes);
  } catch (error) {
    if (error instanceof ProtocolError)
      throw new MphateError(`snapshot refused: ${error.message}`, error.kind);
    throw error;
  }
  const { header, trace, coordinates } = snapshot;
  const session = header.session;
  checkCost(limits, {
    units: session.units,
    samples: session.samples,
    slices: header.slices.length,
    ...(session.mphate ? { options: session.mphate } : {}),
  });
  if (header.epochs.length > limits.epochs)
    refuseOver(limits, 'epochs', `a snapshot of ${header.epochs.length} epochs`, header.epochs.length);
  if (store.getSession(session.id)) {
    throw new MphateError(
      `session ${session.id} already exists (delete it first to import this snapshot again)`,
      'conflict',
    );
  }
  const size = session.units * session.samples;
  const active = header.slices.map((_, i) =>
    activeClasses(
      trace.subarray(i * size, (i + 1) * size),
      session.units,
      session.samples,
      session.probeLabels,
    ),
  );
  const input: Parameters<SessionStore['importSession']>[0] = {
    header: { ...session, source: session.source ?? 'snapshot' },
    // Nobody streams into an imported session: one exported mid-training counts as failed.
    status: header.status === 'live' ? 'failed' : header.status,
    slices: header.slices,
    trace,
    active,
    epochs: header.epochs,
  };
  if (header.embedding && coordinates) {
    const { slices, nComponents, t, landmarks, final, mphate } = header.embedding;
    input.embedding = { slices, nComponents, t, landmarks, final, mphate, coordinates };
  }
  if (!store.importSession(input)) throw new MphateError(`session ${session.id} already exists`, 'conflict');
  return session.id;
}

function importNpy(
  store: SessionStore,
  bytes: Uint8Array,
  options: NpyImportOptions,
  limits: CostLimits,
): string {
  let array: ReturnType<typeof decodeNpy>;
  try {
    array = decodeNpy(bytes);
  } catch (error) {
    if (error instanceof ProtocolError) throw new MphateError(`.npy refused: ${error.message}`, error.kind);
    throw error;
  }
  if (array.shape.length !== 3) {
    throw new MphateError(
      `.npy trace must have shape (slices, units, samples), got (${array.shape.join(', ')})`,
      'invalid',
    );
  }
  const [slices, units, samples] = array.shape as [number, number, number];
  if (slices < 1 || units < 1 || samples < 3) {
    throw new MphateError(
      `.npy trace (${slices}, ${units}, ${samples}) needs >= 1 slice, >= 1 unit, >= 3 samples`,
      'invalid',
    );
  }
  if (units > LIMITS.maxUnits || samples > LIMITS.maxSamples) {
    throw new MphateError(
      `.npy trace has more than ${LIMITS.maxUnits} units or ${LIMITS.maxSamples} samples`,
      'invalid',
    );
  }
  checkCost(limits, { units, samples, slices });
  if (array.dtype !== 'float32' && array.dtype !== 'float64') {
    throw new MphateError(`.npy trace must be float32 or float64, got ${array.dtype}`, 'invalid');
  }
  const trace = array.data instanceof Float32Array ? array.data : Float32Array.from(array.data);
  const bad = firstNonFinite(trace);
  if (bad >= 0) {
    const size = units * samples;
    throw new MphateError(
      `.npy trace holds a non-finite value at slice ${Math.floor(bad / size)}, unit ${Math.floor((bad % size) / samples)}, sample ${bad % samples}`,
      'invalid',
    );
  }
  if (options.labels && options.labels.length !== samples) {
    throw new MphateError(
      `labels lists ${options.labels.length} classes for ${samples} probe samples`,
      'invalid',
    );
  }
  const now = Date.now();
  const header: SessionHeader = {
    id: randomUUID(),
    name: options.name ?? `npy import ${new Date(now).toISOString()}`,
    createdAt: now,
    units,
    samples,
    layers: [{ name: 'units', className: 'npy', units, totalUnits: units }],
    every: 'epoch',
    source: 'npy',
  };
  if (options.labels) header.probeLabels = options.labels;
  if (options.classNames) header.classNames = options.classNames;
  if (options.mphate !== undefined) {
    try {
      header.mphate = validateMphateOptions(options.mphate);
    } catch (error) {
      if (error instanceof ProtocolError) throw new MphateError(error.message, error.kind);
      throw error;
    }
  }
  const size = units * samples;
  const metas: SliceMeta[] = [];
  const active: Int16Array[] = [];
  for (let s = 0; s < slices; s++) {
    metas.push({ slice: s, epoch: s, batch: null, step: s, task: null, time: now, logs: {} });
    active.push(activeClasses(trace.subarray(s * size, (s + 1) * size), units, samples, header.probeLabels));
  }
  store.importSession({ header, status: 'finished', slices: metas, trace, active, epochs: [] });
  return header.id;
}

/** Parses `labels` given as "0,1,2,..." (query parameter or flag). */
export function parseLabels(text: string): number[] {
  const labels = text.split(',').map((s) => Number(s.trim()));
  if (labels.some((c) => !Number.isInteger(c) || c < 0 || c >= LIMITS.maxClasses)) {
    throw new MphateError(
      `labels must be comma-separated class ids in [0, ${LIMITS.maxClasses - 1}]`,
      'malformed',
    );
  }
  return labels;
}
