/**
 * The comparison methods over REST against a real server on loopback: a method re-embed is
 * computed in a worker, stored beside the session's own embedding with its four scores, and
 * served as float32; bad names, options and too-large sessions get a clear error first.
 */
import { encodeSnapshot, type Snapshot } from '@mphate/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionHeader, sliceMeta, syntheticTrace } from './helpers/clients.js';
import { api, type TestServer, testServer } from './helpers/server.js';

let t: TestServer;
beforeAll(async () => {
  t = await testServer();
});
afterAll(() => t.stop());

/** Imports a finished session with its M-PHATE embedding (so the server has nothing to do). */
async function importSession(slices: number, units: number, samples: number): Promise<string> {
  const header = sessionHeader({ units, samples });
  const snapshot: Snapshot = {
    header: {
      format: 'mphate-snapshot',
      version: 1,
      exportedAt: Date.now(),
      session: header,
      status: 'finished',
      slices: Array.from({ length: slices }, (_, s) => sliceMeta(s)),
      epochs: [],
      embedding: { slices, nComponents: 2, t: 5, landmarks: 0, final: true, mphate: { seed: 3 } },
    },
    trace: syntheticTrace(slices, units, samples, 5),
    coordinates: Float32Array.from({ length: slices * units * 2 }, (_, i) => i),
  };
  const res = await api(t.url, '/api/snapshots', { method: 'POST', body: await encodeSnapshot(snapshot) });
  expect(res.status).toBe(201);
  return header.id;
}

const post = (id: string, body: unknown) =>
  api(t.url, `/api/sessions/${id}/embed`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('POST /sessions/:id/embed with a method', () => {
  it('stores the method embedding beside the session embedding, with its scores', async () => {
    const id = await importSession(8, 20, 12);
    const res = await post(id, { method: 'pca', seed: 1 });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ id, method: 'pca', seed: 1 });
    expect((await post(id, { method: 'naive-isomap' })).status).toBe(202);
    type Listed = { method: string; slices: number; seed: number; scores: Record<string, number> };
    let listed: Listed[] = [];
    for (let i = 0; i < 600 && listed.length < 2; i++) {
      listed = (await (await api(t.url, `/api/sessions/${id}/methods`)).json()) as Listed[];
      if (listed.length < 2) await new Promise((r) => setTimeout(r, 100));
    }
    expect(listed.map((m) => m.method)).toEqual(['pca', 'naive-isomap']);
    expect(listed[1]!.seed).toBe(7); // the session's seed (its header's) when none is given
    for (const m of listed) {
      expect(m.slices).toBe(8);
      for (const key of ['intra10', 'inter10', 'intra40', 'inter40']) {
        expect(m.scores[key]).toBeGreaterThan(0);
        expect(m.scores[key]).toBeLessThanOrEqual(1);
      }
    }
    const bin = await api(t.url, `/api/sessions/${id}/methods/pca/embedding`);
    expect(bin.status).toBe(200);
    expect(bin.headers.get('x-mphate-method')).toBe('pca');
    const coords = new Float32Array(await bin.arrayBuffer());
    expect(coords.length).toBe(8 * 20 * 2);
    expect(coords.every((v) => Number.isFinite(v))).toBe(true);
    // the session's own embedding is untouched
    const own = new Float32Array(await (await api(t.url, `/api/sessions/${id}/embedding`)).arrayBuffer());
    expect(own[3]).toBe(3);
    expect((await api(t.url, `/api/sessions/${id}/methods/tsne/embedding`)).status).toBe(404);
  });

  it('refuses unknown methods, options that do not apply and sessions above the limit', async () => {
    const id = await importSession(3, 10, 4);
    const unknown = await post(id, { method: 'lle' });
    expect(unknown.status).toBe(422);
    expect(((await unknown.json()) as { error: string }).error).toMatch(
      /options.method must be one of m-phate, dm, isomap/,
    );
    const extra = await post(id, { method: 'tsne', gamma: 1 });
    expect(extra.status).toBe(422);
    expect(((await extra.json()) as { error: string }).error).toMatch(
      /options.gamma does not apply with a method/,
    );
    const big = await importSession(61, 100, 3);
    const tooLarge = await post(big, { method: 'isomap' });
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as { error: string }).error).toBe(
      'isomap embeds at most 6,000 points (dense N x N geodesic distances); session has 6,100 (61 slices x 100 units)',
    );
    expect(await (await api(t.url, `/api/sessions/${big}/methods`)).json()).toEqual([]);
  });
});
