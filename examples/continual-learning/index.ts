/**
 * Continual learning, as in the paper's vignette (section 12.3 of the algorithm notes): split
 * MNIST into five two-digit tasks (0/1, 2/3, 4/5, 6/7, 8/9) trained one after another,
 * class-incremental (one 10-way softmax), one `model.fit` per task, all in one session with a
 * task label per fit, traced every few batches with the paper's intersliceKnn of 12.
 *
 * Three runs, three sessions, to compare side by side in the dashboard:
 *   - adam: Adam, which forgets earlier tasks catastrophically;
 *   - adagrad: Adagrad;
 *   - adam+rehearsal: Adam with a buffer of earlier tasks' digits mixed into every task.
 *
 *   pnpm example continual-learning [--epochs N] [--server URL]     (N = epochs per task)
 */
import { mphateCallback } from '@mphate/callback';
import {
  compareLink,
  type ExampleResult,
  type RecordableOptions,
  type SessionRun,
  streamTarget,
} from '../shared/example.js';
import { buildMlp, hiddenDenseNames } from '../shared/mlp.js';
import {
  CLASS_NAMES,
  concatDigits,
  type Digits,
  imagesTensor,
  loadMnist,
  oneHotTensor,
  selectClasses,
  selectRows,
} from '../shared/mnist.js';
import { seededRandom, shuffle } from '../shared/random.js';
import { setupBackend, tf } from '../shared/tf.js';
import { disposeAll, sessionAnnouncer } from '../shared/train.js';

export const summary = 'five two-digit MNIST tasks in a row: Adam, Adagrad, Adam + rehearsal (forgetting)';

/** The paper trains 8 epochs per task; 4 keep the three runs to a few minutes on 2 cores. */
export const DEFAULT_EPOCHS = 4;
export const TASKS: readonly (readonly [number, number])[] = [
  [0, 1],
  [2, 3],
  [4, 5],
  [6, 7],
  [8, 9],
];
export const BATCH_SIZE = 128;
/** A slice every this many batches (the paper traced every batch and kept every 50th). */
export const TRACE_EVERY = 5;
/** Units traced per layer of 400 (the callback's default: a seeded subset). */
export const UNITS_PER_LAYER = 256;
/** Rehearsal buffer size. The paper keeps 5,000 of MNIST's 60,000; we have ~8,400 digits. */
export const REHEARSAL_BUFFER = 1000;

export type SchemeName = 'adam' | 'adagrad' | 'adam+rehearsal';

export interface ContinualOptions extends RecordableOptions {
  /** Run only these schemes (default all three, in order); `record` needs exactly one. */
  schemes?: readonly SchemeName[];
  /** A slice every this many batches. Default TRACE_EVERY. */
  traceEvery?: number;
  /** Units traced per layer (at most 400). Default UNITS_PER_LAYER. */
  unitsPerLayer?: number;
}

interface Scheme {
  name: SchemeName;
  /**
   * The paper's rates are Adam 1e-5 and Adagrad 1e-4 over 8 epochs of full MNIST per task;
   * with ~1/7 of the digits and half the epochs we use ten times those, same ratio.
   */
  optimizer: () => tf.Optimizer;
  rehearsal: boolean;
}

const SCHEMES: Scheme[] = [
  { name: 'adam', optimizer: () => tf.train.adam(1e-4), rehearsal: false },
  { name: 'adagrad', optimizer: () => tf.train.adagrad(1e-3), rehearsal: false },
  { name: 'adam+rehearsal', optimizer: () => tf.train.adam(1e-4), rehearsal: true },
];

export function taskLabel(index: number): string {
  const [a, b] = TASKS[index]!;
  return `task ${index + 1}: ${a}/${b}`;
}

export async function run(options: ContinualOptions = {}): Promise<ExampleResult> {
  const log = options.log ?? console.log;
  const epochs = options.epochs ?? DEFAULT_EPOCHS;
  const schemes = SCHEMES.filter((s) => !options.schemes || options.schemes.includes(s.name));
  if (options.record !== undefined && schemes.length !== 1)
    throw new Error(`record writes one session: pick one scheme (schemes: ['adam']), got ${schemes.length}`);
  const backend = await setupBackend();
  const data = loadMnist({ maxTrain: options.maxTrain });
  const urls = streamTarget(options.server);
  const prefix = options.session ?? 'continual learning';
  log(
    `continual-learning: ${TASKS.length} tasks x ${epochs} epochs, ${data.train.count} training digits, ` +
      `tfjs backend ${backend}; runs: ${schemes.map((s) => s.name).join(', ')}`,
  );
  const sessions: SessionRun[] = [];
  for (const scheme of schemes) {
    sessions.push(
      await runScheme(scheme, data, {
        epochs,
        server: urls.ws,
        http: urls.http,
        record: options.record,
        every: options.traceEvery ?? TRACE_EVERY,
        units: options.unitsPerLayer ?? UNITS_PER_LAYER,
        name: `${prefix} · ${scheme.name}`,
        log,
      }),
    );
  }
  const ids = sessions.flatMap((s) => (s.id ? [s.id] : []));
  if (urls.http && ids.length >= 2) log(`Compare the three runs: ${compareLink(urls.http, ids)}`);
  log('Compare the three sessions side by side in the dashboard: where Adam forgets, the earlier');
  log("tasks' units collapse onto the new task's structure at each task switch.");
  return { sessions };
}

async function runScheme(
  scheme: Scheme,
  data: ReturnType<typeof loadMnist>,
  run: {
    epochs: number;
    server: string | false;
    http: string | null;
    record: string | undefined;
    every: number;
    units: number;
    name: string;
    log: (line: string) => void;
  },
): Promise<SessionRun> {
  const { log } = run;
  const random = seededRandom(7);
  // The paper's network for this vignette: Dense 400 -> ReLU, twice (800 units, of which a
  // seeded `units` per layer are traced).
  const model = buildMlp({ hidden: [400, 400], activation: 'relu', name: `continual-${scheme.name}` });
  model.compile({
    optimizer: scheme.optimizer(),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy', 'categoricalCrossentropy'],
  });
  const probe = imagesTensor(data.probe);
  const callback = mphateCallback({
    probe,
    probeLabels: Array.from(data.probe.labels),
    classNames: CLASS_NAMES,
    layers: hiddenDenseNames(model),
    every: run.every,
    maxUnitsPerLayer: run.units,
    server: run.server,
    record: run.record,
    session: run.name,
    keepOpen: true,
    mphate: { intersliceKnn: 12 },
  });

  const announcers = run.http
    ? [sessionAnnouncer(log, run.http, () => callback.sessionId, `Watch ${scheme.name}`)]
    : [];
  let buffer: Digits | undefined;
  let logs: Record<string, number> = {};
  try {
    for (const [t, classes] of TASKS.entries()) {
      const task = selectClasses(data.train, classes);
      const seen = TASKS.slice(0, t + 1).flat();
      const validation = selectClasses(data.validation, seen);
      const train =
        scheme.rehearsal && buffer ? concatDigits(task, sample(buffer, task.count, random)) : task;
      const [xs, ys, vx, vy] = [
        imagesTensor(train),
        oneHotTensor(train.labels),
        imagesTensor(validation),
        oneHotTensor(validation.labels),
      ];
      callback.task = taskLabel(t);
      const started = performance.now();
      try {
        const history = await model.fit(xs, ys, {
          epochs: run.epochs,
          // Rehearsal doubles each batch (new + replayed digits), keeping the steps per epoch.
          batchSize: train === task ? BATCH_SIZE : 2 * BATCH_SIZE,
          shuffle: true,
          validationData: [vx, vy],
          verbose: 0,
          callbacks: [callback, ...announcers],
        });
        logs = Object.fromEntries(
          Object.entries(history.history).map(([k, v]) => [k, Number(v[v.length - 1])]),
        ) as Record<string, number>;
      } finally {
        disposeAll(xs, ys, vx, vy);
      }
      const perTask = TASKS.slice(0, t + 1).map((c) => accuracy(model, selectClasses(data.validation, c)));
      log(
        `${scheme.name.padEnd(15)} ${taskLabel(t)}  ${((performance.now() - started) / 1000).toFixed(1)} s  ` +
          `val_loss ${logs.val_loss?.toFixed(3)}  accuracy on tasks so far: ${perTask.map((a) => a.toFixed(2)).join(' ')}`,
      );
      if (scheme.rehearsal) buffer = updateBuffer(buffer, task, t, random);
    }
    const delivered = await callback.close({ timeoutMs: 15_000 });
    return { name: run.name, id: callback.sessionId, delivered, logs };
  } finally {
    probe.dispose();
    model.dispose();
  }
}

/** Accuracy of the model on a digit set. */
function accuracy(model: tf.LayersModel, digits: Digits): number {
  return tf.tidy(() => {
    const predicted = (model.predict(imagesTensor(digits)) as tf.Tensor).argMax(-1);
    const correct = predicted.equal(tf.tensor1d(digits.labels, 'int32')).sum().dataSync()[0]!;
    return correct / digits.count;
  });
}

/** `count` digits drawn from `digits` (with replacement when it holds fewer). */
function sample(digits: Digits, count: number, random: () => number): Digits {
  const rows = Array.from({ length: count }, (_, i) =>
    i < digits.count ? i : Math.floor(random() * digits.count),
  );
  return selectRows(digits, shuffle(rows, random).slice(0, count));
}

/**
 * The paper's rehearsal buffer: after task j (0-based), equal shares of REHEARSAL_BUFFER for the
 * j + 1 tasks seen; the new task's share is drawn at random, older shares are thinned.
 */
function updateBuffer(buffer: Digits | undefined, task: Digits, t: number, random: () => number): Digits {
  const share = Math.floor(REHEARSAL_BUFFER / (t + 1));
  const parts: Digits[] = [];
  if (buffer) {
    for (let old = 0; old < t; old++) parts.push(thin(selectClasses(buffer, TASKS[old]!), share));
  }
  parts.push(selectRows(task, shuffle([...Array(task.count).keys()], random).slice(0, share)));
  return concatDigits(...parts);
}

/** Keeps `count` evenly spaced rows. */
function thin(digits: Digits, count: number): Digits {
  if (digits.count <= count) return digits;
  const step = digits.count / count;
  return selectRows(
    digits,
    Array.from({ length: count }, (_, i) => Math.floor(i * step)),
  );
}
