/**
 * Arrays that core's worker threads (thread-pool.ts) read and write in place: backed by a
 * SharedArrayBuffer, or plain arrays where there is none (a browser page without cross-origin
 * isolation), where the tasks all run on the calling thread anyway.
 */
const canShare = typeof SharedArrayBuffer !== 'undefined';

export function sharedFloat32(length: number): Float32Array {
  return canShare ? new Float32Array(new SharedArrayBuffer(4 * length)) : new Float32Array(length);
}

export function sharedFloat64(length: number): Float64Array {
  return canShare ? new Float64Array(new SharedArrayBuffer(8 * length)) : new Float64Array(length);
}

export function sharedInt32(length: number): Int32Array {
  return canShare ? new Int32Array(new SharedArrayBuffer(4 * length)) : new Int32Array(length);
}

/** x as float32 in shared memory: x itself when it already is, else a copy. */
export function toSharedFloat32(x: Float32Array | Float64Array): Float32Array {
  if (x instanceof Float32Array && (!canShare || x.buffer instanceof SharedArrayBuffer)) return x;
  const out = sharedFloat32(x.length);
  out.set(x);
  return out;
}

/** x in shared memory: x itself when it already is, else a copy. */
export function toSharedFloat64(x: Float64Array): Float64Array {
  if (!canShare || x.buffer instanceof SharedArrayBuffer) return x;
  const out = sharedFloat64(x.length);
  out.set(x);
  return out;
}

type IntArray = Int32Array | Uint16Array;

/** A copy of x in shared memory (x itself where nothing can be shared). */
export function sharedCopy<T extends IntArray | Float32Array | Float64Array>(x: T): T {
  if (!canShare) return x;
  const Ctor = x.constructor as new (buffer: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(x.byteLength));
  out.set(x as never);
  return out;
}
