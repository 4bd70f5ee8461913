import { array, finite, firstNonFinite, integer, object } from './check.js';
import { ProtocolError } from './errors.js';
import { type SliceMeta, validateSliceMeta } from './ingest.js';
import type { EpochRow, SessionStatus } from './rest.js';
import {
  type MphateOptionsJson,
  type SessionHeader,
  validateMphateOptions,
  validateSessionHeader,
} from './session.js';
import { SNAPSHOT_VERSION } from './version.js';

/**
 * Snapshot file: one session, whole, self-describing (docs/snapshot.md).
 *
 *   offset  size   content
 *   0       8      magic "\x89MPHATE\n"
 *   8       4      u32 LE format version (1)
 *   12      4      u32 LE J, byte length of the JSON header
 *   16      J      UTF-8 JSON SnapshotHeader
 *   ...     0-7    zero padding to a multiple of 8
 *   ...            slices: float32 LE, slices x units x samples (numpy C order of a T x n x m array)
 *   ...            embedding (when present): float32 LE, embedding.slices x units x nComponents
 *   end-32  32     SHA-256 of every byte before it
 */
const SNAPSHOT_MAGIC = new Uint8Array([0x89, 0x4d, 0x50, 0x48, 0x41, 0x54, 0x45, 0x0a]);
export const SNAPSHOT_MEDIA_TYPE = 'application/vnd.mphate.snapshot';

export interface EpochRecord {
  index: number;
  epoch: number;
  task: string | null;
  time: number;
  logs: Record<string, number>;
}

export interface SnapshotEmbedding {
  /** Slices covered by the coordinates. */
  slices: number;
  nComponents: 2 | 3;
  t: number;
  landmarks: number;
  /** True when it is the final batch embedding of the session. */
  final: boolean;
  /** The options it was computed with. */
  mphate: MphateOptionsJson;
}

export interface SnapshotHeader {
  format: 'mphate-snapshot';
  version: number;
  exportedAt: number;
  session: SessionHeader;
  status: SessionStatus;
  /** One entry per stored slice, in slice order; the trace holds them in this order. */
  slices: SliceMeta[];
  epochs: EpochRecord[];
  embedding?: SnapshotEmbedding;
}

export interface Snapshot {
  header: SnapshotHeader;
  /** slices x units x samples float32. */
  trace: Float32Array;
  /** embedding.slices x units x nComponents float32, when the header has an embedding. */
  coordinates?: Float32Array;
}

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return new Uint8Array(digest);
}

export async function encodeSnapshot(snapshot: Snapshot): Promise<Uint8Array> {
  const { header, trace, coordinates } = snapshot;
  const { units, samples } = header.session;
  if (trace.length !== header.slices.length * units * samples) {
    throw new ProtocolError(
      `trace holds ${trace.length} values, expected ${header.slices.length} x ${units} x ${samples}`,
    );
  }
  const embeddingLength = header.embedding
    ? header.embedding.slices * units * header.embedding.nComponents
    : 0;
  if ((coordinates?.length ?? 0) !== embeddingLength)
    throw new ProtocolError('embedding coordinates do not match its header');
  const json = new TextEncoder().encode(
    JSON.stringify({ ...header, format: 'mphate-snapshot', version: SNAPSHOT_VERSION }),
  );
  const dataStart = Math.ceil((16 + json.length) / 8) * 8;
  const total = dataStart + trace.byteLength + embeddingLength * 4 + 32;
  const out = new Uint8Array(total);
  out.set(SNAPSHOT_MAGIC, 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, SNAPSHOT_VERSION, true);
  view.setUint32(12, json.length, true);
  out.set(json, 16);
  out.set(new Uint8Array(trace.buffer, trace.byteOffset, trace.byteLength), dataStart);
  if (coordinates) {
    out.set(
      new Uint8Array(coordinates.buffer, coordinates.byteOffset, coordinates.byteLength),
      dataStart + trace.byteLength,
    );
  }
  out.set(await sha256(out.subarray(0, total - 32)), total - 32);
  return out;
}

export function isSnapshot(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SNAPSHOT_MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * Reads and validates a whole snapshot (magic, version, checksum, header, every length and
 * every value finite) before returning anything. Throws ProtocolError naming the problem.
 */
export async function decodeSnapshot(bytes: Uint8Array): Promise<Snapshot> {
  if (!isSnapshot(bytes)) throw new ProtocolError('not an M-PHATE snapshot (bad magic bytes)');
  if (bytes.length < 16 + 32) throw new ProtocolError('snapshot is truncated');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== SNAPSHOT_VERSION) {
    throw new ProtocolError(
      `snapshot format version ${version} is not supported (this build reads ${SNAPSHOT_VERSION})`,
    );
  }
  const expectedSum = bytes.subarray(bytes.length - 32);
  const actualSum = await sha256(bytes.subarray(0, bytes.length - 32));
  if (!actualSum.every((b, i) => b === expectedSum[i])) {
    throw new ProtocolError('snapshot checksum does not match: the file is truncated or was modified');
  }
  const jsonLength = view.getUint32(12, true);
  if (16 + jsonLength > bytes.length - 32) throw new ProtocolError('snapshot header length exceeds the file');
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(16, 16 + jsonLength)));
  } catch {
    throw new ProtocolError('snapshot header is not valid JSON');
  }
  const header = validateSnapshotHeader(raw);
  const { units, samples } = header.session;
  const dataStart = Math.ceil((16 + jsonLength) / 8) * 8;
  const traceLength = header.slices.length * units * samples;
  const embeddingLength = header.embedding
    ? header.embedding.slices * units * header.embedding.nComponents
    : 0;
  const expected = dataStart + (traceLength + embeddingLength) * 4 + 32;
  if (bytes.length !== expected) {
    throw new ProtocolError(`snapshot has ${bytes.length} bytes, its header describes ${expected}`);
  }
  // Copy out of the file buffer: aligned, and independent of it.
  const trace = new Float32Array(
    Uint8Array.prototype.slice.call(bytes, dataStart, dataStart + traceLength * 4).buffer,
  );
  checkFinite(trace, 'trace');
  const snapshot: Snapshot = { header, trace };
  if (header.embedding) {
    const start = dataStart + traceLength * 4;
    snapshot.coordinates = new Float32Array(
      Uint8Array.prototype.slice.call(bytes, start, start + embeddingLength * 4).buffer,
    );
    checkFinite(snapshot.coordinates, 'embedding');
  }
  return snapshot;
}

function checkFinite(values: Float32Array, what: string): void {
  const bad = firstNonFinite(values);
  if (bad >= 0) throw new ProtocolError(`snapshot ${what} holds a non-finite value at index ${bad}`);
}

function validateSnapshotHeader(value: unknown): SnapshotHeader {
  const o = object(value, 'snapshot');
  if (o.format !== 'mphate-snapshot') throw new ProtocolError("snapshot.format must be 'mphate-snapshot'");
  const session = validateSessionHeader(o.session, 'snapshot.session');
  const status = o.status;
  if (status !== 'live' && status !== 'finished' && status !== 'failed') {
    throw new ProtocolError("snapshot.status must be 'live', 'finished' or 'failed'");
  }
  const slices = array(o.slices, 'snapshot.slices', 1 << 24).map((s, i) =>
    validateSliceMeta(s, `snapshot.slices[${i}]`),
  );
  slices.forEach((s, i) => {
    if (i > 0 && s.slice <= slices[i - 1]!.slice)
      throw new ProtocolError('snapshot.slices must be in increasing slice order');
  });
  const epochs = array(o.epochs ?? [], 'snapshot.epochs', 1 << 24).map((e, i) => {
    const r = object(e, `snapshot.epochs[${i}]`);
    const meta = validateSliceMeta({ slice: 0, ...r }, `snapshot.epochs[${i}]`);
    return {
      index: integer(r.index, `snapshot.epochs[${i}].index`),
      epoch: meta.epoch,
      task: meta.task,
      time: meta.time,
      logs: meta.logs,
    };
  });
  const header: SnapshotHeader = {
    format: 'mphate-snapshot',
    version: SNAPSHOT_VERSION,
    exportedAt: finite(o.exportedAt ?? 0, 'snapshot.exportedAt'),
    session,
    status,
    slices,
    epochs,
  };
  if (o.embedding !== undefined && o.embedding !== null) {
    const e = object(o.embedding, 'snapshot.embedding');
    const nComponents = e.nComponents;
    if (nComponents !== 2 && nComponents !== 3)
      throw new ProtocolError('snapshot.embedding.nComponents must be 2 or 3');
    const covered = integer(e.slices, 'snapshot.embedding.slices', 1, slices.length);
    header.embedding = {
      slices: covered,
      nComponents,
      t: integer(e.t ?? 0, 'snapshot.embedding.t'),
      landmarks: integer(e.landmarks ?? 0, 'snapshot.embedding.landmarks'),
      final: e.final === true,
      mphate: validateMphateOptions(e.mphate ?? {}, 'snapshot.embedding.mphate'),
    };
  }
  return header;
}

/** The epoch rows of a snapshot, flattened like the REST EpochRow. */
export function epochRow(record: EpochRecord): EpochRow {
  return { ...record.logs, index: record.index, epoch: record.epoch, task: record.task, time: record.time };
}
