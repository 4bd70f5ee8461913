/**
 * Typed arrays to and from binary columns (SQLite BLOB, PostgreSQL bytea): both stores keep
 * slices, classes and coordinates as raw little-endian bytes.
 */

/** A Float32Array over a column's Buffer, copied so it is aligned and owns its memory. */
export function floats(column: Buffer): Float32Array {
  const out = new Float32Array(column.byteLength / 4);
  new Uint8Array(out.buffer).set(column);
  return out;
}

/** An Int16Array over a column's Buffer, copied likewise. */
export function int16s(column: Buffer): Int16Array {
  const out = new Int16Array(column.byteLength / 2);
  new Uint8Array(out.buffer).set(column);
  return out;
}

/** A typed array's bytes as a Buffer for a binary column (no copy). */
export function columnBytes(view: ArrayBufferView): Buffer {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}
