import { INFERENCE_CROSS_ENTROPY, VAL_INFERENCE_CROSS_ENTROPY } from '@mphate/protocol';
import type { LayersModel, Tensor, Tf } from './tf-types.js';

/**
 * The inference-mode cross-entropies behind the memorization error's second variant: a fixed
 * training subset and the validation data, predicted with the network in inference mode (no
 * dropout), at each epoch end. The losses tfjs logs are measured on training batches with
 * dropout active and include penalties; these are not.
 */

/** Inputs and targets (one-hot rows, class ids, or 0/1 for a single sigmoid output). */
export type LabelledData = [x: Tensor | Tensor[], y: Tensor];

export interface InferenceEvalData {
  /** A fixed subset of the training data (a few thousand samples are plenty). */
  train: LabelledData;
  /** The validation data. */
  validation?: LabelledData;
}

/** Predict in batches of this many samples. */
const BATCH = 256;

export function checkInferenceEval(tf: Tf, data: InferenceEvalData | undefined): void {
  if (data === undefined) return;
  const ok = (d: unknown): boolean =>
    Array.isArray(d) &&
    d.length === 2 &&
    d[1] instanceof tf.Tensor &&
    (Array.isArray(d[0]) || d[0] instanceof tf.Tensor);
  if (
    typeof data !== 'object' ||
    data === null ||
    !ok(data.train) ||
    (data.validation !== undefined && !ok(data.validation))
  ) {
    throw new Error('inferenceEval must be { train: [x, y], validation?: [x, y] } with tensors');
  }
}

/** `inference_crossentropy` and `val_inference_crossentropy` of the model now. */
export async function inferenceCrossEntropies(
  tf: Tf,
  model: LayersModel,
  data: InferenceEvalData,
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  out[INFERENCE_CROSS_ENTROPY] = await crossEntropy(tf, model, data.train);
  if (data.validation) out[VAL_INFERENCE_CROSS_ENTROPY] = await crossEntropy(tf, model, data.validation);
  return out;
}

/** Mean cross-entropy of the predictions against `y`: categorical, sparse or binary by their shapes. */
async function crossEntropy(tf: Tf, model: LayersModel, [x, y]: LabelledData): Promise<number> {
  const value = tf.tidy(() => {
    const predicted = model.predict(x, { batchSize: BATCH }) as Tensor;
    const p = Array.isArray(predicted) ? (predicted[0] as Tensor) : predicted;
    const width = p.shape[p.shape.length - 1] ?? 1;
    if (width === 1) return tf.metrics.binaryCrossentropy(y.reshape(p.shape), p).mean();
    if (y.rank === p.rank && y.shape[y.rank - 1] === width)
      return tf.metrics.categoricalCrossentropy(y, p).mean();
    return tf.metrics.categoricalCrossentropy(tf.oneHot(y.reshape([-1]).toInt(), width), p).mean();
  });
  try {
    return (await value.data())[0]!;
  } finally {
    value.dispose();
  }
}
