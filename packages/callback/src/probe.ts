import { LIMITS } from '@mphate/protocol';
import type { LayersModel, Tensor, Tf } from './tf-types.js';

/** The probe batch as the user gives it: a tensor, nested number arrays, or one of either per model input. */
export type ProbeInput = Tensor | Tensor[] | number[] | number[][] | number[][][] | number[][][][];

function isTensor(value: unknown): value is Tensor {
  return (
    typeof value === 'object' &&
    value !== null &&
    'shape' in value &&
    typeof (value as Tensor).dispose === 'function'
  );
}

/**
 * Copies the probe into tensors owned by the tracer (the user may dispose theirs) after checking it
 * against the model's inputs. Throws an Error saying what to fix.
 */
export function prepareProbe(tf: Tf, model: LayersModel, probe: ProbeInput | undefined): Tensor[] {
  if (probe === undefined || probe === null) {
    throw new Error(
      "mphateCallback needs 'probe': a fixed batch of inputs (e.g. 100 test images) as a tensor of shape [n, ...input shape]",
    );
  }
  const inputs = model.inputs;
  const list: unknown[] =
    Array.isArray(probe) && probe.length > 0 && isTensor(probe[0]) ? (probe as Tensor[]) : [probe];
  if (list.length !== inputs.length) {
    throw new Error(
      `the model has ${inputs.length} inputs but the probe gives ${list.length}: pass one probe tensor per model input`,
    );
  }
  const owned: Tensor[] = [];
  try {
    list.forEach((p, i) => {
      const t = isTensor(p) ? p.clone() : tf.tensor(p as number[]);
      owned.push(t);
      const expected = inputs[i]!.shape;
      const where = inputs.length > 1 ? ` for input ${i} ('${inputs[i]!.name}')` : '';
      if (t.shape.length === 0 || t.shape[0] === 0 || t.size === 0) {
        throw new Error(
          `the probe${where} is empty: pass at least 3 samples, shape [n, ${expected.slice(1).join(', ')}]`,
        );
      }
      const fits =
        t.shape.length === expected.length &&
        expected.every((d, k) => k === 0 || d === null || d === t.shape[k]);
      if (!fits) {
        throw new Error(
          `the probe${where} has shape [${t.shape.join(', ')}] but the model expects [n, ${expected
            .slice(1)
            .map((d) => (d === null ? '?' : d))
            .join(', ')}]: reshape the probe to the model's input shape`,
        );
      }
    });
    const samples = owned[0]!.shape[0]!;
    if (owned.some((t) => t.shape[0] !== samples)) {
      throw new Error(
        'the probe tensors of the model inputs have different numbers of samples: give each the same n',
      );
    }
    if (samples < 3)
      throw new Error(`the probe has ${samples} samples: M-PHATE needs at least 3 (100 is typical)`);
    if (samples > LIMITS.maxSamples)
      throw new Error(`the probe has ${samples} samples, more than ${LIMITS.maxSamples}: use fewer`);
    return owned;
  } catch (error) {
    for (const t of owned) t.dispose();
    throw error;
  }
}
