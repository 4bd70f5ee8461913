/**
 * The hostile-peer suite: one test per probe of docs/api.md "Security" (and the issue that
 * found them), against a real server on loopback with a real SQLite file. Each probe is refused
 * with its reason, or bounded (the cost probes: memory growth asserted, /api/health latency
 * reported and held to a liveness bound generous enough never to flake). A healthy session on
 * another connection keeps streaming throughout and nothing stored is lost.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import {
  encodeNpy,
  encodeSnapshot,
  PROTOCOL_VERSION,
  type SessionSummary,
  type SliceMeta,
} from '@mphate/protocol';
import { startServer } from '@mphate/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hello,
  IngestClient,
  LiveClient,
  sessionHeader,
  sliceMeta,
  sliceOf,
  streamSession,
  syntheticTrace,
} from './helpers/clients.js';
import { healthLatency, raw, watchHealth } from './helpers/raw-http.js';
import { api, type TestServer, tempDir, testServer } from './helpers/server.js';

const UNITS = 8;
const SAMPLES = 10;
const MiB = 2 ** 20;
const report: string[] = [];

async function snapshotBytes(slices: number, units: number, samples: number, epochs = 0) {
  const header = sessionHeader({ units, samples });
  const metas: SliceMeta[] = Array.from({ length: slices }, (_, s) => sliceMeta(s));
  const bytes = await encodeSnapshot({
    header: {
      format: 'mphate-snapshot',
      version: 1,
      exportedAt: 0,
      session: header,
      status: 'finished',
      slices: metas,
      epochs: Array.from({ length: epochs }, (_, i) => ({
        index: i,
        epoch: i,
        task: null,
        time: 0,
        logs: {},
      })),
    },
    trace: syntheticTrace(slices, units, samples),
  });
  return { header, bytes };
}

async function sessions(url: string): Promise<SessionSummary[]> {
  return (await (await api(url, '/api/sessions')).json()) as SessionSummary[];
}

describe('hostile peers against the default server (loopback, no token)', () => {
  let t: TestServer;
  let healthy: IngestClient;
  const healthyHeader = sessionHeader({ units: UNITS, samples: SAMPLES, name: 'healthy' });
  const healthyTrace = syntheticTrace(40, UNITS, SAMPLES);
  let healthySlices = 0;
  const logLines: string[] = [];

  /** The healthy session sends its next slice and gets it acknowledged. */
  async function healthyStillStreams() {
    const s = healthySlices++;
    await healthy.slice(sliceMeta(s), sliceOf(healthyTrace, s, UNITS, SAMPLES), UNITS, SAMPLES);
  }

  beforeAll(async () => {
    t = await testServer({ helloTimeoutMs: 400, embedding: false, log: (l) => logLines.push(l) });
    healthy = await IngestClient.connect(t.url, healthyHeader);
    await healthyStillStreams();
  });
  afterAll(async () => {
    // nothing already stored was lost or half-written
    const detail = (await (await api(t.url, `/api/sessions/${healthyHeader.id}`)).json()) as SessionSummary;
    expect(detail.slices).toBe(healthySlices);
    healthy.close();
    await t.stop();
    console.log(`hostile probes (loaded machine):\n  ${report.join('\n  ')}`);
  });

  it('cross-site WebSocket: a foreign Origin cannot open /ws/live or /ws/ingest; same-origin and loopback pages can', async () => {
    const evil = { Origin: 'https://evil.example' };
    await expect(LiveClient.connect(t.url, undefined, evil)).rejects.toThrow(/HTTP 403/);
    await expect(IngestClient.open(t.url, undefined, evil)).rejects.toThrow(/HTTP 403/);
    const refused = await raw(t.url, '/ws/live', {
      headers: {
        Origin: 'https://evil.example',
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
      },
    });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body).error).toMatch(/Origin 'https:\/\/evil.example'.*--allow-origin/);
    (await LiveClient.connect(t.url, undefined, { Origin: new URL(t.url).origin })).close();
    (await LiveClient.connect(t.url, undefined, { Origin: 'http://localhost:5173' })).close();
    (await LiveClient.connect(t.url)).close(); // Node clients send no Origin
    await expect(LiveClient.connect(t.url, undefined, { Origin: 'http://127.evil.example' })).rejects.toThrow(
      /403/,
    );
    report.push(
      'cross-site WebSocket: before: list, details, embeddings read and sessions written; after: 403 on upgrade',
    );
    await healthyStillStreams();
  });

  it('DNS rebinding: a foreign Host is refused on every request and upgrade; 127.0.0.0/8 addresses are loopback, 127.evil.example is not', async () => {
    const list = await raw(t.url, '/api/sessions', { headers: { Host: 'rebind.evil.example' } });
    expect(list.status).toBe(403);
    expect(JSON.parse(list.body).error).toMatch(/Host 'rebind.evil.example'.*DNS rebinding.*--allow-host/);
    const del = await raw(t.url, `/api/sessions/${healthyHeader.id}`, {
      method: 'DELETE',
      headers: { Host: 'rebind.evil.example' },
    });
    expect(del.status).toBe(403);
    expect((await raw(t.url, '/', { headers: { Host: 'rebind.evil.example' } })).status).toBe(403);
    expect((await raw(t.url, '/api/sessions', { headers: { Host: '127.evil.example' } })).status).toBe(403);
    const port = new URL(t.url).port;
    expect((await raw(t.url, '/api/sessions', { headers: { Host: `127.0.0.2:${port}` } })).status).toBe(200);
    expect((await raw(t.url, '/api/sessions', { headers: { Host: `localhost:${port}` } })).status).toBe(200);
    expect((await raw(t.url, '/api/sessions', { headers: { Host: `[::1]:${port}` } })).status).toBe(200);
    await expect(LiveClient.connect(t.url, undefined, { Host: 'rebind.evil.example' })).rejects.toThrow(
      /403/,
    );
    expect((await sessions(t.url)).some((s) => s.id === healthyHeader.id)).toBe(true);
    report.push('DNS rebinding: before: GET 200 with everything, DELETE 204; after: 403 naming --allow-host');
    await healthyStillStreams();
  });

  it('cross-site forms: text/plain (or any form type) cannot import or start a re-embed; a foreign Origin cannot either', async () => {
    const { header, bytes } = await snapshotBytes(2, 4, 5);
    const before = await sessions(t.url);
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const res = await api(t.url, '/api/snapshots', {
        method: 'POST',
        headers: { 'content-type': type },
        body: bytes,
      });
      expect(res.status).toBe(415);
      expect(((await res.json()) as { error: string }).error).toMatch(
        /takes Content-Type application\/octet-stream/,
      );
    }
    const embed = await api(t.url, `/api/sessions/${healthyHeader.id}/embed`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"t": 3}',
    });
    expect(embed.status).toBe(415);
    const foreign = await raw(t.url, '/api/snapshots', {
      method: 'POST',
      headers: { Origin: 'https://evil.example', 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    expect(foreign.status).toBe(403);
    expect(await sessions(t.url)).toEqual(before);
    expect((await api(t.url, `/api/sessions/${header.id}`)).status).toBe(404);
    report.push(
      'cross-site forms: before: text/plain import 201, re-embed 202; after: 415 (403 with a foreign Origin)',
    );
    await healthyStillStreams();
  });

  it('cost: hellos of 4,000 and 8,000 units are refused before any work, naming the limit and its flag; memory stays flat', async () => {
    const rss0 = process.memoryUsage().rss;
    for (const units of [4000, 8000, 2000]) {
      const header = sessionHeader({ units, samples: 3 });
      const client = await IngestClient.open(t.url);
      client.send(hello(header));
      const reject = await client.rejected();
      expect(reject.of).toBe('hello');
      expect(reject.reason).toMatch(new RegExp(`${units} units.*limit of 1024 units.*--max-units`));
      expect((await client.closed()).code).toBe(1009);
    }
    const grown = (process.memoryUsage().rss - rss0) / MiB;
    expect(grown).toBeLessThan(1536);
    report.push(
      `cost (4,000 / 8,000 / 2,000 units): before: +0.74 GB, +1.85 GB, 198 s of the only worker; after: refused at hello, rss +${grown.toFixed(0)} MiB`,
    );
    await healthyStillStreams();
  });

  it('cost: a forged 200,000-slice snapshot is refused by the cost model (slices, --max-slices), not by an overflow', async () => {
    const { bytes } = await snapshotBytes(200_000, 2, 3);
    const rss0 = process.memoryUsage().rss;
    const watch = watchHealth(t.url);
    const res = await api(t.url, '/api/snapshots', { method: 'POST', body: bytes });
    const latencies = await watch.stop();
    const { error } = (await res.json()) as { error: string };
    expect(res.status, error).toBe(413);
    expect(error).toMatch(/200000 slices.*limit of 1000 slices.*--max-slices/);
    const grown = (process.memoryUsage().rss - rss0) / MiB;
    report.push(
      `forged 200,000-slice snapshot (${(bytes.length / MiB).toFixed(1)} MiB): before: RangeError; after: 413 naming --max-slices, health max ${Math.max(...latencies).toFixed(0)} ms, rss +${grown.toFixed(0)} MiB`,
    );
    expect(Math.max(...latencies)).toBeLessThan(5000);
    await healthyStillStreams();
  });

  it('event loop: a 7.7 MB snapshot is imported off the event loop (health keeps answering)', async () => {
    const { header, bytes } = await snapshotBytes(100, 192, 100); // 7.7 MB of trace
    const watch = watchHealth(t.url, 20);
    const res = await api(t.url, '/api/snapshots', { method: 'POST', body: bytes });
    const latencies = await watch.stop();
    expect(res.status).toBe(201);
    expect((await sessions(t.url)).find((s) => s.id === header.id)).toMatchObject({ slices: 100 });
    const worst = Math.max(...latencies);
    report.push(
      `7.7 MB snapshot import: before: event loop blocked 5 s; after: health max ${worst.toFixed(0)} ms over ${latencies.length} probes`,
    );
    expect(worst).toBeLessThan(5000);
    await healthyStillStreams();
  });

  it('event loop: an upload over the limit is refused from its Content-Length, before its body is read', async () => {
    const small = await testServer({ maxUploadBytes: MiB });
    try {
      const res = await new Promise<number>((resolve, reject) => {
        const socket = connect(Number(new URL(small.url).port), '127.0.0.1');
        socket.on('error', reject);
        socket.write(
          `POST /api/snapshots HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nContent-Length: ${256 * MiB}\r\n\r\n`,
        );
        socket.write(new Uint8Array(1024)); // 1 KiB of the announced 256 MiB
        socket.once('data', (d) => {
          resolve(Number(/^HTTP\/1.1 (\d+)/.exec(String(d))?.[1]));
          socket.destroy();
        });
      });
      expect(res).toBe(413);
      report.push(
        'upload over the limit: before: buffered whole (1 GiB default); after: 413 from Content-Length (default 256 MiB)',
      );
    } finally {
      await small.stop();
    }
  });

  it('event loop: concurrent uploads are bounded (the next one is told to retry)', async () => {
    const one = await testServer({ maxConcurrentUploads: 1 });
    try {
      const socket = connect(Number(new URL(one.url).port), '127.0.0.1');
      socket.write(
        `POST /api/snapshots HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nContent-Length: ${MiB}\r\n\r\n`,
      );
      socket.write(new Uint8Array(1024)); // stays open, unfinished
      await new Promise((r) => setTimeout(r, 300));
      const second = await api(one.url, '/api/snapshots', { method: 'POST', body: new Uint8Array(100) });
      expect(second.status).toBe(503);
      expect(((await second.json()) as { error: string }).error).toMatch(/maxConcurrentUploads.*try again/);
      socket.destroy();
      report.push(
        'parallel uploads: before: four 256 MB uploads peaked at 1.57 GB; after: the second concurrent upload is 503 (default bound 2)',
      );
    } finally {
      await one.stop();
    }
  });

  it('event loop: 25 subscribes from a dashboard that never reads stay bounded (newest frame wins)', async () => {
    const { header, bytes } = await snapshotBytes(30, 256, 20);
    // with an embedding: each subscribe pushes the full state and the latest frame
    const snapshot = await import('@mphate/protocol').then((p) => p.decodeSnapshot(bytes));
    snapshot.header.embedding = { slices: 30, nComponents: 2, t: 3, landmarks: 0, final: true, mphate: {} };
    snapshot.coordinates = new Float32Array(30 * 256 * 2);
    const withEmbedding = await encodeSnapshot(snapshot);
    expect((await api(t.url, '/api/snapshots', { method: 'POST', body: withEmbedding })).status).toBe(201);
    const slow = await LiveClient.connect(t.url);
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause(); // never reads again
    const rss0 = process.memoryUsage().rss;
    for (let i = 0; i < 25; i++) slow.subscribe(header.id);
    for (let i = 0; i < 500; i++) slow.subscribe(header.id);
    const latencies: number[] = [];
    for (let i = 0; i < 10; i++) latencies.push(await healthLatency(t.url));
    const grown = (process.memoryUsage().rss - rss0) / MiB;
    report.push(
      `525 subscribes, dashboard never reads: before (25): health stalled 16.6 s, +800 MB; after: health max ${Math.max(...latencies).toFixed(0)} ms, rss +${grown.toFixed(0)} MiB`,
    );
    expect(Math.max(...latencies)).toBeLessThan(5000);
    expect(grown).toBeLessThan(512);
    slow.ws.terminate();
    await healthyStillStreams();
  });

  it('quotas: 64 new log keys per epoch are refused at the log-key quota, naming it', async () => {
    const header = sessionHeader({ units: UNITS, samples: SAMPLES });
    const client = await IngestClient.connect(t.url, header);
    let refused: string | undefined;
    for (let e = 0; e < 1500 && !refused; e++) {
      const logs = Object.fromEntries(Array.from({ length: 64 }, (_, k) => [`key_${e}_${k}`, k]));
      try {
        await client.epoch(e, logs);
      } catch (error) {
        refused = (error as Error).message;
      }
    }
    expect(refused).toMatch(/distinct log keys.*limit of 256 logKeys.*--max-log-keys/);
    const list = JSON.stringify(await sessions(t.url));
    expect(list.length).toBeLessThan(256 * 1024);
    report.push(
      `1,500 epochs x 64 new log keys: before: batches 3 s -> 52 s, list 11.9 MB; after: refused at epoch 5 (--max-log-keys), list ${(list.length / 1024).toFixed(0)} KiB`,
    );
    await healthyStillStreams();
  });

  it('takeover: a stranger cannot join, take over or revive a session (the secret decides)', async () => {
    const stranger = await IngestClient.open(t.url);
    stranger.send(hello(healthyHeader, 'f'.repeat(64)));
    const reject = await stranger.rejected();
    expect(reject).toMatchObject({ of: 'hello' });
    expect(reject.reason).toMatch(/belongs to another connection/);
    await healthyStillStreams(); // the owner's connection was not replaced
    // a finished session is not revived by a stranger either
    const header = sessionHeader({ units: UNITS, samples: SAMPLES });
    const owner = await streamSession(t.url, header, syntheticTrace(2, UNITS, SAMPLES));
    owner.close();
    const late = await IngestClient.open(t.url);
    late.send(hello(header, 'e'.repeat(64)));
    expect((await late.rejected()).of).toBe('hello');
    expect((await sessions(t.url)).find((s) => s.id === header.id)?.status).toBe('finished');
    // the owner itself is welcomed again (a lost ack of end)
    (await IngestClient.connect(t.url, header)).close();
    report.push(
      'takeover: before: a second hello replaced the owner, any hello revived a failed session; after: refused of hello (secret)',
    );
  });

  it('an invalid hello is refused as of hello (the callback then stops, instead of dropping slices)', async () => {
    const client = await IngestClient.open(t.url);
    client.send(hello({ ...sessionHeader(), units: 5 }));
    const reject = await client.rejected();
    expect(reject.of).toBe('hello');
    expect(reject.reason).toMatch(/units is 5/);
  });

  it('idle sockets are reaped: no hello within the deadline closes the connection', async () => {
    const idle = await IngestClient.open(t.url);
    const closed = await idle.closed(10_000);
    expect(closed.code).toBe(1008);
    expect(closed.reason).toMatch(/no hello within 400 ms/);
  });

  it('a socket that stops answering pings is dropped', async () => {
    const pinging = await testServer({ pingIntervalMs: 150 });
    try {
      const socket = connect(Number(new URL(pinging.url).port), '127.0.0.1');
      socket.write(
        'GET /ws/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
      );
      let upgraded = false;
      socket.on('data', (d) => {
        if (String(d).startsWith('HTTP/1.1 101')) upgraded = true;
      }); // reads, never answers a ping
      await new Promise<void>((resolve) => socket.once('close', () => resolve()));
      expect(upgraded).toBe(true);
    } finally {
      await pinging.stop();
    }
  });

  it('unknown-id subscribes are answered and forgotten; ids that are not UUIDs close the socket', async () => {
    const live = await LiveClient.connect(t.url);
    const heap0 = process.memoryUsage().heapUsed;
    const ids = Array.from({ length: 20_000 }, () => randomUUID());
    for (const id of ids) live.subscribe(id);
    await live.waitFor((m) => m.type === 'deleted' && m.session === ids.at(-1), 60_000);
    global.gc?.();
    const grown = (process.memoryUsage().heapUsed - heap0) / MiB;
    report.push(
      `20,000 unknown-id subscribes: before (100k): +62 MB kept; after: each answered deleted, nothing kept (heap +${grown.toFixed(0)} MiB incl. the test's own inbox)`,
    );
    live.ws.send(JSON.stringify({ type: 'subscribe', v: PROTOCOL_VERSION, session: 'x'.repeat(60) }));
    const closed = await live.inbox.waitClosed();
    expect(closed.reason).toMatch(/must be a session id/);
  });

  it('.npy imports are strict: float only, integer shapes, no trailing bytes', async () => {
    const ints = encodeNpy({ shape: [2, 3, 4], data: new Int32Array(24) });
    const intRes = await api(t.url, '/api/snapshots', { method: 'POST', body: ints });
    expect(intRes.status).toBe(422);
    expect(((await intRes.json()) as { error: string }).error).toMatch(/float32 or float64, got int32/);
    const floats = encodeNpy({ shape: [2, 3, 4], data: new Float32Array(24).fill(1) });
    const trailing = new Uint8Array(floats.length + 8);
    trailing.set(floats);
    const trailRes = await api(t.url, '/api/snapshots', { method: 'POST', body: trailing });
    expect(trailRes.status).toBe(422);
    expect(((await trailRes.json()) as { error: string }).error).toMatch(/8 bytes after the data/);
    const text = new TextDecoder().decode(floats);
    const forged = floats.slice();
    forged.set(new TextEncoder().encode("'shape': (2e0, 3, 4)"), text.indexOf("'shape': (2, 3, 4)"));
    const shapeRes = await api(t.url, '/api/snapshots', { method: 'POST', body: forged });
    expect(shapeRes.status).toBe(422);
    expect(((await shapeRes.json()) as { error: string }).error).toMatch(/bad .npy shape/);
  });

  it('pages cannot be framed: every response carries CSP frame-ancestors and X-Frame-Options', async () => {
    for (const path of ['/', '/api/health', '/api/sessions']) {
      const res = await api(t.url, path);
      expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });
});

describe('hostile peers: jobs, stores and internal errors', () => {
  it('a job past its deadline is stopped; deleting a session cancels its job; other sessions get their turn', async () => {
    const lines: string[] = [];
    const t = await testServer({ jobDeadline: { baseMs: 1, msPerWork: 0 }, log: (l) => lines.push(l) });
    try {
      const header = sessionHeader({ units: 24, samples: 20 });
      await streamSession(t.url, header, syntheticTrace(6, 24, 20));
      await t.server.idle(header.id);
      expect(lines.some((l) => /ran past its deadline of 0 s and was stopped/.test(l))).toBe(true);
      expect(await healthLatency(t.url)).toBeLessThan(5000);
    } finally {
      await t.stop();
    }
    const log2: string[] = [];
    const u = await testServer({ log: (l) => log2.push(l) });
    try {
      const big = sessionHeader({ units: 160, samples: 40, mphate: { seed: 1 } });
      const live = await LiveClient.connect(u.url);
      await streamSession(u.url, big, syntheticTrace(40, 160, 40));
      live.subscribe(big.id);
      await live.waitFor((m) => m.type === 'progress' && m.session === big.id && m.final, 60_000);
      expect((await api(u.url, `/api/sessions/${big.id}`, { method: 'DELETE' })).status).toBe(204);
      const small = sessionHeader({ units: 8, samples: 10 });
      live.subscribe(small.id);
      await streamSession(u.url, small, syntheticTrace(3, 8, 10));
      live.subscribe(small.id);
      await live.embedding(small.id, (e) => e.final, 120_000);
      expect(log2.some((l) => l.startsWith(`embedded ${big.id}`) && l.includes('(final)'))).toBe(false);
      live.close();
    } finally {
      await u.stop();
    }
  });

  it('a damaged store is reported at start with what to do', async () => {
    const dir = tempDir();
    const first = await startServer({ port: 0, dataDir: dir, workers: 1, embedding: false });
    const header = sessionHeader();
    await streamSession(first.url, header, syntheticTrace(3, header.units, header.samples));
    await first.close();
    const file = join(dir, 'mphate.sqlite');
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(file);
    for (let i = 4096; i < bytes.length; i++) bytes[i] = (i * 131) & 0xff; // every page after the first
    writeFileSync(file, bytes);
    await expect(startServer({ port: 0, dataDir: dir, workers: 1 })).rejects.toThrow(/is damaged.*\.recover/);
  });

  it('a 500 does not echo the internal message; it is logged instead', async () => {
    const lines: string[] = [];
    const t = await testServer({ log: (l) => lines.push(l), embedding: false });
    try {
      t.server.store.db.close();
      const res = await api(t.url, '/api/sessions');
      expect(res.status).toBe(500);
      const body = (await res.json()) as { error: string };
      expect(body.error).toBe('internal server error (see the server log)');
      expect(lines.some((l) => /GET \/api\/sessions failed: .*database connection is not open/.test(l))).toBe(
        true,
      );
    } finally {
      await t.stop();
    }
  });
});
