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
  type EpochRecord,
  epochRow,
  logRow,
  MphateError,
  type MphateOptionsJson,
  type SliceMeta,
  validateMphateOptions,
} from '@mphate/protocol';
import express from 'express';
import { isLoopback, tokenMatches } from './auth.js';
import { type CostLimits, SERVER_DEFAULTS } from './defaults.js';
import { Embedder, pendingWork } from './embedder.js';
import { httpStatus } from './error-codes.js';
import { EventBus, type TeamEvent } from './event-bus.js';
import { RequestGuard, SECURITY_HEADERS } from './http-guard.js';
import { IngestHandler } from './ingest.js';
import { JobQueue } from './job-queue.js';
import { LiveHub } from './live.js';
import { queueOptions } from './queue-worker.js';
import { apiRouter, type Jobs, staticRouter } from './routes.js';
import { Scheduler } from './scheduler.js';
import { openStore, type Store, type StoreSpec } from './store.js';
import { watchStore } from './store-watch.js';
import { Uploads } from './uploads.js';
import { defaultPoolSize, WorkerPool } from './worker-pool.js';

/** Every option defaults to SERVER_DEFAULTS (defaults.ts), the one place defaults are written. */
export interface ServerOptions {
  /** TCP port; 0 picks a free one. */
  port?: number;
  /** Interface to listen on. Anything but loopback requires a token. */
  host?: string;
  /** Folder of the SQLite store (the default store). */
  dataDir?: string;
  /** A PostgreSQL URL (postgres://...): the team store, shared with other instances; replaces dataDir. */
  storeUrl?: string;
  /**
   * The PostgreSQL of the job queue and event bus (usually the store's URL). Set: this instance
   * ingests, stores and pushes; `mphate worker` processes compute; dashboards here see every
   * instance's sessions.
   */
  queueUrl?: string;
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
  /** Embedding worker threads. Default: cores - 1, at least 1. Refused with queueUrl (nothing is computed here). */
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
  /** The in-process scheduler, or the queue's requests with a queue. */
  scheduler: Jobs;
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
  const spec: StoreSpec = options.storeUrl ? { url: options.storeUrl } : { dataDir };
  if (options.queueUrl && !options.storeUrl)
    throw new MphateError('a queue needs the PostgreSQL store (--store) that its workers share', 'invalid');
  if (options.queueUrl && options.workers !== undefined)
    throw new MphateError(
      'workers (embedding threads) with a queue: this instance computes nothing, `mphate worker` processes do (give them --workers)',
      'invalid',
    );
  const jobDeadline = options.jobDeadline ?? { baseMs: D.jobBaseDeadlineMs, msPerWork: D.jobMsPerUnitOfWork };
  const store = await openStore(spec);
  const bus = options.queueUrl ? await EventBus.open(options.queueUrl, log) : undefined;
  const queue = options.queueUrl
    ? await JobQueue.open(options.queueUrl, queueOptions(jobDeadline), log)
    : undefined;
  const hub = new LiveHub(store, defaults, {
    maxSubscriptions: options.maxSubscriptions ?? D.maxSubscriptions,
    pingIntervalMs,
  });
  const uploads = new Uploads(
    spec,
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
  // Without a queue this process computes: worker threads, the Embedder, the fair Scheduler.
  let embedder: Embedder | undefined;
  const pool = queue
    ? undefined
    : new WorkerPool(
        options.workers ?? defaultPoolSize(),
        (id) => embedder?.lost(id),
        (message) => log(message),
      );
  embedder = pool ? new Embedder(store, pool, hub, defaults, log, limits, jobDeadline) : undefined;
  const theEmbedder = embedder;
  const embedding = options.embedding ?? true;
  const scheduler: Jobs = queue
    ? queueJobs(queue, log)
    : new Scheduler(
        (id, signal) => (embedding && theEmbedder ? theEmbedder.compute(id, signal) : Promise.resolve()),
        (id, error) => {
          // A computation cut short by close() is not a failure worth reporting.
          if (closing) return;
          log(`embedding of ${id} failed: ${error instanceof Error ? error.message : String(error)}`);
        },
        // live frames on the live workers, batches on the pool's batch worker (worker-pool.ts)
        { live: pool?.size ?? 1, batch: 1 },
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
        publish({ e: 'hello', s: id });
      },
      slice: (id, meta) => {
        publish({ e: 'slice', s: id, n: meta.slice }, { meta });
        scheduler.markDirty(id);
      },
      epoch: (id, record) => {
        publish({ e: 'epoch', s: id, n: record.index }, { record });
      },
      end: (id) => {
        log(`session ${id} finished`);
        publish({ e: 'changed', s: id });
        scheduler.markDirty(id, 'batch');
      },
      failed: (id) => {
        log(`session ${id} failed: no connection within the grace period`);
        publish({ e: 'changed', s: id });
        scheduler.markDirty(id, 'batch');
      },
    },
    log,
  );

  /**
   * What happened, to this instance's dashboards and ingest; with a queue, to every instance
   * (each reads what it pushes from the store; its own events come back through the bus too).
   */
  function publish(event: TeamEvent, local: { meta?: SliceMeta; record?: EpochRecord } = {}): void {
    if (bus) bus.publish(event);
    else void apply(event, false, local);
  }
  async function apply(
    event: TeamEvent,
    elsewhere: boolean,
    local: { meta?: SliceMeta; record?: EpochRecord } = {},
  ): Promise<void> {
    switch (event.e) {
      case 'hello':
        if (elsewhere) ingest.heardElsewhere(event.s, true);
        hub.sessionChanged(event.s);
        return;
      case 'slice': {
        if (elsewhere) ingest.heardElsewhere(event.s, false);
        const meta = local.meta ?? (await store.sliceMeta(event.s, event.n));
        if (meta) hub.logs(event.s, [logRow(meta)], []);
        return;
      }
      case 'epoch': {
        const record = local.record ?? (await store.epochRecord(event.s, event.n));
        if (record) hub.logs(event.s, [], [epochRow(record)]);
        return;
      }
      case 'changed':
        hub.sessionChanged(event.s);
        return;
      case 'deleted':
        ingest.disconnect(event.s, 'session deleted');
        hub.deleted(event.s);
        return;
      case 'list':
        hub.sessionsChanged();
        return;
      case 'alive':
        if (elsewhere) for (const id of event.s) ingest.heardElsewhere(id, false);
        return;
      case 'embedding':
        hub.embedding(event.s);
        return;
      case 'progress':
        hub.progress(event.s, event.phase, event.fraction, event.slices, event.final);
        return;
    }
  }
  bus?.on((event, own) => {
    apply(event, !own).catch(() => {});
  });
  // Each instance says which sessions it holds, so the others keep their grace timers quiet.
  const alive = bus
    ? setInterval(
        () => {
          const ids = ingest.connectedIds();
          for (let i = 0; i < ids.length; i += 100) bus.publish({ e: 'alive', s: ids.slice(i, i + 100) });
        },
        Math.min(pingIntervalMs, (options.graceMs ?? D.graceMs) / 3),
      )
    : undefined;
  alive?.unref();

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
      embedder,
      jobs: scheduler,
      notify: (event) => publish(event),
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
    await pool?.close();
    await queue?.close();
    await bus?.close();
    await uploads.close();
    await store.close();
    throw error;
  });

  // Work left by a previous run: sessions left live get their grace period, and sessions
  // finished (or imported) without a final embedding are embedded.
  await ingest.start();
  for (const session of await store.listSessions()) {
    const work = await pendingWork(store, session.id);
    if (work) scheduler.markDirty(session.id, work);
  }
  // Sessions `mphate import` writes into this SQLite store while we run (PostgreSQL instances
  // hear of every session over the bus; `mphate import` works on SQLite folders only).
  const stopWatch = await watchStore(store.kind === 'sqlite' ? store : undefined, (id) => {
    hub.sessionsChanged();
    void pendingWork(store, id).then(
      (work) => {
        if (work) scheduler.markDirty(id, work);
      },
      () => {},
    );
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
        clearInterval(alive);
        ingest.close();
        hub.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await pool?.close();
        await queue?.close();
        await bus?.close();
        await uploads.close();
        await store.close();
      })();
      return closing;
    },
  };
}

/** Embedding requests as queue jobs: computed by `mphate worker` processes, wherever they run. */
function queueJobs(queue: JobQueue, log: (message: string) => void): Jobs {
  return {
    markDirty: (id) => {
      queue.request(id).catch((error: unknown) => {
        log(
          `could not queue an embedding of ${id}: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
    },
    // A job of a deleted session finds nothing to compute.
    forget: () => {},
    idle: async (id) => {
      while (await queue.busy(id)) await new Promise((resolve) => setTimeout(resolve, 200));
    },
    close: () => {},
  };
}
