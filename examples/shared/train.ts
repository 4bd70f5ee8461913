/** Helpers the examples share around model.fit: a progress logger and tensor bookkeeping. */
import { formatLogs, plainLogs, sessionLink } from './example.js';
import { tf } from './tf.js';

/**
 * A tf.Callback printing one line per epoch with its time. A tf.Callback (not a plain object)
 * so it can sit in the same list as mphateCallback(): tfjs 4.22 treats a callback list as
 * tf.Callback instances only when every entry is one.
 */
export function epochLogger(
  log: (line: string) => void,
  label: string,
  epochs: number,
): tf.CustomCallback & { last: Record<string, number>; epochMs: number[] } {
  let started = performance.now();
  const epochMs: number[] = [];
  const callback = new tf.CustomCallback({
    onEpochBegin: async () => {
      started = performance.now();
    },
    onEpochEnd: async (epoch, logs) => {
      const ms = performance.now() - started;
      epochMs.push(ms);
      // On the returned object itself: a copy made by Object.assign would keep the first, empty logs.
      logger.last = plainLogs(logs as Record<string, unknown>);
      log(`${label}epoch ${epoch + 1}/${epochs}  ${(ms / 1000).toFixed(1)} s  ${formatLogs(logger.last)}`);
    },
  });
  const logger = Object.assign(callback, { last: {} as Record<string, number>, epochMs });
  return logger;
}

/** Median of a list of numbers (per-epoch times). */
export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Disposes every tensor given (ignoring undefined). */
export function disposeAll(...tensors: (tf.Tensor | undefined)[]): void {
  for (const t of tensors) t?.dispose();
}

/**
 * A tf.Callback that prints the dashboard link of the session once the callback has made it
 * (at the first epoch end or batch end), so the user can open the live view straight away.
 */
export function sessionAnnouncer(
  log: (line: string) => void,
  http: string,
  sessionId: () => string | null,
  label = 'Watch this session',
): tf.CustomCallback {
  let shown = false;
  const announce = async () => {
    const id = sessionId();
    if (shown || !id) return;
    shown = true;
    log(`${label}: ${sessionLink(http, id)}`);
  };
  return new tf.CustomCallback({ onEpochEnd: announce, onBatchEnd: announce });
}
