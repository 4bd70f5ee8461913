import { readFile } from 'node:fs/promises';
import type { Trace } from '@mphate/core';
import { decodeNpy, NpyError } from '@mphate/protocol';
import { CliError } from './errors.js';

/**
 * Reads a trace .npy of shape (epochs, units, samples), float32 or float64 (converted to
 * float32, what the core computes in). `shown` is the path as the user typed it, for messages.
 */
export async function readTraceFile(path: string, shown: string = path): Promise<Trace> {
  const bytes = await readInput(path, shown);
  let array: ReturnType<typeof decodeNpy>;
  try {
    array = decodeNpy(bytes);
  } catch (error) {
    if (error instanceof NpyError) throw new CliError(`${shown}: ${error.message}`);
    throw error;
  }
  const { shape, dtype } = array;
  if (shape.length !== 3) {
    throw new CliError(
      `${shown}: shape (${shape.join(', ')}) is ${shape.length}-D; expected a 3-D trace (epochs, units, samples)`,
    );
  }
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new CliError(`${shown}: dtype ${dtype} is not supported; save the trace as float32 (or float64)`);
  }
  const [epochs, units, samples] = shape as [number, number, number];
  const data = array.data instanceof Float32Array ? array.data : Float32Array.from(array.data);
  return { epochs, units, samples, data };
}

async function readInput(path: string, shown: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new CliError(`cannot read ${shown}: ${describeFsError(error)}`);
  }
}

/** A short reason for a file-system error ("no such file", "is a directory", ...). */
export function describeFsError(error: unknown): string {
  const code = (error as { code?: string } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a parent is not a directory';
    case 'ENOSPC':
      return 'no space left on device';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
