import { fileURLToPath } from 'node:url';
import { detectNodeBackend, mphateCallback } from '@mphate/callback';
import { isResolvable } from '@mphate/callback/internal';
import { describe, expect, it } from 'vitest';
import { blobs, mlp, useWasm } from './helpers.js';

await useWasm();
const here = fileURLToPath(new URL('.', import.meta.url));

describe('backend detection (tfjs-node and tfjs-node-gpu cannot be installed on these machines)', () => {
  it('finds what is installed and not what is not', async () => {
    // Positive control: packages that are installed here resolve.
    expect(await isResolvable('@tensorflow/tfjs', here)).toBe(true);
    expect(await isResolvable('@tensorflow/tfjs-backend-wasm', here)).toBe(true);
    expect(await isResolvable('@tensorflow/tfjs-definitely-not-a-package', here)).toBe(false);
    const { tf } = await import('./helpers.js');
    const report = await detectNodeBackend({ from: here, tf });
    expect(report.installed).toEqual({ '@tensorflow/tfjs-node': false, '@tensorflow/tfjs-node-gpu': false });
    expect(report.active).toBe('wasm');
  });

  it('the session header says which backend traced it', async () => {
    const { xs, ys } = blobs(30);
    const model = mlp();
    const callback = mphateCallback({ probe: xs.slice(0, 10), server: false });
    await model.fit(xs, ys, { epochs: 1, callbacks: [callback] });
    expect(callback.tracer!.header.model).toMatchObject({ backend: 'wasm', tfjsVersion: '4.22.0' });
    expect(callback.tracer!.header.model!.params).toMatchObject({ epochs: 1, samples: 30 });
  });
});
