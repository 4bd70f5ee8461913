/**
 * `mphate embed TRACE.npy --out COORDS.npy|COORDS.csv [options]`: batch M-PHATE on a trace
 * saved from numpy, coordinates written as .npy or .csv. Progress and timings go to stderr;
 * stdout holds the result line, or with --json only one JSON object.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { Embedding, Trace } from '@mphate/core';
import { METHODS, type MethodName } from '@mphate/methods/registry';
import {
  describeRange,
  isValidOption,
  MPHATE_OPTIONS,
  type MphateOptionValues,
  type OptionSpec,
} from '@mphate/protocol';
import { removePendingTemps } from '@mphate/protocol/node';
import {
  checkOutputPath,
  coordsFormat,
  encodeCoordsCsv,
  encodeCoordsNpy,
  writeOutput,
} from '../coords-file.js';
import { CliError, UsageError } from '../errors.js';
import { methodFlag } from '../flags.js';
import { resolveUserPath } from '../paths.js';
import { createProgressReporter, formatDuration, formatTimings } from '../progress.js';
import { readTraceFile } from '../trace-file.js';

/**
 * The M-PHATE options `embed` exposes: the flag for each option of the option table
 * (@mphate/protocol, options/spec.ts) and its value's placeholder. Type, range, default and
 * help come from the table.
 */
const OPTION_FLAGS = [
  ['seed', 'seed', 'S'],
  ['nLandmark', 'landmarks', 'L'],
  ['t', 't', 'T|auto'],
  ['gamma', 'gamma', 'G'],
  ['intersliceKnn', 'interslice-knn', 'K'],
  ['mdsSolver', 'solver', 'sgd|smacof'],
  ['nComponents', 'components', '2|3'],
] as const satisfies readonly (readonly [keyof typeof MPHATE_OPTIONS, string, string])[];

/** Two lines per option: the flag and its doc, then its range and default. */
function optionHelp(): string {
  return OPTION_FLAGS.map(([name, flag, meta]) => {
    const spec: OptionSpec = MPHATE_OPTIONS[name];
    const left = `      --${flag} ${meta}`.padEnd(28);
    return `${left}${spec.doc}\n${' '.repeat(28)}${describeRange(spec)}, default ${spec.default}`;
  }).join('\n');
}

export const usage = `Usage: mphate embed TRACE.npy --out COORDS.npy|COORDS.csv [options]

Embeds every hidden unit at every epoch of a trace with M-PHATE (Gigante et al., 2019).
TRACE.npy is a float32 (or float64) array of shape (epochs, units, samples), e.g. from
numpy: np.save('trace.npy', X.astype(np.float32)).

Options:
  -o, --out PATH            output file: .npy (float32, N x d) or .csv
                            (slice,epoch,layer,unit,layerUnit,x,y[,z]);
                            rows in order epoch * units + unit (required)
${optionHelp()}
      --method NAME         embed with another method instead (see 'mphate compare --help'):
                            m-phate (default), dm, isomap, tsne, phate, naive-dm,
                            naive-isomap, naive-tsne, pca, umap; 2-D; of the options
                            above only --seed applies to the others
      --json                print only a JSON summary on stdout
  -h, --help                show this help

Paths are relative to the directory you run the command from.`;

const OPTIONS = {
  out: { type: 'string', short: 'o' },
  ...Object.fromEntries(OPTION_FLAGS.map(([, flag]) => [flag, { type: 'string' }])),
  method: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

/** What `embed` was asked to do, validated. */
export interface EmbedArgs {
  trace: string;
  out: string;
  json: boolean;
  /** The method; 'm-phate' unless --method says otherwise. */
  method: MethodName;
  options: MphateOptionValues;
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

  const options: MphateOptionValues = {};
  const given = values as Record<string, string | boolean | undefined>;
  for (const [name, flag] of OPTION_FLAGS) {
    const text = given[flag];
    if (typeof text === 'string')
      (options as Record<string, unknown>)[name] = parseOption(`--${flag}`, name, text);
  }
  if (options.mdsSolver === 'sgd' && options.nComponents === 3) {
    throw usageError('--solver sgd is 2-D only; 3 components always use smacof');
  }
  const method = values.method === undefined ? 'm-phate' : methodFlag('embed', '--method', values.method);
  if (method !== 'm-phate') {
    const flags = OPTION_FLAGS.filter(([name, flag]) => name !== 'seed' && given[flag] !== undefined).map(
      ([, flag]) => `--${flag}`,
    );
    if (flags.length > 0)
      throw usageError(
        `${flags.join(', ')} ${flags.length === 1 ? 'applies' : 'apply'} to --method m-phate only, not ${method}`,
      );
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

/** A flag's text as the option's value, checked against the option table. */
function parseOption(flag: string, name: keyof typeof MPHATE_OPTIONS, text: string): unknown {
  const spec: OptionSpec = MPHATE_OPTIONS[name];
  const t = text.trim();
  let value: unknown = Number.NaN;
  if (spec.kind === 'integerOrAuto' && t === 'auto') value = 'auto';
  else if (spec.kind === 'integer' || spec.kind === 'integerOrAuto') {
    if (/^[+]?\d+$/.test(t)) value = Number(t);
  } else if (spec.kind === 'number') {
    if (t !== '') value = Number(t);
  } else if (spec.kind === 'choice') value = spec.choices.find((c) => String(c) === t) ?? t;
  if (!isValidOption(spec, value)) throw usageError(`${flag} must be ${describeRange(spec)}, got '${text}'`);
  return value;
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
    const progress = createProgressReporter(process.stderr);
    try {
      embedding = await fitTransform(trace, { ...args.options, onProgress: (p) => progress.update(p) });
    } catch (error) {
      // The core's refusals (a NaN, a shape it cannot embed) name the value, not the file: add it.
      if (error instanceof Error && !(error instanceof CliError))
        throw new CliError(`${args.trace}: ${error.message}`);
      throw error;
    } finally {
      progress.finish();
    }
  } else {
    embedding = await embedWithMethod(trace, args.method, args.options.seed ?? MPHATE_OPTIONS.seed.default);
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
    await writeOutput(outPath, bytes, args.out);
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
      `wrote ${embedding.points} x ${embedding.nComponents} coordinates (${plural(trace.epochs, 'slice')} x ${plural(trace.units, 'unit')}; ` +
        `t = ${embedding.t}, ${landmarks}) to ${args.out}\n`,
    );
  }
  return 0;
}

/** "1 slice", "2 slices". */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
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
