/**
 * Generalization, as in the paper's vignette (sections 12.1-12.2 of the algorithm notes): the
 * same MLP trained seven ways - vanilla, dropout, kernel L1, kernel L2, activity L1, activity
 * L2, and with scrambled training labels - one session each. The paper relates each run's
 * memorization error (validation minus training cross-entropy at the end) to how
 * heterogeneous its hidden units look in M-PHATE (more spread, better generalization); the
 * dashboard's compare view computes that heterogeneity from the embeddings, and this script
 * prints the memorization errors to read next to it.
 *
 *   pnpm example generalization [--epochs N] [--server URL]
 */
import { mphateCallback } from '@mphate/callback';
import { spearman } from '@mphate/core';
import { sliceSpread } from '@mphate/core/heterogeneity';
import {
  compareLink,
  type ExampleOptions,
  type ExampleResult,
  type SessionRun,
  serverUrls,
} from '../shared/example.js';
import { buildMlp, hiddenDenseNames, type MlpVariant } from '../shared/mlp.js';
import { CLASS_NAMES, type Digits, imagesTensor, loadMnist, oneHotTensor } from '../shared/mnist.js';
import { seededRandom, shuffle } from '../shared/random.js';
import { waitForEmbedding } from '../shared/server-api.js';
import { setupBackend, tf } from '../shared/tf.js';
import { disposeAll, epochLogger } from '../shared/train.js';

export const summary =
  'the MLP with dropout, L1/L2 penalties, scrambled labels: memorization vs heterogeneity';

/**
 * Overfitting is what this example is about, so it trains on a 2,000-digit subset (the paper
 * used all 60,000 for 300 epochs): 30 epochs at Adam 1e-3 (the paper: 1e-5) memorize it
 * clearly, at under a second per epoch on the wasm backend; seven runs take a few minutes.
 */
export const DEFAULT_EPOCHS = 30;
export const DEFAULT_TRAIN = 2000;
export const LEARNING_RATE = 1e-3;
export const BATCH_SIZE = 256;

/** The paper's penalties (1e-4) and dropout rate (0.5). */
export const VARIANTS: readonly { name: string; variant: MlpVariant; scramble?: boolean }[] = [
  { name: 'vanilla', variant: {} },
  { name: 'dropout', variant: { dropout: 0.5 } },
  { name: 'kernel-l1', variant: { kernelL1: 1e-4 } },
  { name: 'kernel-l2', variant: { kernelL2: 1e-4 } },
  { name: 'activity-l1', variant: { activityL1: 1e-4 } },
  { name: 'activity-l2', variant: { activityL2: 1e-4 } },
  { name: 'scrambled-labels', variant: {}, scramble: true },
];

export interface GeneralizationRun extends SessionRun {
  variant: string;
  trainLoss: number;
  valLoss: number;
  /** Validation minus training cross-entropy, both measured at the end in inference mode. */
  memorizationError: number;
  valAccuracy: number;
  /** Mean over slices of the units' spread in the server's embedding (undefined when not ready). */
  spread?: number;
}

export async function run(
  options: ExampleOptions & {
    variants?: string[];
    /** How long to wait for the server's embeddings to print the heterogeneity; 0 skips. Default 5 min. */
    heterogeneityTimeoutMs?: number;
  } = {},
): Promise<ExampleResult & { runs: GeneralizationRun[] }> {
  const log = options.log ?? console.log;
  const epochs = options.epochs ?? DEFAULT_EPOCHS;
  const backend = await setupBackend();
  const data = loadMnist({ maxTrain: options.maxTrain ?? DEFAULT_TRAIN });
  const server = serverUrls(options.server).ws;
  const prefix =
    options.session ?? `generalization ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`;
  const variants = VARIANTS.filter((v) => !options.variants || options.variants.includes(v.name));
  log(
    `generalization: ${variants.length} runs x ${epochs} epochs on ${data.train.count} training digits, ` +
      `${data.validation.count} validation; tfjs backend ${backend}`,
  );

  const runs: GeneralizationRun[] = [];
  for (const v of variants) {
    const name = `${prefix} ${v.name}`;
    const labels = v.scramble ? scrambled(data.train.labels, 3) : data.train.labels;
    const model = buildMlp({ ...v.variant, name: v.name.replace(/[^a-z0-9]/g, '_') });
    model.compile({
      optimizer: tf.train.adam(LEARNING_RATE),
      loss: 'categoricalCrossentropy',
      metrics: ['accuracy'],
    });
    const [xs, ys, vx, vy, probe] = [
      imagesTensor(data.train),
      oneHotTensor(labels),
      imagesTensor(data.validation),
      oneHotTensor(data.validation.labels),
      imagesTensor(data.probe),
    ];
    const callback = mphateCallback({
      probe,
      probeLabels: Array.from(data.probe.labels),
      classNames: CLASS_NAMES,
      layers: hiddenDenseNames(model),
      server,
      session: name,
    });
    const logger = epochLogger(() => {}, '', epochs);
    const started = performance.now();
    try {
      await model.fit(xs, ys, {
        epochs,
        batchSize: BATCH_SIZE,
        shuffle: true,
        validationData: [vx, vy],
        verbose: 0,
        callbacks: [callback, logger],
      });
      const trainLoss = crossEntropy(model, data.train, labels);
      const valLoss = crossEntropy(model, data.validation, data.validation.labels);
      const valAccuracy = accuracy(model, data.validation);
      const delivered = await callback.flush({ timeoutMs: 15_000 });
      const result: GeneralizationRun = {
        name,
        id: callback.sessionId,
        delivered,
        logs: logger.last,
        variant: v.name,
        trainLoss,
        valLoss,
        memorizationError: valLoss - trainLoss,
        valAccuracy,
      };
      runs.push(result);
      log(
        `${v.name.padEnd(17)} ${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s  ` +
          `train ${trainLoss.toFixed(3)}  val ${valLoss.toFixed(3)}  memorization error ${result.memorizationError.toFixed(2)}  ` +
          `val acc ${valAccuracy.toFixed(3)}`,
      );
    } finally {
      disposeAll(xs, ys, vx, vy, probe);
      model.dispose();
    }
  }

  const waitMs = options.heterogeneityTimeoutMs ?? 300_000;
  if (waitMs > 0) {
    log('');
    log(
      `waiting for the server's embeddings of the ${runs.length} sessions (at most ${Math.round(waitMs / 1000)} s)...`,
    );
    await addHeterogeneity(runs, serverUrls(options.server).http, Date.now() + waitMs);
  }
  log('');
  log('memorization error (val - train cross-entropy at the end) and heterogeneity, lowest error first:');
  log('  error  spread  variant           session');
  for (const r of [...runs].sort((a, b) => a.memorizationError - b.memorizationError)) {
    const spread = r.spread === undefined ? '     -' : r.spread.toFixed(3).padStart(6);
    log(`  ${r.memorizationError.toFixed(2).padStart(5)}  ${spread}  ${r.variant.padEnd(17)} '${r.name}'`);
  }
  const measured = runs.filter((r) => r.spread !== undefined);
  if (measured.length >= 3) {
    const rho = spearman(
      Float64Array.from(measured, (r) => r.memorizationError),
      Float64Array.from(measured, (r) => r.spread!),
    );
    log(`Spearman rho(memorization error, spread) = ${rho.toFixed(2)} over ${measured.length} runs`);
  }
  const ordered = [...runs]
    .sort((a, b) => a.memorizationError - b.memorizationError)
    .flatMap((r) => (r.id ? [r.id] : []));
  if (ordered.length >= 2) {
    const ends = ordered.length <= 4 ? ordered : [...ordered.slice(0, 2), ...ordered.slice(-2)];
    log(`Compare the least and most memorizing runs: ${compareLink(serverUrls(options.server).http, ends)}`);
  }
  log("spread: the paper's visualization variance, per slice the covariance trace of the units in the");
  log('RMS-normalised embedding, averaged over slices (as the dashboard computes it). The paper finds');
  log(
    'more heterogeneous units (more spread) in runs that memorize less; the compare view plots it per slice.',
  );
  return { sessions: runs, runs };
}

/** Fills in each run's spread from the server's final embedding of its session, when ready in time. */
async function addHeterogeneity(runs: GeneralizationRun[], http: string, deadline: number): Promise<void> {
  for (const run of runs) {
    if (!run.id) continue;
    try {
      const embedding = await waitForEmbedding(http, run.id, deadline);
      if (!embedding) continue;
      const perSlice = sliceSpread(embedding.coordinates, embedding);
      run.spread = perSlice.reduce((a, b) => a + b, 0) / perSlice.length;
    } catch {
      // the server went away or the session has no embedding: leave the spread out
    }
  }
}

/** Training labels shuffled among the digits (the paper's "random labels"). */
function scrambled(labels: Int32Array, seed: number): Int32Array {
  return Int32Array.from(shuffle(Array.from(labels), seededRandom(seed)));
}

/** Mean categorical cross-entropy of the model (inference mode) on the digits with these labels. */
function crossEntropy(model: tf.LayersModel, digits: Digits, labels: Int32Array): number {
  return tf.tidy(() => {
    const predicted = model.predict(imagesTensor(digits)) as tf.Tensor;
    return tf.metrics.categoricalCrossentropy(oneHotTensor(labels), predicted).mean().dataSync()[0]!;
  });
}

function accuracy(model: tf.LayersModel, digits: Digits): number {
  return tf.tidy(() => {
    const predicted = (model.predict(imagesTensor(digits)) as tf.Tensor).argMax(-1);
    return predicted.equal(tf.tensor1d(digits.labels, 'int32')).sum().dataSync()[0]! / digits.count;
  });
}
