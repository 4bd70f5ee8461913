/**
 * Records `mnist-mlp-3x16.npy` and `.meta.json` (test/fixtures/README.md) with the examples' own
 * code: the mnist-mlp example's network with narrower hidden layers (3 x Dense 16, LeakyReLU
 * 0.1), its learning rate and batch size, 5,000 training digits, 50 epochs, traced through
 * `mphateCallback` into a snapshot file on a probe of 50 held-out digits (5 per class).
 * 50 x 48 x 50 = 2,400 points, 480 KB: small enough to commit, large enough that live mode
 * runs on landmarks for its second half.
 *
 *   npx tsx scripts/record-mnist-mlp-3x16.ts
 *
 * `shuffle: false` (the example shuffles): tfjs shuffles with Math.random, which cannot be
 * seeded; the split itself is seeded and shuffled once, so the batches are still mixed, and the
 * same backend gives the same trace on every run.
 */
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mphateCallback } from '@mphate/callback';
import { decodeSnapshot, encodeNpy } from '@mphate/protocol';
import { BATCH_SIZE, LEARNING_RATE } from '../examples/mnist-mlp/index.js';
import { buildMlp, hiddenDenseNames } from '../examples/shared/mlp.js';
import { CLASS_NAMES, imagesTensor, loadMnist, oneHotTensor } from '../examples/shared/mnist.js';
import { setupBackend, tf } from '../examples/shared/tf.js';
import { disposeAll, epochLogger } from '../examples/shared/train.js';

const NAME = 'mnist-mlp-3x16';
const HIDDEN = [16, 16, 16];
const EPOCHS = 50;
const TRAIN = 5000;
const PROBE_PER_CLASS = 5;

const out = fileURLToPath(new URL('../test/fixtures/', import.meta.url));
const backend = await setupBackend();
const data = loadMnist({ maxTrain: TRAIN, probePerClass: PROBE_PER_CLASS });
const model = buildMlp({ hidden: HIDDEN, name: NAME.replace(/-/g, '_') });
model.compile({
  optimizer: tf.train.adam(LEARNING_RATE),
  loss: 'categoricalCrossentropy',
  metrics: ['accuracy'],
});
const [xs, ys, vx, vy, probe] = [
  imagesTensor(data.train),
  oneHotTensor(data.train.labels),
  imagesTensor(data.validation),
  oneHotTensor(data.validation.labels),
  imagesTensor(data.probe),
];
const scratch = mkdtempSync(join(tmpdir(), 'mphate-record-'));
const recordPath = join(scratch, `${NAME}.mphate`);
const callback = mphateCallback({
  probe,
  probeLabels: Array.from(data.probe.labels),
  classNames: CLASS_NAMES,
  layers: hiddenDenseNames(model),
  server: false,
  record: recordPath,
  session: NAME,
});
await model.fit(xs, ys, {
  epochs: EPOCHS,
  batchSize: BATCH_SIZE,
  shuffle: false,
  validationData: [vx, vy],
  verbose: 0,
  callbacks: [callback, epochLogger(console.log, `${NAME} `, EPOCHS)],
});
await callback.flush({ timeoutMs: 60_000 });
disposeAll(xs, ys, vx, vy, probe);
model.dispose();

const snapshot = await decodeSnapshot(new Uint8Array(readFileSync(recordPath)));
rmSync(scratch, { recursive: true, force: true });
const { session, slices, epochs } = snapshot.header;
const shape: [number, number, number] = [slices.length, session.units, session.samples];
const column = (key: string): (number | null)[] => epochs.map((e) => e.logs[key] ?? null);
const meta = {
  scheme: NAME,
  network: `784-${HIDDEN.join('-')}-10, LeakyReLU 0.1 as separate layers, Dense outputs traced pre-activation`,
  optimizer: `adam ${LEARNING_RATE}`,
  batch: BATCH_SIZE,
  shuffle: false,
  epochs: EPOCHS,
  train: data.train.count,
  validation: data.validation.count,
  backend,
  shape,
  loss: column('loss'),
  val_loss: column('val_loss'),
  acc: column('acc'),
  val_acc: column('val_acc'),
  layers: session.layers,
  layer: session.layers.flatMap((l, i) => Array.from({ length: l.units }, () => i)),
  digit: session.probeLabels,
};

function atomicWrite(path: string, bytes: Uint8Array | string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, path);
}
atomicWrite(join(out, `${NAME}.npy`), encodeNpy({ shape, data: snapshot.trace }));
atomicWrite(join(out, `${NAME}.meta.json`), `${JSON.stringify(meta)}\n`);
console.log(`${NAME}: ${shape.join(' x ')} (${backend}) written to ${out}`);
