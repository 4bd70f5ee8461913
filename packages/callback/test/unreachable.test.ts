import { createServer } from 'node:net';
import { mphateCallback } from '@mphate/callback';
import { describe, expect, it, vi } from 'vitest';
import { blobs, mlp, useWasm, waitFor } from './helpers.js';

await useWasm();

/** A loopback port nobody listens on. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

describe('server never started', () => {
  it('training finishes and the user sees one clear warning', async () => {
    const port = await deadPort();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const { xs, ys } = blobs(60);
      const model = mlp();
      const callback = mphateCallback({ probe: xs.slice(0, 20), server: `ws://127.0.0.1:${port}` });
      const history = await model.fit(xs, ys, { epochs: 6, batchSize: 20, callbacks: [callback] });
      expect(history.epoch).toHaveLength(6);
      // Nothing was delivered; flush says so after its timeout instead of hanging.
      expect(await callback.flush({ timeoutMs: 300 })).toBe(false);
      const stats = callback.tracer!.delivery!;
      expect(stats.pending).toBe(6 + 6 + 1); // slices, epochs, end: all kept for a later reconnect
      expect(stats.dropped).toBe(0);
      const ours = () =>
        warn.mock.calls
          .map((c) => String(c[0]))
          .filter((m) => m.includes('[mphate]') && !m.includes('cross-entropy'));
      // The refusal may arrive after this short training; then the callback keeps retrying, silently.
      await waitFor(() => ours().length > 0, 10_000);
      await new Promise((r) => setTimeout(r, 1500)); // several reconnect attempts (250, 500, 1000 ms)
      expect(ours()).toHaveLength(1);
      expect(ours()[0]).toMatch(
        /cannot reach the M-PHATE server at ws:\/\/127\.0\.0\.1:\d+ .*Training goes on/,
      );
      callback.tracer!.close({ timeoutMs: 1 });
    } finally {
      warn.mockRestore();
    }
  });

  it('past maxQueueBytes the oldest messages are dropped, with one warning', async () => {
    const port = await deadPort();
    const warnings: string[] = [];
    const { xs, ys } = blobs(60);
    const model = mlp();
    const callback = mphateCallback({
      probe: xs.slice(0, 20),
      server: `ws://127.0.0.1:${port}`,
      maxQueueBytes: 4096, // a slice here is 32 units x 20 samples x 4 bytes + header, about 2.9 KB
      warn: (m) => warnings.push(m),
    });
    await model.fit(xs, ys, { epochs: 8, batchSize: 20, callbacks: [callback] });
    const stats = callback.tracer!.delivery!;
    expect(stats.dropped).toBeGreaterThan(0);
    expect(stats.pendingBytes).toBeLessThanOrEqual(4096);
    await waitFor(() => warnings.some((w) => w.includes('cannot reach')), 10_000);
    expect(warnings.filter((w) => w.includes('dropping the oldest'))).toHaveLength(1);
    expect(warnings.filter((w) => w.includes('cannot reach'))).toHaveLength(1);
    await callback.close({ timeoutMs: 1 });
  });
});
