import {
  decodeNpy,
  decodeSnapshot,
  encodeSnapshot,
  formatFloat32,
  type SessionDetail,
  type SessionSummary,
  type Snapshot,
} from '@mphate/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IngestClient,
  LiveClient,
  sessionHeader,
  sliceMeta,
  sliceOf,
  syntheticTrace,
} from './helpers/clients.js';
import { api, type TestServer, testServer } from './helpers/server.js';

/** A finished session with a (made-up) embedding, as a snapshot: REST works on it without embedding anything. */
async function snapshotWithEmbedding(slices: number, units: number, samples: number, nComponents: 2 | 3 = 2) {
  const header = sessionHeader({
    units,
    samples,
    name: 'from "snapshot", with comma',
    probeLabels: [0, 1, 2, 0, 1, 2],
  });
  header.layers[1]!.keptUnits = [1, 3, 5];
  header.layers[1]!.totalUnits = 8;
  const trace = syntheticTrace(slices, units, samples, 3);
  const coordinates = Float32Array.from({ length: slices * units * nComponents }, (_, i) => i / 10);
  const snapshot: Snapshot = {
    header: {
      format: 'mphate-snapshot',
      version: 1,
      exportedAt: Date.now(),
      session: header,
      status: 'finished',
      slices: Array.from({ length: slices }, (_, s) => sliceMeta(s, { task: s < 2 ? 'A' : 'B' })),
      epochs: [{ index: 0, epoch: 0, task: 'A', time: 1, logs: { loss: 0.5, val_loss: 0.6 } }],
      embedding: { slices, nComponents, t: 5, landmarks: 0, final: true, mphate: { seed: 3 } },
    },
    trace,
    coordinates,
  };
  return { header, trace, coordinates, bytes: await encodeSnapshot(snapshot) };
}

describe('REST contract', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await testServer();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('health, list, detail, 404s', async () => {
    expect(await (await api(t.url, '/api/health')).json()).toEqual({ ok: true, version: expect.any(String) });
    const header = sessionHeader({ units: 4, samples: 6 });
    const client = await IngestClient.connect(t.url, header);
    const trace = syntheticTrace(3, 4, 6);
    for (let s = 0; s < 3; s++) await client.slice(sliceMeta(s), sliceOf(trace, s, 4, 6), 4, 6);
    await client.epoch(0, { loss: 0.25, val_loss: 0.5 });
    const list = (await (await api(t.url, '/api/sessions')).json()) as SessionSummary[];
    const summary = list.find((s) => s.id === header.id)!;
    expect(summary).toMatchObject({ name: 'test session', status: 'live', slices: 3, epochs: 1, units: 4 });
    expect(summary.finalLogs).toEqual({ loss: 0.25, acc: 2 / 3, val_loss: 0.5 });
    const detail = (await (await api(t.url, `/api/sessions/${header.id}`)).json()) as SessionDetail;
    expect(detail.layers.map((l) => [l.name, l.units])).toEqual([
      ['dense_1', 2],
      ['dense_2', 2],
    ]);
    expect(detail.logs.map((r) => [r.slice, r.epoch, r.loss])).toEqual([
      [0, 0, 1],
      [1, 1, 0.5],
      [2, 2, 1 / 3],
    ]);
    expect(detail.epochLogs[0]).toMatchObject({ index: 0, loss: 0.25, val_loss: 0.5 });
    expect(detail.mphate).toEqual({ seed: 7 });
    expect(typeof detail.embeddedSlices).toBe('number');
    client.close();

    for (const path of [
      '/api/sessions/nope',
      '/api/sessions/nope/embedding.csv',
      '/api/sessions/nope/trace.npy',
    ]) {
      const res = await api(t.url, path);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: string }).error).toMatch(/nope/);
    }
    expect((await api(t.url, '/api/sessions/nope', { method: 'DELETE' })).status).toBe(404);
  });

  it('trace.npy round-trips through decodeNpy; csv and binary embedding; snapshot re-export', async () => {
    const { header, trace, coordinates, bytes } = await snapshotWithEmbedding(4, 6, 6);
    const res = await api(t.url, '/api/snapshots', { method: 'POST', body: bytes });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ id: header.id });
    // the same snapshot again: conflict, nothing changes
    expect((await api(t.url, '/api/snapshots', { method: 'POST', body: bytes })).status).toBe(409);

    const npy = decodeNpy(
      new Uint8Array(await (await api(t.url, `/api/sessions/${header.id}/trace.npy`)).arrayBuffer()),
    );
    expect(npy.shape).toEqual([4, 6, 6]);
    expect(npy.dtype).toBe('float32');
    expect(Buffer.from(npy.data.buffer).equals(Buffer.from(trace.buffer))).toBe(true);

    const csv = await (await api(t.url, `/api/sessions/${header.id}/embedding.csv`)).text();
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('slice,epoch,layer,unit,layerUnit,x,y');
    expect(lines).toHaveLength(1 + 4 * 6);
    expect(lines[1]).toBe(`0,0,dense_1,0,0,0,${formatFloat32(coordinates[1]!)}`);
    expect(Math.fround(Number(lines[1]!.split(',')[6]))).toBe(coordinates[1]);
    // unit 3 is the first kept unit of dense_2: its index in the layer is 1
    expect(lines[4]!.split(',').slice(0, 5)).toEqual(['0', '0', 'dense_2', '3', '1']);

    const bin = await api(t.url, `/api/sessions/${header.id}/embedding`);
    expect(bin.headers.get('x-mphate-components')).toBe('2');
    expect(Buffer.from(await bin.arrayBuffer()).equals(Buffer.from(coordinates.buffer))).toBe(true);

    const again = await decodeSnapshot(
      new Uint8Array(await (await api(t.url, `/api/sessions/${header.id}/snapshot`)).arrayBuffer()),
    );
    expect(again.header.session.id).toBe(header.id);
    expect(again.header.slices.map((s) => s.task)).toEqual(['A', 'A', 'B', 'B']);
    expect(again.header.epochs).toHaveLength(1);
    expect(Buffer.from(again.trace.buffer).equals(Buffer.from(trace.buffer))).toBe(true);
    expect(Buffer.from(again.coordinates!.buffer).equals(Buffer.from(coordinates.buffer))).toBe(true);
    const detail = (await (await api(t.url, `/api/sessions/${header.id}`)).json()) as SessionDetail;
    expect(detail).toMatchObject({
      status: 'finished',
      embeddedSlices: 4,
      embeddingFinal: true,
      tasks: ['A', 'B'],
    });
  });

  it('csv of a 3-D embedding has a z column', async () => {
    const { header, bytes } = await snapshotWithEmbedding(2, 6, 6, 3);
    expect((await api(t.url, '/api/snapshots', { method: 'POST', body: bytes })).status).toBe(201);
    const id = header.id;
    const csv = await (await api(t.url, `/api/sessions/${id}/embedding.csv`)).text();
    expect(csv.split('\n')[0]).toBe('slice,epoch,layer,unit,layerUnit,x,y,z');
  });

  it('rename and delete are pushed to dashboards; bad bodies are 400, unknown options 422', async () => {
    const { header, bytes } = await snapshotWithEmbedding(2, 6, 6);
    expect((await api(t.url, '/api/snapshots', { method: 'POST', body: bytes })).status).toBe(201);
    const live = await LiveClient.connect(t.url);
    live.subscribe(header.id);
    await live.waitFor((m) => m.type === 'session');
    const renamed = await api(t.url, `/api/sessions/${header.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'renamed' }),
    });
    expect(renamed.status).toBe(200);
    expect(((await renamed.json()) as SessionSummary).name).toBe('renamed');
    await live.waitFor((m) => m.type === 'session' && m.session.name === 'renamed');
    const bad = await api(t.url, `/api/sessions/${header.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: '{"name": 3}',
    });
    expect(bad.status).toBe(400);
    const broken = await api(t.url, `/api/sessions/${header.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: '{"name": ',
    });
    expect(broken.status).toBe(400);
    const unknown = await api(t.url, `/api/sessions/${header.id}/embed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ knn: 3 }),
    });
    expect(unknown.status).toBe(422);
    expect(((await unknown.json()) as { error: string }).error).toMatch(/knn/);

    const deleted = await api(t.url, `/api/sessions/${header.id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    await live.waitFor((m) => m.type === 'deleted' && m.session === header.id);
    expect((await api(t.url, `/api/sessions/${header.id}`)).status).toBe(404);
    live.close();
  });

  it('imports a bare .npy trace as a new finished session, with name and labels', async () => {
    const { encodeNpy } = await import('@mphate/protocol');
    const trace = syntheticTrace(3, 5, 4);
    const body = encodeNpy({ shape: [3, 5, 4], data: trace });
    const res = await api(t.url, '/api/snapshots?name=my%20run&labels=0,1,0,1', { method: 'POST', body });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const detail = (await (await api(t.url, `/api/sessions/${id}`)).json()) as SessionDetail;
    expect(detail).toMatchObject({
      name: 'my run',
      status: 'finished',
      slices: 3,
      units: 5,
      samples: 4,
      probeLabels: [0, 1, 0, 1],
    });
    const wrong = await api(t.url, '/api/snapshots', {
      method: 'POST',
      body: encodeNpy({ shape: [15, 4], data: trace.slice(0, 60) }),
    });
    expect(wrong.status).toBe(422);
    expect(((await wrong.json()) as { error: string }).error).toMatch(/shape \(slices, units, samples\)/);
    const junk = await api(t.url, '/api/snapshots', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: 'hello',
    });
    expect(junk.status).toBe(400);
  });
});

describe('REST with a token', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await testServer({ token: 's3cret', maxUploadBytes: 1000 });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('401 without the token except /api/health and static files; 413 above the upload limit', async () => {
    expect((await api(t.url, '/api/health')).status).toBe(200);
    expect((await api(t.url, '/')).status).toBe(200);
    const denied = await api(t.url, '/api/sessions');
    expect(denied.status).toBe(401);
    expect(((await denied.json()) as { error: string }).error).toMatch(/token/);
    expect((await api(t.url, '/api/sessions', { token: 'wrong' })).status).toBe(401);
    expect((await api(t.url, '/api/sessions', { token: 's3cret' })).status).toBe(200);
    await expect(LiveClient.connect(t.url)).rejects.toThrow(/401/);
    await expect(IngestClient.open(t.url)).rejects.toThrow(/401/);
    (await LiveClient.connect(t.url, 's3cret')).close();
    const big = await api(t.url, '/api/snapshots', {
      method: 'POST',
      body: new Uint8Array(5000),
      token: 's3cret',
    });
    expect(big.status).toBe(413);
  });

  it('refuses a non-loopback host without a token', async () => {
    const { startServer } = await import('@mphate/server');
    await expect(startServer({ port: 0, host: '0.0.0.0', dataDir: t.dataDir })).rejects.toThrow(
      /without a token/,
    );
  });
});
