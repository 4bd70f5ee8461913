/**
 * `mphate import FILE [--data DIR]`: stores a session snapshot (.mphate) or a bare .npy trace
 * (slices, units, samples) in the data folder and prints the new session's id. Works directly
 * on the SQLite store, also while a server runs on it (WAL). A running server embeds the new
 * session the next time it starts, or on POST /api/sessions/:id/embed.
 */
import { readFile } from 'node:fs/promises';
import { MphateError } from '@mphate/protocol';
import { SERVER_DEFAULTS } from '@mphate/server/defaults';
import { CliError, UsageError } from '../errors.js';
import { parseCommandLine } from '../flags.js';
import { resolveUserPath } from '../paths.js';
import { withStore } from '../store-folder.js';
import { describeFsError } from '../trace-file.js';

export const usage = `Usage: mphate import FILE [options]

Imports a session snapshot (.mphate, from 'mphate export' or the dashboard) or a bare .npy
trace of shape (slices, units, samples) into the store and prints the new session's id.

Options:
      --data DIR        folder of the session store (default ${SERVER_DEFAULTS.dataDir})
      --name NAME       session name (.npy only)
      --labels 0,1,...  class id of each probe sample (.npy only)
  -h, --help            show this help`;

const OPTIONS = {
  data: { type: 'string' },
  name: { type: 'string' },
  labels: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, OPTIONS);
  if (positionals.length !== 1) throw new UsageError('expected one FILE to import', 'import');
  const file = positionals[0]!;
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(resolveUserPath(file)));
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${describeFsError(error)}`);
  }
  const { importBytes, parseLabels } = await import('@mphate/server');
  return withStore(values.data, async (store) => {
    try {
      const id = await importBytes(store, bytes, {
        ...(values.name !== undefined ? { name: values.name } : {}),
        ...(values.labels !== undefined ? { labels: parseLabels(values.labels) } : {}),
      });
      process.stdout.write(`${id}\n`);
      return 0;
    } catch (error) {
      // Name the file in our refusals; anything else is reported as it is.
      if (error instanceof MphateError) throw new CliError(`${file}: ${error.message}`, error.kind);
      throw error;
    }
  });
}
