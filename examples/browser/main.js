// The page's training script: plain JavaScript, no bundler. `tf` is the global from tf.min.js;
// the callback comes from the server's browser bundle, /callback.js (proxied to this origin by
// examples/browser/serve.ts so the module import needs no CORS).
const logEl = document.getElementById('log');
const log = (line) => {
  logEl.textContent = logEl.textContent === 'loading...' ? line : `${logEl.textContent}\n${line}`;
};
const status = (state, extra = {}) => Object.assign(document.body.dataset, { state, ...extra });

const IMAGE = 28 * 28;

/** digits.bin: uint32 count, then count labels (uint8), then count x 784 pixels (uint8, 0..255). */
async function loadDigits() {
  const buffer = await (await fetch('digits.bin')).arrayBuffer();
  const count = new DataView(buffer).getUint32(0, true);
  const labels = new Uint8Array(buffer, 4, count);
  const pixels = new Uint8Array(buffer, 4 + count, count * IMAGE);
  return { count, labels, images: Float32Array.from(pixels, (p) => p / 255) };
}

async function main() {
  status('loading');
  const config = await (await fetch('config.json')).json();
  document.getElementById('dashboard').href = config.dashboard;
  const { mphateCallback } = await import('./callback.js');
  await tf.ready();
  const digits = await loadDigits();
  const probeCount = config.probeCount;
  const trainCount = digits.count - probeCount;
  // The first `probeCount` digits are the probe (10 per class, ordered by class), the rest train.
  const probe = tf.tensor2d(digits.images.subarray(0, probeCount * IMAGE), [probeCount, IMAGE]);
  const xs = tf.tensor2d(digits.images.subarray(probeCount * IMAGE), [trainCount, IMAGE]);
  const ys = tf.oneHot(tf.tensor1d(Int32Array.from(digits.labels.subarray(probeCount)), 'int32'), 10);
  log(
    `tfjs ${tf.version.tfjs} on the ${tf.getBackend()} backend; ${trainCount} training digits, probe of ${probeCount}`,
  );

  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, inputShape: [IMAGE], name: 'dense1' }));
  model.add(tf.layers.reLU({ name: 'act1' }));
  model.add(tf.layers.dense({ units: 64, name: 'dense2' }));
  model.add(tf.layers.reLU({ name: 'act2' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax', name: 'output' }));
  model.compile({
    optimizer: tf.train.adam(1e-3),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy', 'categoricalCrossentropy'],
  });

  const callback = mphateCallback({
    probe,
    probeLabels: Array.from(digits.labels.subarray(0, probeCount)),
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    layers: ['dense1', 'dense2'],
    server: config.server,
    session: config.session,
  });
  status('training');
  await model.fit(xs, ys, {
    epochs: config.epochs,
    batchSize: 64,
    shuffle: true,
    validationSplit: 0.1,
    callbacks: [
      callback,
      new tf.CustomCallback({
        onEpochEnd: async (epoch, logs) =>
          log(
            `epoch ${epoch + 1}/${config.epochs}  loss ${logs.loss.toFixed(3)}  val_acc ${logs.val_acc.toFixed(3)}`,
          ),
      }),
    ],
  });
  const delivered = await callback.flush({ timeoutMs: 15000 });
  log(
    delivered
      ? `done: session '${config.session}' delivered`
      : 'done, but the server did not acknowledge everything',
  );
  status(delivered ? 'done' : 'undelivered', { session: callback.sessionId ?? '' });
  tf.dispose([probe, xs, ys]);
}

main().catch((error) => {
  log(`error: ${error.message}`);
  status('error', { error: error.message });
});
