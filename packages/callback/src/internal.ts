/**
 * @mphate/callback/internal: the parts behind the public entry, for this repository's tests
 * and benchmarks only. Not a public API: anything here may change without notice.
 */
export { isResolvable } from './backend.js';
export { TraceModel } from './trace-model.js';
export { Transport, type TransportOptions } from './transport.js';
export { selectUnits } from './units.js';
