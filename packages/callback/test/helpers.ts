/** Shared by the callback tests: tfjs on the wasm backend, small MNIST sets, a real server, REST reads. */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionDetail } from '@mphate/protocol';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

export { tf };

let ready: Promise<void> | null = null;
/**
 * The wasm backend, as everywhere on these machines (tfjs-node cannot be installed here). Its
 * kernels cannot train convolutions (no Conv2DBackpropFilter in tfjs 4.22): conv tests use 'cpu'.
 */
export function useBackend(name: 'wasm' | 'cpu' = 'wasm'): Promise<void> {
  ready ??= tf.setBackend(name).then(async (ok) => {
    if (!ok) throw new Error(`the tfjs ${name} backend did not initialise`);
    await tf.ready();
  });
  return ready;
}
export const useWasm = () => useBackend('wasm');

interface Digit {
  id: number;
  range(start: number, end: number): number[][];
}
const mnist = createRequire(import.meta.url)('mnist') as Digit[];

/**
 * `perDigit` digits of each class from `offset` on, deterministic, as [n, size, size, 1] images and
 * one-hot labels. size 14 halves the 28 x 28 digits, so conv training on the cpu backend stays quick.
 */
export function digits(
  perDigit: number,
  offset = 0,
  size = 28,
): { xs: tf.Tensor4D; ys: tf.Tensor2D; labels: number[] } {
  const images: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < perDigit; i++) {
    for (let d = 0; d < 10; d++) {
      images.push(...mnist[d]!.range(offset + i, offset + i)[0]!);
      labels.push(d);
    }
  }
  const n = labels.length;
  const full = tf.tensor4d(images, [n, 28, 28, 1]);
  const xs = size === 28 ? full : tf.tidy(() => tf.image.resizeBilinear(full, [size, size]));
  if (xs !== full) full.dispose();
  return {
    xs,
    ys: tf.oneHot(tf.tensor1d(labels, 'int32'), 10).toFloat() as tf.Tensor2D,
    labels,
  };
}

/**
 * Conv2D (strided: the cpu backend's max-pool gradient is slow) -> flatten -> Dense -> softmax on
 * 14 x 14 digits: the Dense+Conv2D model, small.
 */
export function convNet(): tf.LayersModel {
  const model = tf.sequential({ name: 'convnet' });
  model.add(
    tf.layers.conv2d({
      inputShape: [14, 14, 1],
      filters: 8,
      kernelSize: 3,
      strides: 2,
      activation: 'relu',
      name: 'conv',
    }),
  );
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 32, activation: 'relu', name: 'hidden' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax', name: 'out' }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** A tiny MLP on flat inputs for fast tests. */
export function mlp(inputs = 8, hidden = 16): tf.LayersModel {
  const model = tf.sequential({ name: 'mlp' });
  model.add(tf.layers.dense({ inputShape: [inputs], units: hidden, activation: 'relu', name: 'h1' }));
  model.add(tf.layers.dense({ units: hidden, activation: 'tanh', name: 'h2' }));
  model.add(tf.layers.dense({ units: 3, activation: 'softmax', name: 'out' }));
  model.compile({ optimizer: tf.train.adam(1e-2), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** Random data for `mlp`: n samples, 3 classes. */
export function blobs(n: number, inputs = 8, noiseSeed = 11): { xs: tf.Tensor2D; ys: tf.Tensor2D } {
  return tf.tidy(() => {
    const labels = tf.tensor1d(
      Array.from({ length: n }, (_, i) => i % 3),
      'int32',
    );
    const ys = tf.oneHot(labels, 3).toFloat() as tf.Tensor2D;
    const centers = tf.randomNormal([3, inputs], 0, 2, 'float32', 7);
    const xs = tf.add(
      tf.matMul(ys, centers),
      tf.randomNormal([n, inputs], 0, 1, 'float32', noiseSeed),
    ) as tf.Tensor2D;
    return { xs, ys };
  });
}

export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** GET /api/sessions/:id of a running server. */
export async function getSession(baseUrl: string, id: string): Promise<SessionDetail> {
  const res = await fetch(new URL(`/api/sessions/${id}`, baseUrl));
  if (!res.ok) throw new Error(`GET /api/sessions/${id}: ${res.status} ${await res.text()}`);
  return (await res.json()) as SessionDetail;
}

/** Polls `check` until it returns true or `timeoutMs` passes. */
export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

/** A ws:// URL from the server's http:// URL. */
export function wsUrl(httpUrl: string): string {
  return httpUrl.replace(/^http/, 'ws').replace(/\/$/, '');
}
