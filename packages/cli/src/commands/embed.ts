/**
 * `mphate embed TRACE.npy --out COORDS.npy|COORDS.csv [options]`: batch M-PHATE on a trace
 * saved from numpy, coordinates written as .npy or .csv. Progress and timings go to stderr;
 * stdout holds the result line, or with --json only one JSON object.
 */
import { parseArgs } from 'node:util';
import type { Embedding, MphateOptions, Trace } from '@mphate/core';
import { METHODS, type MethodName } from '@mphate/methods/registry';
import {
  checkOutputPath,
  coordsFormat,
  encodeCoordsCsv,
  encodeCoordsNpy,
  removePendingTemps,
  writeFileAtomic,
} from '../coords-file.js';
import { CliError, UsageError } from '../errors.js';
import { integerFlag, methodFlag, realFlag, seedFlag } from '../flags.js';
import { resolveUserPath } from '../paths.js';
import { createProgressReporter, formatDuration, formatTimings } from '../progress.js';
import { readTraceFile } from '../trace-file.js';

export const usage = `Usage: mphate embed TRACE.npy --out COORDS.npy|COORDS.csv [options]

Embeds every hidden unit at every epoch of a trace with M-PHATE (Gigante et al., 2019).
TRACE.npy is a float32 (or float64) array of shape (epochs, units, samples), e.g. from
numpy: np.save('trace.npy', X.astype(np.float32)).

Options:
  -o, --out PATH            output file: .npy (float32, N x d) or .csv (slice,unit,x,y[,z]);
                            rows in order epoch * units + unit (required)
      --seed S              seed for every random stage, integer >= 0 (default 42)
      --landmarks L         landmark count when epochs x units > L (default 4000)
      --t T|auto            diffusion time, integer >= 1, or auto (default auto)
      --gamma G             potential, -1 <= G <= 1: 1 log, 0 square root, -1 raw (default 0)
      --interslice-knn K    interslice neighbours (default 25, clamped to epochs - 1)
      --solver sgd|smacof   metric MDS solver for 2-D (default sgd; 3-D always uses smacof)
      --components 2|3      embedding dimensions (default 2)
      --method NAME         embed with another method instead (see 'mphate compare --help'):
                            m-phate (default), dm, isomap, tsne, phate, naive-dm,
                            naive-isomap, naive-tsne, pca, umap; 2-D; the M-PHATE options
                            above apply to m-phate only
      --json                print only a JSON summary on stdout
  -h, --help                show this help

Paths are relative to the directory you run the command from.`;

const OPTIONS = {
  out: { type: 'string', short: 'o' },
  seed: { type: 'string' },
  landmarks: { type: 'string' },
  t: { type: 'string' },
  gamma: { type: 'string' },
  'interslice-knn': { type: 'string' },
  solver: { type: 'string' },
  components: { type: 'string' },
  method: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** What `embed` was asked to do, validated. */
export interface EmbedArgs {
  trace: string;
  out: string;
  json: boolean;
  /** The method; 'm-phate' unless --method says otherwise. */
  method: MethodName;
  options: Omit<MphateOptions, 'onProgress'>;
}

/** Parses and validates the command line; throws UsageError naming the bad flag. */
export function parseEmbedArgs(argv: string[]): EmbedArgs {
  const { values, positionals } = parseArgs({
    args: joinNegativeValues(argv),
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length === 0) throw usageError('missing the trace file (TRACE.npy)');
  if (positionals.length > 1)
    throw usageError(`expected one trace file, got ${positionals.length}: ${positionals.join(' ')}`);
  if (values.out === undefined || values.out === '') throw usageError('missing --out COORDS.npy|COORDS.csv');
  coordsFormat(values.out);

  const options: Omit<MphateOptions, 'onProgress'> = {};
  if (values.seed !== undefined) options.seed = seedFlag('embed', values.seed);
  if (values.landmarks !== undefined)
    options.nLandmark = integerFlag('embed', '--landmarks', values.landmarks, 2);
  if (values.t !== undefined) {
    options.t =
      values.t === 'auto' ? 'auto' : integerFlag('embed', '--t', values.t, 1, undefined, "or 'auto'");
  }
  if (values.gamma !== undefined) options.gamma = realFlag('embed', '--gamma', values.gamma, -1, 1);
  if (values['interslice-knn'] !== undefined) {
    options.intersliceKnn = integerFlag('embed', '--interslice-knn', values['interslice-knn'], 1);
  }
  if (values.components !== undefined) {
    if (values.components !== '2' && values.components !== '3') {
      throw usageError(`--components must be 2 or 3, got '${values.components}'`);
    }
    options.nComponents = values.components === '3' ? 3 : 2;
  }
  if (values.solver !== undefined) {
    if (values.solver !== 'sgd' && values.solver !== 'smacof') {
      throw usageError(`--solver must be sgd or smacof, got '${values.solver}'`);
    }
    if (values.solver === 'sgd' && options.nComponents === 3) {
      throw usageError('--solver sgd is 2-D only; 3 components always use smacof');
    }
    options.mdsSolver = values.solver;
  }
  const method = values.method === undefined ? 'm-phate' : methodFlag('embed', '--method', values.method);
  if (method !== 'm-phate') {
    const mphateOnly = Object.keys(options).filter((key) => key !== 'seed');
    if (mphateOnly.length > 0) {
      const flags = ['landmarks', 't', 'gamma', 'interslice-knn', 'solver', 'components'].filter(
        (flag) => values[flag as keyof typeof values] !== undefined,
      );
      throw usageError(
        `${flags.map((f) => `--${f}`).join(', ')} ${flags.length === 1 ? 'applies' : 'apply'} to --method m-phate only, not ${method}`,
      );
    }
  }
  return { trace: positionals[0]!, out: values.out, json: values.json, method, options };
}

/** `--gamma -1` -> `--gamma=-1`: parseArgs refuses a value that starts with a dash otherwise. */
function joinNegativeValues(argv: string[]): string[] {
  const end = argv.indexOf('--');
  const flags = end < 0 ? argv : argv.slice(0, end);
  const out: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    const arg = flags[i]!;
    const next = flags[i + 1];
    const option = arg.startsWith('--')
      ? (OPTIONS as Record<string, { type: string }>)[arg.slice(2)]
      : undefined;
    if (option?.type === 'string' && next !== undefined && /^-\.?\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return end < 0 ? out : [...out, ...argv.slice(end)];
}

function usageError(message: string): UsageError {
  return new UsageError(message, 'embed');
}

/** Milliseconds to 0.1 ms: the JSON stays readable. */
function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** The --json summary: one object, stable field names. */
export interface EmbedSummary {
  method: MethodName;
  points: number;
  epochs: number;
  units: number;
  samples: number;
  t: number;
  landmarks: number;
  intersliceKnn: number;
  nComponents: 2 | 3;
  backend: string;
  timings: Partial<Record<string, number>>;
  totalMs: number;
  out: string;
}

export async function run(argv: string[]): Promise<number> {
  const args = parseEmbedArgs(argv);
  const tracePath = resolveUserPath(args.trace);
  const outPath = resolveUserPath(args.out);
  const format = coordsFormat(outPath);
  await checkOutputPath(outPath, args.out);

  const trace = await readTraceFile(tracePath, args.trace);
  if (args.method !== 'm-phate') {
    const info = METHODS[args.method];
    const points = trace.epochs * trace.units;
    if (points > info.maxPoints)
      throw new CliError(
        `${args.trace}: ${args.method} embeds at most ${info.maxPoints.toLocaleString('en-US')} points ` +
          `(${info.limitReason}); this trace has ${points.toLocaleString('en-US')} (${trace.epochs} epochs x ${trace.units} units). ` +
          `'mphate compare' subsamples epochs to fit`,
      );
  }
  // Loaded only now: the core brings tfjs, which bad command lines never need.
  const { backendName, fitTransform, PHASES } = await import('@mphate/core');
  const started = performance.now();
  let embedding: Embedding;
  if (args.method === 'm-phate') {
    const progress = createProgressReporter(process.stderr, PHASES);
    try {
      embedding = await fitTransform(trace, { ...args.options, onProgress: (p) => progress.update(p) });
    } finally {
      progress.finish();
    }
  } else {
    embedding = await embedWithMethod(trace, args.method, args.options.seed ?? 42);
  }
  const totalMs = performance.now() - started;

  const bytes = format === 'npy' ? encodeCoordsNpy(embedding) : encodeCoordsCsv(embedding, trace.units);
  // Ctrl-C during the computation ends the process at once (the default; nothing is written
  // before the end). While writing, remove the temporary file first, so an interrupt leaves nothing.
  const interrupted = () => {
    removePendingTemps();
    process.stderr.write('mphate: interrupted; nothing written\n');
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    await writeFileAtomic(outPath, bytes, args.out);
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }

  if (args.method === 'm-phate') process.stderr.write(formatTimings(embedding.timings, totalMs, PHASES));
  else process.stderr.write(`${args.method}: ${formatDuration(totalMs)}\n`);
  const summary: EmbedSummary = {
    method: args.method,
    points: embedding.points,
    epochs: trace.epochs,
    units: trace.units,
    samples: trace.samples,
    t: embedding.t,
    landmarks: embedding.landmarks,
    intersliceKnn: embedding.intersliceKnn,
    nComponents: embedding.nComponents,
    backend: backendName(),
    timings: Object.fromEntries(
      Object.entries(embedding.timings).map(([phase, ms]) => [phase, round(ms ?? 0)]),
    ),
    totalMs: round(totalMs),
    out: outPath,
  };
  if (args.json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } else {
    if (args.method !== 'm-phate') {
      process.stdout.write(
        `wrote ${embedding.points} x 2 coordinates (${trace.epochs} epochs x ${trace.units} units; ${args.method}) to ${args.out}\n`,
      );
      return 0;
    }
    const landmarks = embedding.landmarks > 0 ? `${embedding.landmarks} landmarks` : 'no landmarks';
    process.stdout.write(
      `wrote ${embedding.points} x ${embedding.nComponents} coordinates (${trace.epochs} epochs x ${trace.units} units; ` +
        `t = ${embedding.t}, ${landmarks}) to ${args.out}\n`,
    );
  }
  return 0;
}

/** Another method's 2-D coordinates in the shape of a core Embedding (t and landmarks 0). */
async function embedWithMethod(trace: Trace, method: MethodName, seed: number): Promise<Embedding> {
  const { MethodInputs } = await import('@mphate/methods');
  const { coordinates } = await new MethodInputs(trace, seed).embed(method);
  return {
    coordinates: Float32Array.from(coordinates),
    points: trace.epochs * trace.units,
    nComponents: 2,
    t: 0,
    landmarks: 0,
    intersliceKnn: 0,
    timings: {},
  };
}
