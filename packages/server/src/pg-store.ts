/**
 * The session store on PostgreSQL (node-postgres), for the team deployment: several `serve`
 * instances and embedding workers share it. Same rows as the SQLite store (slices and
 * coordinates as bytea), same rule: a write is one transaction, committed before the promise
 * resolves, so what ingest acknowledges is in the database.
 *
 * Migrations are numbered; each runs once, in its own transaction, at start, under an advisory
 * lock so that instances starting together do not race (table mphate_migrations).
 *
 * Faults: a connection refused or dropped, a server shutting down or starting, too many
 * clients, a serialization failure become 'unavailable' (503 / retryable reject): the
 * callback keeps the message and resends it when the database is back.
 */
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
import pg from 'pg';
import { columnBytes, int16s } from './binary-columns.js';
import { type ImportInput, redactUrl, type Store } from './store.js';
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

/** Migration N brings the schema from version N-1 to N. Append only; never edit a released one. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE sessions (
     id text PRIMARY KEY,
     name text NOT NULL,
     status text NOT NULL CHECK (status IN ('live', 'finished', 'failed')),
     header text NOT NULL,
     created_at double precision NOT NULL,
     updated_at double precision NOT NULL,
     slices integer NOT NULL DEFAULT 0,
     epochs integer NOT NULL DEFAULT 0,
     bytes bigint NOT NULL DEFAULT 0,
     final_logs jsonb NOT NULL DEFAULT '{}',
     secret text,
     log_bytes bigint NOT NULL DEFAULT 0
   );
   CREATE TABLE slices (
     session_id text NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
     slice integer NOT NULL,
     meta text NOT NULL,
     data bytea NOT NULL,
     active bytea NOT NULL,
     PRIMARY KEY (session_id, slice)
   );
   CREATE TABLE epochs (
     session_id text NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
     idx integer NOT NULL,
     record text NOT NULL,
     PRIMARY KEY (session_id, idx)
   );
   CREATE TABLE embeddings (
     session_id text PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
     slices integer NOT NULL,
     n_components integer NOT NULL,
     t integer NOT NULL,
     landmarks integer NOT NULL,
     final boolean NOT NULL,
     mphate text NOT NULL,
     coordinates bytea NOT NULL,
     created_at double precision NOT NULL
   );
   CREATE TABLE reembeds (
     session_id text PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
     options text NOT NULL
   );`,
  // 2: embeddings by the comparison methods (@mphate/methods), one per method, beside the session's own
  `CREATE TABLE method_embeddings (
     session_id text NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
     method text NOT NULL,
     slices integer NOT NULL,
     seed bigint NOT NULL,
     scores text NOT NULL,
     ms double precision NOT NULL,
     coordinates bytea NOT NULL,
     created_at double precision NOT NULL,
     PRIMARY KEY (session_id, method)
   );`,
];

/** An arbitrary constant: the advisory lock that serialises migrations across processes. */
const MIGRATION_LOCK = 0x6d706861;

/** bigint (int8) as a JS number: our counters stay far below 2^53. */
const TYPES = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as never,
};

type Query = (text: string, values?: unknown[]) => Promise<pg.QueryResult>;

export class PgStore implements Store {
  readonly kind = 'postgres';
  readonly description: string;

  private constructor(
    readonly pool: pg.Pool,
    url: string,
  ) {
    this.description = redactUrl(url);
  }

  /** Connects, applies the migrations this version knows, refuses a newer schema. */
  static async open(url: string, options: { max?: number } = {}): Promise<PgStore> {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.max ?? 10,
      types: TYPES,
      connectionTimeoutMillis: 5000,
    });
    // An idle client that loses its connection (the database restarted) must not crash us.
    pool.on('error', () => {});
    const store = new PgStore(pool, url);
    try {
      await store.migrate();
    } catch (error) {
      await pool.end();
      throw storeFault(error, store.description);
    }
    return store;
  }

  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      await client.query(
        'CREATE TABLE IF NOT EXISTS mphate_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const { rows } = await client.query('SELECT coalesce(max(version), 0) AS v FROM mphate_migrations');
      const version = Number(rows[0].v);
      if (version > MIGRATIONS.length) {
        throw new MphateError(
          `the store ${this.description} has schema version ${version}; this server reads up to ${MIGRATIONS.length} (upgrade @mphate/server)`,
          'invalid',
        );
      }
      for (let v = version + 1; v <= MIGRATIONS.length; v++) {
        await client.query('BEGIN');
        try {
          await client.query(MIGRATIONS[v - 1]!);
          await client.query('INSERT INTO mphate_migrations (version) VALUES ($1)', [v]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
      client.release();
    }
  }

  /** The schema version applied (for `mphate` messages and tests). */
  async schemaVersion(): Promise<number> {
    const { rows } = await this.q('SELECT max(version) AS v FROM mphate_migrations');
    return Number(rows[0].v);
  }

  private async q(text: string, values?: unknown[]): Promise<pg.QueryResult> {
    try {
      return await this.pool.query(text, values);
    } catch (error) {
      throw storeFault(error, this.description);
    }
  }

  /** Runs `work` in one transaction on one connection. */
  private async tx<T>(work: (query: Query) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw storeFault(error, this.description);
    }
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await work((text, values) => client.query(text, values));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw storeFault(error, this.description);
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  // ---- sessions ----

  async createSession(header: SessionHeader, status: SessionStatus, secret?: string, now = Date.now()) {
    return this.tx((query) => insertSession(query, header, status, secret, now));
  }

  async secretOf(id: string): Promise<string | null | undefined> {
    const { rows } = await this.q('SELECT secret FROM sessions WHERE id = $1', [id]);
    return rows[0] ? (rows[0].secret as string | null) : undefined;
  }

  async sessionCount(): Promise<number> {
    const { rows } = await this.q('SELECT count(*)::integer AS n FROM sessions');
    return rows[0].n as number;
  }

  async getSession(id: string): Promise<SessionRow | undefined> {
    const { rows } = await this.q('SELECT * FROM sessions WHERE id = $1', [id]);
    return rows[0] ? sessionOf(rows[0] as SessionColumns) : undefined;
  }

  async ingestState(id: string): Promise<IngestState | undefined> {
    const { rows } = await this.q(`SELECT ${INGEST_COLUMNS} FROM sessions WHERE id = $1`, [id]);
    return rows[0] ? ingestStateOf(rows[0] as Parameters<typeof ingestStateOf>[0]) : undefined;
  }

  async listSessions(): Promise<SessionRow[]> {
    const { rows } = await this.q('SELECT * FROM sessions ORDER BY created_at, id');
    return (rows as SessionColumns[]).map(sessionOf);
  }

  async setStatus(id: string, status: SessionStatus, now = Date.now()): Promise<boolean> {
    const result = await this.q('UPDATE sessions SET status = $1, updated_at = $2 WHERE id = $3', [
      status,
      now,
      id,
    ]);
    return result.rowCount === 1;
  }

  async rename(id: string, name: string, now = Date.now()): Promise<boolean> {
    return this.tx(async (query) => {
      const { rows } = await query('SELECT header FROM sessions WHERE id = $1 FOR UPDATE', [id]);
      if (!rows[0]) return false;
      const header = { ...(JSON.parse(rows[0].header as string) as SessionHeader), name };
      await query('UPDATE sessions SET name = $1, header = $2, updated_at = $3 WHERE id = $4', [
        name,
        JSON.stringify(header),
        now,
        id,
      ]);
      return true;
    });
  }

  async deleteSession(id: string): Promise<boolean> {
    return (await this.q('DELETE FROM sessions WHERE id = $1', [id])).rowCount === 1;
  }

  // ---- slices ----

  async hasSlice(id: string, slice: number): Promise<boolean> {
    const { rows } = await this.q('SELECT 1 FROM slices WHERE session_id = $1 AND slice = $2', [id, slice]);
    return rows.length > 0;
  }

  async addSlice(id: string, meta: SliceMeta, data: Float32Array, active: Int16Array, now = Date.now()) {
    return this.tx((query) => insertSlice(query, id, meta, data, active, now));
  }

  async sliceNumbers(id: string): Promise<number[]> {
    const { rows } = await this.q('SELECT slice FROM slices WHERE session_id = $1 ORDER BY slice', [id]);
    return rows.map((r) => r.slice as number);
  }

  async sliceMetas(id: string): Promise<SliceMeta[]> {
    const { rows } = await this.q('SELECT meta FROM slices WHERE session_id = $1 ORDER BY slice', [id]);
    return (rows as { meta: string }[]).map(sliceMetaOf);
  }

  async sliceMeta(id: string, slice: number): Promise<SliceMeta | undefined> {
    const { rows } = await this.q('SELECT meta FROM slices WHERE session_id = $1 AND slice = $2', [
      id,
      slice,
    ]);
    return rows[0] ? sliceMetaOf(rows[0] as { meta: string }) : undefined;
  }

  async slicesAfter(id: string, after = -1, limit = -1): Promise<StoredSlice[]> {
    const { rows } = await this.q(
      'SELECT meta, data FROM slices WHERE session_id = $1 AND slice > $2 ORDER BY slice LIMIT $3',
      [id, after, limit < 0 ? null : limit],
    );
    return (rows as { meta: string; data: Buffer }[]).map(storedSliceOf);
  }

  async trace(id: string, units: number, samples: number, maxSlices = -1) {
    const { rows } = await this.q('SELECT data FROM slices WHERE session_id = $1 ORDER BY slice LIMIT $2', [
      id,
      maxSlices < 0 ? null : maxSlices,
    ]);
    const size = units * samples;
    const data = new Float32Array(rows.length * size);
    const out = new Uint8Array(data.buffer);
    rows.forEach((r, i) => {
      out.set(r.data as Buffer, i * size * 4);
    });
    return { slices: rows.length, data };
  }

  async activeClasses(id: string, units: number, slices: number): Promise<Int16Array> {
    const { rows } = await this.q('SELECT active FROM slices WHERE session_id = $1 ORDER BY slice LIMIT $2', [
      id,
      slices,
    ]);
    const out = new Int16Array(slices * units).fill(-1);
    rows.forEach((r, i) => {
      out.set(int16s(r.active as Buffer).subarray(0, units), i * units);
    });
    return out;
  }

  // ---- epochs ----

  async addEpoch(id: string, record: EpochRecord, now = Date.now()): Promise<boolean> {
    return this.tx((query) => insertEpoch(query, id, record, now));
  }

  async epochRecords(id: string): Promise<EpochRecord[]> {
    const { rows } = await this.q('SELECT record FROM epochs WHERE session_id = $1 ORDER BY idx', [id]);
    return (rows as { record: string }[]).map(epochRecordOf);
  }

  async epochRecord(id: string, index: number): Promise<EpochRecord | undefined> {
    const { rows } = await this.q('SELECT record FROM epochs WHERE session_id = $1 AND idx = $2', [
      id,
      index,
    ]);
    return rows[0] ? epochRecordOf(rows[0] as { record: string }) : undefined;
  }

  // ---- embeddings ----

  async putEmbedding(id: string, e: Omit<StoredEmbedding, 'createdAt'>, now = Date.now()): Promise<boolean> {
    return this.tx((query) => upsertEmbedding(query, id, e, now));
  }

  async getEmbedding(id: string): Promise<StoredEmbedding | undefined> {
    const { rows } = await this.q('SELECT * FROM embeddings WHERE session_id = $1', [id]);
    return rows[0] ? embeddingOf(rows[0] as Parameters<typeof embeddingOf>[0]) : undefined;
  }

  // ---- embeddings by the comparison methods ----

  async putMethodEmbedding(
    id: string,
    e: Omit<MethodEmbedding, 'createdAt'>,
    now = Date.now(),
  ): Promise<boolean> {
    return this.tx(async (query) => {
      const { rows } = await query('SELECT 1 FROM sessions WHERE id = $1 FOR SHARE', [id]);
      if (rows.length === 0) return false;
      await query(
        `INSERT INTO method_embeddings (session_id, method, slices, seed, scores, ms, coordinates, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (session_id, method) DO UPDATE SET slices = excluded.slices, seed = excluded.seed,
             scores = excluded.scores, ms = excluded.ms, coordinates = excluded.coordinates,
             created_at = excluded.created_at`,
        methodEmbeddingValues(id, e, now),
      );
      return true;
    });
  }

  async getMethodEmbedding(id: string, method: string): Promise<MethodEmbedding | undefined> {
    const { rows } = await this.q('SELECT * FROM method_embeddings WHERE session_id = $1 AND method = $2', [
      id,
      method,
    ]);
    return rows[0] ? methodEmbeddingOf(rows[0] as Parameters<typeof methodEmbeddingOf>[0]) : undefined;
  }

  async listMethodEmbeddings(id: string): Promise<Omit<MethodEmbedding, 'coordinates'>[]> {
    const { rows } = await this.q(
      `SELECT ${METHOD_INFO_COLUMNS} FROM method_embeddings WHERE session_id = $1 ORDER BY created_at`,
      [id],
    );
    return (rows as Parameters<typeof methodInfoOf>[0][]).map(methodInfoOf);
  }

  async embeddingInfo(id: string): Promise<{ slices: number; final: boolean } | undefined> {
    const { rows } = await this.q('SELECT slices, final FROM embeddings WHERE session_id = $1', [id]);
    return rows[0] ? embeddingInfoOf(rows[0] as { slices: number; final: boolean }) : undefined;
  }

  // ---- re-embed requests (any worker may run the next job) ----

  async requestReembed(id: string, options: MphateOptionsJson): Promise<void> {
    await this.q(
      `INSERT INTO reembeds (session_id, options) VALUES ($1, $2)
         ON CONFLICT (session_id) DO UPDATE SET options = excluded.options`,
      [id, JSON.stringify(options)],
    );
  }

  async takeReembed(id: string): Promise<MphateOptionsJson | undefined> {
    const { rows } = await this.q('DELETE FROM reembeds WHERE session_id = $1 RETURNING options', [id]);
    return rows[0] ? (JSON.parse(rows[0].options as string) as MphateOptionsJson) : undefined;
  }

  // ---- whole sessions ----

  async importSession(input: ImportInput): Promise<boolean> {
    const { header } = input;
    const size = header.units * header.samples;
    return this.tx(async (query) => {
      if (!(await insertSession(query, header, input.status, undefined, Date.now()))) return false;
      for (const [i, meta] of input.slices.entries()) {
        const data = input.trace.subarray(i * size, (i + 1) * size);
        await insertSlice(query, header.id, meta, data, input.active[i]!, Date.now());
      }
      for (const record of input.epochs) await insertEpoch(query, header.id, record, Date.now());
      if (input.embedding) await upsertEmbedding(query, header.id, input.embedding, Date.now());
      return true;
    });
  }

  async logs(id: string): Promise<{ rows: LogRow[]; epochRows: EpochRow[] }> {
    const [metas, records] = await Promise.all([this.sliceMetas(id), this.epochRecords(id)]);
    return { rows: metas.map(logRow), epochRows: records.map(epochRow) };
  }
}

async function insertSession(
  query: Query,
  header: SessionHeader,
  status: SessionStatus,
  secret: string | undefined,
  now: number,
): Promise<boolean> {
  const result = await query(
    `INSERT INTO sessions (id, name, status, header, created_at, updated_at, secret)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
    sessionValues(header, status, secret, now),
  );
  return result.rowCount === 1;
}

async function insertSlice(
  query: Query,
  id: string,
  meta: SliceMeta,
  data: Float32Array,
  active: Int16Array,
  now: number,
): Promise<boolean> {
  const json = JSON.stringify(meta);
  const inserted = await query(
    `INSERT INTO slices (session_id, slice, meta, data, active) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING`,
    [id, meta.slice, json, columnBytes(data), columnBytes(active)],
  );
  if (inserted.rowCount !== 1) return false;
  await query(
    `UPDATE sessions SET slices = slices + 1, bytes = bytes + $1, log_bytes = log_bytes + $2,
       updated_at = $3, final_logs = final_logs || $4::jsonb WHERE id = $5`,
    [data.byteLength, json.length, now, JSON.stringify(meta.logs), id],
  );
  return true;
}

async function insertEpoch(query: Query, id: string, record: EpochRecord, now: number): Promise<boolean> {
  const json = JSON.stringify(record);
  const inserted = await query(
    'INSERT INTO epochs (session_id, idx, record) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
    [id, record.index, json],
  );
  if (inserted.rowCount !== 1) return false;
  await query(
    `UPDATE sessions SET epochs = epochs + 1, log_bytes = log_bytes + $1, updated_at = $2,
       final_logs = final_logs || $3::jsonb WHERE id = $4`,
    [json.length, now, JSON.stringify(record.logs), id],
  );
  return true;
}

async function upsertEmbedding(
  query: Query,
  id: string,
  e: Omit<StoredEmbedding, 'createdAt'>,
  now: number,
): Promise<boolean> {
  const { rows } = await query('SELECT 1 FROM sessions WHERE id = $1 FOR SHARE', [id]);
  if (rows.length === 0) return false;
  await query(
    `INSERT INTO embeddings (session_id, slices, n_components, t, landmarks, final, mphate, coordinates, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (session_id) DO UPDATE SET slices = excluded.slices, n_components = excluded.n_components,
         t = excluded.t, landmarks = excluded.landmarks, final = excluded.final, mphate = excluded.mphate,
         coordinates = excluded.coordinates, created_at = excluded.created_at`,
    embeddingValues(id, e, now),
  );
  return true;
}

/** SQLSTATE classes and client errors that mean "not now": the database is down, restarting, full. */
const TRANSIENT_CODES = /^(08|53|57P0[1-3]|40001|40P01)/;
const TRANSIENT_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

export function isTransientPgError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  if (TRANSIENT_CODES.test(code) || TRANSIENT_ERRNO.has(code)) return true;
  const message = typeof e?.message === 'string' ? e.message : '';
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(message);
}

/** A PostgreSQL error as the rest of the server sees it: transient faults are 'unavailable' (retry). */
function storeFault(error: unknown, where: string): unknown {
  if (error instanceof MphateError) return error;
  if (!isTransientPgError(error)) return error;
  const code = (error as { code?: unknown }).code;
  return new MphateError(
    `the server cannot store this now: the database ${where} is unreachable or restarting (${String(code ?? (error as Error).message)}); try again later`,
    'unavailable',
  );
}
