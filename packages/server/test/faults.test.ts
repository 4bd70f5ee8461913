import { encodeSlice, encodeSnapshot, PROTOCOL_VERSION, type SessionSummary } from '@mphate/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hello,
  IngestClient,
  secretFor,
  sessionHeader,
  sliceMeta,
  sliceOf,
  syntheticTrace,
} from './helpers/clients.js';
import { api, type TestServer, testServer } from './helpers/server.js';

const UNITS = 8;
const SAMPLES = 10;

describe('bad input is refused with a reason; the server and other sessions go on', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await testServer({ maxMessageBytes: 64 * 1024, maxSessionBytes: 3 * UNITS * SAMPLES * 4 + 10 });
  });
  afterAll(async () => {
    await t.stop();
  });

  /** Opens a connection with a valid hello, sends `bad`, expects reject + close with a reason. */
  async function refused(bad: (client: IngestClient) => void, hello = true) {
    const client = hello
      ? await IngestClient.connect(t.url, sessionHeader({ units: UNITS, samples: SAMPLES }))
      : await IngestClient.open(t.url);
    bad(client);
    const reject = await client.rejected();
    const closed = await client.closed();
    expect(closed.reason.length).toBeGreaterThan(0);
    return { reject, closed };
  }

  it('refuses garbage, truncated frames, huge declared sizes, NaNs, wrong shapes, while a healthy session streams', async () => {
    const healthy = sessionHeader({ units: UNITS, samples: SAMPLES, name: 'healthy' });
    const trace = syntheticTrace(3, UNITS, SAMPLES);
    const good = await IngestClient.connect(t.url, healthy);
    await good.slice(sliceMeta(0), sliceOf(trace, 0, UNITS, SAMPLES), UNITS, SAMPLES);

    const data = sliceOf(trace, 0, UNITS, SAMPLES);
    const frame = encodeSlice({ ...sliceMeta(0), units: UNITS, samples: SAMPLES, data });

    const garbage = await refused((c) => c.send(Uint8Array.from({ length: 300 }, (_, i) => (i * 37) % 256)));
    expect(garbage.reject.reason).toMatch(/frame header/);
    expect(garbage.closed.code).toBe(1008);

    const text = await refused((c) => c.send('{not json'));
    expect(text.reject.reason).toMatch(/not valid JSON/);

    const truncated = await refused((c) => c.send(frame.subarray(0, frame.length - 7)));
    expect(truncated.reject.reason).toMatch(/truncated/);

    const hugeHeader = new Uint8Array(64);
    new DataView(hugeHeader.buffer).setUint32(0, 1 << 30, true);
    const huge = await refused((c) => c.send(hugeHeader));
    expect(huge.reject.reason).toMatch(/declares 1073741824 bytes/);

    // a well-formed header that declares a 1 GiB payload, followed by a few bytes
    const json = new TextEncoder().encode(
      JSON.stringify({
        type: 'slice',
        v: PROTOCOL_VERSION,
        ...sliceMeta(0),
        units: UNITS,
        samples: SAMPLES,
        payloadBytes: 2 ** 30,
      }),
    );
    const liar = new Uint8Array(4 + json.length + 64);
    new DataView(liar.buffer).setUint32(0, json.length, true);
    liar.set(json, 4);
    const declared = await refused((c) => c.send(liar));
    expect(declared.reject.reason).toMatch(/truncated/);

    const nan = data.slice();
    nan[3 * SAMPLES + 2] = Number.NaN;
    const nanRefused = await refused((c) =>
      c.send(encodeSlice({ ...sliceMeta(0), units: UNITS, samples: SAMPLES, data: nan })),
    );
    expect(nanRefused.reject.reason).toMatch(/non-finite activation \(NaN\) at unit 3, sample 2/);

    const shape = await refused((c) =>
      c.send(
        encodeSlice({
          ...sliceMeta(0),
          units: UNITS - 1,
          samples: SAMPLES,
          data: data.subarray(0, (UNITS - 1) * SAMPLES),
        }),
      ),
    );
    expect(shape.reject.reason).toMatch(/does not match the session's 8 x 10/);

    const early = await refused((c) => c.send(frame), false);
    expect(early.reject.reason).toMatch(/before hello/);

    const version = await refused(
      (c) =>
        c.send(JSON.stringify({ type: 'hello', v: 99, session: sessionHeader(), secret: secretFor('x') })),
      false,
    );
    expect(version.reject.reason).toMatch(/protocol version 99/);

    const badHeader = await refused((c) => c.send(hello({ ...sessionHeader(), units: 5 })), false);
    expect(badHeader.reject.reason).toMatch(/units is 5 but its layers hold 24/);

    // larger than maxMessageBytes: ws refuses it with 1009 before buffering it whole
    const big = await IngestClient.connect(t.url, sessionHeader({ units: UNITS, samples: SAMPLES }));
    big.send(new Uint8Array(100 * 1024));
    expect((await big.closed()).code).toBe(1009);

    // the healthy session was never disturbed
    await good.slice(sliceMeta(1), sliceOf(trace, 1, UNITS, SAMPLES), UNITS, SAMPLES);
    await good.end(2, 0);
    expect(good.inbox.messages.filter((m) => m.type === 'reject')).toEqual([]);
    const list = (await (await api(t.url, '/api/sessions')).json()) as SessionSummary[];
    expect(list.find((s) => s.id === healthy.id)).toMatchObject({ slices: 2, status: 'finished' });
    // refused slices were never stored
    for (const s of list) if (s.id !== healthy.id) expect(s.slices).toBe(0);
    expect((await api(t.url, '/api/health')).status).toBe(200);
    good.close();
  });

  it('acknowledges a repeated slice number again without storing it; enforces the per-session byte limit', async () => {
    const header = sessionHeader({ units: UNITS, samples: SAMPLES });
    const trace = syntheticTrace(4, UNITS, SAMPLES);
    const client = await IngestClient.connect(t.url, header);
    await client.slice(sliceMeta(0), sliceOf(trace, 0, UNITS, SAMPLES), UNITS, SAMPLES);
    await client.slice(sliceMeta(0), sliceOf(trace, 1, UNITS, SAMPLES), UNITS, SAMPLES);
    await client.slice(sliceMeta(1), sliceOf(trace, 1, UNITS, SAMPLES), UNITS, SAMPLES);
    client.close();
    // reconnect: welcome says what is stored; resending is harmless
    const again = await IngestClient.connect(t.url, header);
    expect(again.welcome.slices).toBe(2);
    await again.slice(sliceMeta(1), sliceOf(trace, 1, UNITS, SAMPLES), UNITS, SAMPLES);
    await again.slice(sliceMeta(2), sliceOf(trace, 2, UNITS, SAMPLES), UNITS, SAMPLES);
    const npy = new Uint8Array(
      await (await api(t.url, `/api/sessions/${header.id}/trace.npy`)).arrayBuffer(),
    );
    const { decodeNpy } = await import('@mphate/protocol');
    const stored = decodeNpy(npy);
    expect(stored.shape).toEqual([3, UNITS, SAMPLES]);
    // slice 0 kept its first version
    expect(
      Buffer.from(stored.data.buffer, 0, UNITS * SAMPLES * 4).equals(
        Buffer.from(sliceOf(trace, 0, UNITS, SAMPLES).buffer),
      ),
    ).toBe(true);
    // a 4th slice exceeds maxSessionBytes (3 slices + 10 bytes)
    again.sendSlice(sliceMeta(3), sliceOf(trace, 3, UNITS, SAMPLES), UNITS, SAMPLES);
    expect((await again.rejected()).reason).toMatch(/limit of \d+ bytes/);
    expect((await again.closed()).code).toBe(1009);
  });

  it('a truncated or tampered snapshot import stores nothing', async () => {
    const header = sessionHeader({ units: 4, samples: 5 });
    const trace = syntheticTrace(2, 4, 5);
    const bytes = await encodeSnapshot({
      header: {
        format: 'mphate-snapshot',
        version: 1,
        exportedAt: 0,
        session: header,
        status: 'finished',
        slices: [sliceMeta(0), sliceMeta(1)],
        epochs: [],
      },
      trace,
    });
    const before = (await (await api(t.url, '/api/sessions')).json()) as SessionSummary[];
    const truncated = await api(t.url, '/api/snapshots', {
      method: 'POST',
      body: bytes.subarray(0, bytes.length - 40),
    });
    expect(truncated.status).toBe(422);
    expect(((await truncated.json()) as { error: string }).error).toMatch(/checksum|truncated/);
    const tampered = bytes.slice();
    tampered[tampered.length - 100] ^= 0x40;
    const tamperedRes = await api(t.url, '/api/snapshots', { method: 'POST', body: tampered });
    expect(tamperedRes.status).toBe(422);
    expect(((await tamperedRes.json()) as { error: string }).error).toMatch(/checksum/);
    const after = (await (await api(t.url, '/api/sessions')).json()) as SessionSummary[];
    expect(after).toEqual(before);
    expect((await api(t.url, `/api/sessions/${header.id}`)).status).toBe(404);
    // the intact file imports
    expect((await api(t.url, '/api/snapshots', { method: 'POST', body: bytes })).status).toBe(201);
  });
});
