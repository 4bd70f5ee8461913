import { mphateCallback } from '@mphate/callback';
import { type RunningServer, startServer } from '@mphate/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convNet, digits, getSession, tempDir, tf, useBackend, wsUrl } from './helpers.js';

describe('mphateCallback delivers every epoch to a real server', () => {
  let server: RunningServer;
  const data = tempDir('mphate-cb-deliver-');

  beforeAll(async () => {
    // Training a Conv2D needs the cpu backend (the wasm one has no conv gradient kernels).
    await useBackend('cpu');
    server = await startServer({ port: 0, host: '127.0.0.1', dataDir: data.dir, workers: 1 });
  });
  afterAll(async () => {
    await server?.close();
    data.remove();
  });

  it('Dense + Conv2D on MNIST digits: 3 epochs, right unit counts, logs and kept units', async () => {
    const train = digits(30, 0, 14); // 300 digits, 14 x 14
    const probe = digits(5, 100, 14); // 50 held-out digits
    const model = convNet();
    const callback = mphateCallback({
      probe: probe.xs,
      probeLabels: probe.labels,
      classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      server: wsUrl(server.url),
      session: 'mnist conv',
      maxUnitsPerLayer: 20,
      mphate: { intersliceKnn: 12 },
    });
    const history = await model.fit(train.xs, train.ys, {
      epochs: 3,
      batchSize: 50,
      validationData: [probe.xs, probe.ys],
      callbacks: [callback],
    });
    expect(await callback.flush({ timeoutMs: 20_000 })).toBe(true);

    const session = await getSession(server.url, callback.sessionId!);
    expect(session.name).toBe('mnist conv');
    expect(session.status).toBe('finished');
    expect(session.slices).toBe(3);
    expect(session.epochs).toBe(3);
    expect(session.samples).toBe(50);
    expect(session.probeLabels).toEqual(probe.labels);
    expect(session.mphate.intersliceKnn).toBe(12);
    // conv: 8 channels (all kept); hidden: 32 units, a seeded subset of 20 kept; the output layer is left out.
    expect(session.layers.map((l) => [l.name, l.units, l.totalUnits])).toEqual([
      ['conv', 8, 8],
      ['hidden', 20, 32],
    ]);
    const kept = session.layers[1]!.keptUnits!;
    expect(kept).toHaveLength(20);
    expect([...kept].sort((a, b) => a - b)).toEqual(kept);
    expect(session.units).toBe(28);
    expect(session.logs.map((r) => [r.slice, r.epoch, r.batch, r.step])).toEqual([
      [0, 0, null, 6],
      [1, 1, null, 12],
      [2, 2, null, 18],
    ]);
    session.logs.forEach((row, i) => {
      expect(row.loss).toBeCloseTo(history.history.loss![i] as number, 5);
      expect(row.val_loss).toBeCloseTo(history.history.val_loss![i] as number, 5);
      expect(typeof row.acc).toBe('number');
    });
    expect(session.epochLogs.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(session.epochLogs[2]!.val_acc).toBeCloseTo(history.history.val_acc![2] as number, 5);

    // The stored trace is what the probe gives: 3 slices x 28 units x 50 samples, finite, not constant.
    const res = await fetch(new URL(`/api/sessions/${callback.sessionId}/trace.npy`, server.url));
    expect(res.status).toBe(200);
    const { decodeNpy } = await import('@mphate/protocol');
    const npy = decodeNpy(new Uint8Array(await res.arrayBuffer()));
    expect(npy.shape).toEqual([3, 28, 50]);
    tf.dispose([train.xs, train.ys, probe.xs, probe.ys]);
    model.dispose();
  });
});
