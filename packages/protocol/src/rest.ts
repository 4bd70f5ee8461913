import type { SliceMeta } from './ingest.js';
import type { LayerInfo, MphateOptionsJson } from './session.js';

/** The REST contract of the server (docs/api.md). Shared by the server, the dashboard and scripts. */

export type SessionStatus = 'live' | 'finished' | 'failed';

/** GET /api/sessions -> SessionSummary[] */
export interface SessionSummary {
  id: string;
  name: string;
  status: SessionStatus;
  /** Samples traced. */
  slices: number;
  /** Training epochs completed over all fit calls. */
  epochs: number;
  units: number;
  createdAt: number;
  updatedAt: number;
  /** The last logged value of each log key. */
  finalLogs: Record<string, number>;
}

/** One row per slice: its identity and every value logged with it, flattened. */
export interface LogRow {
  slice: number;
  epoch: number;
  step: number;
  batch: number | null;
  task: string | null;
  time: number;
  [metric: string]: number | string | null;
}

/** One row per completed epoch (epoch-level logs, val_* included). */
export interface EpochRow {
  index: number;
  epoch: number;
  task: string | null;
  time: number;
  [metric: string]: number | string | null;
}

/** GET /api/sessions/:id */
export interface SessionDetail extends SessionSummary {
  layers: LayerInfo[];
  samples: number;
  every: 'epoch' | number;
  probeLabels?: number[];
  classNames?: string[];
  logs: LogRow[];
  epochLogs: EpochRow[];
  mphate: MphateOptionsJson;
  /** Slices the latest embedding covers; 0 before the first. */
  embeddedSlices: number;
  /** True when the latest embedding is the final batch embedding of a finished session. */
  embeddingFinal: boolean;
  /** Distinct task labels in slice order of first appearance. */
  tasks: string[];
}

/** Flattens a slice's metadata into a LogRow. */
export function logRow(meta: SliceMeta): LogRow {
  return {
    ...meta.logs,
    slice: meta.slice,
    epoch: meta.epoch,
    step: meta.step,
    batch: meta.batch,
    task: meta.task,
    time: meta.time,
  };
}

/** Errors are JSON `{ error }` with 400, 401, 404, 409, 413 or 422. */
export interface ApiError {
  error: string;
}
