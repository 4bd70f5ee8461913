/**
 * `mphate export ID --out FILE [--data DIR]`: writes a stored session as a snapshot (.mphate),
 * its trace as .npy (slices, units, samples), or its latest embedding as .csv. Works directly
 * on the SQLite store, also while a server runs on it (WAL).
 */
import { extname } from 'node:path';
import { SERVER_DEFAULTS } from '@mphate/server/defaults';
import { writeOutput } from '../coords-file.js';
import { CliError, UsageError } from '../errors.js';
import { parseCommandLine } from '../flags.js';
import { resolveUserPath } from '../paths.js';
import { withStore } from '../store-folder.js';

export const usage = `Usage: mphate export ID --out FILE.mphate|FILE.npy|FILE.csv [options]

Exports a stored session: .mphate writes the whole session as a snapshot (import it with
'mphate import' or the dashboard), .npy the trace (slices, units, samples) as float32,
.csv the latest embedding (slice,epoch,layer,unit,layerUnit,x,y[,z]).
ID may be a unique prefix of the session id.

Options:
  -o, --out FILE      output file; its extension picks the format (required)
      --data DIR      folder of the session store (default ${SERVER_DEFAULTS.dataDir})
  -h, --help          show this help`;

const OPTIONS = {
  out: { type: 'string', short: 'o' },
  data: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, OPTIONS);
  if (positionals.length !== 1) throw new UsageError('expected one session ID', 'export');
  const out = values.out;
  if (!out) throw new UsageError('missing --out FILE.mphate|FILE.npy|FILE.csv', 'export');
  const format = extname(out).toLowerCase();
  if (format !== '.mphate' && format !== '.npy' && format !== '.csv') {
    throw new UsageError(`--out must end in .mphate, .npy or .csv, got '${out}'`, 'export');
  }
  const { exportSnapshot, exportTraceNpy, embeddingCsv } = await import('@mphate/server');
  return withStore(values.data, async (store) => {
    const wanted = positionals[0]!;
    const matches = store.listSessions().filter((s) => s.id === wanted || s.id.startsWith(wanted));
    if (matches.length === 0) throw new CliError(`no session '${wanted}' in ${store.dataDir}`);
    if (matches.length > 1)
      throw new CliError(`'${wanted}' matches ${matches.length} sessions; give more of the id`);
    const session = matches[0]!;
    let data: Uint8Array | string;
    if (format === '.mphate') data = (await exportSnapshot(store, session.id))!;
    else if (format === '.npy') data = exportTraceNpy(store, session.id)!;
    else {
      const embedding = store.getEmbedding(session.id);
      if (!embedding)
        throw new CliError(`session ${session.id} has no embedding yet (run 'mphate serve' to compute it)`);
      data = embeddingCsv(store, session, embedding);
    }
    await writeOutput(resolveUserPath(out), data, out);
    process.stderr.write(`wrote ${out} (session ${session.id}, ${session.slices} slices)\n`);
    return 0;
  });
}
