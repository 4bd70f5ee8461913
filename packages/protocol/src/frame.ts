import { ProtocolError } from './errors.js';

/**
 * Binary frames carry bulk data: a small JSON header, then raw little-endian bytes.
 *
 *   u32 LE   H, the header's byte length (at most MAX_HEADER_BYTES)
 *   H bytes  UTF-8 JSON header; its `payloadBytes` says how many payload bytes follow
 *   0-7      zero bytes, so the payload starts at a multiple of 8 (typed-array views stay aligned)
 *   payload  exactly `payloadBytes` bytes
 *
 * A frame whose length is not exactly that is refused (truncated or padded frames never parse).
 */
const MAX_HEADER_BYTES = 64 * 1024;

export interface FrameHeader {
  type: string;
  v: number;
  payloadBytes: number;
  [key: string]: unknown;
}

function payloadOffset(headerLength: number): number {
  return Math.ceil((4 + headerLength) / 8) * 8;
}

export function encodeFrame(header: Omit<FrameHeader, 'payloadBytes'>, payload: ArrayBufferView): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify({ ...header, payloadBytes: payload.byteLength }));
  if (json.length > MAX_HEADER_BYTES)
    throw new ProtocolError(`frame header of ${json.length} bytes exceeds ${MAX_HEADER_BYTES}`);
  const offset = payloadOffset(json.length);
  const out = new Uint8Array(offset + payload.byteLength);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 4);
  out.set(new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength), offset);
  return out;
}

/** Splits a frame into its header and an aligned payload view. Checks lengths before parsing anything. */
export function decodeFrame(bytes: Uint8Array): { header: FrameHeader; payload: Uint8Array } {
  if (bytes.byteLength < 4) throw new ProtocolError(`frame of ${bytes.byteLength} bytes is too short`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true);
  if (headerLength > MAX_HEADER_BYTES) {
    throw new ProtocolError(`frame header declares ${headerLength} bytes, more than ${MAX_HEADER_BYTES}`);
  }
  if (4 + headerLength > bytes.byteLength) throw new ProtocolError('frame is truncated inside its header');
  let header: unknown;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(4, 4 + headerLength)),
    );
  } catch {
    throw new ProtocolError('frame header is not valid UTF-8 JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new ProtocolError('frame header must be a JSON object');
  }
  const h = header as FrameHeader;
  if (typeof h.type !== 'string') throw new ProtocolError('frame header has no type');
  if (!Number.isSafeInteger(h.payloadBytes) || h.payloadBytes < 0) {
    throw new ProtocolError('frame header has no valid payloadBytes');
  }
  const offset = payloadOffset(headerLength);
  const expected = offset + h.payloadBytes;
  if (bytes.byteLength !== expected) {
    throw new ProtocolError(
      bytes.byteLength < expected
        ? `frame is truncated: ${bytes.byteLength} bytes, its header declares ${expected}`
        : `frame has ${bytes.byteLength - expected} bytes after its declared payload`,
    );
  }
  // Copy when the payload is not 8-byte aligned in memory, so callers can view it as Float32Array.
  let payload = bytes.subarray(offset);
  // Uint8Array's slice copies; a Node Buffer's own slice() would return a view, so call it explicitly.
  if ((payload.byteOffset & 7) !== 0) payload = Uint8Array.prototype.slice.call(payload);
  return { header: h, payload };
}

/** A Float32Array view of a payload (little-endian hosts; every JS engine we target). */
export function float32View(payload: Uint8Array, count: number, byteOffset = 0): Float32Array {
  if (byteOffset + count * 4 > payload.byteLength)
    throw new ProtocolError('payload is shorter than its declared arrays');
  return new Float32Array(payload.buffer, payload.byteOffset + byteOffset, count);
}

export function int16View(payload: Uint8Array, count: number, byteOffset: number): Int16Array {
  if (byteOffset + count * 2 > payload.byteLength)
    throw new ProtocolError('payload is shorter than its declared arrays');
  return new Int16Array(payload.buffer, payload.byteOffset + byteOffset, count);
}
