/**
 * M-PHATE options. Names, ranges, defaults and docs come from the one option table in
 * @mphate/protocol (options/spec.ts); docs/algorithm.md §11 explains the defaults, except
 * `mdsSolver`, which defaults to 'sgd' (what the fixtures' reference used).
 */
import { defaultsOf, LIVE_OPTIONS, MPHATE_OPTIONS, } from '@mphate/protocol/options';
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
];
export const DEFAULT_OPTIONS = defaultsOf(MPHATE_OPTIONS);
export const LIVE_DEFAULTS = defaultsOf(LIVE_OPTIONS);
//# sourceMappingURL=options.js.map