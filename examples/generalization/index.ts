/**
 * Generalization, as in the paper's vignette: the same MLP trained seven ways - vanilla,
 * dropout, kernel L1, kernel L2, activity L1, activity L2, and with scrambled training labels -
 * one session each, named by variant ("generalization · dropout"). The paper relates each run's
 * memorization error to how heterogeneous its hidden units look in M-PHATE: more spread, less
 * memorization. This script prints that comparison once the server has embedded every run:
 *
 * - memorization error, as the paper's scripts compute it: the final validation cross-entropy
 *   minus the final training cross-entropy *metric* (Keras's, on training batches with dropout
 *   active, no regularization penalty), and beside it the inference-mode variant (a fixed
 *   training subset and the validation data evaluated without dropout);
 * - visualization variance: the sum over slices of the trace of each slice's 2-D covariance of
 *   the unit coordinates (the reference's later score), and the entropy of a 10 x 10 histogram
 *   of all points (its earlier one);
 * - Spearman's rho of each against the memorization error over the runs, and whether the sign
 *   is the paper's (negative).
 *
 *   pnpm example generalization [--epochs N] [--server URL]
 */
import { mphateCallback } from '@mphate/callback';
import { spearman } from '@mphate/core';
import { histogramEntropy } from '@mphate/core/heterogeneity';
import {
  compareLink,
  type ExampleOptions,
  type ExampleResult,
  type SessionRun,
  serverUrls,
} from '../shared/example.js';
import { buildMlp, hiddenDenseNames, type MlpVariant } from '../shared/mlp.js';
import { CLASS_NAMES, type Digits, imagesTensor, loadMnist, oneHotTensor } from '../shared/mnist.js';
import { scrambledLabels } from '../shared/random.js';
import { waitForEmbedding } from '../shared/server-api.js';
import { setupBackend, tf } from '../shared/tf.js';
import { disposeAll, epochLogger } from '../shared/train.js';
import { visualizationVariance } from './visualization-variance.js';

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
  /** Final validation minus training cross-entropy metric (as logged by model.fit: dropout active, no penalty). */
  memorizationError: number;
  /** The same with both measured at the end in inference mode (training subset and validation, no dropout). */
  memorizationErrorInference: number;
  valAccuracy: number;
  /** Sum over slices of trace(cov) of the slice's units in the server's final embedding (undefined when not ready). */
  variance?: number;
  /** Entropy (bits) of a 10 x 10 histogram of all embedded points. */
  entropy?: number;
}

export async function run(
  options: ExampleOptions & {
    variants?: string[];
    /** How long to wait for the server's embeddings to print the heterogeneity; 0 skips. Default 15 min. */
    heterogeneityTimeoutMs?: number;
  } = {},
): Promise<ExampleResult & { runs: GeneralizationRun[] }> {
  const log = options.log ?? console.log;
  const epochs = options.epochs ?? DEFAULT_EPOCHS;
  const backend = await setupBackend();
  const data = loadMnist({ maxTrain: options.maxTrain ?? DEFAULT_TRAIN });
  const server = serverUrls(options.server).ws;
  const prefix = options.session ?? 'generalization';
  const variants = VARIANTS.filter((v) => !options.variants || options.variants.includes(v.name));
  log(
    `generalization: ${variants.length} runs x ${epochs} epochs on ${data.train.count} training digits, ` +
      `${data.validation.count} validation; tfjs backend ${backend}`,
  );

  const runs: GeneralizationRun[] = [];
  for (const v of variants) {
    const name = `${prefix} · ${v.name}`;
    const labels = v.scramble ? scrambledLabels(data.train.labels) : data.train.labels;
    const model = buildMlp({ ...v.variant, name: v.name.replace(/[^a-z0-9]/g, '_') });
    model.compile({
      optimizer: tf.train.adam(LEARNING_RATE),
      loss: 'categoricalCrossentropy',
      metrics: ['accuracy', 'categoricalCrossentropy'],
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
      // The dashboard's inference-mode memorization error: logged at each epoch end.
      inferenceEval: { train: [xs, ys], validation: [vx, vy] },
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
      const trainInference = crossEntropy(model, data.train, labels);
      const valInference = crossEntropy(model, data.validation, data.validation.labels);
      const valAccuracy = accuracy(model, data.validation);
      const delivered = await callback.flush({ timeoutMs: 15_000 });
      const last = logger.last;
      const result: GeneralizationRun = {
        name,
        id: callback.sessionId,
        delivered,
        logs: last,
        variant: v.name,
        memorizationError: last.val_categoricalCrossentropy! - last.categoricalCrossentropy!,
        memorizationErrorInference: valInference - trainInference,
        valAccuracy,
      };
      runs.push(result);
      log(
        `${v.name.padEnd(17)} ${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s  ` +
          `memorization error ${result.memorizationError.toFixed(2)} (inference mode ${result.memorizationErrorInference.toFixed(2)})  ` +
          `val acc ${valAccuracy.toFixed(3)}`,
      );
    } finally {
      disposeAll(xs, ys, vx, vy, probe);
      model.dispose();
    }
  }

  const waitMs = options.heterogeneityTimeoutMs ?? 900_000;
  if (waitMs > 0) {
    log('');
    log(
      `waiting for the server's embeddings of the ${runs.length} sessions (at most ${Math.round(waitMs / 1000)} s)...`,
    );
    await addHeterogeneity(runs, serverUrls(options.server).http, Date.now() + waitMs);
  }
  printComparison(runs, log);
  const ordered = [...runs]
    .sort((a, b) => a.memorizationError - b.memorizationError)
    .flatMap((r) => (r.id ? [r.id] : []));
  if (ordered.length >= 2) {
    const ends = ordered.length <= 4 ? ordered : [...ordered.slice(0, 2), ...ordered.slice(-2)];
    log(`Compare the least and most memorizing runs: ${compareLink(serverUrls(options.server).http, ends)}`);
  }
  return { sessions: runs, runs };
}

/** The paper's table: memorization errors, the two heterogeneity scores, Spearman over the runs, the verdict. */
export function printComparison(runs: readonly GeneralizationRun[], log: (line: string) => void): void {
  log('');
  log('memorization error (final val - train cross-entropy metric) against the heterogeneity of the units:');
  log('  error  (inference)  variance  entropy  variant');
  for (const r of [...runs].sort((a, b) => a.memorizationError - b.memorizationError)) {
    const variance = r.variance === undefined ? '       -' : r.variance.toPrecision(3).padStart(8);
    const entropy = r.entropy === undefined ? '      -' : r.entropy.toFixed(3).padStart(7);
    log(
      `  ${r.memorizationError.toFixed(2).padStart(5)}  ${r.memorizationErrorInference.toFixed(2).padStart(11)}  ${variance}  ${entropy}  ${r.variant}`,
    );
  }
  const measured = runs.filter((r) => r.variance !== undefined && r.entropy !== undefined);
  const missing = runs.filter((r) => !measured.includes(r)).map((r) => r.variant);
  if (missing.length)
    log(
      `not embedded in time (no scores, left out of rho): ${missing.join(', ')}; the server's final embeddings come one after another`,
    );
  if (measured.length < 3) {
    log(`Spearman needs at least 3 embedded runs, ${measured.length} were ready: no verdict.`);
    return;
  }
  const error = Float64Array.from(measured, (r) => r.memorizationError);
  const errorInference = Float64Array.from(measured, (r) => r.memorizationErrorInference);
  for (const [score, values] of [
    ['visualization variance', Float64Array.from(measured, (r) => r.variance!)],
    ['histogram entropy', Float64Array.from(measured, (r) => r.entropy!)],
  ] as const) {
    const rho = spearman(error, values);
    const rhoInference = spearman(errorInference, values);
    const strength = Math.abs(rho) < 0.5 ? ` (weak: |rho| < 0.5 over ${measured.length} runs)` : '';
    const verdict =
      rho < 0
        ? `the sign is the paper's: more heterogeneous units, less memorization${strength}`
        : "the paper's trend does NOT hold here: it expects a negative rho (more heterogeneity, less memorization)";
    log(
      `Spearman rho(memorization error, ${score}) = ${rho.toFixed(2)} (inference mode ${rhoInference.toFixed(2)}) over ${measured.length} runs: ${verdict}`,
    );
  }
  log(
    'The paper trains 300 epochs on all 60,000 digits at Adam 1e-5; this example trains a 2,000-digit subset for 30',
  );
  log('epochs at 1e-3 so it runs in minutes: the ranking of the regularizers can differ from the paper.');
}

/** Fills in each run's heterogeneity from the server's final embedding of its session, when ready in time. */
async function addHeterogeneity(runs: GeneralizationRun[], http: string, deadline: number): Promise<void> {
  for (const run of runs) {
    if (!run.id) continue;
    try {
      const embedding = await waitForEmbedding(http, run.id, deadline);
      if (!embedding) continue;
      run.variance = visualizationVariance(embedding.coordinates, embedding);
      run.entropy = histogramEntropy(embedding.coordinates, embedding.dims);
    } catch {
      // the server went away or the session has no embedding: leave the scores out
    }
  }
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
