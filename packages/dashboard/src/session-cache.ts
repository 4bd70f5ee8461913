import type {
  EmbeddingMessage,
  EpochRow,
  LogRow,
  ProgressMessage,
  SessionDetail,
  SessionSummary,
} from '@mphate/protocol';
import { BehaviorSubject, type Observable } from 'rxjs';
import { alignToShown } from './align-embedding.js';
import type { LiveMessage } from './live.js';

/**
 * The page's copy of what the server has told it: the session list and, per opened session,
 * its detail (logs included), its latest embedded points and the progress of the computation.
 * Views subscribe to one session's stream and redraw when it changes; nothing here touches the
 * DOM. (The server's `Store` is the SQLite store; this is only the page's cache of it.)
 */

/** The latest embedding of a session as the page holds it: one point per (slice, unit). */
export interface EmbeddedPoints {
  slices: number;
  units: number;
  /** Components per point (2 or 3). */
  dims: number;
  /** points x dims, row = slice * units + unit. */
  coordinates: Float32Array;
  /** Per point: most-active class or -1. */
  activeClass: Int16Array;
  final: boolean;
}

export interface SessionData {
  id: string;
  detail: SessionDetail | null;
  embedding: EmbeddedPoints | null;
  progress: ProgressMessage | null;
  deleted: boolean;
  /** Increments on every change (cheap change detection for views). */
  version: number;
}

/** Where a point sits: its slice and unit, and what follows from them. */
export interface PointInfo {
  row: number;
  slice: number;
  unit: number;
  layer: number;
  layerName: string;
  /** Index of the unit in its layer (the layer's own numbering when it was subsampled). */
  layerUnit: number;
  epoch: number | null;
  task: string | null;
  activeClass: number;
  className: string | null;
}

export class SessionCache {
  readonly sessions$ = new BehaviorSubject<SessionSummary[]>([]);
  private readonly data = new Map<string, BehaviorSubject<SessionData>>();

  session$(id: string): Observable<SessionData> {
    return this.subject(id);
  }

  get(id: string): SessionData {
    return this.subject(id).value;
  }

  private subject(id: string): BehaviorSubject<SessionData> {
    let s = this.data.get(id);
    if (!s) {
      s = new BehaviorSubject<SessionData>({
        id,
        detail: null,
        embedding: null,
        progress: null,
        deleted: false,
        version: 0,
      });
      this.data.set(id, s);
    }
    return s;
  }

  private update(id: string, change: Partial<SessionData>): void {
    const s = this.subject(id);
    s.next({ ...s.value, ...change, version: s.value.version + 1 });
  }

  /** Applies one live message. */
  apply(message: LiveMessage): void {
    switch (message.type) {
      case 'sessions':
        this.sessions$.next(message.sessions);
        break;
      case 'session':
        this.update(message.session.id, { detail: message.session, deleted: false });
        break;
      case 'logs': {
        const current = this.get(message.session).detail;
        if (current)
          this.update(message.session, { detail: mergeLogs(current, message.rows, message.epochRows) });
        break;
      }
      case 'progress':
        this.update(message.session, { progress: message });
        break;
      case 'deleted':
        this.update(message.session, { deleted: true });
        this.sessions$.next(this.sessions$.value.filter((s) => s.id !== message.session));
        break;
      case 'embedding':
        this.setEmbedding(message.session, fromMessage(message));
        break;
    }
  }

  setDetail(detail: SessionDetail): void {
    this.update(detail.id, { detail });
  }

  setEmbedding(id: string, next: EmbeddedPoints): void {
    const { detail, embedding: shown } = this.get(id);
    // live frames arrive aligned to the one before; a final batch or a re-embed does not
    const embedding = alignToShown(next, shown);
    this.update(id, {
      embedding,
      detail: detail
        ? { ...detail, embeddedSlices: embedding.slices, embeddingFinal: embedding.final }
        : null,
    });
  }
}

export function fromMessage(m: EmbeddingMessage): EmbeddedPoints {
  return {
    slices: m.slices,
    units: m.units,
    dims: m.nComponents,
    coordinates: m.coordinates,
    activeClass: m.activeClass,
    final: m.final,
  };
}

/** An embedding from REST coordinates alone (no most-active class). */
export function fromCoordinates(detail: SessionDetail, coordinates: Float32Array): EmbeddedPoints | null {
  const slices = detail.embeddedSlices;
  if (slices === 0 || coordinates.length === 0) return null;
  const dims = coordinates.length / (slices * detail.units);
  if (dims !== 2 && dims !== 3) return null;
  return {
    slices,
    units: detail.units,
    dims,
    coordinates,
    activeClass: new Int16Array(slices * detail.units).fill(-1),
    final: detail.embeddingFinal,
  };
}

/** Adds new log rows (a row for a slice already held replaces it) and keeps the counts in step. */
export function mergeLogs(detail: SessionDetail, rows: LogRow[], epochRows: EpochRow[]): SessionDetail {
  const logs = detail.logs.slice();
  for (const row of rows) {
    if (row.slice < logs.length && logs[row.slice]?.slice === row.slice) logs[row.slice] = row;
    else logs.push(row);
  }
  logs.sort((a, b) => a.slice - b.slice);
  const epochLogs = detail.epochLogs.slice();
  for (const row of epochRows) {
    const at = epochLogs.findIndex((r) => r.index === row.index);
    if (at >= 0) epochLogs[at] = row;
    else epochLogs.push(row);
  }
  epochLogs.sort((a, b) => a.index - b.index);
  const tasks = detail.tasks.slice();
  for (const row of rows) if (row.task !== null && !tasks.includes(row.task)) tasks.push(row.task);
  const last = logs[logs.length - 1];
  return {
    ...detail,
    logs,
    epochLogs,
    tasks,
    slices: Math.max(detail.slices, last ? last.slice + 1 : 0),
    epochs: Math.max(detail.epochs, epochLogs.length),
  };
}

/** Cumulative unit offsets of the layers: layer k holds units [offsets[k], offsets[k+1]). */
export function layerOffsets(detail: SessionDetail): Int32Array {
  const offsets = new Int32Array(detail.layers.length + 1);
  detail.layers.forEach((l, k) => {
    offsets[k + 1] = offsets[k]! + l.units;
  });
  return offsets;
}

/** Layer index of every unit. */
export function unitLayers(detail: SessionDetail): Uint16Array {
  const out = new Uint16Array(detail.units);
  const offsets = layerOffsets(detail);
  for (let k = 0; k < detail.layers.length; k++) out.fill(k, offsets[k]!, offsets[k + 1]!);
  return out;
}

export function pointInfo(detail: SessionDetail, embedding: EmbeddedPoints, row: number): PointInfo {
  const slice = Math.floor(row / embedding.units);
  const unit = row % embedding.units;
  const offsets = layerOffsets(detail);
  let layer = 0;
  while (layer < detail.layers.length - 1 && unit >= offsets[layer + 1]!) layer++;
  const info = detail.layers[layer]!;
  const inLayer = unit - offsets[layer]!;
  const log = detail.logs[slice];
  const activeClass = embedding.activeClass[row] ?? -1;
  return {
    row,
    slice,
    unit,
    layer,
    layerName: info.name,
    layerUnit: info.keptUnits?.[inLayer] ?? inLayer,
    epoch: log ? log.epoch : null,
    task: log ? log.task : null,
    activeClass,
    className: activeClass >= 0 ? (detail.classNames?.[activeClass] ?? String(activeClass)) : null,
  };
}

/** The metric keys of a session's logs (everything but the slice's identity). */
export function metricKeys(detail: SessionDetail): string[] {
  const skip = new Set(['slice', 'epoch', 'step', 'batch', 'task', 'time', 'index']);
  const keys = new Set<string>();
  for (const row of detail.logs)
    for (const k of Object.keys(row)) if (!skip.has(k) && typeof row[k] === 'number') keys.add(k);
  for (const row of detail.epochLogs)
    for (const k of Object.keys(row)) if (!skip.has(k) && typeof row[k] === 'number') keys.add(k);
  return [...keys].sort();
}

/** The last value of a metric: from the epoch logs first (they hold val_*), else the slice logs. */
export function lastValue(detail: SessionDetail, key: string): number | null {
  for (const rows of [detail.epochLogs, detail.logs] as const) {
    for (let i = rows.length - 1; i >= 0; i--) {
      const v = rows[i]![key];
      if (typeof v === 'number' && Number.isFinite(v)) return v;
    }
  }
  const v = detail.finalLogs[key];
  return typeof v === 'number' ? v : null;
}
