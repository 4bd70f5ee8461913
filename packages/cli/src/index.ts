/** @mphate/cli: the `mphate` command (see bin.ts); helpers shared by its commands, tested directly. */

export { coordsFormat, encodeCoordsCsv, encodeCoordsNpy, writeOutput } from './coords-file.js';
export { CliError, exitCode, reportError, UsageError } from './errors.js';
export { resolveUserPath, userCwd } from './paths.js';
export { createProgressReporter, formatDuration, formatTimings, type ProgressReporter } from './progress.js';
export { readTraceFile } from './trace-file.js';
