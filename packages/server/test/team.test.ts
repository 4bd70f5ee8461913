/**
 * The team deployment, as users run it (scripts/team-local.ts): a real PostgreSQL, two
 * `mphate serve --queue store` processes and `mphate worker` processes, all on loopback.
 * A session streamed into one instance is computed by the workers and reaches a dashboard on
 * the other; a worker killed with SIGKILL mid-job leaves its job to another worker; one
 * worker process runs `--workers N` jobs at once; the grace period holds across instances.
 */
import { randomUUID } from 'node:crypto';
import { Transport } from '@mphate/callback/internal';
import {
  decodeNpy,
  encodeSlice,
  type SessionDetail,
  type SessionHeader,
  type SessionSummary,
} from '@mphate/protocol';
import { startServer } from '@mphate/server';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildProcessHandle, startServe, startWorker } from '../../../scripts/team-local.js';
import {
  IngestClient,
  LiveClient,
  sessionHeader,
  sliceMeta,
  sliceOf,
  syntheticTrace,
} from './helpers/clients.js';
import { api, stopTestPostgres, tempDir, testDatabase } from './helpers/server.js';

afterAll(stopTestPostgres);

describe('team deployment: PostgreSQL store, pg-boss queue, 2 serve instances, workers', () => {
  let storeUrl: string;
  const processes: ChildProcessHandle[] = [];
  let serves: (ChildProcessHandle & { url: string })[] = [];

  beforeAll(async () => {
    storeUrl = await testDatabase();
    serves = [await startServe(storeUrl), await startServe(storeUrl)];
    processes.push(...serves);
  });
  afterAll(async () => {
    for (const p of processes) p.kill('SIGKILL');
    await Promise.all(processes.map((p) => p.exited));
  });

  it('a session streamed into instance A is embedded by a worker and pushed, with logs and progress, to a dashboard on B', async () => {
    const worker = await startWorker(storeUrl, ['--workers', '1']);
    processes.push(worker);
    const [a, b] = serves as [(typeof serves)[0], (typeof serves)[0]];
    const units = 30;
    const samples = 20;
    const slices = 8;
    const header = sessionHeader({ units, samples, mphate: { seed: 4 } });
    const trace = syntheticTrace(slices, units, samples, 9);
    const dashboard = await LiveClient.connect(b.url);
    await dashboard.waitFor((m) => m.type === 'sessions');
    const ingest = await IngestClient.connect(a.url, header);
    dashboard.subscribe(header.id);
    await dashboard.waitFor((m) => m.type === 'session' && m.session.id === header.id);
    for (let s = 0; s < slices; s++) {
      await ingest.slice(sliceMeta(s), sliceOf(trace, s, units, samples), units, samples);
      await ingest.epoch(s, { loss: 1 / (s + 1) });
    }
    await dashboard.embedding(header.id, (e) => e.slices === slices && !e.final);
    await ingest.end(slices, slices);
    const final = await dashboard.embedding(header.id, (e) => e.final);
    expect(final.slices).toBe(slices);
    expect(dashboard.inbox.messages.some((m) => m.type === 'logs' && m.session === header.id)).toBe(true);
    expect(
      dashboard.inbox.messages.some(
        (m) => m.type === 'progress' && m.session === header.id && m.phase !== 'idle',
      ),
    ).toBe(true);
    // Both instances serve the same store.
    for (const s of serves) {
      const list = (await (await api(s.url, '/api/sessions')).json()) as SessionSummary[];
      expect(list.find((x) => x.id === header.id)).toMatchObject({
        status: 'finished',
        slices,
        epochs: slices,
      });
      const detail = (await (await api(s.url, `/api/sessions/${header.id}`)).json()) as SessionDetail;
      expect(detail).toMatchObject({ embeddedSlices: slices, embeddingFinal: true });
    }
    dashboard.close();
    worker.kill('SIGKILL');
    await worker.exited;
  });

  it('a worker killed (SIGKILL) in the middle of the final batch job: another worker finishes it', {
    timeout: 300_000,
  }, async () => {
    const first = await startWorker(storeUrl, ['--workers', '1']);
    processes.push(first);
    const [a, b] = serves as [(typeof serves)[0], (typeof serves)[0]];
    const units = 100;
    const samples = 30;
    const slices = 16;
    const header = sessionHeader({ units, samples, mphate: { seed: 2 } });
    const trace = syntheticTrace(slices, units, samples, 3);
    const dashboard = await LiveClient.connect(b.url);
    await dashboard.waitFor((m) => m.type === 'sessions');
    const ingest = await IngestClient.connect(a.url, header);
    dashboard.subscribe(header.id);
    await dashboard.waitFor((m) => m.type === 'session' && m.session.id === header.id);
    for (let s = 0; s < slices; s++)
      await ingest.slice(sliceMeta(s), sliceOf(trace, s, units, samples), units, samples);
    await ingest.end(slices, 0);
    ingest.close();
    // The final batch job is running on the only worker: kill it there.
    await dashboard.waitFor(
      (m) =>
        m.type === 'progress' &&
        m.session === header.id &&
        m.final &&
        m.phase !== 'queued' &&
        m.phase !== 'idle',
      120_000,
      'the final job running',
    );
    first.kill('SIGKILL');
    await first.exited;
    const second = await startWorker(storeUrl, ['--workers', '1']);
    processes.push(second);
    const final = await dashboard
      .embedding(header.id, (e) => e.final, 120_000)
      .catch((error: unknown) => {
        throw new Error(
          `${String(error)}\nkilled worker:\n${first.output()}\nsecond worker:\n${second.output()}`,
        );
      });
    expect(final.slices).toBe(slices);
    expect(second.output()).toMatch(new RegExp(`embedded ${header.id}: ${slices} slices \\(final\\)`));
    dashboard.close();
  });

  it('serve instance A killed (SIGKILL) mid-stream: the callback goes on with B; nothing acknowledged is lost', async () => {
    const [a, b] = serves as [(typeof serves)[0], (typeof serves)[0]];
    const units = 16;
    const samples = 8;
    const header: SessionHeader = {
      id: randomUUID(),
      name: 'failover',
      createdAt: Date.now(),
      units,
      samples,
      layers: [{ name: 'dense', className: 'Dense', units, totalUnits: units }],
      every: 'epoch',
    };
    const data = (s: number) => Float32Array.from({ length: units * samples }, (_, i) => Math.sin(s + i / 7));
    const frame = (s: number) =>
      encodeSlice({
        slice: s,
        epoch: s,
        batch: null,
        step: s,
        task: null,
        time: Date.now(),
        logs: { loss: 1 / (s + 1) },
        units,
        samples,
        data: data(s),
      });
    const wsOf = (url: string) => url.replace(/^http/, 'ws').replace(/\/$/, '');
    const transport = new Transport({
      server: [wsOf(a.url), wsOf(b.url)],
      header,
      minBackoffMs: 50,
      maxBackoffMs: 500,
      warn: () => {},
    });
    for (let s = 0; s < 5; s++) transport.sendSlice(s, frame(s));
    expect(await transport.flush(30_000)).toBe(true);
    a.kill('SIGKILL');
    await a.exited;
    for (let s = 5; s < 10; s++) transport.sendSlice(s, frame(s));
    expect(await transport.flush(60_000)).toBe(true);
    expect(transport.getStats()).toMatchObject({ dropped: 0, rejected: 0 });
    transport.stop();
    const trace = decodeNpy(
      new Uint8Array(await (await api(b.url, `/api/sessions/${header.id}/trace.npy`)).arrayBuffer()),
    );
    expect(trace.shape).toEqual([10, units, samples]);
    expect(
      Array.from((trace.data as Float32Array).subarray(7 * units * samples, 8 * units * samples)),
    ).toEqual(Array.from(data(7)));
  });
});

describe('mphate worker --workers N', () => {
  it('runs N embedding jobs at once in one process (so one worker uses both cores of a 2-core machine)', {
    timeout: 240_000,
  }, async () => {
    const storeUrl = await testDatabase();
    // A serve instance in this process only asks the queue for jobs (it computes nothing).
    const server = await startServer({
      port: 0,
      host: '127.0.0.1',
      dataDir: tempDir(),
      storeUrl,
      queueUrl: storeUrl,
    });
    const units = 100;
    const samples = 30;
    const slices = 16;
    const ids: string[] = [];
    for (let k = 0; k < 2; k++) {
      const header = sessionHeader({ units, samples, mphate: { seed: k } });
      const trace = syntheticTrace(slices, units, samples, 11 + k);
      expect(await server.store.createSession(header, 'live')).toBe(true);
      for (let s = 0; s < slices; s++)
        await server.store.addSlice(
          header.id,
          sliceMeta(s),
          sliceOf(trace, s, units, samples),
          new Int16Array(units).fill(-1),
        );
      await server.store.setStatus(header.id, 'finished');
      ids.push(header.id);
    }
    // Both final jobs wait before the worker starts, so each of its two pollers takes one.
    for (const id of ids) server.scheduler.markDirty(id);
    const client = new pg.Client({ connectionString: storeUrl });
    await client.connect();
    const jobs = async () =>
      (
        await client.query(
          `SELECT singleton_key AS session, state, started_on AS start, completed_on AS end FROM pgboss.job WHERE name = 'mphate-embed'`,
        )
      ).rows as { session: string; state: string; start: Date | null; end: Date | null }[];
    const end = Date.now() + 30_000;
    while ((await jobs()).length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    const worker = await startWorker(storeUrl, ['--workers', '2']);
    try {
      expect(worker.output()).toMatch(/worker ready: 2 embedding threads/);
      for (const id of ids) await server.idle(id);
      for (const id of ids) expect(await server.store.embeddingInfo(id)).toEqual({ slices, final: true });
      const done = (await jobs()).filter((j) => j.state === 'completed');
      const [a, b] = ids.map((id) => done.find((j) => j.session === id)!);
      // One process polling with one handler (--workers 1) runs them one after the other.
      expect(a!.start! < b!.end! && b!.start! < a!.end!).toBe(true);
    } finally {
      await client.end();
      worker.kill('SIGKILL');
      await worker.exited;
      await server.close();
    }
  });
});

describe('the grace period across serve instances (--grace)', () => {
  const GRACE_S = 3;
  let storeUrl: string;
  const processes: ChildProcessHandle[] = [];
  let a: ChildProcessHandle & { url: string };
  let b: ChildProcessHandle & { url: string };
  const statusOn = async (url: string, id: string) =>
    ((await (await api(url, '/api/sessions')).json()) as SessionSummary[]).find((s) => s.id === id)?.status;

  beforeAll(async () => {
    storeUrl = await testDatabase();
    a = await startServe(storeUrl, ['--grace', String(GRACE_S)]);
    b = await startServe(storeUrl, ['--grace', String(GRACE_S)]);
    processes.push(a, b);
  });
  afterAll(async () => {
    for (const p of processes) p.kill('SIGKILL');
    await Promise.all(processes.map((p) => p.exited));
  });

  it('a callback that reconnects to the other instance within the grace period resumes its session, and stays live through a long quiet epoch', async () => {
    const units = 12;
    const samples = 6;
    const header = sessionHeader({ units, samples });
    const trace = syntheticTrace(4, units, samples, 5);
    const first = await IngestClient.connect(a.url, header);
    for (let s = 0; s < 2; s++)
      await first.slice(sliceMeta(s), sliceOf(trace, s, units, samples), units, samples);
    first.close();
    await first.closed();
    const second = await IngestClient.connect(b.url, header);
    expect(second.welcome.slices).toBe(2);
    await second.slice(sliceMeta(2), sliceOf(trace, 2, units, samples), units, samples);
    // No message for well over the grace period: A, which lost the connection, hears from B
    // that B holds the session and must not mark it failed.
    await new Promise((r) => setTimeout(r, GRACE_S * 2500));
    expect(await statusOn(a.url, header.id)).toBe('live');
    expect(await statusOn(b.url, header.id)).toBe('live');
    await second.slice(sliceMeta(3), sliceOf(trace, 3, units, samples), units, samples);
    await second.end(4, 0);
    expect(await statusOn(a.url, header.id)).toBe('finished');
    second.close();
  });

  it('a session whose instance was killed and whose callback never comes back is marked failed by the other instance', async () => {
    const units = 12;
    const samples = 6;
    const header = sessionHeader({ units, samples });
    const trace = syntheticTrace(2, units, samples, 6);
    const dashboard = await LiveClient.connect(b.url);
    const ingest = await IngestClient.connect(a.url, header);
    for (let s = 0; s < 2; s++)
      await ingest.slice(sliceMeta(s), sliceOf(trace, s, units, samples), units, samples);
    dashboard.subscribe(header.id);
    await dashboard.waitFor((m) => m.type === 'session' && m.session.id === header.id);
    a.kill('SIGKILL');
    await a.exited;
    expect(await statusOn(b.url, header.id)).toBe('live');
    // B never held the connection; it heard of the session over the bus and times it out.
    const failed = await dashboard.waitFor(
      (m) => m.type === 'session' && m.session.id === header.id && m.session.status === 'failed',
      GRACE_S * 1000 + 30_000,
      'the session marked failed',
    );
    expect(failed).toBeTruthy();
    expect(await statusOn(b.url, header.id)).toBe('failed');
    expect(b.output()).toContain(`session ${header.id} failed: no connection within the grace period`);
    dashboard.close();
  });
});
