/**
 * M-PHATE options. Names, ranges, defaults and docs come from the one option table in
 * @mphate/protocol (options/spec.ts); docs/algorithm.md §11 explains the defaults, except
 * `mdsSolver`, which defaults to 'sgd' (what the fixtures' reference used).
 */
import {
  defaultsOf,
  LIVE_OPTIONS,
  type LiveOptionValues,
  MPHATE_OPTIONS,
  type MphateOptionValues,
} from '@mphate/protocol/options';

/** The batch options (see MPHATE_OPTIONS for each one's range and default) and a progress listener. */
export type MphateOptions = MphateOptionValues & {
  /** Called with each phase's name and the fraction done of that phase (0..1). */
  onProgress?: ProgressListener;
};

/** What the live engine may trade for speed (see LIVE_OPTIONS; docs/mphate.md, "Live mode"). */
export type LiveOptions = LiveOptionValues;

export type IncrementalOptions = MphateOptions & { live?: LiveOptions };

export interface Progress {
  /** One of PHASES. */
  phase: Phase;
  /** Fraction of this phase done, 0..1. */
  fraction: number;
}

export type ProgressListener = (progress: Progress) => void;

/** Every phase of an embedding, in the order they run. Timings use the same names. */
export const PHASES = [
  'normalize',
  'pca',
  'intraslice',
  'interslice',
  'kernel',
  'landmarks',
  'entropy',
  'power',
  'potential',
  'mds',
  'interpolate',
] as const;
export type Phase = (typeof PHASES)[number];

export type ResolvedOptions = Required<MphateOptionValues> & { onProgress?: ProgressListener };

export const DEFAULT_OPTIONS = defaultsOf(MPHATE_OPTIONS);
export const LIVE_DEFAULTS = defaultsOf(LIVE_OPTIONS);
