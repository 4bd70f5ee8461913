import { createTracer, mphateCallback } from '@mphate/callback';
import { selectUnits, TraceModel } from '@mphate/callback/internal';
import { describe, expect, it } from 'vitest';
import { blobs, mlp, tf, useWasm } from './helpers.js';

await useWasm();

describe('TraceModel', () => {
  it('traces Dense layers before their fused activation, and leaves the model as it was', async () => {
    const model = mlp(8, 16);
    const probe = blobs(12).xs;
    const before = (model.predict(probe) as tf.Tensor).arraySync();
    const traced = new TraceModel(tf, model, [probe], {});
    expect(traced.layers.map((l) => [l.name, l.units])).toEqual([
      ['h1', 16],
      ['h2', 16],
    ]);
    const values = await traced.sample();
    // h1 pre-activation: probe . W + b, computed by hand.
    const [w, b] = model.getLayer('h1').getWeights();
    const linear = tf.tidy(() => tf.transpose(tf.add(tf.matMul(probe, w!), b!)).arraySync() as number[][]);
    for (let u = 0; u < 16; u++) {
      for (let s = 0; s < 12; s++) expect(values[u * 12 + s]).toBeCloseTo(linear[u]![s]!, 4);
    }
    // Some pre-activations are negative: relu was not applied...
    expect(Array.from(values.subarray(0, 16 * 12)).some((v) => v < -1e-3)).toBe(true);
    // ...but the user's model still applies it.
    expect((model.predict(probe) as tf.Tensor).arraySync()).toEqual(before);
    const post = new TraceModel(tf, model, [probe], { preActivation: false });
    const postValues = await post.sample();
    expect(Array.from(postValues.subarray(0, 16 * 12)).every((v) => v >= 0)).toBe(true);
  });

  it('Conv2D: one unit per channel, the mean over positions', async () => {
    const model = tf.sequential();
    model.add(
      tf.layers.conv2d({ inputShape: [6, 6, 2], filters: 3, kernelSize: 3, activation: 'relu', name: 'c' }),
    );
    model.add(tf.layers.flatten());
    model.add(tf.layers.dense({ units: 2, name: 'o' }));
    const probe = tf.randomNormal([5, 6, 6, 2], 0, 1, 'float32', 3);
    const traced = new TraceModel(tf, model, [probe], { preActivation: false });
    expect(traced.layers).toEqual([{ name: 'c', className: 'Conv2D', units: 3, totalUnits: 3 }]);
    const values = await traced.sample();
    const expected = tf.tidy(() => {
      const sub = tf.model({
        inputs: model.inputs,
        outputs: model.getLayer('c').output as tf.SymbolicTensor,
      });
      return tf.transpose(tf.mean(sub.predict(probe) as tf.Tensor, [1, 2])).arraySync() as number[][];
    });
    for (let c = 0; c < 3; c++)
      for (let s = 0; s < 5; s++) expect(values[c * 5 + s]).toBeCloseTo(expected[c]![s]!, 5);
  });

  it('keeps a seeded subset of a wide layer, the same each time', () => {
    const a = selectUnits(300, 256, 0, 'dense');
    expect(a).toHaveLength(256);
    expect(new Set(a).size).toBe(256);
    expect(a).toEqual(selectUnits(300, 256, 0, 'dense'));
    expect(a).not.toEqual(selectUnits(300, 256, 1, 'dense'));
    expect(selectUnits(256, 256, 0, 'dense')).toBeNull();
  });

  it('refuses a layer whose output is not one tensor of rank >= 2, naming it', () => {
    const input = tf.input({ shape: [4, 3] });
    const [seq] = tf.layers
      .lstm({ units: 5, returnState: true, name: 'lstm_with_state' })
      .apply(input) as tf.SymbolicTensor[];
    const out = tf.layers.dense({ units: 2 }).apply(seq!) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    const probe = tf.zeros([4, 4, 3]);
    expect(() => new TraceModel(tf, model, [probe], { layers: ['lstm_with_state'] })).toThrow(
      /layer 'lstm_with_state' \(LSTM\) has 3 outputs/,
    );
  });

  it('recurrent layers give one unit per output unit', async () => {
    const model = tf.sequential();
    model.add(tf.layers.simpleRNN({ inputShape: [4, 3], units: 6, name: 'rnn' }));
    model.add(tf.layers.dense({ units: 2 }));
    const traced = new TraceModel(tf, model, [tf.randomNormal([7, 4, 3])], {});
    expect(traced.layers.map((l) => [l.name, l.className, l.units])).toEqual([['rnn', 'SimpleRNN', 6]]);
    expect((await traced.sample()).length).toBe(6 * 7);
  });
});

describe('bad options fail at onTrainBegin with what to fix', () => {
  const { xs, ys } = blobs(30);
  const cases: [string, () => Record<string, unknown>, RegExp][] = [
    ['an empty probe', () => ({ probe: tf.zeros([0, 8]) }), /probe is empty/],
    [
      'a probe of the wrong shape',
      () => ({ probe: tf.zeros([10, 5]) }),
      /probe has shape \[10, 5\] but the model expects \[n, 8\]/,
    ],
    [
      'an unknown layer name',
      () => ({ probe: xs, layers: ['h1', 'nope'] }),
      /unknown layer name 'nope'.*h1, h2, out/,
    ],
    ['too few probe samples', () => ({ probe: tf.zeros([2, 8]) }), /at least 3/],
    [
      'probe labels of the wrong length',
      () => ({ probe: xs, probeLabels: [0, 1] }),
      /probeLabels has 2 labels but the probe has 30/,
    ],
  ];
  for (const [what, options, message] of cases) {
    it(what, async () => {
      const model = mlp();
      const callback = mphateCallback({ ...options(), server: false } as never);
      await expect(model.fit(xs, ys, { epochs: 1, callbacks: [callback] })).rejects.toThrow(message);
      // The model is not left half-training: it fits again.
      await model.fit(xs, ys, { epochs: 1 });
    });
  }

  it('options that do not depend on the model fail at once', () => {
    expect(() => mphateCallback({ probe: xs, every: 0 })).toThrow(/every must be 'epoch' or a whole number/);
    expect(() => mphateCallback({ probe: xs, mphate: { intersliceKnn: -1 } as never })).toThrow(
      /M-PHATE options/,
    );
    expect(() => mphateCallback({ probe: xs, server: 'ftp://x' })).not.toThrow(); // checked at onTrainBegin
  });

  it('a server URL that is not ws:// or http:// is refused at onTrainBegin', async () => {
    const model = mlp();
    await expect(
      model.fit(xs, ys, { epochs: 1, callbacks: [mphateCallback({ probe: xs, server: 'ftp://x' })] }),
    ).rejects.toThrow(/server must be a ws:\/\/ or http:\/\/ URL/);
  });
});

describe('mixing callback styles (tfjs wraps a list whose first entry is a plain object)', () => {
  it('still traces when given { model }, and says what to do without it', async () => {
    const { xs, ys } = blobs(30);
    const model = mlp();
    const epochs: number[] = [];
    const plain = { onEpochEnd: async (epoch: number) => void epochs.push(epoch) };
    const lost = mphateCallback({ probe: xs, server: false });
    await expect(model.fit(xs, ys, { epochs: 1, callbacks: [plain, lost] as never })).rejects.toThrow(
      /mphateCallback has no model.*Pass \{ model \}/,
    );
    const callback = mphateCallback({ probe: xs, server: false, model });
    await model.fit(xs, ys, { epochs: 2, callbacks: [plain, callback] as never });
    expect(callback.tracer!.sliceCount).toBe(2);
    expect(epochs).toEqual([0, 1]); // the plain callback ran too (the failed fit stopped before its first epoch)
  });
});

describe('memory', () => {
  it('tf.memory().numTensors is the same after every one of 20 epochs', async () => {
    const { xs, ys } = blobs(60);
    const model = mlp();
    const callback = mphateCallback({ probe: xs.slice(0, 20), server: false });
    const counts: number[] = [];
    await model.fit(xs, ys, {
      epochs: 20,
      batchSize: 20,
      callbacks: [
        callback,
        new tf.CustomCallback({ onEpochEnd: async () => void counts.push(tf.memory().numTensors) }),
      ],
    });
    expect(counts).toHaveLength(20);
    expect(new Set(counts).size).toBe(1);
    expect(callback.tracer!.sliceCount).toBe(20);
  });

  it('createTracer in a custom loop: slices and epochs numbered on, no tensor left behind', async () => {
    const { xs, ys } = blobs(30);
    const model = mlp();
    const optimizer = tf.train.adam(0.01);
    const tracer = createTracer({ model, probe: xs, server: false });
    const counts: number[] = [];
    for (let epoch = 0; epoch < 4; epoch++) {
      const loss = optimizer.minimize(
        () => tf.losses.softmaxCrossEntropy(ys, model.apply(xs) as tf.Tensor) as tf.Scalar,
        true,
      )!;
      const lossValue = (await loss.data())[0]!;
      loss.dispose();
      expect(await tracer.capture({ loss: lossValue })).toBe(epoch);
      expect(await tracer.endEpoch({ loss: lossValue })).toBe(epoch);
      counts.push(tf.memory().numTensors);
    }
    // Adam makes its slot variables in the first step; after that nothing grows.
    expect(new Set(counts.slice(1)).size).toBe(1);
    await tracer.close();
  });
});
