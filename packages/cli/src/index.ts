/** @mphate/cli: the `mphate` command (see bin.ts); helpers shared by its commands. */

export {
  coordsFormat,
  encodeCoordsCsv,
  encodeCoordsNpy,
  formatFloat32,
  writeFileAtomic,
} from './coords-file.js';
export { CliError, reportError, UsageError } from './errors.js';
export { resolveUserPath, userCwd } from './paths.js';
export { createProgressReporter, formatDuration, formatTimings, type ProgressReporter } from './progress.js';
export { readTraceFile } from './trace-file.js';
