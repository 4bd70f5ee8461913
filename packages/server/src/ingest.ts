/**
 * Ingest over `/ws/ingest` (docs/protocol.md, delivery rules in docs/architecture.md):
 * hello -> welcome; each slice, epoch and end is validated, checked against the cost model
 * and the quotas, committed, then acknowledged. A number already stored is acknowledged again
 * without storing. Bad input: `reject` with the reason, then a close whose code follows from
 * the error's kind (error-codes.ts); a transient store fault is a `reject` marked retryable.
 * Messages above `maxMessageBytes` are refused by ws itself (1009) before they are buffered.
 *
 * A session belongs to the callback that created it: its hello carries a secret, stored as a
 * SHA-256, which every later hello of the session must present.
 *
 * Presence: a session whose connection drops without `end` and does not come back within the
 * grace period is marked failed, also for sessions found live when the server starts. A
 * connection that does not say hello within `helloTimeoutMs` is closed.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
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
import { checkCost, maxSlicesFor, refuseOver } from './cost-model.js';
import type { CostLimits } from './defaults.js';
import { closeCode, closeReason, closeWith, publicMessage } from './error-codes.js';
import { keepAlive } from './heartbeat.js';
import type { SessionStore } from './session-store.js';

export interface IngestLimits {
  /** Largest single WebSocket message, bytes. */
  maxMessageBytes: number;
  /** Largest total of slice data one session may store, bytes. */
  maxSessionBytes: number;
  /** The cost model and the quotas. */
  cost: CostLimits;
}

export interface IngestTimers {
  graceMs: number;
  helloTimeoutMs: number;
  pingIntervalMs: number;
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

const ReplyKinds = ['hello', 'epoch', 'end'] as const;

export class IngestHandler {
  readonly wss: WebSocketServer;
  private readonly connections = new Map<string, WebSocket>();
  private readonly graceTimers = new Map<string, NodeJS.Timeout>();
  /** After close() the store is gone: late socket events are ignored. */
  private closed = false;

  constructor(
    private readonly store: SessionStore,
    private readonly limits: IngestLimits,
    private readonly timers: IngestTimers,
    private readonly events: IngestEvents,
    private readonly log: (message: string) => void,
  ) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes });
    this.wss.on('connection', (ws) => this.accept(ws));
    keepAlive(this.wss, timers.pingIntervalMs);
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
      if (errorKind(error) === 'unavailable') reject.retryable = true;
      reply(reject);
      ws.close(closeCode(error), closeReason(reason));
    };
    const helloTimer = setTimeout(() => {
      if (!header && ws.readyState === ws.OPEN) {
        lastOf = 'hello';
        refuse(new ProtocolError(`no hello within ${this.timers.helloTimeoutMs} ms of connecting`));
      }
    }, this.timers.helloTimeoutMs);
    helloTimer.unref();

    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      clearTimeout(helloTimer);
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
        const text = Buffer.from(bytes).toString('utf8');
        lastOf = messageType(text);
        const message = parseIngestText(text);
        if (message.type === 'hello') {
          if (header) throw new ProtocolError('hello was already received on this connection');
          header = this.onHello(message.session, message.secret, ws);
          clearTimeout(helloTimer);
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
          this.checkQuotas(header.id, record.logs, JSON.stringify(record).length, 'epoch');
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
        // Nothing refused was committed, so nothing refused is acknowledged. An error without a
        // kind is ours (a bug, an I/O failure): logged here, answered without its internals.
        if (!errorKind(error))
          this.log(`ingest failed: ${error instanceof Error ? error.stack : String(error)}`);
        refuse(error);
      }
    });
  }

  private onHello(header: SessionHeader, secret: string, ws: WebSocket): SessionHeader {
    const sliceBytes = header.units * header.samples * 4;
    if (sliceBytes + 1024 > this.limits.maxMessageBytes) {
      throw new MphateError(
        `a slice of ${header.units} units x ${header.samples} samples (${sliceBytes} bytes) exceeds the server's message limit of ${this.limits.maxMessageBytes} bytes`,
        'too-large',
      );
    }
    checkCost(this.limits.cost, {
      units: header.units,
      samples: header.samples,
      slices: 2,
      ...(header.mphate ? { options: header.mphate } : {}),
    });
    const digest = sha256(secret);
    const existing = this.store.getSession(header.id);
    let created = false;
    if (existing) {
      // The session is its creator's: only the same secret resumes it (a reconnect, a resend).
      const stored = this.store.secretOf(header.id);
      if (!stored || !timingSafeEqual(Buffer.from(stored, 'hex'), Buffer.from(digest, 'hex'))) {
        throw new MphateError(
          `session ${header.id} exists and belongs to another connection (its secret does not match)`,
          'forbidden',
        );
      }
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
      const sessions = this.store.sessionCount();
      if (sessions >= this.limits.cost.sessions)
        refuseOver(this.limits.cost, 'sessions', 'the store holds too many sessions', sessions + 1);
      created = this.store.createSession({ ...header, source: header.source ?? 'callback' }, 'live', digest);
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
    const session = this.checkQuotas(header.id, meta.logs, JSON.stringify(meta).length, 'slice');
    if (session.status === 'finished') throw new ProtocolError(`session ${header.id} has already ended`);
    if (session.bytes + data.byteLength > this.limits.maxSessionBytes) {
      throw new MphateError(
        `session ${header.id} would exceed the server's limit of ${this.limits.maxSessionBytes} bytes of slices`,
        'too-large',
      );
    }
    const most = maxSlicesFor(this.limits.cost, units);
    if (session.slices + 1 > most) {
      const limit = most === this.limits.cost.slices ? 'slices' : 'points';
      refuseOver(
        this.limits.cost,
        limit,
        `slice ${session.slices + 1} of a session of ${units} units`,
        session.slices + 1,
      );
    }
    const active = activeClasses(data, units, samples, header.probeLabels);
    if (this.store.addSlice(header.id, meta, data, active)) this.events.slice(header.id, meta);
    reply({ type: 'ack', v: PROTOCOL_VERSION, of: 'slice', index: meta.slice });
  }

  /** Epochs, log keys and log bytes per session, checked before a record is stored. */
  private checkQuotas(id: string, logs: Record<string, number>, bytes: number, of: 'slice' | 'epoch') {
    const session = this.store.ingestState(id);
    if (!session) throw new MphateError(`session ${id} was deleted`, 'not-found');
    const { cost } = this.limits;
    if (of === 'epoch' && session.epochs + 1 > cost.epochs)
      refuseOver(cost, 'epochs', `epoch ${session.epochs + 1} of the session`, session.epochs + 1);
    const known = new Set(session.logKeys);
    let keys = known.size;
    for (const key of Object.keys(logs)) if (!known.has(key)) keys++;
    if (keys > cost.logKeys) refuseOver(cost, 'logKeys', `the session's ${keys} distinct log keys`, keys);
    if (session.logBytes + bytes > cost.logBytes)
      refuseOver(
        cost,
        'logBytes',
        `the session's logs of ${session.logBytes + bytes} bytes`,
        session.logBytes + bytes,
      );
    return session;
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
    }, this.timers.graceMs);
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

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The type a text message claims, so a refusal names it (an invalid hello is refused `of: 'hello'`). */
function messageType(text: string): RejectMessage['of'] {
  try {
    const type = (JSON.parse(text) as { type?: unknown } | null)?.type;
    return typeof type === 'string' && (ReplyKinds as readonly string[]).includes(type)
      ? (type as RejectMessage['of'])
      : 'frame';
  } catch {
    return 'frame';
  }
}

function toBytes(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}
