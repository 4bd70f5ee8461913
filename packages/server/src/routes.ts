/**
 * The REST API (docs/api.md) and the static files. Errors are JSON `{ error }` with the status
 * of their kind (error-codes.ts). With a token, every /api request but /api/health needs
 * `Authorization: Bearer <token>`; static files (the dashboard, /callback.js) stay public.
 */

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  MphateError,
  type MphateOptionsJson,
  SNAPSHOT_MEDIA_TYPE,
  validateMphateOptions,
} from '@mphate/protocol';
import express, { type NextFunction, type Request, type Response } from 'express';
import { tokenMatches } from './auth.js';
import { checkCost } from './cost-model.js';
import type { CostLimits } from './defaults.js';
import { type Embedder, pendingWork } from './embedder.js';
import { embeddingCsv } from './embedding-files.js';
import { httpStatus, publicMessage } from './error-codes.js';
import type { TeamEvent } from './event-bus.js';
import { addMethodRoutes, checkMethodRequest, queueMethod } from './method-routes.js';
import type { WorkKind } from './scheduler.js';
import { sessionDetail, sessionOptions } from './session-detail.js';
import { exportSnapshot, exportTraceNpy, type NpyImportOptions, parseLabels } from './snapshots.js';
import type { Store } from './store.js';
import { summaryOf } from './store-rows.js';
import type { Uploads } from './uploads.js';

/** Where embedding computations are asked for: the in-process scheduler, or the queue. */
export interface Jobs {
  markDirty(id: string, kind?: WorkKind): void;
  forget(id: string): void;
  idle(id: string): Promise<void>;
  close(): void;
}

export interface RouteContext {
  store: Store;
  defaults: MphateOptionsJson;
  /** Undefined when jobs run on queue workers. */
  embedder: Embedder | undefined;
  jobs: Jobs;
  /** Tells every instance's dashboards and ingest (this one's only, without a team deployment). */
  notify: (event: TeamEvent) => void;
  uploads: Uploads;
  limits: CostLimits;
  token: string | undefined;
  version: string;
  log: (message: string) => void;
}

/** What a cross-site form can send (urlencoded, multipart, text/plain) is never among these. */
const UPLOAD_TYPES = ['application/octet-stream', SNAPSHOT_MEDIA_TYPE, 'application/x-npy'];
const JSON_TYPES = ['application/json'];

/** State-changing routes take only content types that need a CORS preflight from another origin. */
function requireType(types: readonly string[]) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (types.includes(type)) next();
    else
      next(
        new MphateError(
          `${req.method} /api${req.path} takes Content-Type ${types.join(' or ')}, not '${type || 'none'}'`,
          'unsupported-media-type',
        ),
      );
  };
}

function notFound(id: string): MphateError {
  return new MphateError(`no session '${id}'`, 'not-found');
}

/** The id route parameter (express 5 types it as string | string[]). */
function idOf(req: Request): string {
  const id = req.params.id;
  return Array.isArray(id) ? id.join('/') : String(id);
}

function filename(name: string, ext: string): string {
  const safe = name.replace(/[^\w.-]+/g, '_').slice(0, 80) || 'session';
  return `attachment; filename="${safe}${ext}"`;
}

export function apiRouter(ctx: RouteContext): express.Router {
  const { store, embedder, jobs, notify } = ctx;
  const api = express.Router();

  api.get('/health', (_req, res) => {
    res.json({ ok: true, version: ctx.version });
  });

  api.use((req, _res, next) => {
    if (ctx.token !== undefined && !tokenMatches(req.headers.authorization, undefined, ctx.token)) {
      next(new MphateError('missing or wrong token: send Authorization: Bearer <token>', 'unauthorized'));
      return;
    }
    next();
  });

  api.get('/sessions', async (_req, res) => {
    res.json((await store.listSessions()).map(summaryOf));
  });

  api.get('/sessions/:id', async (req, res) => {
    const detail = await sessionDetail(store, idOf(req), ctx.defaults);
    if (!detail) throw notFound(idOf(req));
    res.json(detail);
  });

  api.get('/sessions/:id/embedding.csv', async (req, res) => {
    const id = idOf(req);
    const row = await store.getSession(id);
    if (!row) throw notFound(id);
    const embedding = await store.getEmbedding(id);
    if (!embedding) throw new MphateError(`session '${id}' has no embedding yet`, 'not-found');
    res
      .type('text/csv')
      .set('Content-Disposition', filename(row.name, '.csv'))
      .send(await embeddingCsv(store, row, embedding));
  });

  api.get('/sessions/:id/embedding', async (req, res) => {
    const id = idOf(req);
    const row = await store.getSession(id);
    if (!row) throw notFound(id);
    const embedding = await store.getEmbedding(id);
    if (!embedding) throw new MphateError(`session '${id}' has no embedding yet`, 'not-found');
    const c = embedding.coordinates;
    res
      .type('application/octet-stream')
      .set({
        'X-Mphate-Slices': String(embedding.slices),
        'X-Mphate-Units': String(row.units),
        'X-Mphate-Components': String(embedding.nComponents),
        'X-Mphate-Final': String(embedding.final),
      })
      .send(Buffer.from(c.buffer, c.byteOffset, c.byteLength));
  });

  api.get('/sessions/:id/trace.npy', async (req, res) => {
    const id = idOf(req);
    const row = await store.getSession(id);
    const bytes = row && (await exportTraceNpy(store, id));
    if (!row || !bytes) throw notFound(id);
    res
      .type('application/octet-stream')
      .set('Content-Disposition', filename(row.name, '.npy'))
      .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });

  api.get('/sessions/:id/snapshot', async (req, res) => {
    const id = idOf(req);
    const row = await store.getSession(id);
    const bytes = row && (await exportSnapshot(store, id));
    if (!row || !bytes) throw notFound(id);
    res
      .type('application/vnd.mphate.snapshot')
      .set('Content-Disposition', filename(row.name, '.mphate'))
      .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });

  api.post('/snapshots', requireType(UPLOAD_TYPES), async (req: Request, res: Response) => {
    const options: NpyImportOptions = {};
    const q = req.query;
    if (typeof q.name === 'string') options.name = q.name.slice(0, 256);
    if (typeof q.labels === 'string') options.labels = parseLabels(q.labels);
    if (typeof q.classNames === 'string') options.classNames = q.classNames.split(',').slice(0, 1000);
    if (typeof q.mphate === 'string') {
      try {
        options.mphate = JSON.parse(q.mphate);
      } catch {
        throw new MphateError('mphate must be JSON M-PHATE options', 'malformed');
      }
    }
    const id = await ctx.uploads.import(req, options);
    notify({ e: 'list' });
    const work = await pendingWork(store, id);
    if (work) jobs.markDirty(id, work);
    res.status(201).json({ id });
  });

  api.patch(
    '/sessions/:id',
    requireType(JSON_TYPES),
    express.json({ limit: 16 * 1024 }),
    async (req, res) => {
      const id = idOf(req);
      const body = req.body as unknown;
      const raw = typeof body === 'object' && body !== null ? (body as { name?: unknown }).name : undefined;
      if (typeof raw !== 'string')
        throw new MphateError('the body must be JSON { "name": "..." }', 'malformed');
      const name = raw.trim();
      if (name.length === 0 || name.length > 256)
        throw new MphateError('name must have 1 to 256 characters', 'malformed');
      if (!(await store.rename(id, name))) throw notFound(id);
      notify({ e: 'changed', s: id });
      const row = await store.getSession(id);
      if (!row) throw notFound(id);
      res.json(summaryOf(row));
    },
  );

  api.delete('/sessions/:id', async (req, res) => {
    const id = idOf(req);
    if (!(await store.deleteSession(id))) throw notFound(id);
    jobs.forget(id);
    embedder?.forget(id);
    notify({ e: 'deleted', s: id });
    res.status(204).end();
  });

  api.post(
    '/sessions/:id/embed',
    requireType(JSON_TYPES),
    express.json({ limit: 16 * 1024 }),
    async (req, res) => {
      const id = idOf(req);
      const session = await store.getSession(id);
      if (!session) throw notFound(id);
      if (session.status === 'live') {
        throw new MphateError(`session '${id}' is live; re-embed it after it ends`, 'conflict');
      }
      if (session.slices === 0) throw new MphateError(`session '${id}' has no slices to embed`, 'conflict');
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (typeof body === 'object' && body !== null && 'method' in body) {
        const checked = checkMethodRequest(body, session);
        if (!embedder)
          throw new MphateError(
            'comparison methods run in a single-process server (mphate serve without --queue)',
            'unavailable',
          );
        // the cost model estimates M-PHATE on the session; the methods are bounded by it too
        checkCost(ctx.limits, {
          units: session.units,
          samples: session.header.samples,
          slices: session.slices,
          options: sessionOptions(session.header, ctx.defaults),
        });
        queueMethod(embedder, jobs, id, checked);
        res.status(202).json({ id, method: checked.method, seed: checked.seed });
        return;
      }
      const options = validateMphateOptions(req.body ?? {}, 'options');
      const merged = { ...sessionOptions(session.header, ctx.defaults), ...options };
      checkCost(ctx.limits, {
        units: session.units,
        samples: session.header.samples,
        slices: session.slices,
        options: merged,
      });
      await store.requestReembed(id, options);
      jobs.markDirty(id, 'batch');
      res.status(202).json({ id, mphate: merged });
    },
  );

  addMethodRoutes(api, store, idOf, notFound);

  api.use((req, _res, next) => {
    next(new MphateError(`no route ${req.method} /api${req.path}`, 'not-found'));
  });

  api.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const known = fromBodyParser(error) ?? error;
    const status = httpStatus(known);
    if (status === 500) ctx.log(`${req.method} ${req.originalUrl} failed: ${describe(error)}`);
    res.status(status).json({ error: publicMessage(known) });
  });
  return api;
}

/** body-parser's own errors (too large, not JSON) in our kinds. */
function fromBodyParser(error: unknown): MphateError | undefined {
  const e = error as { type?: string; limit?: number } | undefined;
  if (e?.type === 'entity.too.large')
    return new MphateError(`the request body exceeds the limit of ${e.limit} bytes`, 'too-large');
  if (e?.type === 'entity.parse.failed')
    return new MphateError('the request body is not valid JSON', 'malformed');
  if ((typeof e?.type === 'string' && e.type.startsWith('entity.')) || e?.type === 'request.aborted')
    return new MphateError('the request body could not be read', 'malformed');
  return undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/** The built dashboard's folder, or undefined when it has not been built. */
export function dashboardDir(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const dir = join(dirname(require.resolve('@mphate/dashboard/package.json')), 'dist');
    return existsSync(join(dir, 'index.html')) ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** The callback's browser bundle, or undefined when it has not been built. */
export function callbackBundle(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const file = join(
      dirname(require.resolve('@mphate/callback/package.json')),
      'dist',
      'browser',
      'mphate-callback.js',
    );
    return existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>M-PHATE</title>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>M-PHATE server</h1><p>The dashboard has not been built. Run <code>pnpm build</code> in the project
folder, then reload this page. The API is up: <a href="/api/health">/api/health</a>.</p></body>`;

/** Static files: the dashboard at `/`, the callback's browser bundle at `/callback.js`. */
export function staticRouter(): express.Router {
  const router = express.Router();
  router.get('/callback.js', (_req, res) => {
    const file = callbackBundle();
    if (!file) {
      res
        .status(404)
        .type('text/plain')
        .send('the callback browser bundle is not built: run `pnpm build` (it builds @mphate/callback)\n');
      return;
    }
    // dotfiles: installed packages live under node_modules/.pnpm, which send() would refuse.
    // Public and static: pages on other origins may import it.
    res.set('Access-Control-Allow-Origin', '*');
    res.type('text/javascript').sendFile(file, { dotfiles: 'allow' });
  });
  const dir = dashboardDir();
  if (dir) {
    router.use(express.static(dir, { index: 'index.html' }));
  } else {
    router.get('/', (_req, res) => {
      res.type('html').send(NOT_BUILT);
    });
  }
  return router;
}
