/**
 * What the stores' rows mean, whichever store holds them: the records the server reads
 * (SessionRow, StoredEmbedding, ...) and the one mapping from a row's columns to them, used by
 * the SQLite store (session-store.ts) and the PostgreSQL store (pg-store.ts) alike. Both
 * stores have the same tables and columns; what differs is only the SQL and how a driver
 * hands back a few columns (a JSON column is text in SQLite and already parsed from jsonb;
 * a flag is 0/1 in SQLite and a boolean in PostgreSQL), which the mappings here accept both ways.
 */
import type {
  EpochRecord,
  MphateOptionsJson,
  SessionHeader,
  SessionStatus,
  SessionSummary,
  SliceMeta,
  SnapshotEmbedding,
} from '@mphate/protocol';
import { columnBytes, floats } from './binary-columns.js';

export interface SessionRow extends SessionSummary {
  header: SessionHeader;
  /** Bytes of slice data stored (the per-session limit applies to it). */
  bytes: number;
}

export interface IngestState {
  status: SessionStatus;
  /** Bytes of slice data stored. */
  bytes: number;
  slices: number;
  epochs: number;
  /** Bytes of slice and epoch records (logs) stored. */
  logBytes: number;
  /** Every log key seen so far. */
  logKeys: string[];
}

/** What a snapshot says of an embedding (slices, t, landmarks, final, options), with its coordinates. */
export interface StoredEmbedding extends SnapshotEmbedding {
  /** slices x units x nComponents float32. */
  coordinates: Float32Array;
  createdAt: number;
}

/** An embedding by one of the comparison methods (@mphate/methods) with its four scores. */
export interface MethodEmbedding {
  method: string;
  slices: number;
  seed: number;
  scores: { intra10: number; inter10: number; intra40: number; inter40: number };
  ms: number;
  /** points x 2 float32. */
  coordinates: Float32Array;
  createdAt: number;
}

export interface StoredSlice {
  meta: SliceMeta;
  data: Float32Array;
}

/** A JSON column: text (SQLite, and text columns in PostgreSQL) or already parsed (jsonb). */
type Json<T> = string | T;
/** A flag column: 0/1 (SQLite) or a boolean (PostgreSQL). */
type Flag = number | boolean;

const json = <T>(column: Json<T>): T => (typeof column === 'string' ? (JSON.parse(column) as T) : column);
const flag = (column: Flag): boolean => column === true || column === 1;

export interface SessionColumns {
  id: string;
  name: string;
  status: SessionStatus;
  header: string;
  created_at: number;
  updated_at: number;
  slices: number;
  epochs: number;
  bytes: number;
  final_logs: Json<Record<string, number>>;
}

export function sessionOf(row: SessionColumns): SessionRow {
  const header = JSON.parse(row.header) as SessionHeader;
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    slices: row.slices,
    epochs: row.epochs,
    units: header.units,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finalLogs: json(row.final_logs),
    header,
    bytes: row.bytes,
  };
}

/** The columns ingestState reads (no header parsing: it runs for every slice and epoch). */
export const INGEST_COLUMNS = 'status, bytes, slices, epochs, log_bytes, final_logs';

export function ingestStateOf(row: {
  status: SessionStatus;
  bytes: number;
  slices: number;
  epochs: number;
  log_bytes: number;
  final_logs: Json<Record<string, number>>;
}): IngestState {
  return {
    status: row.status,
    bytes: row.bytes,
    slices: row.slices,
    epochs: row.epochs,
    logBytes: row.log_bytes,
    logKeys: Object.keys(json(row.final_logs)),
  };
}

/** The public summary (no header, no byte count). */
export function summaryOf(row: SessionRow): SessionSummary {
  const { header: _header, bytes: _bytes, ...summary } = row;
  return summary;
}

export const sliceMetaOf = (row: { meta: string }): SliceMeta => JSON.parse(row.meta) as SliceMeta;

export const storedSliceOf = (row: { meta: string; data: Buffer }): StoredSlice => ({
  meta: sliceMetaOf(row),
  data: floats(row.data),
});

export const epochRecordOf = (row: { record: string }): EpochRecord => JSON.parse(row.record) as EpochRecord;

export function embeddingOf(row: {
  slices: number;
  n_components: number;
  t: number;
  landmarks: number;
  final: Flag;
  mphate: string;
  coordinates: Buffer;
  created_at: number;
}): StoredEmbedding {
  return {
    slices: row.slices,
    nComponents: row.n_components as 2 | 3,
    t: row.t,
    landmarks: row.landmarks,
    final: flag(row.final),
    mphate: JSON.parse(row.mphate) as MphateOptionsJson,
    coordinates: floats(row.coordinates),
    createdAt: row.created_at,
  };
}

export const embeddingInfoOf = (row: { slices: number; final: Flag }) => ({
  slices: row.slices,
  final: flag(row.final),
});

/** The columns of a method embedding but its coordinates. */
export const METHOD_INFO_COLUMNS = 'method, slices, seed, scores, ms, created_at';

export function methodInfoOf(row: {
  method: string;
  slices: number;
  seed: number | string;
  scores: string;
  ms: number;
  created_at: number;
}): Omit<MethodEmbedding, 'coordinates'> {
  return {
    method: row.method,
    slices: row.slices,
    seed: Number(row.seed),
    scores: JSON.parse(row.scores) as MethodEmbedding['scores'],
    ms: row.ms,
    createdAt: row.created_at,
  };
}

export const methodEmbeddingOf = (
  row: Parameters<typeof methodInfoOf>[0] & { coordinates: Buffer },
): MethodEmbedding => ({ ...methodInfoOf(row), coordinates: floats(row.coordinates) });

/**
 * The values of the insert statements, in their columns' order (the SQL of each store names
 * the same columns): one place that says how an object is stored.
 */
export const sessionValues = (
  header: SessionHeader,
  status: SessionStatus,
  secret: string | undefined,
  now: number,
) => [header.id, header.name, status, JSON.stringify(header), header.createdAt, now, secret ?? null];

/** `final` as 0/1: SQLite binds no booleans, PostgreSQL's boolean takes '1' and '0'. */
export const embeddingValues = (id: string, e: Omit<StoredEmbedding, 'createdAt'>, now: number) => [
  id,
  e.slices,
  e.nComponents,
  e.t,
  e.landmarks,
  e.final ? 1 : 0,
  JSON.stringify(e.mphate),
  columnBytes(e.coordinates),
  now,
];

export const methodEmbeddingValues = (id: string, e: Omit<MethodEmbedding, 'createdAt'>, now: number) => [
  id,
  e.method,
  e.slices,
  e.seed,
  JSON.stringify(e.scores),
  e.ms,
  columnBytes(e.coordinates),
  now,
];
