import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mphateCallback } from '@mphate/callback';
import { decodeSnapshot } from '@mphate/protocol';
import { type RunningServer, startServer } from '@mphate/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobs, getSession, mlp, tempDir, tf, useWasm, waitFor, wsUrl } from './helpers.js';

await useWasm();

describe('sessions over fit calls, within epochs, with other callbacks', () => {
  let server: RunningServer;
  const data = tempDir('mphate-cb-sessions-');
  beforeAll(async () => {
    server = await startServer({ port: 0, host: '127.0.0.1', dataDir: data.dir, workers: 1 });
  });
  afterAll(async () => {
    await server?.close();
    data.remove();
  });

  it('keepOpen: three fit calls with a task each are one session, slices numbered on, epochs restarting', async () => {
    const { xs, ys } = blobs(60);
    const model = mlp();
    const callback = mphateCallback({ probe: xs.slice(0, 15), server: wsUrl(server.url), keepOpen: true });
    for (const task of ['A', 'B', 'C']) {
      callback.task = task;
      await model.fit(xs, ys, { epochs: 2, batchSize: 20, callbacks: [callback] });
    }
    const id = callback.sessionId!;
    expect(await callback.flush({ timeoutMs: 20_000 })).toBe(true);
    let session = await getSession(server.url, id);
    expect(session.status).toBe('live'); // still open until close()
    expect(session.logs.map((r) => [r.slice, r.epoch, r.step, r.task])).toEqual([
      [0, 0, 3, 'A'],
      [1, 1, 6, 'A'],
      [2, 0, 9, 'B'],
      [3, 1, 12, 'B'],
      [4, 0, 15, 'C'],
      [5, 1, 18, 'C'],
    ]);
    expect(session.epochLogs.map((r) => [r.index, r.epoch, r.task])).toEqual([
      [0, 0, 'A'],
      [1, 1, 'A'],
      [2, 0, 'B'],
      [3, 1, 'B'],
      [4, 0, 'C'],
      [5, 1, 'C'],
    ]);
    expect(session.tasks).toEqual(['A', 'B', 'C']);
    expect(await callback.close({ timeoutMs: 20_000 })).toBe(true);
    session = await getSession(server.url, id);
    expect(session.status).toBe('finished');
    expect(session.epochs).toBe(6);
  });

  it("every: N batches traces within epochs with the batch's logs", async () => {
    const { xs, ys } = blobs(60);
    const model = mlp();
    const callback = mphateCallback({ probe: xs.slice(0, 15), server: wsUrl(server.url), every: 2 });
    await model.fit(xs, ys, { epochs: 2, batchSize: 20, callbacks: [callback] }); // 3 batches per epoch
    expect(await callback.flush({ timeoutMs: 20_000 })).toBe(true);
    const session = await getSession(server.url, callback.sessionId!);
    expect(session.every).toBe(2);
    expect(session.logs.map((r) => [r.slice, r.epoch, r.batch, r.step])).toEqual([
      [0, 0, 1, 2],
      [1, 1, 0, 4],
      [2, 1, 2, 6],
    ]);
    for (const row of session.logs) expect(typeof row.loss).toBe('number');
    expect(session.epochLogs).toHaveLength(2);
  });

  for (const order of ['first', 'last'] as const) {
    it(`early stopping (listed ${order}) ends the session as finished`, async () => {
      const { xs, ys } = blobs(60);
      const model = mlp();
      const callback = mphateCallback({ probe: xs.slice(0, 15), server: wsUrl(server.url) });
      // No epoch improves the loss by 1e9: training stops after the second epoch.
      const stop = tf.callbacks.earlyStopping({ monitor: 'loss', patience: 0, minDelta: 1e9 });
      const history = await model.fit(xs, ys, {
        epochs: 10,
        batchSize: 20,
        callbacks: order === 'first' ? [stop, callback] : [callback, stop],
      });
      expect(history.epoch).toHaveLength(2);
      expect(await callback.flush({ timeoutMs: 20_000 })).toBe(true);
      await waitFor(async () => (await getSession(server.url, callback.sessionId!)).status === 'finished');
      expect((await getSession(server.url, callback.sessionId!)).slices).toBe(2);
    });
  }

  it('token: sent as ?token=, from the option or MPHATE_TOKEN; without it, one warning and nothing stored', async () => {
    const guarded = await startServer({
      port: 0,
      host: '127.0.0.1',
      dataDir: join(data.dir, 'guarded'),
      token: 's3cret',
      workers: 1,
    });
    try {
      const { xs, ys } = blobs(30);
      const withToken = mphateCallback({
        probe: xs.slice(0, 10),
        server: wsUrl(guarded.url),
        token: 's3cret',
      });
      await mlp().fit(xs, ys, { epochs: 2, batchSize: 10, callbacks: [withToken] });
      expect(await withToken.flush({ timeoutMs: 20_000 })).toBe(true);
      process.env.MPHATE_TOKEN = 's3cret';
      const fromEnv = mphateCallback({ probe: xs.slice(0, 10), server: wsUrl(guarded.url) });
      await mlp().fit(xs, ys, { epochs: 2, batchSize: 10, callbacks: [fromEnv] });
      expect(await fromEnv.flush({ timeoutMs: 20_000 })).toBe(true);
      delete process.env.MPHATE_TOKEN;
      const warnings: string[] = [];
      const without = mphateCallback({
        probe: xs.slice(0, 10),
        server: wsUrl(guarded.url),
        warn: (m) => warnings.push(m),
      });
      await mlp().fit(xs, ys, { epochs: 2, batchSize: 10, callbacks: [without] });
      await waitFor(() => warnings.length > 0);
      expect(warnings[0]).toMatch(/401/);
      await without.close({ timeoutMs: 1 });
      const res = await fetch(new URL('/api/sessions', guarded.url), {
        headers: { authorization: 'Bearer s3cret' },
      });
      const ids = ((await res.json()) as { id: string }[]).map((s) => s.id).sort();
      expect(ids).toEqual([withToken.sessionId, fromEnv.sessionId].sort());
    } finally {
      delete process.env.MPHATE_TOKEN;
      await guarded.close();
    }
  });

  it('a message the server refuses is shown once with its reason and dropped; training and the rest go on', async () => {
    const { xs, ys } = blobs(30);
    // A NaN in the probe makes every slice non-finite: the server refuses each one.
    const probe = tf.concat([tf.fill([1, 8], Number.NaN), xs.slice(0, 9)]);
    const warnings: string[] = [];
    const callback = mphateCallback({ probe, server: wsUrl(server.url), warn: (m) => warnings.push(m) });
    const history = await mlp().fit(xs, ys, { epochs: 3, batchSize: 10, callbacks: [callback] });
    expect(history.epoch).toHaveLength(3);
    expect(await callback.flush({ timeoutMs: 30_000 })).toBe(true); // nothing left to resend
    const refused = warnings.filter((w) => w.includes('refused'));
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatch(/the server refused slice.*non-finite activation/);
    expect(callback.tracer!.delivery!.rejected).toBe(3);
    const session = await getSession(server.url, callback.sessionId!);
    expect(session.slices).toBe(0);
    expect(session.epochLogs.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(session.status).toBe('finished');
  });

  it('record: the session written to a snapshot file (temporary name, then renamed)', async () => {
    const { xs, ys } = blobs(60);
    const model = mlp();
    const file = join(data.dir, 'run.mphate');
    const callback = mphateCallback({
      probe: xs.slice(0, 15),
      probeLabels: tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2], 'int32'), 3),
      record: file, // no server given: record only
      session: 'recorded',
    });
    await model.fit(xs, ys, { epochs: 3, batchSize: 20, callbacks: [callback] });
    await callback.flush();
    const snapshot = await decodeSnapshot(new Uint8Array(await readFile(file)));
    expect(snapshot.header.status).toBe('finished');
    expect(snapshot.header.session.name).toBe('recorded');
    expect(snapshot.header.session.probeLabels).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]);
    expect(snapshot.header.slices.map((s) => s.slice)).toEqual([0, 1, 2]);
    expect(snapshot.header.epochs).toHaveLength(3);
    expect(snapshot.trace.length).toBe(3 * 32 * 15);
    expect(callback.tracer!.delivery).toBeNull(); // nothing streamed
    // The file imports into the server as a session of its own.
    const res = await fetch(new URL('/api/snapshots', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: await readFile(file),
    });
    expect(res.status).toBeLessThan(300);
  });
});
