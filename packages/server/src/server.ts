/**
 * startServer: wires the store, the embedding pool and scheduler, ingest, live push, REST and
 * static files onto one HTTP server. Each part lives in its own module; this file only connects
 * them.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  epochRow,
  logRow,
  MphateError,
  type MphateOptionsJson,
  validateMphateOptions,
} from '@mphate/protocol';
import express from 'express';
import { isLoopback, tokenMatches } from './auth.js';
import { type CostLimits, SERVER_DEFAULTS } from './defaults.js';
import { Embedder } from './embedder.js';
import { httpStatus } from './error-codes.js';
import { RequestGuard, SECURITY_HEADERS } from './http-guard.js';
import { IngestHandler } from './ingest.js';
import { LiveHub } from './live.js';
import { apiRouter, staticRouter } from './routes.js';
import { Scheduler } from './scheduler.js';
import { SessionStore } from './session-store.js';
import { Uploads } from './uploads.js';
import { defaultPoolSize, WorkerPool } from './worker-pool.js';

/** Every option defaults to SERVER_DEFAULTS (defaults.ts), the one place defaults are written. */
export interface ServerOptions {
  /** TCP port; 0 picks a free one. */
  port?: number;
  /** Interface to listen on. Anything but loopback requires a token. */
  host?: string;
  /** Folder of the SQLite store. */
  dataDir?: string;
  /** When set, /api (but /api/health) and both WebSockets need it. */
  token?: string;
  /** More Host header names to answer to ('*': any); loopback and the listen host always are. */
  allowHosts?: string[];
  /** More page origins that may use the server ('*': any); same-origin and loopback pages always may. */
  allowOrigins?: string[];
  /** Server-wide M-PHATE defaults; a session's own options override them. */
  mphate?: MphateOptionsJson;
  /** Largest WebSocket message, bytes. */
  maxMessageBytes?: number;
  /** Largest total of slice data per session, bytes. */
  maxSessionBytes?: number;
  /** Largest POST /api/snapshots body, bytes. */
  maxUploadBytes?: number;
  /** Uploads imported at once; more get 503. */
  maxConcurrentUploads?: number;
  /** The cost model's limits and the quotas (any subset). */
  limits?: Partial<CostLimits>;
  /** How long a session without connection stays live before it is marked failed, ms. */
  graceMs?: number;
  /** An ingest socket that has not said hello by then is closed, ms. */
  helloTimeoutMs?: number;
  /** Ping interval of every socket; a socket that missed a pong is dropped, ms. */
  pingIntervalMs?: number;
  /** Sessions one dashboard connection may follow. */
  maxSubscriptions?: number;
  /** A job's deadline: this base plus msPerWork per unit of the cost model's estimate. */
  jobDeadline?: { baseMs: number; msPerWork: number };
  /** Embedding worker threads. Default: cores - 1, at least 1. */
  workers?: number;
  /** Compute embeddings (default true). Off: sessions are only stored (ingest benchmarks, storage-only servers). */
  embedding?: boolean;
  /** Where progress lines go. Default: nowhere. */
  log?: (message: string) => void;
}

export interface RunningServer {
  /** http://host:port/ */
  url: string;
  port: number;
  host: string;
  store: SessionStore;
  scheduler: Scheduler;
  /** Resolves when the session has no embedding computation running or pending. */
  idle(id: string): Promise<void>;
  close(): Promise<void>;
}

export const SERVER_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? SERVER_DEFAULTS.host;
  const token = options.token === '' ? undefined : options.token;
  if (!token && !isLoopback(host)) {
    throw new MphateError(
      `refusing to listen on ${host} without a token: pass --token-file FILE (or set MPHATE_TOKEN), or listen on 127.0.0.1`,
      'forbidden',
    );
  }
  const D = SERVER_DEFAULTS;
  const limits: CostLimits = { ...D.limits, ...options.limits };
  const dataDir = options.dataDir ?? D.dataDir;
  const pingIntervalMs = options.pingIntervalMs ?? D.pingIntervalMs;
  const defaults = validateMphateOptions(options.mphate ?? {}, 'mphate defaults');
  const log = options.log ?? (() => {});
  const store = new SessionStore(dataDir);
  const hub = new LiveHub(store, defaults, {
    maxSubscriptions: options.maxSubscriptions ?? D.maxSubscriptions,
    pingIntervalMs,
  });
  const uploads = new Uploads(
    dataDir,
    limits,
    options.maxUploadBytes ?? D.maxUploadBytes,
    options.maxConcurrentUploads ?? D.maxConcurrentUploads,
  );
  const guard = new RequestGuard({
    host,
    ...(options.allowHosts ? { allowHosts: options.allowHosts } : {}),
    ...(options.allowOrigins ? { allowOrigins: options.allowOrigins } : {}),
  });
  let closing: Promise<void> | undefined;
  let embedder: Embedder | undefined;
  const pool = new WorkerPool(
    options.workers ?? defaultPoolSize(),
    (id) => embedder?.lost(id),
    (message) => log(message),
  );
  embedder = new Embedder(
    store,
    pool,
    hub,
    defaults,
    log,
    limits,
    options.jobDeadline ?? { baseMs: D.jobBaseDeadlineMs, msPerWork: D.jobMsPerUnitOfWork },
  );
  const theEmbedder = embedder;
  const embedding = options.embedding ?? true;
  const scheduler = new Scheduler(
    (id, signal) => (embedding ? theEmbedder.compute(id, signal) : Promise.resolve()),
    (id, error) => {
      // A computation cut short by close() is not a failure worth reporting.
      if (closing) return;
      log(`embedding of ${id} failed: ${error instanceof Error ? error.message : String(error)}`);
    },
    pool.size,
  );
  const ingest = new IngestHandler(
    store,
    {
      maxMessageBytes: options.maxMessageBytes ?? D.maxMessageBytes,
      maxSessionBytes: options.maxSessionBytes ?? D.maxSessionBytes,
      cost: limits,
    },
    {
      graceMs: options.graceMs ?? D.graceMs,
      helloTimeoutMs: options.helloTimeoutMs ?? D.helloTimeoutMs,
      pingIntervalMs,
    },
    {
      hello: (id, created) => {
        if (created) log(`session ${id} started`);
        hub.sessionChanged(id);
      },
      slice: (id, meta) => {
        hub.logs(id, [logRow(meta)], []);
        scheduler.markDirty(id);
      },
      epoch: (id, record) => {
        hub.logs(id, [], [epochRow(record)]);
      },
      end: (id) => {
        log(`session ${id} finished`);
        hub.sessionChanged(id);
        scheduler.markDirty(id);
      },
      failed: (id) => {
        log(`session ${id} failed: no connection within the grace period`);
        hub.sessionChanged(id);
        scheduler.markDirty(id);
      },
    },
    log,
  );

  const app = express();
  app.disable('x-powered-by');
  app.use((req, res, next) => {
    res.set(SECURITY_HEADERS);
    const refusal = guard.check(req.method, req.headers.host, req.headers.origin);
    if (!refusal) {
      next();
      return;
    }
    res.status(httpStatus(refusal)).json({ error: refusal.message });
  });
  app.use(
    '/api',
    apiRouter({
      store,
      defaults,
      hub,
      embedder,
      scheduler,
      ingest,
      uploads,
      limits,
      token,
      version: SERVER_VERSION,
      log,
    }),
  );
  app.use(staticRouter());

  const server = createServer(app);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const target =
      url.pathname === '/ws/ingest' ? ingest.wss : url.pathname === '/ws/live' ? hub.wss : undefined;
    if (!target) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    const refusal = guard.check(req.method ?? 'GET', req.headers.host, req.headers.origin, true);
    if (refusal) {
      const body = JSON.stringify({ error: refusal.message });
      socket.end(
        `HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      return;
    }
    if (token && !tokenMatches(req.headers.authorization, url.searchParams.get('token'), token)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    target.handleUpgrade(req, socket, head, (ws) => target.emit('connection', ws, req));
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(options.port ?? D.port, host);
  }).catch(async (error: unknown) => {
    ingest.close();
    hub.close();
    await pool.close();
    await uploads.close();
    store.close();
    throw error;
  });

  // Work left by a previous run: sessions finished (or imported) without a final embedding.
  for (const session of store.listSessions())
    if (embedder.needsWork(session.id)) scheduler.markDirty(session.id);

  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}/`,
    port,
    host,
    store,
    scheduler,
    idle: (id) => scheduler.idle(id),
    close: () => {
      closing ??= (async () => {
        scheduler.close();
        ingest.close();
        hub.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await pool.close();
        await uploads.close();
        store.close();
      })();
      return closing;
    },
  };
}
