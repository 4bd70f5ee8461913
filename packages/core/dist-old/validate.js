import { checkOptions, LIVE_OPTIONS, MPHATE_OPTIONS } from '@mphate/protocol/options';
import { MphateInputError } from './errors.js';
import { DEFAULT_OPTIONS, LIVE_DEFAULTS, } from './options.js';
/** Checks the shape of one slice's worth of data (units x samples) and returns nothing. */
export function validateShape(units, samples) {
    if (!Number.isInteger(units) || units < 1)
        throw new MphateInputError(`no units: units must be >= 1, got ${units}`);
    if (!Number.isInteger(samples) || samples < 3)
        throw new MphateInputError(`fewer than 3 probe samples: samples must be >= 3, got ${samples}`);
}
/** Throws naming the first non-finite value as (epoch, unit, sample). */
export function validateFinite(data, units, samples, epochOffset = 0) {
    for (let p = 0; p < data.length; p++) {
        const v = data[p];
        if (!Number.isFinite(v)) {
            const row = Math.floor(p / samples);
            const epoch = epochOffset + Math.floor(row / units);
            const unit = row % units;
            const what = Number.isNaN(v) ? 'NaN' : v > 0 ? 'Inf' : '-Inf';
            throw new MphateInputError(`${what} at epoch ${epoch}, unit ${unit}, sample ${p % samples}`);
        }
    }
}
/** Validates a whole trace: shape, data length, finiteness. */
export function validateTrace(trace) {
    if (trace === null || typeof trace !== 'object')
        throw new MphateInputError('trace must be an object');
    const { epochs, units, samples, data } = trace;
    if (!Number.isInteger(epochs) || epochs < 1)
        throw new MphateInputError(`epochs must be >= 1, got ${epochs}`);
    validateShape(units, samples);
    if (!(data instanceof Float32Array))
        throw new MphateInputError('trace.data must be a Float32Array');
    const expected = epochs * units * samples;
    if (data.length !== expected)
        throw new MphateInputError(`trace.data has length ${data.length}, expected epochs x units x samples = ${epochs} x ${units} x ${samples} = ${expected}`);
    validateFinite(data, units, samples);
}
const fail = (message) => {
    throw new MphateInputError(message);
};
/** Fills defaults and rejects out-of-range options (the option table's ranges) naming the option. */
export function resolveOptions(options = {}) {
    const { onProgress, ...rest } = options;
    if (onProgress !== undefined && typeof onProgress !== 'function')
        throw new MphateInputError('onProgress must be a function');
    // other keys (`live`, a caller's own) are left to the caller
    const o = {
        ...DEFAULT_OPTIONS,
        ...checkOptions(MPHATE_OPTIONS, rest, fail, { unknown: 'ignore' }),
        onProgress,
    };
    // The reference coerces gamma in (0.99, 1) to 0.99.
    if (o.gamma > 0.99 && o.gamma < 1)
        o.gamma = 0.99;
    return o;
}
/** The live options with defaults filled, rejecting out-of-range ones as `live.<name>`. */
export function resolveLiveOptions(live = {}) {
    return { ...LIVE_DEFAULTS, ...checkOptions(LIVE_OPTIONS, live, fail, { path: 'live' }) };
}
//# sourceMappingURL=validate.js.map