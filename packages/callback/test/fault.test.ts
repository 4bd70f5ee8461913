import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mphateCallback } from '@mphate/callback';
import { afterAll, describe, expect, it } from 'vitest';
import { blobs, getSession, mlp, tempDir, tf, useWasm, waitFor } from './helpers.js';

await useWasm();

const script = fileURLToPath(new URL('./child-server.mjs', import.meta.url));

/** Starts the server in a child process and resolves with it and its port once it listens. */
function startChild(port: number, dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [script, String(port), dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`child server exited with ${code} before listening`)));
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('the server killed in the middle of training', () => {
  const data = tempDir('mphate-cb-fault-');
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const c of children) await kill(c);
    data.remove();
  });

  it('training finishes, and after a restart on the same folder every epoch arrives, in order, none twice', async () => {
    const first = await startChild(0, data.dir);
    children.push(first.child);
    const port = first.port;
    const { xs, ys } = blobs(60);
    const model = mlp();
    const warnings: string[] = [];
    const callback = mphateCallback({
      probe: xs.slice(0, 20),
      server: `ws://127.0.0.1:${port}`,
      warn: (m) => warnings.push(m),
    });
    const chaos = new tf.CustomCallback({
      onEpochEnd: async (epoch) => {
        if (epoch === 2) {
          // Mid-stream: the server has stored and acknowledged something, more is in flight.
          await waitFor(() => callback.tracer!.delivery!.acknowledged >= 2);
          await kill(first.child); // SIGKILL: no goodbye, acks in flight are lost
        }
        if (epoch === 6) children.push((await startChild(port, data.dir)).child);
      },
    });
    const history = await model.fit(xs, ys, { epochs: 10, batchSize: 20, callbacks: [callback, chaos] });
    expect(history.epoch).toHaveLength(10);
    expect(await callback.flush({ timeoutMs: 30_000 })).toBe(true);

    const session = await getSession(`http://127.0.0.1:${port}/`, callback.sessionId!);
    expect(session.status).toBe('finished');
    expect(session.slices).toBe(10);
    expect(session.logs.map((r) => r.slice)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(session.logs.map((r) => r.epoch)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(session.epochLogs.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    session.logs.forEach((r, i) => {
      expect(r.loss).toBeCloseTo(history.history.loss![i] as number, 5);
    });
    // One warning for the lost connection, not one per epoch (besides the memorization-error hint: no cross-entropy metric here).
    const delivery = warnings.filter((w) => !/cross-entropy/.test(w));
    expect(delivery).toHaveLength(1);
    expect(delivery[0]).toMatch(/lost the connection to the M-PHATE server/);
  });
});
