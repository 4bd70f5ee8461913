/**
 * Ingest over `/ws/ingest` (docs/protocol.md, delivery rules in docs/architecture.md):
 * hello -> welcome; each slice, epoch and end is validated, committed, then acknowledged.
 * A number already stored is acknowledged again without storing. Bad input: `reject` with the
 * reason, then close 1008 (policy) or 1009 (too big). Messages above `maxMessageBytes` are
 * refused by ws itself (1009) before they are buffered whole.
 *
 * Presence: a session whose connection drops without `end` and does not come back within the
 * grace period is marked failed, also for sessions found live when the server starts.
 */
import {
  decodeSlice,
  type EpochRecord,
  errorKind,
  type IngestReply,
  MphateError,
  PROTOCOL_VERSION,
  ProtocolError,
  parseIngestText,
  type RejectMessage,
  type SessionHeader,
  type SliceMeta,
} from '@mphate/protocol';
import { type WebSocket, WebSocketServer } from 'ws';
import { activeClasses } from './active-class.js';
import { closeCode, closeReason, closeWith, publicMessage } from './error-codes.js';
import type { SessionStore } from './session-store.js';

export interface IngestLimits {
  /** Largest single WebSocket message, bytes. */
  maxMessageBytes: number;
  /** Largest total of slice data one session may store, bytes. */
  maxSessionBytes: number;
}

export interface IngestEvents {
  /** A session was created or re-opened by a hello. */
  hello(id: string, created: boolean): void;
  slice(id: string, meta: SliceMeta): void;
  epoch(id: string, record: EpochRecord): void;
  end(id: string): void;
  /** A session's status changed to failed (grace period over). */
  failed(id: string): void;
}

export class IngestHandler {
  readonly wss: WebSocketServer;
  private readonly connections = new Map<string, WebSocket>();
  private readonly graceTimers = new Map<string, NodeJS.Timeout>();
  /** After close() the store is gone: late socket events are ignored. */
  private closed = false;

  constructor(
    private readonly store: SessionStore,
    private readonly limits: IngestLimits,
    private readonly graceMs: number,
    private readonly events: IngestEvents,
    private readonly log: (message: string) => void,
  ) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes });
    this.wss.on('connection', (ws) => this.accept(ws));
    // Sessions left live by a previous run get the same grace period as a dropped connection.
    for (const session of store.listSessions()) if (session.status === 'live') this.startGrace(session.id);
  }

  private accept(ws: WebSocket): void {
    let header: SessionHeader | undefined;
    let lastOf: RejectMessage['of'] = 'frame';
    let lastIndex: number | undefined;
    const reply = (message: IngestReply) => ws.send(JSON.stringify(message));
    const refuse = (error: unknown) => {
      const reason = publicMessage(error);
      const reject: RejectMessage = { type: 'reject', v: PROTOCOL_VERSION, of: lastOf, reason };
      if (lastIndex !== undefined) reject.index = lastIndex;
      reply(reject);
      ws.close(closeCode(error), closeReason(reason));
    };

    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      if (this.closed) return;
      if (header && this.connections.get(header.id) === ws) {
        this.connections.delete(header.id);
        if (this.store.getSession(header.id)?.status === 'live') this.startGrace(header.id);
      }
    });
    ws.on('message', (data, isBinary) => {
      if (this.closed || ws.readyState !== ws.OPEN) return; // refused already: ignore what was in flight
      const bytes = toBytes(data);
      lastOf = 'frame';
      lastIndex = undefined;
      try {
        if (isBinary) {
          if (!header) throw new ProtocolError('a slice arrived before hello');
          lastOf = 'slice';
          this.onSlice(header, bytes, reply);
          return;
        }
        const message = parseIngestText(Buffer.from(bytes).toString('utf8'));
        lastOf = message.type;
        if (message.type === 'hello') {
          if (header) throw new ProtocolError('hello was already received on this connection');
          header = this.onHello(message.session, ws);
          const session = this.store.getSession(header.id)!;
          reply({
            type: 'welcome',
            v: PROTOCOL_VERSION,
            session: header.id,
            slices: session.slices,
            epochs: session.epochs,
          });
          return;
        }
        if (!header) throw new ProtocolError(`${message.type} arrived before hello`);
        if (message.type === 'epoch') {
          lastIndex = message.index;
          const { type: _t, v: _v, ...record } = message;
          if (this.store.addEpoch(header.id, record)) this.events.epoch(header.id, record);
          reply({ type: 'ack', v: PROTOCOL_VERSION, of: 'epoch', index: message.index });
          return;
        }
        // end
        const session = this.store.getSession(header.id);
        if (session && session.status !== 'finished') {
          this.store.setStatus(header.id, 'finished');
          this.events.end(header.id);
        }
        reply({ type: 'ack', v: PROTOCOL_VERSION, of: 'end' });
      } catch (error) {
        // A store failure was not committed, so it is not acknowledged; the reason stays in our log.
        if (!errorKind(error))
          this.log(`ingest failed: ${error instanceof Error ? error.stack : String(error)}`);
        refuse(error);
      }
    });
  }

  private onHello(header: SessionHeader, ws: WebSocket): SessionHeader {
    const sliceBytes = header.units * header.samples * 4;
    if (sliceBytes + 1024 > this.limits.maxMessageBytes) {
      throw new MphateError(
        `a slice of ${header.units} units x ${header.samples} samples (${sliceBytes} bytes) exceeds the server's message limit of ${this.limits.maxMessageBytes} bytes`,
        'too-large',
      );
    }
    const existing = this.store.getSession(header.id);
    let created = false;
    if (existing) {
      const old = existing.header;
      if (
        old.units !== header.units ||
        old.samples !== header.samples ||
        JSON.stringify(old.layers) !== JSON.stringify(header.layers)
      ) {
        throw new ProtocolError(
          `session ${header.id} already exists with a different shape (${old.units} units x ${old.samples} samples)`,
        );
      }
      // A finished session may see its callback again when the ack of `end` was lost: welcome it,
      // acknowledge what is stored, refuse new slices.
      if (existing.status === 'failed') this.store.setStatus(header.id, 'live');
    } else {
      created = this.store.createSession({ ...header, source: header.source ?? 'callback' }, 'live');
    }
    // The newest connection of a session wins (a reconnect may beat the old socket's timeout).
    const previous = this.connections.get(header.id);
    if (previous && previous !== ws)
      closeWith(previous, new MphateError('replaced by a newer connection for this session', 'conflict'));
    this.connections.set(header.id, ws);
    this.clearGrace(header.id);
    this.events.hello(header.id, created);
    return header;
  }

  private onSlice(header: SessionHeader, bytes: Uint8Array, reply: (m: IngestReply) => void): void {
    const slice = decodeSlice(bytes, { units: header.units, samples: header.samples });
    const { type: _t, v: _v, units, samples, data, ...meta } = slice;
    if (this.store.hasSlice(header.id, meta.slice)) {
      reply({ type: 'ack', v: PROTOCOL_VERSION, of: 'slice', index: meta.slice });
      return;
    }
    const session = this.store.ingestState(header.id);
    if (!session) throw new ProtocolError(`session ${header.id} was deleted`);
    if (session.status === 'finished') throw new ProtocolError(`session ${header.id} has already ended`);
    if (session.bytes + data.byteLength > this.limits.maxSessionBytes) {
      throw new MphateError(
        `session ${header.id} would exceed the server's limit of ${this.limits.maxSessionBytes} bytes of slices`,
        'too-large',
      );
    }
    const active = activeClasses(data, units, samples, header.probeLabels);
    if (this.store.addSlice(header.id, meta, data, active)) this.events.slice(header.id, meta);
    reply({ type: 'ack', v: PROTOCOL_VERSION, of: 'slice', index: meta.slice });
  }

  private startGrace(id: string): void {
    this.clearGrace(id);
    const timer = setTimeout(() => {
      this.graceTimers.delete(id);
      if (this.connections.has(id)) return;
      const session = this.store.getSession(id);
      if (session?.status === 'live') {
        this.store.setStatus(id, 'failed');
        this.events.failed(id);
      }
    }, this.graceMs);
    timer.unref();
    this.graceTimers.set(id, timer);
  }

  private clearGrace(id: string): void {
    clearTimeout(this.graceTimers.get(id));
    this.graceTimers.delete(id);
  }

  /** Closes an ingest connection of a deleted session. */
  disconnect(id: string, reason: string): void {
    const ws = this.connections.get(id);
    if (ws) closeWith(ws, new MphateError(reason, 'not-found'));
    this.connections.delete(id);
    this.clearGrace(id);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.graceTimers.values()) clearTimeout(timer);
    this.graceTimers.clear();
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }
}

function toBytes(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}
