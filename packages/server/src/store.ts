/**
 * The session store's one interface. Two implementations: SQLite (session-store.ts, the
 * embedded default of `mphate serve`) and PostgreSQL (pg-store.ts, the team deployment, shared
 * by several serve instances and workers). Every method is async because PostgreSQL is; every
 * write is one transaction, committed before the promise resolves (ingest acknowledges after it).
 */
import type {
  EpochRecord,
  EpochRow,
  LogRow,
  MphateOptionsJson,
  SessionHeader,
  SessionStatus,
  SliceMeta,
} from '@mphate/protocol';
import type { IngestState, MethodEmbedding, SessionRow, StoredEmbedding, StoredSlice } from './store-rows.js';

export interface ImportInput {
  header: SessionHeader;
  status: SessionStatus;
  slices: SliceMeta[];
  trace: Float32Array;
  active: Int16Array[];
  epochs: EpochRecord[];
  embedding?: Omit<StoredEmbedding, 'createdAt'>;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Where the store is, for messages: the folder, or the database URL without credentials. */
  readonly description: string;
  close(): Promise<void>;

  /** Creates a session, or returns false when the id exists. `secret`: SHA-256 (hex) of the callback's secret. */
  createSession(
    header: SessionHeader,
    status: SessionStatus,
    secret?: string,
    now?: number,
  ): Promise<boolean>;
  secretOf(id: string): Promise<string | null | undefined>;
  sessionCount(): Promise<number>;
  getSession(id: string): Promise<SessionRow | undefined>;
  ingestState(id: string): Promise<IngestState | undefined>;
  listSessions(): Promise<SessionRow[]>;
  setStatus(id: string, status: SessionStatus, now?: number): Promise<boolean>;
  rename(id: string, name: string, now?: number): Promise<boolean>;
  deleteSession(id: string): Promise<boolean>;

  hasSlice(id: string, slice: number): Promise<boolean>;
  /** Stores one slice and the session's counters in one transaction; false when that number is stored. */
  addSlice(
    id: string,
    meta: SliceMeta,
    data: Float32Array,
    active: Int16Array,
    now?: number,
  ): Promise<boolean>;
  sliceNumbers(id: string): Promise<number[]>;
  sliceMetas(id: string): Promise<SliceMeta[]>;
  sliceMeta(id: string, slice: number): Promise<SliceMeta | undefined>;
  /** Slices numbered above `after` (all when -1), ascending, at most `limit` (-1: all). */
  slicesAfter(id: string, after?: number, limit?: number): Promise<StoredSlice[]>;
  /** slices x units x samples float32, slice order. */
  trace(
    id: string,
    units: number,
    samples: number,
    maxSlices?: number,
  ): Promise<{ slices: number; data: Float32Array }>;
  activeClasses(id: string, units: number, slices: number): Promise<Int16Array>;

  addEpoch(id: string, record: EpochRecord, now?: number): Promise<boolean>;
  epochRecords(id: string): Promise<EpochRecord[]>;
  epochRecord(id: string, index: number): Promise<EpochRecord | undefined>;

  /** Replaces the latest embedding; false when the session no longer exists. */
  putEmbedding(id: string, e: Omit<StoredEmbedding, 'createdAt'>, now?: number): Promise<boolean>;
  getEmbedding(id: string): Promise<StoredEmbedding | undefined>;
  embeddingInfo(id: string): Promise<{ slices: number; final: boolean } | undefined>;

  /** Replaces the session's embedding by a comparison method; false when the session no longer exists. */
  putMethodEmbedding(id: string, e: Omit<MethodEmbedding, 'createdAt'>, now?: number): Promise<boolean>;
  getMethodEmbedding(id: string, method: string): Promise<MethodEmbedding | undefined>;
  /** The session's method embeddings without their coordinates, in the order they were made. */
  listMethodEmbeddings(id: string): Promise<Omit<MethodEmbedding, 'coordinates'>[]>;

  /** A pending re-embed with other options; whichever process runs the session's next job takes it. */
  requestReembed(id: string, options: MphateOptionsJson): Promise<void>;
  takeReembed(id: string): Promise<MphateOptionsJson | undefined>;

  /** A whole session in one transaction: all or nothing; false when the id exists. */
  importSession(input: ImportInput): Promise<boolean>;
  logs(id: string): Promise<{ rows: LogRow[]; epochRows: EpochRow[] }>;
}

/** Where a store is: a SQLite folder, or a PostgreSQL URL. */
export type StoreSpec = { dataDir: string; url?: undefined } | { url: string; dataDir?: undefined };

export function isPostgresUrl(text: string): boolean {
  return /^postgres(ql)?:\/\//i.test(text);
}

/** A URL as it may be printed: the password (and user) removed. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    u.username = '';
    return u.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

/** Opens the store a spec names (PostgreSQL's driver is loaded only when it is used). */
export async function openStore(spec: StoreSpec, options: { busyTimeoutMs?: number } = {}): Promise<Store> {
  if (spec.url !== undefined) {
    const { PgStore } = await import('./pg-store.js');
    return PgStore.open(spec.url);
  }
  const { SessionStore } = await import('./session-store.js');
  return new SessionStore(spec.dataDir, options);
}
