/**
 * The log names behind the memorization error, shared by the callback (which warns when they
 * are missing and adds the inference-mode pair), the dashboard and the examples.
 *
 * The memorization error of Gigante et al. (2019) is, as their scripts compute it, the final
 * validation cross-entropy minus the final training cross-entropy *metric*: Keras's metric, on
 * the training batches (dropout active), with no regularization penalty. tfjs logs that metric
 * under the name it was compiled with (`metrics: ['categoricalCrossentropy']` logs
 * `categoricalCrossentropy` and `val_categoricalCrossentropy`). The logged `loss` is not it: it
 * includes every kernel and activity penalty.
 *
 * The inference-mode variant evaluates a fixed training subset and the validation data with
 * the network in inference mode (no dropout) at each epoch end.
 */

/** Cross-entropy metric names as tfjs (camelCase) and Keras (snake_case) log them. */
const CROSS_ENTROPY = /^(sparse_?)?(categorical|binary)_?cross_?entropy$/i;

/** Log names of the inference-mode cross-entropies (training subset, validation data). */
export const INFERENCE_CROSS_ENTROPY = 'inference_crossentropy';
export const VAL_INFERENCE_CROSS_ENTROPY = `val_${INFERENCE_CROSS_ENTROPY}`;

/** The training cross-entropy metric among log names (not `loss`), or null. */
export function crossEntropyMetric(names: Iterable<string>): string | null {
  for (const name of names) if (CROSS_ENTROPY.test(name)) return name;
  return null;
}

/** How to make a model log it, for the one warning the callback prints. */
export const CROSS_ENTROPY_HINT =
  "compile with a cross-entropy metric, e.g. model.compile({ loss: 'categoricalCrossentropy', " +
  "metrics: ['accuracy', 'categoricalCrossentropy'] }) (or 'sparseCategoricalCrossentropy', " +
  "'binaryCrossentropy'), and fit with validationData or validationSplit";

export interface MemorizationErrors {
  /** val_X - X of the cross-entropy metric X at the last epoch that logs both; null without them. */
  metric: number | null;
  /** The metric's name (e.g. 'categoricalCrossentropy'). */
  metricName: string | null;
  /** val_inference_crossentropy - inference_crossentropy at the last epoch that logs both. */
  inference: number | null;
  /** val_loss - loss (penalties included): shown beside, never called memorization error. */
  lossGap: number | null;
}

/** The memorization errors of a run from its epoch logs (oldest first). */
export function memorizationErrors(epochLogs: readonly Record<string, unknown>[]): MemorizationErrors {
  const names = new Set<string>();
  for (const logs of epochLogs) for (const k of Object.keys(logs)) names.add(k);
  const metricName = crossEntropyMetric([...names].filter((k) => !k.startsWith('val_')));
  return {
    metric: metricName ? lastGap(epochLogs, metricName) : null,
    metricName,
    inference: lastGap(epochLogs, INFERENCE_CROSS_ENTROPY),
    lossGap: lastGap(epochLogs, 'loss'),
  };
}

function lastGap(epochLogs: readonly Record<string, unknown>[], name: string): number | null {
  for (let i = epochLogs.length - 1; i >= 0; i--) {
    const train = epochLogs[i]![name];
    const val = epochLogs[i]![`val_${name}`];
    if (
      typeof train === 'number' &&
      typeof val === 'number' &&
      Number.isFinite(train) &&
      Number.isFinite(val)
    )
      return val - train;
  }
  return null;
}
