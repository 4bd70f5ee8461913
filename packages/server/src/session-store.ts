/**
 * The session store: one SQLite file (better-sqlite3) in the data folder.
 *
 * Durability: WAL journal with synchronous=NORMAL. A commit is in the WAL file (the OS has it)
 * before we acknowledge, so a process crash or kill -9 at any moment loses nothing that was
 * acknowledged, and the database is never corrupt. Only an OS crash or power loss may lose the
 * last few commits (still consistent). FULL would add one fsync per commit: measured ~7 ms
 * here, i.e. >0.5 s of blocked event loop per second at 80 slices/s, which the live push
 * cannot afford (see test/load.test.ts). The promise we make is the crash one; NORMAL keeps it.
 *
 * Every write runs in one transaction; readers (the CLI's import/export) may use the same file
 * while a server runs: WAL lets them read and write concurrently, with a busy timeout.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  type EpochRecord,
  type EpochRow,
  epochRow,
  type LogRow,
  logRow,
  MphateError,
  type MphateOptionsJson,
  type SessionHeader,
  type SessionStatus,
  type SliceMeta,
} from '@mphate/protocol';
import Database from 'better-sqlite3';
import { columnBytes, int16s } from './binary-columns.js';
import type { ImportInput, Store } from './store.js';
import {
  embeddingInfoOf,
  embeddingOf,
  embeddingValues,
  epochRecordOf,
  INGEST_COLUMNS,
  type IngestState,
  ingestStateOf,
  METHOD_INFO_COLUMNS,
  type MethodEmbedding,
  methodEmbeddingOf,
  methodEmbeddingValues,
  methodInfoOf,
  type SessionColumns,
  type SessionRow,
  type StoredEmbedding,
  type StoredSlice,
  sessionOf,
  sessionValues,
  sliceMetaOf,
  storedSliceOf,
} from './store-rows.js';

const SCHEMA_VERSION = 2;
/** The SQLite file inside --data. */
export const DB_FILE = 'mphate.sqlite';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('live', 'finished', 'failed')),
  header TEXT NOT NULL,
  created_at REAL NOT NULL,
  updated_at REAL NOT NULL,
  slices INTEGER NOT NULL DEFAULT 0,
  epochs INTEGER NOT NULL DEFAULT 0,
  bytes INTEGER NOT NULL DEFAULT 0,
  final_logs TEXT NOT NULL DEFAULT '{}',
  secret TEXT,
  log_bytes INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS slices (
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  slice INTEGER NOT NULL,
  meta TEXT NOT NULL,
  data BLOB NOT NULL,
  active BLOB NOT NULL,
  PRIMARY KEY (session_id, slice)
);
CREATE TABLE IF NOT EXISTS epochs (
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  record TEXT NOT NULL,
  PRIMARY KEY (session_id, idx)
);
CREATE TABLE IF NOT EXISTS embeddings (
  session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
  slices INTEGER NOT NULL,
  n_components INTEGER NOT NULL,
  t INTEGER NOT NULL,
  landmarks INTEGER NOT NULL,
  final INTEGER NOT NULL,
  mphate TEXT NOT NULL,
  coordinates BLOB NOT NULL,
  created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS method_embeddings (
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  method TEXT NOT NULL,
  slices INTEGER NOT NULL,
  seed INTEGER NOT NULL,
  scores TEXT NOT NULL,
  ms REAL NOT NULL,
  coordinates BLOB NOT NULL,
  created_at REAL NOT NULL,
  PRIMARY KEY (session_id, method)
);
`;

/** The embedded store (the default): one SQLite file, one process (plus its worker threads). */
export class SessionStore implements Store {
  readonly kind = 'sqlite';
  readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  /** Pending re-embed requests: one process runs every job, so memory is their place. */
  private readonly reembeds = new Map<string, MphateOptionsJson>();

  constructor(
    readonly dataDir: string,
    options: { busyTimeoutMs?: number } = {},
  ) {
    mkdirSync(dataDir, { recursive: true });
    const file = join(dataDir, DB_FILE);
    try {
      // A short busy timeout by default: waiting blocks the event loop; past it the write is retryable.
      this.db = new Database(file, { timeout: options.busyTimeoutMs ?? 500 });
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('foreign_keys = ON');
      this.checkIntegrity(file);
      this.migrate();
    } catch (error) {
      if (isCorrupt(error)) throw corruptStore(file, (error as Error).message);
      throw error;
    }
  }

  /** quick_check at open: a damaged page is reported now, with what to do, not as 500s later. */
  private checkIntegrity(file: string): void {
    const rows = this.db.pragma('quick_check(5)') as { quick_check: string }[];
    const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
    if (problems.length > 0) {
      this.db.close();
      throw corruptStore(file, problems.join('; '));
    }
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new MphateError(
        `the store in ${this.dataDir} has schema version ${version}; this server reads up to ${SCHEMA_VERSION} (upgrade @mphate/server)`,
        'invalid',
      );
    }
    this.db.transaction(() => {
      if (version === 1) {
        this.db.exec('ALTER TABLE sessions ADD COLUMN secret TEXT');
        this.db.exec('ALTER TABLE sessions ADD COLUMN log_bytes INTEGER NOT NULL DEFAULT 0');
      }
      this.db.exec(SCHEMA);
      this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    })();
  }

  /** Runs `work` in one transaction; a full disk or a busy database becomes a retryable error. */
  private write<T>(work: () => T): T {
    try {
      return this.db.transaction(work)();
    } catch (error) {
      throw storeFault(error);
    }
  }

  /** A prepared statement, compiled once per SQL text. */
  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  get description(): string {
    return this.dataDir;
  }

  // ---- sessions ----

  /**
   * Creates a session, or returns false when the id exists. `secret` is the SHA-256 (hex) of
   * the secret its callback presents in every hello; imported sessions have none.
   */
  async createSession(
    header: SessionHeader,
    status: SessionStatus,
    secret?: string,
    now = Date.now(),
  ): Promise<boolean> {
    return this.createSessionSync(header, status, secret, now);
  }

  private createSessionSync(
    header: SessionHeader,
    status: SessionStatus,
    secret?: string,
    now = Date.now(),
  ): boolean {
    return this.write(() => {
      const result = this.sql(
        `INSERT OR IGNORE INTO sessions (id, name, status, header, created_at, updated_at, secret)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(...sessionValues(header, status, secret, now));
      return result.changes === 1;
    });
  }

  /** The stored SHA-256 of the session's secret; null for a session made without one. */
  async secretOf(id: string): Promise<string | null | undefined> {
    const row = this.sql('SELECT secret FROM sessions WHERE id = ?').get(id) as
      | { secret: string | null }
      | undefined;
    return row?.secret;
  }

  async sessionCount(): Promise<number> {
    return (this.sql('SELECT count(*) AS n FROM sessions').get() as { n: number }).n;
  }

  async getSession(id: string): Promise<SessionRow | undefined> {
    return this.getSessionSync(id);
  }

  private getSessionSync(id: string): SessionRow | undefined {
    const row = this.sql('SELECT * FROM sessions WHERE id = ?').get(id) as SessionColumns | undefined;
    return row ? sessionOf(row) : undefined;
  }

  /** What ingest checks its quotas against, for every slice and epoch (no header parsing). */
  async ingestState(id: string): Promise<IngestState | undefined> {
    const row = this.sql(`SELECT ${INGEST_COLUMNS} FROM sessions WHERE id = ?`).get(id) as
      | Parameters<typeof ingestStateOf>[0]
      | undefined;
    return row ? ingestStateOf(row) : undefined;
  }

  async listSessions(): Promise<SessionRow[]> {
    const rows = this.sql('SELECT * FROM sessions ORDER BY created_at, id').all() as SessionColumns[];
    return rows.map(sessionOf);
  }

  async setStatus(id: string, status: SessionStatus, now = Date.now()): Promise<boolean> {
    return this.write(
      () =>
        this.sql('UPDATE sessions SET status = ?, updated_at = ? WHERE id = ?').run(status, now, id)
          .changes === 1,
    );
  }

  async rename(id: string, name: string, now = Date.now()): Promise<boolean> {
    return this.write(() => {
      const session = this.getSessionSync(id);
      if (!session) return false;
      const header = { ...session.header, name };
      this.sql('UPDATE sessions SET name = ?, header = ?, updated_at = ? WHERE id = ?').run(
        name,
        JSON.stringify(header),
        now,
        id,
      );
      return true;
    });
  }

  async deleteSession(id: string): Promise<boolean> {
    this.reembeds.delete(id);
    return this.write(() => this.sql('DELETE FROM sessions WHERE id = ?').run(id).changes === 1);
  }

  // ---- slices ----

  async hasSlice(id: string, slice: number): Promise<boolean> {
    return this.sql('SELECT 1 FROM slices WHERE session_id = ? AND slice = ?').get(id, slice) !== undefined;
  }

  /**
   * Stores one slice and updates the session's counters in one transaction.
   * Returns false (storing nothing) when that slice number is already stored.
   */
  async addSlice(
    id: string,
    meta: SliceMeta,
    data: Float32Array,
    active: Int16Array,
    now = Date.now(),
  ): Promise<boolean> {
    return this.addSliceSync(id, meta, data, active, now);
  }

  private addSliceSync(
    id: string,
    meta: SliceMeta,
    data: Float32Array,
    active: Int16Array,
    now = Date.now(),
  ): boolean {
    return this.write(() => {
      const json = JSON.stringify(meta);
      const inserted = this.sql(
        'INSERT OR IGNORE INTO slices (session_id, slice, meta, data, active) VALUES (?, ?, ?, ?, ?)',
      ).run(id, meta.slice, json, columnBytes(data), columnBytes(active));
      if (inserted.changes !== 1) return false;
      this.sql(
        `UPDATE sessions SET slices = slices + 1, bytes = bytes + ?, log_bytes = log_bytes + ?, updated_at = ?,
           final_logs = json_patch(final_logs, ?) WHERE id = ?`,
      ).run(data.byteLength, json.length, now, JSON.stringify(meta.logs), id);
      return true;
    });
  }

  /** Slice numbers stored, ascending. */
  async sliceNumbers(id: string): Promise<number[]> {
    return (
      this.sql('SELECT slice FROM slices WHERE session_id = ? ORDER BY slice').all(id) as {
        slice: number;
      }[]
    ).map((r) => r.slice);
  }

  async sliceMetas(id: string): Promise<SliceMeta[]> {
    return this.sliceMetasSync(id);
  }

  private sliceMetasSync(id: string): SliceMeta[] {
    return (
      this.sql('SELECT meta FROM slices WHERE session_id = ? ORDER BY slice').all(id) as {
        meta: string;
      }[]
    ).map(sliceMetaOf);
  }

  async sliceMeta(id: string, slice: number): Promise<SliceMeta | undefined> {
    const row = this.sql('SELECT meta FROM slices WHERE session_id = ? AND slice = ?').get(id, slice) as
      | { meta: string }
      | undefined;
    return row ? sliceMetaOf(row) : undefined;
  }

  /** Slices with numbers greater than `after` (all when -1), ascending, at most `limit`. */
  async slicesAfter(id: string, after = -1, limit = -1): Promise<StoredSlice[]> {
    const rows = this.sql(
      'SELECT meta, data FROM slices WHERE session_id = ? AND slice > ? ORDER BY slice LIMIT ?',
    ).all(id, after, limit) as { meta: string; data: Buffer }[];
    return rows.map(storedSliceOf);
  }

  /** The whole trace: slices x units x samples float32 in slice order, as one array. */
  async trace(
    id: string,
    units: number,
    samples: number,
    maxSlices = -1,
  ): Promise<{ slices: number; data: Float32Array }> {
    const rows = this.sql('SELECT data FROM slices WHERE session_id = ? ORDER BY slice LIMIT ?').all(
      id,
      maxSlices,
    ) as { data: Buffer }[];
    const size = units * samples;
    const data = new Float32Array(rows.length * size);
    const bytes = new Uint8Array(data.buffer);
    rows.forEach((r, i) => {
      bytes.set(r.data, i * size * 4);
    });
    return { slices: rows.length, data };
  }

  /** Most-active class per point of the first `slices` slices (slice-major), -1 without labels. */
  async activeClasses(id: string, units: number, slices: number): Promise<Int16Array> {
    const rows = this.sql('SELECT active FROM slices WHERE session_id = ? ORDER BY slice LIMIT ?').all(
      id,
      slices,
    ) as { active: Buffer }[];
    const out = new Int16Array(slices * units).fill(-1);
    rows.forEach((r, i) => {
      out.set(int16s(r.active).subarray(0, units), i * units);
    });
    return out;
  }

  // ---- epochs ----

  /** Stores one epoch record; false when that index is already stored. */
  async addEpoch(id: string, record: EpochRecord, now = Date.now()): Promise<boolean> {
    return this.addEpochSync(id, record, now);
  }

  private addEpochSync(id: string, record: EpochRecord, now = Date.now()): boolean {
    return this.write(() => {
      const json = JSON.stringify(record);
      const inserted = this.sql(
        'INSERT OR IGNORE INTO epochs (session_id, idx, record) VALUES (?, ?, ?)',
      ).run(id, record.index, json);
      if (inserted.changes !== 1) return false;
      this.sql(
        `UPDATE sessions SET epochs = epochs + 1, log_bytes = log_bytes + ?, updated_at = ?,
           final_logs = json_patch(final_logs, ?) WHERE id = ?`,
      ).run(json.length, now, JSON.stringify(record.logs), id);
      return true;
    });
  }

  async epochRecords(id: string): Promise<EpochRecord[]> {
    return this.epochRecordsSync(id);
  }

  private epochRecordsSync(id: string): EpochRecord[] {
    return (
      this.sql('SELECT record FROM epochs WHERE session_id = ? ORDER BY idx').all(id) as {
        record: string;
      }[]
    ).map(epochRecordOf);
  }

  async epochRecord(id: string, index: number): Promise<EpochRecord | undefined> {
    const row = this.sql('SELECT record FROM epochs WHERE session_id = ? AND idx = ?').get(id, index) as
      | { record: string }
      | undefined;
    return row ? epochRecordOf(row) : undefined;
  }

  // ---- embeddings ----

  /** Replaces the session's latest embedding. False when the session no longer exists. */
  async putEmbedding(id: string, e: Omit<StoredEmbedding, 'createdAt'>, now = Date.now()): Promise<boolean> {
    return this.putEmbeddingSync(id, e, now);
  }

  private putEmbeddingSync(id: string, e: Omit<StoredEmbedding, 'createdAt'>, now = Date.now()): boolean {
    return this.write(() => {
      if (!this.getSessionSync(id)) return false;
      this.sql(
        `INSERT OR REPLACE INTO embeddings
           (session_id, slices, n_components, t, landmarks, final, mphate, coordinates, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(...embeddingValues(id, e, now));
      return true;
    });
  }

  async getEmbedding(id: string): Promise<StoredEmbedding | undefined> {
    const row = this.sql('SELECT * FROM embeddings WHERE session_id = ?').get(id) as
      | Parameters<typeof embeddingOf>[0]
      | undefined;
    return row ? embeddingOf(row) : undefined;
  }

  // ---- embeddings by the comparison methods (one per method, beside the session's own) ----

  /** Replaces the session's embedding by `method`. False when the session no longer exists. */
  async putMethodEmbedding(
    id: string,
    e: Omit<MethodEmbedding, 'createdAt'>,
    now = Date.now(),
  ): Promise<boolean> {
    return this.db.transaction(() => {
      if (!this.sql('SELECT 1 FROM sessions WHERE id = ?').get(id)) return false;
      this.sql(
        `INSERT OR REPLACE INTO method_embeddings
           (session_id, method, slices, seed, scores, ms, coordinates, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(...methodEmbeddingValues(id, e, now));
      return true;
    })();
  }

  async getMethodEmbedding(id: string, method: string): Promise<MethodEmbedding | undefined> {
    const row = this.sql('SELECT * FROM method_embeddings WHERE session_id = ? AND method = ?').get(
      id,
      method,
    ) as Parameters<typeof methodEmbeddingOf>[0] | undefined;
    return row ? methodEmbeddingOf(row) : undefined;
  }

  /** The session's method embeddings without their coordinates, in the order they were made. */
  async listMethodEmbeddings(id: string): Promise<Omit<MethodEmbedding, 'coordinates'>[]> {
    const rows = this.sql(
      `SELECT ${METHOD_INFO_COLUMNS} FROM method_embeddings WHERE session_id = ? ORDER BY created_at`,
    ).all(id) as Parameters<typeof methodInfoOf>[0][];
    return rows.map(methodInfoOf);
  }

  /** Slices covered by the latest embedding and whether it is final, without reading it. */
  async embeddingInfo(id: string): Promise<{ slices: number; final: boolean } | undefined> {
    const row = this.sql('SELECT slices, final FROM embeddings WHERE session_id = ?').get(id) as
      | { slices: number; final: number }
      | undefined;
    return row ? embeddingInfoOf(row) : undefined;
  }

  // ---- re-embed requests ----

  async requestReembed(id: string, options: MphateOptionsJson): Promise<void> {
    this.reembeds.set(id, options);
  }

  async takeReembed(id: string): Promise<MphateOptionsJson | undefined> {
    const options = this.reembeds.get(id);
    this.reembeds.delete(id);
    return options;
  }

  // ---- whole sessions ----

  /** Imports a whole session (snapshot or .npy) in one transaction: all of it or nothing. */
  async importSession(input: ImportInput): Promise<boolean> {
    const { header } = input;
    const size = header.units * header.samples;
    return this.write(() => {
      if (!this.createSessionSync(header, input.status)) return false;
      input.slices.forEach((meta, i) => {
        this.addSliceSync(header.id, meta, input.trace.subarray(i * size, (i + 1) * size), input.active[i]!);
      });
      for (const record of input.epochs) this.addEpochSync(header.id, record);
      if (input.embedding) this.putEmbeddingSync(header.id, input.embedding);
      return true;
    });
  }

  /** Log rows (one per slice) and epoch rows, for the REST detail and live pushes. */
  async logs(id: string): Promise<{ rows: LogRow[]; epochRows: EpochRow[] }> {
    const rows = this.sliceMetasSync(id).map(logRow);
    const epochRows = this.epochRecordsSync(id).map(epochRow);
    return { rows, epochRows };
  }
}

/** SQLite result codes that mean "not now" rather than "never": the disk is full, the file is locked. */
const TRANSIENT = /^SQLITE_(FULL|BUSY|LOCKED|IOERR)/;

/** A store error as the rest of the server sees it: transient faults are 'unavailable' (retry). */
export function storeFault(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && TRANSIENT.test(code)) {
    const what = code.startsWith('SQLITE_FULL')
      ? 'the disk (or the database size limit) is full'
      : code.startsWith('SQLITE_IOERR')
        ? 'the disk reported an I/O error'
        : 'the database is busy';
    return new MphateError(
      `the server cannot store this now: ${what} (${code}); try again later`,
      'unavailable',
    );
  }
  return error;
}

function isCorrupt(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB';
}

function corruptStore(file: string, problem: string): MphateError {
  return new MphateError(
    `the session store ${file} is damaged (${problem.replace(/\s*\n\s*/g, '; ').slice(0, 300)}). Stop every server and mphate command using it, copy the folder as a backup, then either recover it with \`sqlite3 ${file} ".recover" | sqlite3 recovered.sqlite\` and put recovered.sqlite in its place, or move the folder away to start with an empty store`,
    'invalid',
  );
}
