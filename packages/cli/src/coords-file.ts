import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { Embedding } from '@mphate/core';
import { encodeNpy } from '@mphate/protocol';
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

/** .csv: header `slice,unit,x,y[,z]`, one row per point in row order `epoch * units + unit`. */
export function encodeCoordsCsv(embedding: Embedding, units: number): string {
  const d = embedding.nComponents;
  const coords = embedding.coordinates;
  const lines: string[] = [d === 3 ? 'slice,unit,x,y,z' : 'slice,unit,x,y'];
  for (let row = 0; row < embedding.points; row++) {
    let line = `${Math.floor(row / units)},${row % units}`;
    for (let c = 0; c < d; c++) line += `,${formatFloat32(coords[row * d + c]!)}`;
    lines.push(line);
  }
  return `${lines.join('\n')}\n`;
}

/** Shortest decimal that reads back as the same float32 (so a CSV loses nothing). */
export function formatFloat32(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  for (let digits = 6; digits < 9; digits++) {
    const text = Number(value.toPrecision(digits)).toString();
    if (Math.fround(Number(text)) === value) return text;
  }
  return Number(value.toPrecision(9)).toString();
}

/**
 * Writes `data` to `path` through a temporary file in the same directory and a rename, so a
 * failed or interrupted run never leaves a half-written output (or clobbers an old one).
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  shown: string = path,
): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  pendingTemps.add(temp);
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw new CliError(`cannot write ${shown}: ${describeFsError(error)}`);
  } finally {
    pendingTemps.delete(temp);
  }
}

/** Temporary files being written right now, removed by `removePendingTemps` on an interrupt. */
const pendingTemps = new Set<string>();

/** Synchronous, for signal handlers that exit right after. */
export function removePendingTemps(): void {
  for (const temp of pendingTemps) {
    try {
      unlinkSync(temp);
    } catch {
      // already renamed or never created
    }
  }
  pendingTemps.clear();
}
