/**
 * Live push to dashboards over `/ws/live` (docs/protocol.md). On connect: the session list.
 * `subscribe` -> the session's full state and its latest embedding at once, then pushes:
 * new log rows, progress, embeddings, status/name changes. The list is re-sent (coalesced to
 * at most one per 250 ms) whenever sessions change.
 */
import {
  type EpochRow,
  type LiveTextMessage,
  type LogRow,
  type MphateOptionsJson,
  PROTOCOL_VERSION,
  ProtocolError,
  parseLiveRequest,
} from '@mphate/protocol';
import { WebSocket, WebSocketServer } from 'ws';
import { embeddingFrame } from './embedding-files.js';
import { closeWith } from './error-codes.js';
import { detailOf } from './session-detail.js';
import type { SessionStore } from './session-store.js';
import { summaryOf } from './session-store.js';

/** A dashboard further behind than this skips intermediate embedding frames (the next one supersedes). */
const MAX_BUFFERED = 16 * 1024 * 1024;
const LIST_INTERVAL_MS = 250;

export class LiveHub {
  readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private readonly subscribers = new Map<string, Set<WebSocket>>();
  private listTimer: NodeJS.Timeout | undefined;
  /** After close() the store is gone: late calls (a computation finishing) do nothing. */
  private closed = false;

  constructor(
    private readonly store: SessionStore,
    private readonly defaults: MphateOptionsJson,
  ) {
    this.wss.on('connection', (ws) => this.accept(ws));
  }

  private accept(ws: WebSocket): void {
    const subscribed = new Set<string>();
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      for (const id of subscribed) this.subscribers.get(id)?.delete(ws);
    });
    ws.on('message', (data, isBinary) => {
      if (this.closed) return;
      try {
        if (isBinary) throw new ProtocolError('dashboards send text messages only');
        const request = parseLiveRequest(data.toString());
        if (request.type === 'unsubscribe') {
          subscribed.delete(request.session);
          this.subscribers.get(request.session)?.delete(ws);
          return;
        }
        subscribed.add(request.session);
        let set = this.subscribers.get(request.session);
        if (!set) this.subscribers.set(request.session, (set = new Set()));
        set.add(ws);
        this.sendState(ws, request.session);
      } catch (error) {
        closeWith(ws, error);
      }
    });
    send(ws, { type: 'sessions', v: PROTOCOL_VERSION, sessions: this.store.listSessions().map(summaryOf) });
  }

  private sendState(ws: WebSocket, id: string): void {
    const row = this.store.getSession(id);
    if (!row) {
      send(ws, { type: 'deleted', v: PROTOCOL_VERSION, session: id });
      return;
    }
    send(ws, { type: 'session', v: PROTOCOL_VERSION, session: detailOf(this.store, row, this.defaults) });
    const embedding = this.store.getEmbedding(id);
    if (embedding) ws.send(embeddingFrame(this.store, row, embedding));
  }

  private watchers(id: string): WebSocket[] {
    if (this.closed) return [];
    return [...(this.subscribers.get(id) ?? [])].filter((ws) => ws.readyState === WebSocket.OPEN);
  }

  /** The session list changed (new session, more slices, status, name): re-send it soon. */
  sessionsChanged(): void {
    if (this.listTimer || this.closed) return;
    this.listTimer = setTimeout(() => {
      this.listTimer = undefined;
      if (this.wss.clients.size === 0) return;
      const message = JSON.stringify({
        type: 'sessions',
        v: PROTOCOL_VERSION,
        sessions: this.store.listSessions().map(summaryOf),
      } satisfies LiveTextMessage);
      for (const ws of this.wss.clients) if (ws.readyState === WebSocket.OPEN) ws.send(message);
    }, LIST_INTERVAL_MS);
  }

  /** Status or name of a session changed: subscribers get its full state again. */
  sessionChanged(id: string): void {
    this.sessionsChanged();
    const watchers = this.watchers(id);
    if (watchers.length === 0) return;
    const row = this.store.getSession(id);
    if (!row) return;
    const message = JSON.stringify({
      type: 'session',
      v: PROTOCOL_VERSION,
      session: detailOf(this.store, row, this.defaults),
    } satisfies LiveTextMessage);
    for (const ws of watchers) ws.send(message);
  }

  logs(id: string, rows: LogRow[], epochRows: EpochRow[]): void {
    this.sessionsChanged();
    this.broadcast(id, { type: 'logs', v: PROTOCOL_VERSION, session: id, rows, epochRows });
  }

  progress(id: string, phase: string, fraction: number, slices: number, final: boolean): void {
    this.broadcast(id, {
      type: 'progress',
      v: PROTOCOL_VERSION,
      session: id,
      phase,
      fraction,
      slices,
      final,
    });
  }

  /** Pushes an embedding frame. Slow dashboards skip non-final frames rather than queue them. */
  embedding(id: string, frame: Uint8Array | (() => Uint8Array), final: boolean): void {
    const watchers = this.watchers(id);
    if (watchers.length === 0) return;
    const bytes = typeof frame === 'function' ? frame() : frame;
    for (const ws of watchers) {
      if (!final && ws.bufferedAmount > MAX_BUFFERED) continue;
      ws.send(bytes);
    }
  }

  deleted(id: string): void {
    this.broadcast(id, { type: 'deleted', v: PROTOCOL_VERSION, session: id });
    this.subscribers.delete(id);
    this.sessionsChanged();
  }

  private broadcast(id: string, message: LiveTextMessage): void {
    const watchers = this.watchers(id);
    if (watchers.length === 0) return;
    const text = JSON.stringify(message);
    for (const ws of watchers) ws.send(text);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.listTimer);
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }
}

function send(ws: WebSocket, message: LiveTextMessage): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
}
