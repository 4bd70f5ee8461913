import { rmSync } from 'node:fs';
import { decodeNpy, type SessionDetail } from '@mphate/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { type ChildServer, startChildServer } from './helpers/child.js';
import { IngestClient, sessionHeader, sliceMeta, sliceOf, syntheticTrace } from './helpers/clients.js';
import { api, tempDir } from './helpers/server.js';

const UNITS = 32;
const SAMPLES = 20;
const SLICES = 40;

describe('SIGKILL mid-stream, then restart on the same folder', () => {
  const dataDir = tempDir('mphate-crash-');
  const children: ChildServer[] = [];
  afterAll(async () => {
    for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses no acknowledged slice, keeps sessions intact, resumes; a session that never returns fails after the grace period', async () => {
    const first = await startChildServer(dataDir);
    children.push(first);
    const a = sessionHeader({ units: UNITS, samples: SAMPLES, name: 'resumes' });
    const b = sessionHeader({ units: UNITS, samples: SAMPLES, name: 'never returns' });
    const trace = syntheticTrace(SLICES, UNITS, SAMPLES, 11);
    const ca = await IngestClient.connect(first.url, a);
    const cb = await IngestClient.connect(first.url, b);
    await cb.slice(sliceMeta(0), sliceOf(trace, 0, UNITS, SAMPLES), UNITS, SAMPLES);
    await cb.slice(sliceMeta(1), sliceOf(trace, 1, UNITS, SAMPLES), UNITS, SAMPLES);
    // A few slices acknowledged one by one, then a burst in flight when the process dies.
    for (let s = 0; s < 10; s++)
      await ca.slice(sliceMeta(s), sliceOf(trace, s, UNITS, SAMPLES), UNITS, SAMPLES);
    for (let s = 10; s < 30; s++)
      ca.sendSlice(sliceMeta(s), sliceOf(trace, s, UNITS, SAMPLES), UNITS, SAMPLES);
    await ca.ackOf('slice', 14);
    first.child.kill('SIGKILL');
    await first.exited;
    await Promise.all([ca.closed(), cb.closed()]);
    const acked = new Set(
      ca.inbox.messages
        .filter((m) => m.type === 'ack' && m.of === 'slice')
        .map((m) => (m as { index: number }).index),
    );
    expect(acked.size).toBeGreaterThanOrEqual(15);

    const second = await startChildServer(dataDir, 3000);
    children.push(second);
    const detail = (await (await api(second.url, `/api/sessions/${a.id}`)).json()) as SessionDetail;
    expect(detail.status).toBe('live'); // within its grace period
    const stored = detail.logs.map((r) => r.slice);
    for (const s of acked) expect(stored).toContain(s);
    // every stored slice is intact, in order
    const npy = decodeNpy(
      new Uint8Array(await (await api(second.url, `/api/sessions/${a.id}/trace.npy`)).arrayBuffer()),
    );
    expect(npy.shape).toEqual([stored.length, UNITS, SAMPLES]);
    stored.forEach((s, i) => {
      const got = (npy.data as Float32Array).subarray(i * UNITS * SAMPLES, (i + 1) * UNITS * SAMPLES);
      expect(
        Buffer.from(got.buffer, got.byteOffset, got.byteLength).equals(
          Buffer.from(sliceOf(trace, s, UNITS, SAMPLES).buffer),
        ),
      ).toBe(true);
    });

    // the callback comes back: resends what was not acknowledged, finishes
    const resumed = await IngestClient.connect(second.url, a);
    expect(resumed.welcome.slices).toBe(stored.length);
    for (let s = 0; s < SLICES; s++) {
      if (!acked.has(s)) await resumed.slice(sliceMeta(s), sliceOf(trace, s, UNITS, SAMPLES), UNITS, SAMPLES);
    }
    await resumed.end(SLICES, 0);
    const done = (await (await api(second.url, `/api/sessions/${a.id}`)).json()) as SessionDetail;
    expect(done).toMatchObject({ status: 'finished', slices: SLICES });
    expect(done.logs.map((r) => r.slice)).toEqual(Array.from({ length: SLICES }, (_, i) => i));
    resumed.close();

    // b never reconnected: failed once the grace period (3 s) is over
    const deadline = Date.now() + 20_000;
    let status = '';
    while (Date.now() < deadline) {
      status = ((await (await api(second.url, `/api/sessions/${b.id}`)).json()) as SessionDetail).status;
      if (status === 'failed') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe('failed');
    const bDetail = (await (await api(second.url, `/api/sessions/${b.id}`)).json()) as SessionDetail;
    expect(bDetail.slices).toBe(2);
    second.child.kill('SIGTERM');
    await second.exited;
    expect(second.child.exitCode).toBe(0);
  });
});
