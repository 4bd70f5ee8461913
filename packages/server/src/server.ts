/**
 * startServer: wires the store, the embedding pool and scheduler, ingest, live push, REST and
 * static files onto one HTTP server. Each part lives in its own module; this file only connects
 * them.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { epochRow, logRow, type MphateOptionsJson, validateMphateOptions } from '@mphate/protocol';
import express from 'express';
import { isLoopback, tokenMatches } from './auth.js';
import { Embedder } from './compute.js';
import { IngestHandler } from './ingest.js';
import { LiveHub } from './live.js';
import { apiRouter, staticRouter } from './routes.js';
import { Scheduler } from './scheduler.js';
import { Store } from './store.js';
import { watchStore } from './store-watch.js';
import { defaultPoolSize, WorkerPool } from './worker-pool.js';

export interface ServerOptions {
  /** TCP port; 0 picks a free one. Default 7777. */
  port?: number;
  /** Default 127.0.0.1. Anything but loopback requires a token. */
  host?: string;
  /** Folder of the SQLite store. Default ./mphate-data. */
  dataDir?: string;
  /** When set, /api (but /api/health) and both WebSockets need it. */
  token?: string;
  /** Server-wide M-PHATE defaults; a session's own options override them. */
  mphate?: MphateOptionsJson;
  /** Largest WebSocket message, bytes. Default 64 MiB. */
  maxMessageBytes?: number;
  /** Largest total of slice data per session, bytes. Default 2 GiB. */
  maxSessionBytes?: number;
  /** Largest POST /api/snapshots body, bytes. Default 1 GiB. */
  maxUploadBytes?: number;
  /** How long a session without connection stays live before it is marked failed, ms. Default 60 s. */
  graceMs?: number;
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
  store: Store;
  scheduler: Scheduler;
  /** Resolves when the session has no embedding computation running or pending. */
  idle(id: string): Promise<void>;
  close(): Promise<void>;
}

export const SERVER_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token === '' ? undefined : options.token;
  if (!token && !isLoopback(host)) {
    throw new Error(
      `refusing to listen on ${host} without a token: pass --token (or MPHATE_TOKEN) or use 127.0.0.1`,
    );
  }
  const defaults = validateMphateOptions(options.mphate ?? {}, 'mphate defaults');
  const log = options.log ?? (() => {});
  const store = new Store(options.dataDir ?? './mphate-data');
  const hub = new LiveHub(store, defaults);
  let closing: Promise<void> | undefined;
  let embedder: Embedder | undefined;
  const pool = new WorkerPool(
    options.workers ?? defaultPoolSize(),
    (id) => embedder?.lost(id),
    (message) => log(message),
  );
  embedder = new Embedder(store, pool, hub, defaults, log);
  const theEmbedder = embedder;
  const embedding = options.embedding ?? true;
  const scheduler = new Scheduler(
    (id) => (embedding ? theEmbedder.compute(id) : Promise.resolve()),
    (id, error) => {
      // A computation cut short by close() is not a failure worth reporting.
      if (closing) return;
      log(`embedding of ${id} failed: ${error instanceof Error ? error.message : String(error)}`);
    },
  );
  const ingest = new IngestHandler(
    store,
    {
      maxMessageBytes: options.maxMessageBytes ?? 64 * 1024 * 1024,
      maxSessionBytes: options.maxSessionBytes ?? 2 * 1024 * 1024 * 1024,
    },
    options.graceMs ?? 60_000,
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
  );

  const app = express();
  app.disable('x-powered-by');
  app.use(
    '/api',
    apiRouter({
      store,
      defaults,
      hub,
      embedder,
      scheduler,
      ingest,
      maxUploadBytes: options.maxUploadBytes ?? 1024 * 1024 * 1024,
      token,
      version: SERVER_VERSION,
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
    server.listen(options.port ?? 7777, host);
  }).catch(async (error: unknown) => {
    ingest.close();
    hub.close();
    await pool.close();
    store.close();
    throw error;
  });

  // Work left by a previous run: sessions finished (or imported) without a final embedding.
  for (const session of store.listSessions())
    if (embedder.needsWork(session.id)) scheduler.markDirty(session.id);
  // Sessions `mphate import` writes into this store while we run.
  const stopWatch = watchStore(store, (id) => {
    hub.sessionsChanged();
    if (embedder.needsWork(id)) scheduler.markDirty(id);
  });

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
        stopWatch();
        scheduler.close();
        ingest.close();
        hub.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await pool.close();
        store.close();
      })();
      return closing;
    },
  };
}
