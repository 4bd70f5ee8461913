import { type LiveOptions, type MphateOptions, type ResolvedOptions } from './options.js';
import type { Trace } from './types.js';
/** Checks the shape of one slice's worth of data (units x samples) and returns nothing. */
export declare function validateShape(units: number, samples: number): void;
/** Throws naming the first non-finite value as (epoch, unit, sample). */
export declare function validateFinite(data: Float32Array, units: number, samples: number, epochOffset?: number): void;
/** Validates a whole trace: shape, data length, finiteness. */
export declare function validateTrace(trace: Trace): void;
/** Fills defaults and rejects out-of-range options (the option table's ranges) naming the option. */
export declare function resolveOptions(options?: MphateOptions): ResolvedOptions;
/** The live options with defaults filled, rejecting out-of-range ones as `live.<name>`. */
export declare function resolveLiveOptions(live?: LiveOptions): Required<LiveOptions>;
//# sourceMappingURL=validate.d.ts.map