import type { Tensor } from '@tensorflow/tfjs';

/**
 * Probe labels as the user has them: class ids (array, typed array or rank-1 tensor) or one-hot
 * rows (array of arrays or rank-2 tensor). The session header wants one class id per sample.
 */
export type ProbeLabels = ArrayLike<number> | ArrayLike<ArrayLike<number>> | Tensor;

const MAX_CLASSES = 1000;

function isTensor(value: unknown): value is Tensor {
  return (
    typeof value === 'object' &&
    value !== null &&
    'shape' in value &&
    typeof (value as Tensor).arraySync === 'function'
  );
}

function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

/** Class id per probe sample. Throws an Error saying what to fix when the labels do not fit. */
export function toClassIds(labels: ProbeLabels, samples: number, classNames?: readonly string[]): number[] {
  const raw: unknown = isTensor(labels) ? labels.arraySync() : labels;
  if (raw === null || typeof raw !== 'object' || typeof (raw as ArrayLike<unknown>).length !== 'number') {
    throw new Error(
      'probeLabels must be class ids (array or tensor) or one-hot rows (array of arrays or 2-D tensor)',
    );
  }
  const rows = Array.from(raw as ArrayLike<unknown>);
  if (rows.length !== samples) {
    throw new Error(
      `probeLabels has ${rows.length} labels but the probe has ${samples} samples: give one label per probe sample`,
    );
  }
  const ids = rows.map((row, i) => {
    const id = typeof row === 'number' ? row : argmax(Array.from(row as ArrayLike<number>));
    if (!Number.isInteger(id) || id < 0 || id >= MAX_CLASSES) {
      throw new Error(
        `probeLabels[${i}] is ${String(row)}: class ids must be integers in [0, ${MAX_CLASSES})`,
      );
    }
    return id;
  });
  if (classNames) {
    const top = Math.max(...ids);
    if (top >= classNames.length) {
      throw new Error(`probeLabels uses class ${top} but classNames names only ${classNames.length} classes`);
    }
  }
  return ids;
}
