/**
 * Live push to dashboards over `/ws/live` (docs/protocol.md). On connect: the session list.
 * `subscribe` -> the session's full state and its latest embedding at once, then pushes:
 * new log rows, progress, embeddings, status/name changes. The list is re-sent (coalesced to
 * at most one per 250 ms) whenever sessions change. Every push respects the socket's
 * backpressure (Peer below); idle sockets are reaped by ping (heartbeat.ts).
 *
 * The store is async: a push reads what it needs first, then hands the finished bytes to the
 * peers. Reads for one session run in order (`inOrder`), so a state never overtakes the logs
 * that came after it.
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
import type { EmbedEvents } from './embedder.js';
import { embeddingFrame } from './embedding-files.js';
import { closeWith } from './error-codes.js';
import { keepAlive } from './heartbeat.js';
import { detailOf } from './session-detail.js';
import type { Store } from './store.js';
import { type StoredEmbedding, summaryOf } from './store-rows.js';

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

export class LiveHub implements EmbedEvents {
  readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private readonly peers = new Map<WebSocket, Peer>();
  private readonly subscribers = new Map<string, Set<Peer>>();
  private listTimer: NodeJS.Timeout | undefined;
  /** After close() the store is gone: late calls (a computation finishing) do nothing. */
  private closed = false;
  /** The pending reads of each session, chained: pushes leave in the order they were asked for. */
  private readonly order = new Map<string, Promise<void>>();

  constructor(
    private readonly store: Store,
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
        if (!peer.subscribed.has(request.session) && peer.subscribed.size >= this.options.maxSubscriptions) {
          throw new MphateError(
            `a dashboard may follow at most ${this.options.maxSubscriptions} sessions at once (maxSubscriptions)`,
            'too-large',
          );
        }
        this.inOrder(request.session, () => this.subscribe(peer, request.session));
      } catch (error) {
        closeWith(ws, error);
      }
    });
    void this.listMessage().then(
      (message) => peer.push('sessions', () => message),
      () => {},
    );
  }

  /** Runs `work` after every earlier read of the session; a failed read (the store is down) only skips its push. */
  private inOrder(id: string, work: () => Promise<void>): void {
    if (this.closed) return;
    const next = (this.order.get(id) ?? Promise.resolve()).then(work).catch(() => {});
    this.order.set(id, next);
    void next.then(() => {
      if (this.order.get(id) === next) this.order.delete(id);
    });
  }

  private async subscribe(peer: Peer, id: string): Promise<void> {
    // Unknown sessions are answered, never remembered: subscribing to made-up ids costs nothing.
    const row = await this.store.getSession(id);
    if (!row) {
      peer.push(`session:${id}`, () => JSON.stringify({ type: 'deleted', v: PROTOCOL_VERSION, session: id }));
      return;
    }
    if (peer.ws.readyState !== WebSocket.OPEN || this.closed) return;
    peer.subscribed.add(id);
    let set = this.subscribers.get(id);
    if (!set) this.subscribers.set(id, (set = new Set()));
    set.add(peer);
    const state = await this.stateMessage(id);
    const frame = await this.latestFrame(id);
    peer.push(`session:${id}`, () => state);
    peer.push(`embedding:${id}`, () => frame);
  }

  private unsubscribe(peer: Peer, id: string): void {
    peer.subscribed.delete(id);
    const set = this.subscribers.get(id);
    set?.delete(peer);
    if (set?.size === 0) this.subscribers.delete(id);
  }

  private async listMessage(): Promise<string> {
    return JSON.stringify({
      type: 'sessions',
      v: PROTOCOL_VERSION,
      sessions: (await this.store.listSessions()).map(summaryOf),
    } satisfies LiveTextMessage);
  }

  /** The session's full state now, or `deleted` when it is gone. */
  private async stateMessage(id: string): Promise<string> {
    const row = await this.store.getSession(id);
    const message: LiveTextMessage = row
      ? { type: 'session', v: PROTOCOL_VERSION, session: await detailOf(this.store, row, this.defaults) }
      : { type: 'deleted', v: PROTOCOL_VERSION, session: id };
    return JSON.stringify(message);
  }

  private async latestFrame(id: string, known?: StoredEmbedding): Promise<Uint8Array | undefined> {
    const row = await this.store.getSession(id);
    if (!row) return undefined;
    const embedding = known ?? (await this.store.getEmbedding(id));
    return embedding ? embeddingFrame(this.store, row, embedding) : undefined;
  }

  private watchers(id: string): Peer[] {
    if (this.closed) return [];
    return [...(this.subscribers.get(id) ?? [])];
  }

  /** The session list changed (new session, more slices, status, name): re-send it soon. */
  sessionsChanged(): void {
    if (this.listTimer || this.closed) return;
    this.listTimer = setTimeout(() => {
      if (this.peers.size === 0) {
        this.listTimer = undefined;
        return;
      }
      // The timer stays set while the list is read: changes meanwhile are in what we read.
      void this.listMessage()
        .then((message) => {
          for (const peer of this.peers.values()) peer.push('sessions', () => message);
        })
        .catch(() => {})
        .finally(() => {
          this.listTimer = undefined;
        });
    }, LIST_INTERVAL_MS);
  }

  /** Status or name of a session changed: subscribers get its full state again. */
  sessionChanged(id: string): void {
    this.sessionsChanged();
    if (this.watchers(id).length === 0) return;
    this.inOrder(id, async () => {
      const message = await this.stateMessage(id);
      for (const peer of this.watchers(id)) peer.push(`session:${id}`, () => message);
    });
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
    this.inOrder(id, async () => {
      const peers = this.watchers(id);
      const state = peers.some((p) => p.behind) ? await this.stateMessage(id) : undefined;
      for (const peer of peers) {
        if (peer.behind && state) peer.push(`session:${id}`, () => state);
        else peer.push(`logs:${id}`, () => text);
      }
    });
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

  /** Pushes the session's new embedding (read from the store when not given); a slow dashboard gets the newest one. */
  embedding(id: string, embedding?: StoredEmbedding): void {
    if (this.watchers(id).length === 0) return;
    this.inOrder(id, async () => {
      const frame = await this.latestFrame(id, embedding);
      for (const peer of this.watchers(id)) peer.push(`embedding:${id}`, () => frame);
    });
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
