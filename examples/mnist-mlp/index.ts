/**
 * The paper's demonstration network (Gigante et al. 2019, section 12.1 of the algorithm notes):
 * MNIST, Dense 128 -> LeakyReLU 0.1, three times, then Dense 10 softmax, Adam, batch 256.
 * The three hidden Dense outputs (pre-activation, since the activation is a separate layer)
 * are traced on 100 held-out probe digits, 10 per class, at the end of every epoch:
 * 384 units per slice.
 *
 *   pnpm example mnist-mlp [--epochs N] [--digits N] [--lr RATE] [--scramble-labels] [--server URL]
 *
 * `pnpm bench live` records its real traces with this example (100 and 300 epochs at Adam 1e-4
 * on 5,000 digits, and 60 epochs with scrambled labels).
 */
import { mphateCallback } from '@mphate/callback';
import { type ExampleResult, type RecordableOptions, streamTarget } from '../shared/example.js';
import { buildMlp, hiddenDenseNames } from '../shared/mlp.js';
import { CLASS_NAMES, imagesTensor, loadMnist, oneHotTensor } from '../shared/mnist.js';
import { scrambledLabels } from '../shared/random.js';
import { setupBackend, tf } from '../shared/tf.js';
import { disposeAll, epochLogger, median, sessionAnnouncer } from '../shared/train.js';

export const summary = "the paper's MLP (3 x Dense 128, LeakyReLU 0.1) on MNIST, traced every epoch";

/**
 * Measured on the wasm backend (single-threaded in Node): one epoch of ~8,400 digits plus
 * validation costs 1.7 s of CPU, so 50 epochs train in about a minute and a half on an idle
 * 2-core machine while the server embeds on the other core (4-6 s per epoch when the machine
 * is busy), and the picture goes from random units to class-selective ones well within
 * five minutes.
 */
export const DEFAULT_EPOCHS = 50;

/**
 * The paper trains 300 epochs with Adam at 1e-5. At that rate almost nothing happens in the
 * 50 epochs a live demo can afford, so we use 1e-4: the loss falls steadily over the whole
 * run (no plateau after a few epochs, as with 1e-3) and the units differentiate visibly.
 */
export const LEARNING_RATE = 1e-4;
export const BATCH_SIZE = 256;

export interface MlpOptions extends RecordableOptions {
  /** Adam's learning rate. Default LEARNING_RATE. */
  learningRate?: number;
  /** Train on labels shuffled among the digits (generalization's scrambled-labels variant). */
  scrambleLabels?: boolean;
}

export async function run(options: MlpOptions = {}): Promise<ExampleResult> {
  const log = options.log ?? console.log;
  const epochs = options.epochs ?? DEFAULT_EPOCHS;
  const learningRate = options.learningRate ?? LEARNING_RATE;
  const backend = await setupBackend();
  const data = loadMnist({ maxTrain: options.maxTrain });
  log(
    `mnist-mlp: ${data.train.count} training digits${options.scrambleLabels ? ' (labels scrambled)' : ''}, ` +
      `${data.validation.count} validation, probe of ${data.probe.count}; ` +
      `tfjs backend ${backend}; ${epochs} epochs, Adam ${learningRate}`,
  );

  const model = buildMlp({ name: 'mnist-mlp' });
  model.compile({
    optimizer: tf.train.adam(learningRate),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy', 'categoricalCrossentropy'],
  });

  const xs = imagesTensor(data.train);
  const ys = oneHotTensor(options.scrambleLabels ? scrambledLabels(data.train.labels) : data.train.labels);
  const valXs = imagesTensor(data.validation);
  const valYs = oneHotTensor(data.validation.labels);
  const probe = imagesTensor(data.probe);
  const urls = streamTarget(options.server);
  const name = options.session ?? `mnist-mlp ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`;

  const callback = mphateCallback({
    probe,
    probeLabels: Array.from(data.probe.labels),
    classNames: CLASS_NAMES,
    layers: hiddenDenseNames(model),
    server: urls.ws,
    record: options.record,
    session: name,
  });
  const logger = epochLogger(log, '', epochs);
  try {
    await model.fit(xs, ys, {
      epochs,
      batchSize: BATCH_SIZE,
      shuffle: true,
      validationData: [valXs, valYs],
      verbose: 0,
      callbacks: [
        callback,
        logger,
        ...(urls.http ? [sessionAnnouncer(log, urls.http, () => callback.sessionId)] : []),
      ],
    });
    const delivered = await callback.flush({ timeoutMs: 15_000 });
    log(`mnist-mlp: median epoch ${(median(logger.epochMs) / 1000).toFixed(2)} s; session '${name}'`);
    return { sessions: [{ name, id: callback.sessionId, delivered, logs: logger.last }] };
  } finally {
    disposeAll(xs, ys, valXs, valYs, probe);
    model.dispose();
  }
}
