/**
 * Test clients that speak the protocol with the `ws` package: an ingest client (what a
 * callback does) and a live client (what a dashboard does), plus synthetic sessions.
 * Reusable by the end-to-end tests at the workspace root.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  type AckMessage,
  decodeEmbedding,
  type EmbeddingMessage,
  encodeSlice,
  type IngestReply,
  type LiveTextMessage,
  PROTOCOL_VERSION,
  parseIngestReply,
  parseLiveText,
  type RejectMessage,
  type SessionHeader,
  type SliceMeta,
  type WelcomeMessage,
} from '@mphate/protocol';
import WebSocket from 'ws';

export interface Closed {
  code: number;
  reason: string;
}

/** A session header with `layers` layers splitting `units` units; overrides win. */
export function sessionHeader(overrides: Partial<SessionHeader> = {}): SessionHeader {
  const units = overrides.units ?? 24;
  const samples = overrides.samples ?? 20;
  const half = Math.floor(units / 2);
  return {
    id: randomUUID(),
    name: 'test session',
    createdAt: Date.now(),
    units,
    samples,
    layers: [
      { name: 'dense_1', className: 'Dense', units: half, totalUnits: half },
      { name: 'dense_2', className: 'Dense', units: units - half, totalUnits: units - half },
    ],
    every: 'epoch',
    mphate: { seed: 7 },
    ...overrides,
  };
}

/** Deterministic pseudo-random numbers in [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/**
 * A trace that looks like training: each unit starts at a random activation vector and drifts
 * smoothly toward a second one, so units keep their identity across slices.
 * slices x units x samples, slice-major.
 */
export function syntheticTrace(slices: number, units: number, samples: number, seed = 1): Float32Array {
  const random = rng(seed);
  const start = Float32Array.from({ length: units * samples }, () => random() * 2 - 1);
  const end = Float32Array.from({ length: units * samples }, () => random() * 2 - 1);
  const out = new Float32Array(slices * units * samples);
  for (let s = 0; s < slices; s++) {
    const f = slices > 1 ? s / (slices - 1) : 0;
    for (let i = 0; i < units * samples; i++) {
      out[s * units * samples + i] = start[i]! * (1 - f) + end[i]! * f + (random() - 0.5) * 0.05;
    }
  }
  return out;
}

/** One slice of a trace (a copy). */
export function sliceOf(trace: Float32Array, slice: number, units: number, samples: number): Float32Array {
  return trace.slice(slice * units * samples, (slice + 1) * units * samples);
}

export function sliceMeta(slice: number, overrides: Partial<SliceMeta> = {}): SliceMeta {
  return {
    slice,
    epoch: slice,
    batch: null,
    step: slice * 10,
    task: null,
    time: Date.now(),
    logs: { loss: 1 / (slice + 1), acc: slice / (slice + 1) },
    ...overrides,
  };
}

/** Slice `index` of a small deterministic trace (units x samples), different for every slice. */
export function testSliceData(index: number, units: number, samples: number): Float32Array {
  return Float32Array.from({ length: units * samples }, (_, i) => Math.sin(index * 7.1 + i * 0.37));
}

/** That slice as the binary ingest frame a callback sends. */
export function encodedTestSlice(index: number, units: number, samples: number): Uint8Array {
  return encodeSlice({ ...sliceMeta(index), units, samples, data: testSliceData(index, units, samples) });
}

/** The secret a test callback presents for a session: the same on every reconnect of that session. */
export function secretFor(id: string): string {
  return createHash('sha256').update(`test secret of ${id}`).digest('hex');
}

/** The hello message of a session (with its test secret unless another is given). */
export function hello(header: SessionHeader, secret = secretFor(header.id)): string {
  return JSON.stringify({ type: 'hello', v: PROTOCOL_VERSION, session: header, secret });
}

function wsUrl(baseUrl: string, path: string, token?: string): string {
  const url = new URL(path, baseUrl.replace(/^http/, 'ws'));
  if (token) url.searchParams.set('token', token);
  return url.toString();
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    }),
  ]);
}

/** Collects messages and lets tests wait for the first one (from now or from the start) matching a predicate. */
class Inbox<M> {
  readonly messages: M[] = [];
  /** Arrival time (Date.now()) of each message, same index (for benchmarks). */
  readonly times: number[] = [];
  private waiters: { test: (m: M) => boolean; resolve: (m: M) => void }[] = [];
  closed: Closed | undefined;
  private closeWaiters: ((c: Closed) => void)[] = [];

  push(message: M): void {
    this.messages.push(message);
    this.times.push(Date.now());
    this.waiters = this.waiters.filter((w) => {
      if (!w.test(message)) return true;
      w.resolve(message);
      return false;
    });
  }

  close(closed: Closed): void {
    this.closed = closed;
    for (const wake of this.closeWaiters.splice(0)) wake(closed);
  }

  /** Waits for a message matching `test`; `since` = index in `messages` to search from. */
  waitFor<T extends M>(
    test: (m: M) => boolean,
    timeoutMs = 60_000,
    since = 0,
    what = 'a message',
  ): Promise<T> {
    const found = this.messages.slice(since).find(test);
    if (found) return Promise.resolve(found as T);
    return withTimeout(
      new Promise<T>((resolve) => this.waiters.push({ test, resolve: resolve as (m: M) => void })),
      timeoutMs,
      what,
    );
  }

  waitClosed(timeoutMs = 30_000): Promise<Closed> {
    if (this.closed) return Promise.resolve(this.closed);
    return withTimeout(
      new Promise<Closed>((r) => this.closeWaiters.push(r)),
      timeoutMs,
      'the socket to close',
    );
  }
}

/** Resolves when the socket is open; rejects on an error or an HTTP refusal (401, 404). */
function opened(ws: WebSocket, what: string): Promise<void> {
  return withTimeout(
    new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    }),
    10_000,
    `${what} to open`,
  );
}

/** What a callback does: hello, slices, epochs, end; every reply recorded. */
export class IngestClient {
  readonly inbox = new Inbox<IngestReply>();
  welcome!: WelcomeMessage;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      this.inbox.push(parseIngestReply(data.toString()));
    });
    ws.on('close', (code, reason) => this.inbox.close({ code, reason: reason.toString() }));
    ws.on('error', () => {});
  }

  /** Opens `/ws/ingest` without saying hello (for tests of bad input). */
  static async open(
    baseUrl: string,
    token?: string,
    headers?: Record<string, string>,
  ): Promise<IngestClient> {
    const ws = new WebSocket(wsUrl(baseUrl, '/ws/ingest', token), headers ? { headers } : {});
    const client = new IngestClient(ws);
    await opened(ws, 'the ingest socket');
    return client;
  }

  /** Opens `/ws/ingest`, sends hello and waits for welcome. */
  static async connect(
    baseUrl: string,
    header: SessionHeader,
    token?: string,
    secret = secretFor(header.id),
  ): Promise<IngestClient> {
    const client = await IngestClient.open(baseUrl, token);
    client.send(hello(header, secret));
    client.welcome = await client.reply<WelcomeMessage>(
      (m) => m.type === 'welcome' || m.type === 'reject',
      'welcome',
    );
    if ((client.welcome as IngestReply).type === 'reject') {
      throw new Error(`hello refused: ${(client.welcome as unknown as RejectMessage).reason}`);
    }
    return client;
  }

  send(data: string | Uint8Array): void {
    this.ws.send(data);
  }

  reply<T extends IngestReply>(
    test: (m: IngestReply) => boolean,
    what = 'a reply',
    timeoutMs = 30_000,
  ): Promise<T> {
    return this.inbox.waitFor<T>(test, timeoutMs, 0, what);
  }

  /** Sends a slice and resolves with its ack (rejects with the reason on reject). */
  async slice(meta: SliceMeta, data: Float32Array, units: number, samples: number): Promise<AckMessage> {
    this.send(encodeSlice({ ...meta, units, samples, data }));
    return this.ackOf('slice', meta.slice);
  }

  /** Sends a slice without waiting for its ack. */
  sendSlice(meta: SliceMeta, data: Float32Array, units: number, samples: number): void {
    this.send(encodeSlice({ ...meta, units, samples, data }));
  }

  async ackOf(of: 'slice' | 'epoch' | 'end', index?: number, timeoutMs = 30_000): Promise<AckMessage> {
    const m = await this.reply(
      (r) => r.type === 'reject' || (r.type === 'ack' && r.of === of && r.index === index),
      `ack of ${of} ${index ?? ''}`,
      timeoutMs,
    );
    if (m.type === 'reject') throw new Error(`refused: ${m.reason}`);
    return m as AckMessage;
  }

  async epoch(index: number, logs: Record<string, number> = {}): Promise<AckMessage> {
    this.send(
      JSON.stringify({
        type: 'epoch',
        v: PROTOCOL_VERSION,
        index,
        epoch: index,
        task: null,
        time: Date.now(),
        logs,
      }),
    );
    return this.ackOf('epoch', index);
  }

  async end(slices: number, epochs: number): Promise<AckMessage> {
    this.send(JSON.stringify({ type: 'end', v: PROTOCOL_VERSION, slices, epochs }));
    return this.ackOf('end');
  }

  /** The first reject received. */
  rejected(timeoutMs = 30_000): Promise<RejectMessage> {
    return this.reply<RejectMessage>((m) => m.type === 'reject', 'a reject', timeoutMs);
  }

  closed(timeoutMs = 30_000): Promise<Closed> {
    return this.inbox.waitClosed(timeoutMs);
  }

  close(): void {
    this.ws.close();
  }
}

export type LiveMessage = LiveTextMessage | EmbeddingMessage;

/** What a dashboard does: list, subscribe, receive pushes. */
export class LiveClient {
  readonly inbox = new Inbox<LiveMessage>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        const buffer = data as Buffer;
        this.inbox.push(decodeEmbedding(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)));
      } else {
        this.inbox.push(parseLiveText(data.toString()));
      }
    });
    ws.on('close', (code, reason) => this.inbox.close({ code, reason: reason.toString() }));
    ws.on('error', () => {});
  }

  static async connect(
    baseUrl: string,
    token?: string,
    headers?: Record<string, string>,
  ): Promise<LiveClient> {
    const ws = new WebSocket(wsUrl(baseUrl, '/ws/live', token), headers ? { headers } : {});
    const client = new LiveClient(ws);
    await opened(ws, 'the live socket');
    return client;
  }

  subscribe(session: string): void {
    this.ws.send(JSON.stringify({ type: 'subscribe', v: PROTOCOL_VERSION, session }));
  }

  waitFor<T extends LiveMessage>(
    test: (m: LiveMessage) => boolean,
    timeoutMs = 60_000,
    what = 'a live message',
  ) {
    return this.inbox.waitFor<T>(test, timeoutMs, 0, what);
  }

  /** The first embedding frame of `session` matching `test` (e.g. covering all slices, or final). */
  embedding(
    session: string,
    test: (e: EmbeddingMessage) => boolean = () => true,
    timeoutMs = 90_000,
  ): Promise<EmbeddingMessage> {
    return this.waitFor<EmbeddingMessage>(
      (m) => m.type === 'embedding' && m.session === session && test(m),
      timeoutMs,
      `an embedding of ${session}`,
    );
  }

  embeddings(session: string): EmbeddingMessage[] {
    return this.inbox.messages.filter(
      (m): m is EmbeddingMessage => m.type === 'embedding' && m.session === session,
    );
  }

  close(): void {
    this.ws.close();
  }
}

/** Streams a whole synthetic session: hello, every slice (awaiting each ack), epochs, end. */
export async function streamSession(
  baseUrl: string,
  header: SessionHeader,
  trace: Float32Array,
  options: { token?: string; end?: boolean; intervalMs?: number } = {},
): Promise<IngestClient> {
  const client = await IngestClient.connect(baseUrl, header, options.token);
  const slices = trace.length / (header.units * header.samples);
  for (let s = 0; s < slices; s++) {
    await client.slice(
      sliceMeta(s),
      sliceOf(trace, s, header.units, header.samples),
      header.units,
      header.samples,
    );
    await client.epoch(s, { loss: 1 / (s + 1), val_loss: 1.1 / (s + 1) });
    if (options.intervalMs) await new Promise((r) => setTimeout(r, options.intervalMs));
  }
  if (options.end !== false) await client.end(slices, slices);
  return client;
}
