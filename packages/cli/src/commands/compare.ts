/**
 * `mphate compare TRACE.npy [--methods LIST] [--out DIR] [--json] [--seed S]`: embeds one trace
 * with M-PHATE and the paper's comparison methods (docs/algorithm.md §12.4) plus PCA and UMAP,
 * scores each with intraslice and interslice neighbourhood preservation at k = 10 and 40
 * against the raw trace, and prints the table with methods as columns. Progress goes to stderr.
 */
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CompareResult, MethodName } from '@mphate/methods';
import { encodeNpy, MPHATE_OPTIONS } from '@mphate/protocol';
import { writeOutput } from '../coords-file.js';
import { CliError, UsageError } from '../errors.js';
import { methodFlag, parseCommandLine, seedFlag } from '../flags.js';
import { resolveUserPath } from '../paths.js';
import { formatDuration } from '../progress.js';
import { readTraceFile } from '../trace-file.js';

export const usage = `Usage: mphate compare TRACE.npy [--methods LIST] [--out DIR] [--json] [--seed S]

Embeds the trace with each method and prints how well each preserves the neighbourhoods of
the raw trace: intraslice (a unit's nearest units at the same epoch) and interslice (a unit's
nearest epochs of itself), at k = 10 and 40, as in Table 1 of Gigante et al. (2019).

Methods (default: all, in this order):
  m-phate       M-PHATE with its defaults
  dm            diffusion maps of the M-PHATE kernel
  isomap        Isomap on the M-PHATE kernel (shortest paths, edge length -ln K)
  tsne          t-SNE on those geodesic distances
  phate         PHATE on the flattened points (knn 5, decay 40, gamma 1, 2000 landmarks)
  naive-dm      diffusion maps of that PHATE graph
  naive-isomap  scikit-learn's Isomap() defaults on the flattened points
  naive-tsne    scikit-learn 1.2's TSNE() defaults on the flattened points
  pca           2-D PCA of the flattened points
  umap          umap-js defaults on the flattened points

isomap, tsne and naive-isomap need dense N x N geodesic distances and embed at most 6,000
points (epochs x units); when the trace is larger than a requested method embeds, every
method embeds the same subsample, every k-th epoch from the first, and the table says so.

Options:
      --methods LIST   comma-separated method names (default: all)
  -o, --out DIR        write DIR/METHOD.npy (float32 N x 2, row epoch * units + unit of the
                       embedded epochs), DIR/compare.svg (the embeddings coloured by epoch)
                       and DIR/compare.json (the table)
      --seed S         seed for every random stage, integer >= 0 (default 42)
      --json           print only the table as one JSON object on stdout
  -h, --help           show this help

Paths are relative to the directory you run the command from.`;

const OPTIONS = {
  methods: { type: 'string' },
  out: { type: 'string', short: 'o' },
  seed: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export interface CompareArgs {
  trace: string;
  methods: MethodName[] | undefined;
  out: string | undefined;
  seed: number;
  json: boolean;
}

export function parseCompareArgs(argv: string[]): CompareArgs {
  const { values, positionals } = parseCommandLine(argv, OPTIONS);
  if (positionals.length === 0) throw new UsageError('missing the trace file (TRACE.npy)', 'compare');
  if (positionals.length > 1)
    throw new UsageError(
      `expected one trace file, got ${positionals.length}: ${positionals.join(' ')}`,
      'compare',
    );
  let methods: MethodName[] | undefined;
  if (values.methods !== undefined) {
    const names = values.methods
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    if (names.length === 0) throw new UsageError('--methods is empty', 'compare');
    methods = names.map((name) => methodFlag('compare', '--methods', name));
    const twice = methods.find((m, i) => methods!.indexOf(m) !== i);
    if (twice) throw new UsageError(`--methods names ${twice} twice`, 'compare');
  }
  if (values.out === '') throw new UsageError('--out needs a directory', 'compare');
  const seed = values.seed === undefined ? MPHATE_OPTIONS.seed.default : seedFlag('compare', values.seed);
  return { trace: positionals[0]!, methods, out: values.out, seed, json: values.json };
}

/** The --json table: stable field names, coordinates left out (they go to --out). */
export function compareJson(result: CompareResult, out: string | undefined) {
  return {
    epochs: result.epochs,
    units: result.units,
    samples: result.samples,
    points: result.points,
    seed: result.seed,
    subsample: result.subsample,
    methods: result.results.map((r) => ({
      method: r.method,
      label: r.label,
      seconds: Math.round(r.ms) / 1000,
      ...r.scores,
    })),
    ...(out ? { out } : {}),
  };
}

export async function run(argv: string[]): Promise<number> {
  const args = parseCompareArgs(argv);
  const outDir = args.out === undefined ? undefined : resolveUserPath(args.out);
  const trace = await readTraceFile(resolveUserPath(args.trace), args.trace);
  // Loaded only now: the methods bring core and tfjs.
  const { compareMethods, compareSvg, formatCompareTable, METHOD_NAMES, planSubsample } = await import(
    '@mphate/methods'
  );
  const methods = args.methods ?? [...METHOD_NAMES];
  try {
    planSubsample(trace, methods);
  } catch (error) {
    throw new CliError(`${args.trace}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (outDir) await ensureDirectory(outDir, args.out!);
  const result = await compareMethods(trace, {
    methods,
    seed: args.seed,
    onMethod: ({ method, index, count, done }) => {
      if (done) process.stderr.write(`compare: ${method} done in ${formatDuration(done.ms)}\n`);
      else process.stderr.write(`compare: ${index + 1}/${count} ${method}...\n`);
    },
  });
  if (outDir) {
    for (const r of result.results) {
      const rows = r.coordinates.length / 2;
      const npy = encodeNpy({ shape: [rows, 2], data: Float32Array.from(r.coordinates) });
      await writeOutput(join(outDir, `${r.method}.npy`), npy, join(args.out!, `${r.method}.npy`));
    }
    await writeOutput(join(outDir, 'compare.svg'), compareSvg(result), join(args.out!, 'compare.svg'));
    await writeOutput(
      join(outDir, 'compare.json'),
      `${JSON.stringify(compareJson(result, undefined), null, 2)}\n`,
      join(args.out!, 'compare.json'),
    );
  }
  if (args.json) process.stdout.write(`${JSON.stringify(compareJson(result, outDir))}\n`);
  else {
    process.stdout.write(formatCompareTable(result));
    if (outDir)
      process.stdout.write(
        `wrote ${result.results.length} coordinate files, compare.svg and compare.json to ${args.out}\n`,
      );
  }
  return 0;
}

async function ensureDirectory(dir: string, shown: string): Promise<void> {
  const s = await stat(dir).catch(() => undefined);
  if (s && !s.isDirectory()) throw new CliError(`--out ${shown}: exists and is not a directory`);
  if (!s)
    await mkdir(dir, { recursive: true }).catch((error: Error) => {
      throw new CliError(`--out ${shown}: cannot create the directory: ${error.message}`);
    });
}
