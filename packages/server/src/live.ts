/**
 * Live push to dashboards over `/ws/live` (docs/protocol.md). On connect: the session list.
 * `subscribe` -> the session's full state and its latest embedding at once, then pushes:
 * new log rows, progress, embeddings, status/name changes. The list is re-sent (coalesced to
 * at most one per 250 ms) whenever sessions change. Every push respects the socket's
 * backpressure (Peer below); idle sockets are reaped by ping (heartbeat.ts).
 */
import {
  type EpochRow,
  isUuid,
  type LiveTextMessage,
  type LogRow,
  MphateError,
  type MphateOptionsJson,
  PROTOCOL_VERSION,
  ProtocolError,
  parseLiveRequest,
} from '@mphate/protocol';
import { WebSocket, WebSocketServer } from 'ws';
import { embeddingFrame } from './embedding-files.js';
import { closeWith } from './error-codes.js';
import { keepAlive } from './heartbeat.js';
import { detailOf } from './session-detail.js';
import type { SessionStore } from './session-store.js';
import { summaryOf } from './session-store.js';

/** A dashboard with more than this waiting in its socket gets the newest of each message, not a queue. */
const MAX_BUFFERED = 1024 * 1024;
const FLUSH_MS = 50;
const LIST_INTERVAL_MS = 250;

type Make = () => string | Uint8Array | undefined;

/**
 * One dashboard connection. Pushes go out at once while its socket keeps up; once more than
 * MAX_BUFFERED bytes wait, each further push is kept under a key (the list, a session's state,
 * its embedding, its progress) and a newer push with the same key replaces it, so a slow
 * dashboard receives the newest frame of each kind when it catches up and memory stays bounded.
 */
class Peer {
  readonly subscribed = new Set<string>();
  private readonly pending = new Map<string, Make>();
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly ws: WebSocket) {}

  /** True when pushes are being held back (the dashboard reads slower than we send). */
  get behind(): boolean {
    return this.pending.size > 0 || this.ws.bufferedAmount > MAX_BUFFERED;
  }

  push(key: string, make: Make): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (!this.behind) {
      this.write(make());
      return;
    }
    this.pending.set(key, make);
    this.timer ??= setInterval(() => this.flush(), FLUSH_MS);
  }

  private flush(): void {
    if (this.ws.readyState !== WebSocket.OPEN) {
      this.stop();
      return;
    }
    for (const [key, make] of this.pending) {
      if (this.ws.bufferedAmount > MAX_BUFFERED) return;
      this.pending.delete(key);
      this.write(make());
    }
    this.stop();
  }

  private write(data: string | Uint8Array | undefined): void {
    if (data !== undefined) this.ws.send(data);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    if (this.ws.readyState !== WebSocket.OPEN) this.pending.clear();
  }
}

export class LiveHub {
  readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private readonly peers = new Map<WebSocket, Peer>();
  private readonly subscribers = new Map<string, Set<Peer>>();
  private listTimer: NodeJS.Timeout | undefined;
  /** After close() the store is gone: late calls (a computation finishing) do nothing. */
  private closed = false;

  constructor(
    private readonly store: SessionStore,
    private readonly defaults: MphateOptionsJson,
    private readonly options: { maxSubscriptions: number; pingIntervalMs: number },
  ) {
    this.wss.on('connection', (ws) => this.accept(ws));
    keepAlive(this.wss, options.pingIntervalMs);
  }

  private accept(ws: WebSocket): void {
    const peer = new Peer(ws);
    this.peers.set(ws, peer);
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      peer.stop();
      this.peers.delete(ws);
      for (const id of peer.subscribed) this.unsubscribe(peer, id);
    });
    ws.on('message', (data, isBinary) => {
      if (this.closed) return;
      try {
        if (isBinary) throw new ProtocolError('dashboards send text messages only');
        const request = parseLiveRequest(data.toString());
        if (!isUuid(request.session)) throw new ProtocolError(`${request.type}.session must be a session id`);
        if (request.type === 'unsubscribe') {
          this.unsubscribe(peer, request.session);
          return;
        }
        this.subscribe(peer, request.session);
      } catch (error) {
        closeWith(ws, error);
      }
    });
    peer.push('sessions', () => this.listMessage());
  }

  private subscribe(peer: Peer, id: string): void {
    // Unknown sessions are answered, never remembered: subscribing to made-up ids costs nothing.
    if (!this.store.getSession(id)) {
      peer.push(`session:${id}`, () => JSON.stringify({ type: 'deleted', v: PROTOCOL_VERSION, session: id }));
      return;
    }
    if (!peer.subscribed.has(id) && peer.subscribed.size >= this.options.maxSubscriptions) {
      throw new MphateError(
        `a dashboard may follow at most ${this.options.maxSubscriptions} sessions at once (maxSubscriptions)`,
        'too-large',
      );
    }
    peer.subscribed.add(id);
    let set = this.subscribers.get(id);
    if (!set) this.subscribers.set(id, (set = new Set()));
    set.add(peer);
    peer.push(`session:${id}`, () => this.stateMessage(id));
    peer.push(`embedding:${id}`, () => this.latestFrame(id));
  }

  private unsubscribe(peer: Peer, id: string): void {
    peer.subscribed.delete(id);
    const set = this.subscribers.get(id);
    set?.delete(peer);
    if (set?.size === 0) this.subscribers.delete(id);
  }

  private listMessage(): string {
    return JSON.stringify({
      type: 'sessions',
      v: PROTOCOL_VERSION,
      sessions: this.store.listSessions().map(summaryOf),
    } satisfies LiveTextMessage);
  }

  /** The session's full state now, or `deleted` when it is gone. */
  private stateMessage(id: string): string {
    const row = this.store.getSession(id);
    const message: LiveTextMessage = row
      ? { type: 'session', v: PROTOCOL_VERSION, session: detailOf(this.store, row, this.defaults) }
      : { type: 'deleted', v: PROTOCOL_VERSION, session: id };
    return JSON.stringify(message);
  }

  private latestFrame(id: string): Uint8Array | undefined {
    const row = this.store.getSession(id);
    const embedding = row && this.store.embeddingInfo(id) ? this.store.getEmbedding(id) : undefined;
    return row && embedding ? embeddingFrame(this.store, row, embedding) : undefined;
  }

  private watchers(id: string): Peer[] {
    if (this.closed) return [];
    return [...(this.subscribers.get(id) ?? [])];
  }

  /** The session list changed (new session, more slices, status, name): re-send it soon. */
  sessionsChanged(): void {
    if (this.listTimer || this.closed) return;
    this.listTimer = setTimeout(() => {
      this.listTimer = undefined;
      if (this.peers.size === 0) return;
      const message = this.listMessage();
      for (const peer of this.peers.values()) peer.push('sessions', () => message);
    }, LIST_INTERVAL_MS);
  }

  /** Status or name of a session changed: subscribers get its full state again. */
  sessionChanged(id: string): void {
    this.sessionsChanged();
    const watchers = this.watchers(id);
    if (watchers.length === 0) return;
    let message: string | undefined;
    const make = () => (message ??= this.stateMessage(id));
    for (const peer of watchers) peer.push(`session:${id}`, make);
  }

  /** New log rows. A dashboard that is behind gets the session's whole state instead (it holds every row). */
  logs(id: string, rows: LogRow[], epochRows: EpochRow[]): void {
    this.sessionsChanged();
    const watchers = this.watchers(id);
    if (watchers.length === 0) return;
    const text = JSON.stringify({
      type: 'logs',
      v: PROTOCOL_VERSION,
      session: id,
      rows,
      epochRows,
    } satisfies LiveTextMessage);
    for (const peer of watchers) {
      if (peer.behind) peer.push(`session:${id}`, () => this.stateMessage(id));
      else peer.push(`logs:${id}`, () => text);
    }
  }

  progress(id: string, phase: string, fraction: number, slices: number, final: boolean): void {
    const watchers = this.watchers(id);
    if (watchers.length === 0) return;
    const text = JSON.stringify({
      type: 'progress',
      v: PROTOCOL_VERSION,
      session: id,
      phase,
      fraction,
      slices,
      final,
    } satisfies LiveTextMessage);
    for (const peer of watchers) peer.push(`progress:${id}`, () => text);
  }

  /** Pushes an embedding frame; a slow dashboard gets the newest one when it catches up. */
  embedding(id: string, frame: () => Uint8Array): void {
    const watchers = this.watchers(id);
    if (watchers.length === 0) return;
    let bytes: Uint8Array | undefined;
    const make = () => (bytes ??= frame());
    for (const peer of watchers) peer.push(`embedding:${id}`, make);
  }

  deleted(id: string): void {
    const text = JSON.stringify({
      type: 'deleted',
      v: PROTOCOL_VERSION,
      session: id,
    } satisfies LiveTextMessage);
    for (const peer of this.watchers(id)) {
      peer.push(`session:${id}`, () => text);
      peer.subscribed.delete(id);
    }
    this.subscribers.delete(id);
    this.sessionsChanged();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.listTimer);
    for (const peer of this.peers.values()) peer.stop();
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }
}
