import { stat } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import type { Embedding } from '@mphate/core';
import { encodeEmbeddingCsv, encodeNpy } from '@mphate/protocol';
import { writeFileAtomic } from '@mphate/protocol/node';
import { CliError, UsageError } from './errors.js';
import { describeFsError } from './trace-file.js';

export type CoordsFormat = 'npy' | 'csv';

/** The output format named by the file extension (.npy or .csv). */
export function coordsFormat(path: string): CoordsFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.npy') return 'npy';
  if (ext === '.csv') return 'csv';
  throw new UsageError(
    `--out ${path}: unknown extension '${ext || '(none)'}'; use .npy (float32 N x d) or .csv`,
    'embed',
  );
}

/** Fails early (before a long computation) when the output cannot be written there. */
export async function checkOutputPath(path: string, shown: string): Promise<void> {
  const dir = dirname(path);
  const dirStat = await stat(dir).catch(() => undefined);
  if (!dirStat?.isDirectory()) throw new CliError(`--out ${shown}: directory ${dir} does not exist`);
  const fileStat = await stat(path).catch(() => undefined);
  if (fileStat?.isDirectory()) throw new CliError(`--out ${shown}: is a directory`);
}

/** .npy: float32 N x d in C order, row `epoch * units + unit`. */
export function encodeCoordsNpy(embedding: Embedding): Uint8Array {
  return encodeNpy({ shape: [embedding.points, embedding.nComponents], data: embedding.coordinates });
}

/**
 * .csv: the embedding CSV of @mphate/protocol (`slice,epoch,layer,unit,layerUnit,x,y[,z]`); a
 * bare trace has one layer, `units`, and its slices are its epochs.
 */
export function encodeCoordsCsv(embedding: Embedding, units: number): string {
  const epochs = embedding.points / units;
  return encodeEmbeddingCsv({
    units,
    nComponents: embedding.nComponents,
    coordinates: embedding.coordinates,
    slices: Array.from({ length: epochs }, (_, e) => ({ slice: e, epoch: e })),
    layers: [{ name: 'units', className: 'trace', units, totalUnits: units }],
  });
}

/** Writes an output file atomically; a failure is a CliError naming the file and the reason. */
export async function writeOutput(
  path: string,
  data: Uint8Array | string,
  shown: string = path,
): Promise<void> {
  try {
    await writeFileAtomic(path, data);
  } catch (error) {
    throw new CliError(`cannot write ${shown}: ${describeFsError(error)}`);
  }
}
