/**
 * The comparison methods over REST (docs/api.md): `POST /sessions/:id/embed` with a `method`
 * asks for that method's embedding of the whole trace (stored beside the session's own, with
 * its four neighbourhood scores, computed in a worker); `GET /sessions/:id/methods` lists
 * them; `GET /sessions/:id/methods/:method/embedding` sends one as float32 points x 2.
 */

import { isMethodName, METHOD_NAMES, METHODS } from '@mphate/methods/registry';
import { MphateError } from '@mphate/protocol';
import type express from 'express';
import type { Embedder } from './embedder.js';
import type { WorkKind } from './scheduler.js';
import type { Store } from './store.js';
import type { SessionRow } from './store-rows.js';

/** A checked request for a method embedding. */
export interface MethodRequest {
  method: string;
  seed: number;
}

/**
 * Validates a `{ method, seed? }` body against the session (its size against the method's
 * limit, before any work); throws an 'invalid' or 'too-large' MphateError naming the problem.
 */
export function checkMethodRequest(body: Record<string, unknown>, session: SessionRow): MethodRequest {
  const { method, seed, ...rest } = body;
  const extra = Object.keys(rest);
  if (extra.length > 0)
    throw new MphateError(
      `options.${extra[0]} does not apply with a method (only method and seed)`,
      'invalid',
    );
  if (typeof method !== 'string' || !isMethodName(method))
    throw new MphateError(`options.method must be one of ${METHOD_NAMES.join(', ')}`, 'invalid');
  if (
    seed !== undefined &&
    !(Number.isInteger(seed) && (seed as number) >= 0 && (seed as number) <= 0xffff_ffff)
  )
    throw new MphateError('options.seed must be an integer from 0 to 4294967295', 'invalid');
  const info = METHODS[method];
  const points = session.slices * session.units;
  if (points > info.maxPoints)
    throw new MphateError(
      `${method} embeds at most ${info.maxPoints.toLocaleString('en-US')} points (${info.limitReason}); ` +
        `session has ${points.toLocaleString('en-US')} (${session.slices} slices x ${session.units} units)`,
      'too-large',
    );
  return { method, seed: (seed as number | undefined) ?? session.header.mphate?.seed ?? 42 };
}

/** Queues a checked method request. */
export function queueMethod(
  embedder: Embedder,
  jobs: { markDirty(id: string, kind?: WorkKind): void },
  id: string,
  request: MethodRequest,
): void {
  embedder.requestMethod(id, request.method, request.seed);
  jobs.markDirty(id, 'batch');
}

export function addMethodRoutes(
  api: express.Router,
  store: Store,
  idOf: (req: express.Request) => string,
  notFound: (id: string) => Error,
): void {
  api.get('/sessions/:id/methods', async (req, res) => {
    const id = idOf(req);
    if (!(await store.getSession(id))) throw notFound(id);
    res.json(
      (await store.listMethodEmbeddings(id)).map((m) => ({
        method: m.method,
        label: isMethodName(m.method) ? METHODS[m.method].label : m.method,
        slices: m.slices,
        seed: m.seed,
        seconds: Math.round(m.ms) / 1000,
        scores: m.scores,
        createdAt: m.createdAt,
      })),
    );
  });

  api.get('/sessions/:id/methods/:method/embedding', async (req, res) => {
    const id = idOf(req);
    const row = await store.getSession(id);
    if (!row) throw notFound(id);
    const method = String(req.params.method);
    const e = await store.getMethodEmbedding(id, method);
    if (!e) throw new MphateError(`session '${id}' has no ${method} embedding`, 'not-found');
    const c = e.coordinates;
    res
      .type('application/octet-stream')
      .set({
        'X-Mphate-Slices': String(e.slices),
        'X-Mphate-Units': String(row.units),
        'X-Mphate-Components': '2',
        'X-Mphate-Method': e.method,
      })
      .send(Buffer.from(c.buffer, c.byteOffset, c.byteLength));
  });
}
