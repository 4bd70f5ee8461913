/**
 * A full disk is a transient fault, not a refusal: the server answers retryable, the callback's
 * transport keeps the slices and delivers them once the store can take them again. SQLite's
 * max_page_count on the server's own connection makes a real SQLITE_FULL without root.
 */
import { randomUUID } from 'node:crypto';
import { Transport } from '@mphate/callback/internal';
import { decodeNpy, type SessionHeader } from '@mphate/protocol';
import { type RunningServer, type SessionStore, startServer } from '@mphate/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodedTestSlice, testSliceData } from '../../server/test/helpers/clients.js';
import { tempDir, waitFor, wsUrl } from './helpers.js';

const UNITS = 64;
const SAMPLES = 64;

const slice = (index: number) => testSliceData(index, UNITS, SAMPLES);
const frame = (index: number) => encodedTestSlice(index, UNITS, SAMPLES);

describe('disk full while training', () => {
  let server: RunningServer;
  const data = tempDir('mphate-cb-full-');
  beforeAll(async () => {
    server = await startServer({
      port: 0,
      host: '127.0.0.1',
      dataDir: data.dir,
      workers: 1,
      embedding: false,
    });
  });
  afterAll(async () => {
    await server?.close();
    data.remove();
  });

  it('slices sent while the store is full arrive after space returns; nothing is dropped', async () => {
    const header: SessionHeader = {
      id: randomUUID(),
      name: 'disk full',
      createdAt: Date.now(),
      units: UNITS,
      samples: SAMPLES,
      layers: [{ name: 'dense', className: 'Dense', units: UNITS, totalUnits: UNITS }],
      every: 'epoch',
    };
    const warnings: string[] = [];
    const transport = new Transport({
      server: wsUrl(server.url),
      header,
      minBackoffMs: 50,
      maxBackoffMs: 200,
      warn: (m) => warnings.push(m),
    });
    for (let s = 0; s < 3; s++) transport.sendSlice(s, frame(s));
    expect(await transport.flush(20_000)).toBe(true);

    // The database may not grow by one page: the next slice cannot be stored.
    const db = (server.store as SessionStore).db;
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    for (let s = 3; s < 8; s++) transport.sendSlice(s, frame(s));
    await waitFor(() => warnings.some((w) => /cannot store messages right now/.test(w)), 20_000);
    expect(warnings.join('\n')).toMatch(/SQLITE_FULL/);
    // still full: nothing was dropped or refused, the slices wait in the queue
    await new Promise((r) => setTimeout(r, 500));
    expect(transport.getStats()).toMatchObject({ dropped: 0, rejected: 0 });
    expect(transport.getStats().pending).toBeGreaterThan(0);

    db.pragma('max_page_count = 1073741823'); // space returns
    expect(await transport.flush(30_000)).toBe(true);
    transport.stop();
    const stored = decodeNpy(
      new Uint8Array(
        await (await fetch(new URL(`/api/sessions/${header.id}/trace.npy`, server.url))).arrayBuffer(),
      ),
    );
    expect(stored.shape).toEqual([8, UNITS, SAMPLES]);
    const five = (stored.data as Float32Array).subarray(5 * UNITS * SAMPLES, 6 * UNITS * SAMPLES);
    expect(Array.from(five)).toEqual(Array.from(slice(5)));
    expect(warnings.some((w) => /refused/.test(w))).toBe(false);
  });
});
