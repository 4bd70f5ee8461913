import { integer, object, string } from './check.js';
import { ProtocolError } from './errors.js';
import { decodeFrame, encodeFrame, float32View, int16View } from './frame.js';
import { checkVersion, parseJson } from './ingest.js';
import type { EpochRow, LogRow, SessionDetail, SessionSummary } from './rest.js';
import { PROTOCOL_VERSION } from './version.js';

/**
 * Live: server -> dashboards over the WebSocket path `/ws/live`.
 *
 * On connect the server sends `sessions` (the list) and again whenever it changes. A client
 * sends `subscribe` for one session id; the server answers at once with `session` (full
 * state), the latest `embedding` (binary) if any, then pushes `logs`, `progress`,
 * `embedding` and `session` (status or name changes) as they happen. See docs/protocol.md.
 */

export interface SubscribeMessage {
  type: 'subscribe' | 'unsubscribe';
  v: number;
  session: string;
}

export interface SessionsMessage {
  type: 'sessions';
  v: number;
  sessions: SessionSummary[];
}

export interface SessionMessage {
  type: 'session';
  v: number;
  session: SessionDetail;
}

export interface LogsMessage {
  type: 'logs';
  v: number;
  session: string;
  rows: LogRow[];
  epochRows: EpochRow[];
}

export interface ProgressMessage {
  type: 'progress';
  v: number;
  session: string;
  /** An embedding phase name (normalize, intraslice, ..., mds) or 'idle'. */
  phase: string;
  fraction: number;
  /** Slices in the computation under way. */
  slices: number;
  final: boolean;
}

export interface DeletedMessage {
  type: 'deleted';
  v: number;
  session: string;
}

export type LiveTextMessage =
  | SessionsMessage
  | SessionMessage
  | LogsMessage
  | ProgressMessage
  | DeletedMessage;

/**
 * An embedding frame. Points are in row order `slice * units + unit`, so a point's slice, unit,
 * layer (from the session's layers) and epoch (from its log row) follow from its row.
 */
export interface EmbeddingMessage {
  type: 'embedding';
  v: number;
  session: string;
  /** Slices covered (T); points = slices * units. */
  slices: number;
  units: number;
  nComponents: 2 | 3;
  /** Diffusion time used. */
  t: number;
  landmarks: number;
  /** True for the final batch embedding of a finished session. */
  final: boolean;
  /** points x nComponents float32. */
  coordinates: Float32Array;
  /** Per point: the class whose probes excite that unit most at that slice (largest L2 norm), or -1. */
  activeClass: Int16Array;
}

export function encodeEmbedding(message: Omit<EmbeddingMessage, 'type' | 'v'>): Uint8Array {
  const { coordinates, activeClass, ...meta } = message;
  const points = meta.slices * meta.units;
  if (coordinates.length !== points * meta.nComponents || activeClass.length !== points) {
    throw new ProtocolError('embedding arrays do not match slices x units');
  }
  const payload = new Uint8Array(coordinates.byteLength + activeClass.byteLength);
  payload.set(new Uint8Array(coordinates.buffer, coordinates.byteOffset, coordinates.byteLength), 0);
  payload.set(
    new Uint8Array(activeClass.buffer, activeClass.byteOffset, activeClass.byteLength),
    coordinates.byteLength,
  );
  return encodeFrame({ type: 'embedding', v: PROTOCOL_VERSION, ...meta }, payload);
}

export function decodeEmbedding(bytes: Uint8Array): EmbeddingMessage {
  const { header, payload } = decodeFrame(bytes);
  if (header.type !== 'embedding')
    throw new ProtocolError(`binary message of type '${header.type}' is not an embedding`);
  checkVersion(header.v);
  const slices = integer(header.slices, 'embedding.slices');
  const units = integer(header.units, 'embedding.units', 1);
  const nComponents = header.nComponents;
  if (nComponents !== 2 && nComponents !== 3) throw new ProtocolError('embedding.nComponents must be 2 or 3');
  const points = slices * units;
  if (payload.byteLength !== points * nComponents * 4 + points * 2) {
    throw new ProtocolError('embedding payload does not match slices x units');
  }
  return {
    type: 'embedding',
    v: PROTOCOL_VERSION,
    session: string(header.session, 'embedding.session', 64),
    slices,
    units,
    nComponents,
    t: integer(header.t, 'embedding.t'),
    landmarks: integer(header.landmarks, 'embedding.landmarks'),
    final: header.final === true,
    coordinates: float32View(payload, points * nComponents),
    activeClass: int16View(payload, points, points * nComponents * 4),
  };
}

/** Parses a dashboard's text message (server side). */
export function parseLiveRequest(text: string): SubscribeMessage {
  if (text.length > 4096) throw new ProtocolError('live request is larger than 4 KiB');
  const o = object(parseJson(text), 'message');
  checkVersion(o.v);
  if (o.type !== 'subscribe' && o.type !== 'unsubscribe') {
    throw new ProtocolError(`unknown live request type '${String(o.type)}'`);
  }
  return { type: o.type, v: PROTOCOL_VERSION, session: string(o.session, `${o.type}.session`, 64) };
}

/** Parses a server's text message (dashboard side). The server is trusted to speak the protocol. */
export function parseLiveText(text: string): LiveTextMessage {
  const o = object(parseJson(text), 'message');
  checkVersion(o.v);
  switch (o.type) {
    case 'sessions':
    case 'session':
    case 'logs':
    case 'progress':
    case 'deleted':
      return o as unknown as LiveTextMessage;
    default:
      throw new ProtocolError(`unknown live message type '${String(o.type)}'`);
  }
}
