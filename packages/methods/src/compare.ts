/**
 * `compare`: embed one trace with several methods and score each with the paper's four
 * measures (docs/algorithm.md §12.4: intraslice and interslice neighbourhood preservation at
 * k = 10 and 40, against the raw trace, core's `neighbourhoodPreservation`). When the trace is
 * larger than some requested method embeds, every method embeds the same subsample
 * (subsample.ts), and the result says so.
 */
import { neighbourhoodPreservation, type Trace } from '@mphate/core';
import { MethodInputs } from './methods.js';
import { METHOD_NAMES, METHODS, type MethodName } from './registry.js';
import { type Subsample, subsampleSlices } from './subsample.js';

export interface Scores {
  intra10: number;
  inter10: number;
  intra40: number;
  inter40: number;
}

export interface MethodResult {
  method: MethodName;
  label: string;
  /** Milliseconds, shared inputs included (see MethodInputs). */
  ms: number;
  scores: Scores;
  /** points x 2, row `slice * units + unit` of the embedded (maybe subsampled) trace. */
  coordinates: Float64Array;
}

export interface CompareResult {
  epochs: number;
  units: number;
  samples: number;
  points: number;
  /** Set when the trace was subsampled for every method. */
  subsample: {
    step: number;
    slices: number[];
    points: number;
    /** The smallest limit among the requested methods, and the methods that set it. */
    limit: number;
    limitedBy: MethodName[];
  } | null;
  seed: number;
  results: MethodResult[];
}

export interface CompareOptions {
  methods?: readonly MethodName[];
  seed?: number;
  /** Called before each method runs and after it ends. */
  onMethod?: (event: { method: MethodName; index: number; count: number; done?: MethodResult }) => void;
}

/** The four scores of one embedding of `trace`. */
export function scoreEmbedding(trace: Trace, coordinates: Float64Array | Float32Array, d = 2): Scores {
  const k10 = neighbourhoodPreservation(trace, coordinates, d, 10);
  const k40 = neighbourhoodPreservation(trace, coordinates, d, 40);
  return {
    intra10: k10.intraslice,
    inter10: k10.interslice,
    intra40: k40.intraslice,
    inter40: k40.interslice,
  };
}

/** The subsample `compare` would embed for these methods, or null when the whole trace fits. */
export function planSubsample(
  trace: Trace,
  methods: readonly MethodName[],
): { sample: Subsample; limit: number; limitedBy: MethodName[] } | null {
  const limit = Math.min(...methods.map((m) => METHODS[m].maxPoints));
  if (trace.epochs * trace.units <= limit) return null;
  const sample = subsampleSlices(trace, limit);
  const limitedBy = methods.filter((m) => METHODS[m].maxPoints === limit);
  if (!sample)
    throw new Error(
      `one slice has ${trace.units.toLocaleString('en-US')} units, more than ${limitedBy.join(', ')} embed(s) ` +
        `(${limit.toLocaleString('en-US')} points: ${METHODS[limitedBy[0]!].limitReason}); leave ${limitedBy.join(', ')} out`,
    );
  return { sample, limit, limitedBy };
}

export async function compareMethods(trace: Trace, options: CompareOptions = {}): Promise<CompareResult> {
  const methods = options.methods ?? METHOD_NAMES;
  if (methods.length === 0) throw new Error('compare: no methods given');
  const seed = options.seed ?? 42;
  const plan = planSubsample(trace, methods);
  const embedded = plan ? plan.sample.trace : trace;
  const inputs = new MethodInputs(embedded, seed);
  const results: MethodResult[] = [];
  for (const [index, method] of methods.entries()) {
    options.onMethod?.({ method, index, count: methods.length });
    const { coordinates, ms } = await inputs.embed(method);
    const result = {
      method,
      label: METHODS[method].label,
      ms,
      scores: scoreEmbedding(embedded, coordinates),
      coordinates,
    };
    results.push(result);
    options.onMethod?.({ method, index, count: methods.length, done: result });
  }
  return {
    epochs: trace.epochs,
    units: trace.units,
    samples: trace.samples,
    points: trace.epochs * trace.units,
    subsample: plan
      ? {
          step: plan.sample.step,
          slices: plan.sample.slices,
          points: embedded.epochs * embedded.units,
          limit: plan.limit,
          limitedBy: plan.limitedBy,
        }
      : null,
    seed,
    results,
  };
}

const ROWS: [keyof Scores, string][] = [
  ['intra10', 'intraslice k=10'],
  ['inter10', 'interslice k=10'],
  ['intra40', 'intraslice k=40'],
  ['inter40', 'interslice k=40'],
];

/** The table as text: methods as columns (as the paper prints it), scores to 3 decimals, time in s. */
export function formatCompareTable(result: CompareResult): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const lines = [
    `trace: ${result.epochs} slices x ${result.units} units x ${result.samples} samples (${n(result.points)} points), seed ${result.seed}`,
  ];
  const s = result.subsample;
  if (s)
    lines.push(
      `subsampled for every method: every ${ordinal(s.step)} slice (${s.slices.length} of ${result.epochs}), ` +
        `${n(s.points)} points; ${s.limitedBy.join(', ')} embed at most ${n(s.limit)}`,
    );
  const head = ['', ...result.results.map((r) => r.method)];
  const body = ROWS.map(([key, name]) => [name, ...result.results.map((r) => r.scores[key].toFixed(3))]);
  body.push(['time (s)', ...result.results.map((r) => (r.ms / 1000).toFixed(1))]);
  const widths = head.map((h, c) => Math.max(h.length, ...body.map((row) => row[c]!.length)));
  const fmt = (row: string[]) =>
    row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  lines.push(fmt(head), ...body.map(fmt));
  return `${lines.join('\n')}\n`;
}

function ordinal(k: number): string {
  const suffix =
    k % 10 === 1 && k % 100 !== 11
      ? 'st'
      : k % 10 === 2 && k % 100 !== 12
        ? 'nd'
        : k % 10 === 3 && k % 100 !== 13
          ? 'rd'
          : 'th';
  return `${k}${suffix}`;
}
