/**
 * @mphate/server/internal: the parts behind the public entry, for this repository's tests and
 * benchmarks only. Not a public API: anything here may change without notice.
 */
export { activeClasses } from './active-class.js';
export { isLoopback } from './auth.js';
export { Scheduler } from './scheduler.js';
export { coreThreadsPerWorker } from './worker-pool.js';
