/**
 * The one table of M-PHATE options: name, kind, range, default and one line of doc. Core's
 * defaults and validation, the session options' validator and type, and the CLI's flags and
 * help are all derived from it (docs/algorithm.md §11 lists the same defaults with their reasons).
 * No dependencies: core and protocol both import it.
 */

/** One option's row of the table. Ranges are inclusive unless `minOpen` / `maxOpen`. */
export type OptionSpec =
  | { kind: 'integer'; min: number; max: number; default: number; doc: string }
  | {
      kind: 'number';
      min: number;
      max: number;
      minOpen?: boolean;
      maxOpen?: boolean;
      default: number;
      doc: string;
    }
  | { kind: 'integerOrAuto'; min: number; max: number; default: number | 'auto'; doc: string }
  | { kind: 'choice'; choices: readonly (string | number)[]; default: string | number; doc: string }
  | { kind: 'boolean'; default: boolean; doc: string };

export type OptionTable = Readonly<Record<string, OptionSpec>>;

/** The value type of one row. */
export type OptionValue<S extends OptionSpec> = S extends { kind: 'integer' | 'number' }
  ? number
  : S extends { kind: 'integerOrAuto' }
    ? number | 'auto'
    : S extends { kind: 'boolean' }
      ? boolean
      : S extends { choices: readonly (infer C)[] }
        ? C
        : never;

/** Every option of a table, each optional. */
export type OptionValues<T extends OptionTable> = { -readonly [K in keyof T]?: OptionValue<T[K]> };

/** The batch options (the reference implementation's parameters in camelCase, with its defaults). */
export const MPHATE_OPTIONS = {
  nComponents: {
    kind: 'choice',
    choices: [2, 3],
    default: 2,
    doc: 'embedding dimensions; 3 always uses SMACOF',
  },
  intrasliceKnn: {
    kind: 'integer',
    min: 1,
    max: 10_000,
    default: 2,
    doc: 'k of the intraslice kernel: bandwidth = distance to the k-th nearest other unit',
  },
  intersliceKnn: {
    kind: 'integer',
    min: 1,
    max: 10_000,
    default: 25,
    doc: "k' of the interslice kernel (clamped to epochs - 1)",
  },
  decay: {
    kind: 'number',
    min: 0,
    minOpen: true,
    max: 1_000,
    default: 5,
    doc: 'alpha of the intraslice kernel exp(-(d/sigma)^alpha)',
  },
  thresh: {
    kind: 'number',
    min: 0,
    max: 1,
    maxOpen: true,
    default: 1e-4,
    doc: 'affinities below this are dropped',
  },
  nPca: {
    kind: 'integer',
    min: 1,
    max: 65_536,
    default: 100,
    doc: 'PCA components applied to the probe samples when samples > nPca',
  },
  nLandmark: {
    kind: 'integer',
    min: 10,
    max: 1_000_000,
    default: 4000,
    doc: 'landmark count when epochs x units exceeds it',
  },
  nSvd: {
    kind: 'integer',
    min: 1,
    max: 10_000,
    default: 100,
    doc: 'spectral components for the landmark clustering',
  },
  t: {
    kind: 'integerOrAuto',
    min: 1,
    max: 10_000,
    default: 'auto',
    doc: 'diffusion time, or auto (knee of the von Neumann entropy)',
  },
  gamma: {
    kind: 'number',
    min: -1,
    max: 1,
    default: 0,
    doc: 'potential: 1 log, 0 square root, -1 raw',
  },
  mdsSolver: {
    kind: 'choice',
    choices: ['sgd', 'smacof'],
    default: 'sgd',
    doc: 'metric MDS solver for 2-D (3-D always uses SMACOF)',
  },
  seed: {
    kind: 'integer',
    min: 0,
    max: 0xffff_ffff,
    default: 42,
    doc: 'seed for every random stage (landmark SVD, k-means, MDS)',
  },
} as const satisfies OptionTable;

/** What the live engine may trade for speed (docs/mphate.md, "Live mode", gives the measurements). */
export const LIVE_OPTIONS = {
  nLandmark: {
    kind: 'integer',
    min: 10,
    max: 1_000_000,
    default: 1000,
    doc: 'landmark count of the live engine once epochs x units exceeds it',
  },
  sweeps: {
    kind: 'integer',
    min: 1,
    max: 1_000,
    default: 10,
    doc: 'SGD sweeps of a warm-started frame (a cold frame uses the reference 30)',
  },
  reclusterGrowth: {
    kind: 'number',
    min: 1,
    minOpen: true,
    max: 100,
    default: 1.25,
    doc: 're-cluster the landmarks once the point count has grown by this factor',
  },
  warmStart: {
    kind: 'boolean',
    default: true,
    doc: 'start MDS from the previous frame (else from classic MDS every frame)',
  },
  epsilonTolerance: {
    kind: 'number',
    min: 0,
    max: 1,
    default: 0.02,
    doc: 'an era ends when the batch epsilon has moved by more than this (relative)',
  },
  degreeTolerance: {
    kind: 'number',
    min: 0,
    max: 1,
    default: 0.05,
    doc: "a slice's landmark terms are recomputed once its degrees drift by more than this",
  },
} as const satisfies OptionTable;

export type MphateOptionValues = OptionValues<typeof MPHATE_OPTIONS>;
export type LiveOptionValues = OptionValues<typeof LIVE_OPTIONS>;

/** The defaults column of a table, frozen. */
export function defaultsOf<T extends OptionTable>(table: T): Readonly<Required<OptionValues<T>>> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(table)) out[name] = spec.default;
  return Object.freeze(out) as Required<OptionValues<T>>;
}

function quote(v: string | number): string {
  return typeof v === 'string' ? `'${v}'` : String(v);
}

function orList(items: string[]): string {
  return items.length <= 2 ? items.join(' or ') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/** The accepted values in words: "an integer from 1 to 10000", "a number in [0, 1)", "2 or 3". */
export function describeRange(spec: OptionSpec): string {
  switch (spec.kind) {
    case 'integer':
      return `an integer from ${spec.min} to ${spec.max}`;
    case 'integerOrAuto':
      return `'auto' or an integer from ${spec.min} to ${spec.max}`;
    case 'number':
      if (!spec.minOpen && !spec.maxOpen) return `a number from ${spec.min} to ${spec.max}`;
      return `a number in ${spec.minOpen ? '(' : '['}${spec.min}, ${spec.max}${spec.maxOpen ? ')' : ']'}`;
    case 'choice':
      return orList(spec.choices.map(quote));
    case 'boolean':
      return 'true or false';
  }
}

/** Whether `value` is an accepted value of the option. */
export function isValidOption(spec: OptionSpec, value: unknown): boolean {
  switch (spec.kind) {
    case 'integerOrAuto':
    case 'integer':
      if (spec.kind === 'integerOrAuto' && value === 'auto') return true;
      return typeof value === 'number' && Number.isInteger(value) && value >= spec.min && value <= spec.max;
    case 'number':
      return (
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (spec.minOpen ? value > spec.min : value >= spec.min) &&
        (spec.maxOpen ? value < spec.max : value <= spec.max)
      );
    case 'choice':
      return (spec.choices as readonly unknown[]).includes(value);
    case 'boolean':
      return typeof value === 'boolean';
  }
}

/**
 * Checks the options of `table` present in `value` (undefined ones are skipped) and returns them
 * typed; `fail` throws the caller's error with a message naming `${path}.${name}` and the range.
 * Keys not in the table are refused unless listed in `allow` (left for the caller to check).
 */
export function checkOptions<T extends OptionTable>(
  table: T,
  value: Record<string, unknown>,
  fail: (message: string) => never,
  o: { path?: string; allow?: readonly string[]; unknown?: 'refuse' | 'ignore' } = {},
): OptionValues<T> {
  const at = (name: string) => (o.path ? `${o.path}.${name}` : name);
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const spec = table[name];
    if (!spec) {
      if ((o.unknown ?? 'refuse') === 'refuse' && !o.allow?.includes(name))
        fail(`${o.path ?? 'options'} has an unknown option '${name}'`);
      continue;
    }
    if (!isValidOption(spec, v)) fail(`${at(name)} must be ${describeRange(spec)}, got ${show(v)}`);
    out[name] = v;
  }
  return out as OptionValues<T>;
}

function show(v: unknown): string {
  if (typeof v === 'string') return `'${v.length > 40 ? `${v.slice(0, 40)}...` : v}'`;
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  return typeof v;
}
