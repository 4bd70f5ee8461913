/**
 * `mphate export ID --out FILE [--data DIR]`: writes a stored session as a snapshot (.mphate),
 * its trace as .npy (slices, units, samples), its latest embedding as .csv, or a publication
 * figure of it as .svg (@mphate/figure, the renderer the dashboard uses). Works directly on the
 * SQLite store, also while a server runs on it (WAL).
 */
import { extname } from 'node:path';
import { SERVER_DEFAULTS } from '@mphate/server/defaults';
import { writeOutput } from '../coords-file.js';
import { CliError, UsageError } from '../errors.js';
import { parseCommandLine } from '../flags.js';
import { resolveUserPath } from '../paths.js';
import { withStore } from '../store-folder.js';

export const usage = `Usage: mphate export ID --out FILE.mphate|FILE.npy|FILE.csv|FILE.svg [options]

Exports a stored session: .mphate writes the whole session as a snapshot (import it with
'mphate import' or the dashboard), .npy the trace (slices, units, samples) as float32,
.csv the latest embedding (slice,epoch,layer,unit,layerUnit,x,y[,z]), .svg a figure of the
latest embedding (legend of every class or layer, axis labels; the dashboard's SVG button
draws the same). ID may be a unique prefix of the session id.

Options:
  -o, --out FILE      output file; its extension picks the format (required)
      --data DIR      folder of the session store (default ${SERVER_DEFAULTS.dataDir})
      --color MODE    .svg only: slice, epoch, layer or class (default class with probe
                      labels, else slice)
  -h, --help          show this help`;

const COLORINGS = ['slice', 'epoch', 'layer', 'class'] as const;

const OPTIONS = {
  out: { type: 'string', short: 'o' },
  data: { type: 'string' },
  color: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, OPTIONS);
  if (positionals.length !== 1) throw new UsageError('expected one session ID', 'export');
  if (!values.out) throw new UsageError('missing --out FILE.mphate|FILE.npy|FILE.csv|FILE.svg', 'export');
  const format = extname(values.out).toLowerCase();
  if (format !== '.mphate' && format !== '.npy' && format !== '.csv' && format !== '.svg') {
    throw new UsageError(`--out must end in .mphate, .npy, .csv or .svg, got '${values.out}'`, 'export');
  }
  const color = values.color as (typeof COLORINGS)[number] | undefined;
  if (color !== undefined && !COLORINGS.includes(color)) {
    throw new UsageError(`--color must be one of ${COLORINGS.join(', ')}, got '${values.color}'`, 'export');
  }
  const { exportSnapshot, exportTraceNpy, embeddingCsv } = await import('@mphate/server');
  const out = values.out;
  return withStore(
    values.data,
    async (store) => {
      const wanted = positionals[0]!;
      const matches = (await store.listSessions()).filter((s) => s.id === wanted || s.id.startsWith(wanted));
      if (matches.length === 0) throw new CliError(`no session '${wanted}' in ${store.dataDir}`);
      if (matches.length > 1)
        throw new CliError(`'${wanted}' matches ${matches.length} sessions; give more of the id`);
      const session = matches[0]!;
      let data: Uint8Array | string;
      if (format === '.mphate') data = (await exportSnapshot(store, session.id))!;
      else if (format === '.npy') data = (await exportTraceNpy(store, session.id))!;
      else {
        const embedding = await store.getEmbedding(session.id);
        if (!embedding)
          throw new CliError(`session ${session.id} has no embedding yet (run 'mphate serve' to compute it)`);
        if (format === '.csv') data = await embeddingCsv(store, session, embedding);
        else {
          const { figureSvg, sessionFigure } = await import('@mphate/figure');
          const header = session.header;
          const labelled = Boolean(header.probeLabels);
          if (color === 'class' && !labelled)
            throw new CliError(`session ${session.id} has no probe labels: colour by slice, epoch or layer`);
          data = figureSvg(
            sessionFigure({
              name: session.name,
              slices: embedding.slices,
              units: session.units,
              dims: embedding.nComponents,
              coordinates: embedding.coordinates,
              layers: header.layers,
              ...(labelled
                ? { activeClass: await store.activeClasses(session.id, session.units, embedding.slices) }
                : {}),
              ...(header.classNames ? { classNames: header.classNames } : {}),
              epochs: (await store.sliceMetas(session.id)).map((m) => m.epoch),
              coloring: color ?? (labelled ? 'class' : 'slice'),
            }),
          );
        }
      }
      await writeOutput(resolveUserPath(out), data, out);
      process.stderr.write(`wrote ${out} (session ${session.id}, ${session.slices} slices)\n`);
      return 0;
    },
    { existing: true },
  );
}
