import { ProtocolError } from './errors.js';

/**
 * NumPy .npy format (versions 1.0 to 3.0), the format numpy and the Python m-phate package
 * read and write. Little-endian float32/float64/int32/uint8 arrays in C order.
 * https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
 */

export type NpyDtype = 'float32' | 'float64' | 'int32' | 'uint8';

export interface NpyArray {
  shape: number[];
  dtype: NpyDtype;
  data: Float32Array | Float64Array | Int32Array | Uint8Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const DESCR: Record<string, NpyDtype> = {
  '<f4': 'float32',
  '<f8': 'float64',
  '<i4': 'int32',
  '|u1': 'uint8',
  '<u1': 'uint8',
};
const DESCR_OF: Record<NpyDtype, string> = { float32: '<f4', float64: '<f8', int32: '<i4', uint8: '|u1' };
const BYTES: Record<NpyDtype, number> = { float32: 4, float64: 8, int32: 4, uint8: 1 };

/** A .npy file this codec cannot read or write; a ProtocolError like every file-format refusal. */
export class NpyError extends ProtocolError {
  override name = 'NpyError';
}

/** True when the bytes start with the .npy magic string. */
export function isNpy(bytes: Uint8Array): boolean {
  return bytes.length >= 6 && MAGIC.every((b, i) => bytes[i] === b);
}

/** Parses a .npy file. Throws NpyError naming what is wrong (magic, header, dtype, order, shape, length). */
export function decodeNpy(bytes: Uint8Array): NpyArray {
  if (!isNpy(bytes)) throw new NpyError('not a .npy file (missing \\x93NUMPY magic)');
  if (bytes.length < 10) throw new NpyError('truncated .npy header');
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLength: number;
  let headerStart: number;
  if (major === 1) {
    headerLength = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new NpyError('truncated .npy header');
    headerLength = view.getUint32(8, true);
    headerStart = 12;
  } else {
    throw new NpyError(`unsupported .npy version ${major}`);
  }
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length) throw new NpyError('truncated .npy header');
  const header = new TextDecoder().decode(bytes.subarray(headerStart, dataStart));
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new NpyError(`malformed .npy header: ${header.trim()}`);
  }
  const dtype = DESCR[descr];
  if (!dtype)
    throw new NpyError(
      `unsupported .npy dtype '${descr}' (use little-endian float32, float64, int32 or uint8)`,
    );
  if (fortran === 'True')
    throw new NpyError('Fortran-ordered .npy arrays are not supported (save with C order)');
  const dims = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  // Plain decimal integers only: numpy never writes `1e3` or `0x10`, which Number() would accept.
  if (dims.some((d) => !/^\d{1,15}$/.test(d))) throw new NpyError(`bad .npy shape (${shapeText})`);
  const shape = dims.map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const byteLength = count * BYTES[dtype];
  if (!Number.isSafeInteger(byteLength)) throw new NpyError(`.npy shape (${shapeText}) is too large`);
  const available = bytes.length - dataStart;
  if (available !== byteLength) {
    throw new NpyError(
      available < byteLength
        ? `truncated .npy data: shape (${shape.join(', ')}) needs ${byteLength} bytes, file has ${available}`
        : `.npy file has ${available - byteLength} bytes after the data its shape (${shape.join(', ')}) describes`,
    );
  }
  // Copy so the result is aligned and independent of the input buffer.
  const raw = Uint8Array.prototype.slice.call(bytes, dataStart, dataStart + byteLength); // copies, even for a Buffer
  const data =
    dtype === 'float32'
      ? new Float32Array(raw.buffer, 0, count)
      : dtype === 'float64'
        ? new Float64Array(raw.buffer, 0, count)
        : dtype === 'int32'
          ? new Int32Array(raw.buffer, 0, count)
          : new Uint8Array(raw.buffer, 0, count);
  return { shape, dtype, data };
}

/** Writes a .npy (version 1.0) file. The data length must match the shape. */
export function encodeNpy(array: { shape: readonly number[]; data: NpyArray['data'] }): Uint8Array {
  const dtype: NpyDtype =
    array.data instanceof Float32Array
      ? 'float32'
      : array.data instanceof Float64Array
        ? 'float64'
        : array.data instanceof Int32Array
          ? 'int32'
          : 'uint8';
  const count = array.shape.reduce((a, b) => a * b, 1);
  if (count !== array.data.length) {
    throw new NpyError(
      `shape (${array.shape.join(', ')}) holds ${count} values, data has ${array.data.length}`,
    );
  }
  const shapeText = array.shape.length === 1 ? `${array.shape[0]},` : array.shape.join(', ');
  let header = `{'descr': '${DESCR_OF[dtype]}', 'fortran_order': False, 'shape': (${shapeText}), }`;
  // Pad so the data starts on a 64-byte boundary, header ends with '\n'.
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const headerBytes = new TextEncoder().encode(header);
  const out = new Uint8Array(10 + headerBytes.length + array.data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, headerBytes.length, true);
  out.set(headerBytes, 10);
  out.set(
    new Uint8Array(array.data.buffer, array.data.byteOffset, array.data.byteLength),
    10 + headerBytes.length,
  );
  return out;
}
