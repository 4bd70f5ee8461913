/**
 * The team deployment, as users run it (scripts/team-local.ts): a real PostgreSQL, two
 * `mphate serve --queue store` processes and `mphate worker` processes, all on loopback.
 * A session streamed into one instance is computed by the workers and reaches a dashboard on
 * the other; a worker killed with SIGKILL mid-job leaves its job to another worker.
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
import { api, stopTestPostgres, testDatabase } from './helpers/server.js';

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
