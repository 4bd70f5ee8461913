/**
 * PostgreSQL restarted in the middle of a stream (stopped at once, as by a crash, then
 * started again): ingest answers retryable while it is down, the callback's real transport
 * keeps the slices and resends, and after the restart every slice is stored exactly once.
 */
import { randomUUID } from 'node:crypto';
import { Transport } from '@mphate/callback/internal';
import { decodeNpy, type SessionHeader } from '@mphate/protocol';
import { type RunningServer, startServer } from '@mphate/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodedTestSlice, testSliceData } from './helpers/clients.js';
import { stopTestPostgres, tempDir, testDatabase, testPostgres } from './helpers/server.js';

const UNITS = 32;
const SAMPLES = 16;
const SLICES = 12;

const slice = (index: number) => testSliceData(index, UNITS, SAMPLES);
const frame = (index: number) => encodedTestSlice(index, UNITS, SAMPLES);

afterAll(stopTestPostgres);

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('PostgreSQL restarts during a stream', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({
      port: 0,
      host: '127.0.0.1',
      dataDir: tempDir(),
      storeUrl: await testDatabase(),
      workers: 1,
      embedding: false,
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('ingest pauses while the database is down and resumes; nothing acknowledged is lost, nothing doubled', async () => {
    const pg = await testPostgres();
    const header: SessionHeader = {
      id: randomUUID(),
      name: 'pg restart',
      createdAt: Date.now(),
      units: UNITS,
      samples: SAMPLES,
      layers: [{ name: 'dense', className: 'Dense', units: UNITS, totalUnits: UNITS }],
      every: 'epoch',
    };
    const warnings: string[] = [];
    const transport = new Transport({
      server: server.url.replace(/^http/, 'ws').replace(/\/$/, ''),
      header,
      minBackoffMs: 50,
      maxBackoffMs: 500,
      warn: (m) => warnings.push(m),
    });
    for (let s = 0; s < 4; s++) transport.sendSlice(s, frame(s));
    expect(await transport.flush(20_000)).toBe(true);
    pg.halt(); // every connection is cut; nothing answers until start()
    for (let s = 4; s < SLICES; s++) transport.sendSlice(s, frame(s));
    await waitFor(() => warnings.some((w) => /cannot store messages right now/.test(w)), 20_000);
    expect(await transport.flush(500)).toBe(false); // paused: the slices wait in the callback
    pg.start();
    expect(await transport.flush(60_000)).toBe(true);
    expect(transport.getStats()).toMatchObject({ dropped: 0, rejected: 0 });
    transport.stop();
    const response = await fetch(new URL(`/api/sessions/${header.id}/trace.npy`, server.url));
    expect(response.status).toBe(200);
    const stored = decodeNpy(new Uint8Array(await response.arrayBuffer()));
    expect(stored.shape).toEqual([SLICES, UNITS, SAMPLES]);
    for (const s of [0, 5, SLICES - 1]) {
      const got = (stored.data as Float32Array).subarray(s * UNITS * SAMPLES, (s + 1) * UNITS * SAMPLES);
      expect(Array.from(got)).toEqual(Array.from(slice(s)));
    }
    const summary = (await (await fetch(new URL('/api/sessions', server.url))).json()) as {
      slices: number;
    }[];
    expect(summary[0]).toMatchObject({ slices: SLICES });
  });
});
