/**
 * Node only (the `@mphate/protocol/node` entry; browsers never load it): writes a file through a
 * temporary file in the same folder and a rename, so a reader never sees half a file and a
 * failed or interrupted write leaves any old file as it was. Used for every file we write:
 * snapshots recorded by the callback, the CLI's outputs.
 */
import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Temporary files being written right now, for `removePendingTemps` on an interrupt. */
const pendingTemps = new Set<string>();

export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  pendingTemps.add(temp);
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  } finally {
    pendingTemps.delete(temp);
  }
}

/** Removes the temporary files of writes under way. Synchronous, for signal handlers that exit. */
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
