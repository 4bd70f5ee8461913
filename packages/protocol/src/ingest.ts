import { finite, firstNonFinite, integer, logs, object, string } from './check.js';
import { ProtocolError } from './errors.js';
import { decodeFrame, encodeFrame, float32View } from './frame.js';
import { type SessionHeader, validateSessionHeader } from './session.js';
import { PROTOCOL_VERSION } from './version.js';

/**
 * Ingest: callback -> server over the WebSocket path `/ws/ingest`. One session per connection.
 *
 * Client -> server: `hello` (text, first), then `slice` (binary) and `epoch` (text) messages in
 * any order, then `end` (text). Server -> client: `welcome` after hello; `ack` after each
 * slice/epoch/end is committed to the store; `reject` when a message is refused, just before
 * the server closes the connection with the same reason. See docs/protocol.md.
 */

/** Identity of one traced sample: where in training it was taken. */
export interface SliceMeta {
  /** 0, 1, 2, ... within the session, never restarting (the key of everything). */
  slice: number;
  /** Epoch within the current `fit` call (restarts with each fit). */
  epoch: number;
  /** Batch within the epoch when traced every N batches; null when traced at epoch end. */
  batch: number | null;
  /** Global optimisation step (batches seen since the session began). */
  step: number;
  /** Task label (continual learning), or null. */
  task: string | null;
  /** ms since the Unix epoch. */
  time: number;
  /** Logs known when the slice was taken: loss and metrics (and val_* at epoch end). */
  logs: Record<string, number>;
}

export interface HelloMessage {
  type: 'hello';
  v: number;
  session: SessionHeader;
  /**
   * The session's secret, made by the callback when it creates the session (at least 32
   * characters) and presented in every hello of that session: a reconnect or a resend is
   * welcomed only with it, so no other peer can join, take over or revive the session.
   */
  secret: string;
}

/** Epoch-level logs (val_* included), numbered 0, 1, ... over the whole session. */
export interface EpochMessage {
  type: 'epoch';
  v: number;
  /** Global epoch number over all fit calls of the session. */
  index: number;
  /** Epoch within the current fit call. */
  epoch: number;
  task: string | null;
  time: number;
  logs: Record<string, number>;
}

export interface EndMessage {
  type: 'end';
  v: number;
  /** Slices the callback produced (some may have been dropped past its queue bound). */
  slices: number;
  /** Epochs the callback completed. */
  epochs: number;
}

export interface SliceMessage extends SliceMeta {
  type: 'slice';
  v: number;
  units: number;
  samples: number;
  /** units x samples float32, unit-major: data[unit * samples + sample]. */
  data: Float32Array;
}

export type IngestTextMessage = HelloMessage | EpochMessage | EndMessage;

export interface WelcomeMessage {
  type: 'welcome';
  v: number;
  session: string;
  /** Slices the server already stores for this session (a reconnecting callback resends the rest). */
  slices: number;
  epochs: number;
}

export interface AckMessage {
  type: 'ack';
  v: number;
  of: 'slice' | 'epoch' | 'end';
  /** Slice number or epoch index; absent for `end`. */
  index?: number;
}

export interface RejectMessage {
  type: 'reject';
  v: number;
  of: 'hello' | 'slice' | 'epoch' | 'end' | 'frame';
  index?: number;
  reason: string;
  /**
   * True when the refusal is transient (disk full, database busy): the message was not stored,
   * the sender keeps it and delivers it again after reconnecting.
   */
  retryable?: boolean;
}

export type IngestReply = WelcomeMessage | AckMessage | RejectMessage;

export function encodeSlice(message: Omit<SliceMessage, 'type' | 'v'>): Uint8Array {
  const { data, ...meta } = message;
  if (data.length !== meta.units * meta.samples) {
    throw new ProtocolError(`slice data has ${data.length} values, expected ${meta.units} x ${meta.samples}`);
  }
  return encodeFrame({ type: 'slice', v: PROTOCOL_VERSION, ...meta }, data);
}

export interface SliceLimits {
  /** The receiving session's header: units and samples must match it. */
  units: number;
  samples: number;
}

/** Decodes and validates a binary slice frame. Non-finite activations are refused with the unit named. */
export function decodeSlice(bytes: Uint8Array, limits: SliceLimits): SliceMessage {
  const { header, payload } = decodeFrame(bytes);
  if (header.type !== 'slice')
    throw new ProtocolError(`binary message of type '${header.type}' is not a slice`);
  checkVersion(header.v);
  const units = integer(header.units, 'slice.units', 1);
  const samples = integer(header.samples, 'slice.samples', 1);
  if (units !== limits.units || samples !== limits.samples) {
    throw new ProtocolError(
      `slice shape ${units} units x ${samples} samples does not match the session's ${limits.units} x ${limits.samples}`,
    );
  }
  if (payload.byteLength !== units * samples * 4) {
    throw new ProtocolError(`slice payload has ${payload.byteLength} bytes, expected ${units * samples * 4}`);
  }
  const meta = validateSliceMeta(header, 'slice');
  const data = float32View(payload, units * samples);
  const bad = firstNonFinite(data);
  if (bad >= 0) {
    throw new ProtocolError(
      `slice ${meta.slice} has a non-finite activation (${data[bad]}) at unit ${Math.floor(bad / samples)}, sample ${bad % samples}`,
    );
  }
  return { type: 'slice', v: PROTOCOL_VERSION, units, samples, ...meta, data };
}

export function validateSliceMeta(value: unknown, path: string): SliceMeta {
  const o = object(value, path);
  return {
    slice: integer(o.slice, `${path}.slice`, 0, 1 << 30),
    epoch: integer(o.epoch, `${path}.epoch`, 0, 1 << 30),
    batch: o.batch === null || o.batch === undefined ? null : integer(o.batch, `${path}.batch`, 0, 1 << 30),
    step: integer(o.step ?? 0, `${path}.step`, 0),
    task: o.task === null || o.task === undefined ? null : string(o.task, `${path}.task`, 256),
    time: finite(o.time ?? 0, `${path}.time`),
    logs: logs(o.logs, `${path}.logs`),
  };
}

/** Parses a text ingest message (hello, epoch, end). */
export function parseIngestText(text: string): IngestTextMessage {
  if (text.length > 256 * 1024) throw new ProtocolError('text message is larger than 256 KiB');
  const o = object(parseJson(text), 'message');
  checkVersion(o.v);
  switch (o.type) {
    case 'hello':
      return {
        type: 'hello',
        v: PROTOCOL_VERSION,
        session: validateSessionHeader(o.session, 'hello.session'),
        secret: sessionSecret(o.secret),
      };
    case 'epoch':
      return {
        type: 'epoch',
        v: PROTOCOL_VERSION,
        index: integer(o.index, 'epoch.index', 0, 1 << 30),
        epoch: integer(o.epoch, 'epoch.epoch', 0, 1 << 30),
        task: o.task === null || o.task === undefined ? null : string(o.task, 'epoch.task', 256),
        time: finite(o.time ?? 0, 'epoch.time'),
        logs: logs(o.logs, 'epoch.logs'),
      };
    case 'end':
      return {
        type: 'end',
        v: PROTOCOL_VERSION,
        slices: integer(o.slices, 'end.slices', 0, 1 << 30),
        epochs: integer(o.epochs, 'end.epochs', 0, 1 << 30),
      };
    default:
      throw new ProtocolError(`unknown ingest message type '${String(o.type)}'`);
  }
}

/** Parses a server reply on the ingest socket (used by the callback). */
export function parseIngestReply(text: string): IngestReply {
  const o = object(parseJson(text), 'reply');
  checkVersion(o.v);
  switch (o.type) {
    case 'welcome':
      return {
        type: 'welcome',
        v: PROTOCOL_VERSION,
        session: string(o.session, 'welcome.session', 64),
        slices: integer(o.slices, 'welcome.slices'),
        epochs: integer(o.epochs, 'welcome.epochs'),
      };
    case 'ack': {
      if (o.of !== 'slice' && o.of !== 'epoch' && o.of !== 'end')
        throw new ProtocolError('ack.of is invalid');
      const ack: AckMessage = { type: 'ack', v: PROTOCOL_VERSION, of: o.of };
      if (o.index !== undefined) ack.index = integer(o.index, 'ack.index');
      return ack;
    }
    case 'reject': {
      const of = o.of as RejectMessage['of'];
      if (!['hello', 'slice', 'epoch', 'end', 'frame'].includes(of))
        throw new ProtocolError('reject.of is invalid');
      const reject: RejectMessage = {
        type: 'reject',
        v: PROTOCOL_VERSION,
        of,
        reason: string(o.reason, 'reject.reason', 4096),
      };
      if (o.index !== undefined) reject.index = integer(o.index, 'reject.index');
      if (o.retryable === true) reject.retryable = true;
      return reject;
    }
    default:
      throw new ProtocolError(`unknown ingest reply type '${String(o.type)}'`);
  }
}

function sessionSecret(value: unknown): string {
  const secret = string(value, 'hello.secret', 256);
  if (secret.length < 32) throw new ProtocolError('hello.secret must have at least 32 characters');
  return secret;
}

export function checkVersion(v: unknown): void {
  if (v !== PROTOCOL_VERSION) {
    throw new ProtocolError(
      `protocol version ${String(v)} is not supported (this end speaks version ${PROTOCOL_VERSION})`,
    );
  }
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ProtocolError('message is not valid JSON');
  }
}
