import { ProtocolError } from './errors.js';

/**
 * Tiny structural checks for untrusted JSON. Each returns the value typed or throws a
 * ProtocolError naming the path (e.g. `hello.session.layers[2].units`).
 */
export type Json = Record<string, unknown>;

export function object(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProtocolError(`${path} must be an object`);
  }
  return value as Json;
}

export function string(value: unknown, path: string, maxLength = 1024): string {
  if (typeof value !== 'string') throw new ProtocolError(`${path} must be a string`);
  if (value.length > maxLength) throw new ProtocolError(`${path} is longer than ${maxLength} characters`);
  return value;
}

export function optionalString(value: unknown, path: string, maxLength = 1024): string | undefined {
  return value === undefined || value === null ? undefined : string(value, path, maxLength);
}

export function finite(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new ProtocolError(`${path} must be a finite number`);
  return value;
}

export function integer(value: unknown, path: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw new ProtocolError(`${path} must be an integer`);
  if (value < min || value > max)
    throw new ProtocolError(`${path} must be between ${min} and ${max}, got ${value}`);
  return value;
}

export function optionalInteger(
  value: unknown,
  path: string,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  return value === undefined || value === null ? undefined : integer(value, path, min, max);
}

export function array(value: unknown, path: string, maxLength: number): unknown[] {
  if (!Array.isArray(value)) throw new ProtocolError(`${path} must be an array`);
  if (value.length > maxLength) throw new ProtocolError(`${path} has more than ${maxLength} entries`);
  return value;
}

/** A record of finite numbers (training logs). Non-finite values are refused, keys are bounded. */
export function logs(value: unknown, path: string): Record<string, number> {
  if (value === undefined || value === null) return {};
  const record = object(value, path);
  const out: Record<string, number> = {};
  const keys = Object.keys(record);
  if (keys.length > 64) throw new ProtocolError(`${path} has more than 64 entries`);
  for (const key of keys) {
    if (key.length > 128) throw new ProtocolError(`${path} has a key longer than 128 characters`);
    const v = record[key];
    // Keras logs may hold NaN when a loss diverges; JSON carries it as null. Keep it as NaN-free: drop it.
    if (v === null) continue;
    out[key] = finite(v, `${path}.${key}`);
  }
  return out;
}

/**
 * Index of the first NaN or infinity in `values`, or -1. The one scan of bulk data (slices,
 * snapshots, .npy imports): every receiver refuses non-finite values before storing them.
 */
export function firstNonFinite(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) return i;
  return -1;
}
