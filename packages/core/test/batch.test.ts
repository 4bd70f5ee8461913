import { distanceAgreement, fitTransform, type MphateOptions, type Trace } from '@mphate/core';
import { describe, expect, it } from 'vitest';
import { randomWalkTrace } from './helpers/fixtures.js';

const small: MphateOptions = { t: 10 };

function finite(a: Float32Array): boolean {
  return a.every((v) => Number.isFinite(v));
}

describe('fitTransform input errors', () => {
  const ok = randomWalkTrace(3, 5, 4, 1);
  const cases: [string, Trace, RegExp][] = [
    ['length mismatch', { ...ok, data: new Float32Array(10) }, /length 10, expected .* = 60/],
    ['no units', { ...ok, units: 0, data: new Float32Array(0) }, /no units/],
    ['fewer than 3 samples', { ...ok, samples: 2, data: new Float32Array(30) }, /fewer than 3 probe samples/],
    ['no epochs', { ...ok, epochs: 0, data: new Float32Array(0) }, /epochs must be >= 1/],
  ];
  for (const [name, trace, message] of cases)
    it(`rejects ${name}`, async () => {
      await expect(fitTransform(trace)).rejects.toThrow(message);
    });

  it('names the epoch and unit of a NaN or Inf', async () => {
    const data = Float32Array.from(ok.data);
    data[(2 * 5 + 3) * 4 + 1] = Number.NaN;
    await expect(fitTransform({ ...ok, data })).rejects.toThrow(/NaN at epoch 2, unit 3/);
    data[(2 * 5 + 3) * 4 + 1] = Number.POSITIVE_INFINITY;
    await expect(fitTransform({ ...ok, data })).rejects.toThrow(/Inf at epoch 2, unit 3/);
  });

  it('rejects out-of-range options by name', async () => {
    await expect(fitTransform(ok, { gamma: 2 })).rejects.toThrow(/gamma/);
    await expect(fitTransform(ok, { intrasliceKnn: 0 })).rejects.toThrow(/intrasliceKnn/);
    await expect(fitTransform(ok, { nComponents: 4 as 2 })).rejects.toThrow(/nComponents/);
    await expect(fitTransform(ok, { t: 0 })).rejects.toThrow(/t must be/);
    await expect(fitTransform(ok, { mdsSolver: 'x' as 'sgd' })).rejects.toThrow(/mdsSolver/);
  });
});

describe('fitTransform on small and degenerate traces', () => {
  it('embeds a single slice (intraslice only) and two slices (k clamped to 1)', async () => {
    const one = await fitTransform(randomWalkTrace(1, 30, 10, 2), small);
    expect(one.coordinates.length).toBe(60);
    expect(one.intersliceKnn).toBe(0);
    expect(finite(one.coordinates)).toBe(true);
    const two = await fitTransform(randomWalkTrace(2, 30, 10, 2), small);
    expect(two.intersliceKnn).toBe(1);
    expect(two.points).toBe(60);
    expect(finite(two.coordinates)).toBe(true);
  });

  it('keeps a dead (constant) unit finite', async () => {
    const trace = randomWalkTrace(8, 20, 10, 3);
    for (let t = 0; t < 8; t++) trace.data.fill(0.5, (t * 20 + 7) * 10, (t * 20 + 8) * 10);
    const e = await fitTransform(trace, small);
    expect(finite(e.coordinates)).toBe(true);
  });

  it('reduces samples with PCA when samples > nPca, and reports progress per phase', async () => {
    const trace = randomWalkTrace(5, 20, 12, 4);
    const phases = new Set<string>();
    const reduced = await fitTransform(trace, {
      ...small,
      nPca: 11,
      onProgress: (p) => {
        expect(p.fraction).toBeGreaterThanOrEqual(0);
        expect(p.fraction).toBeLessThanOrEqual(1);
        phases.add(p.phase);
      },
    });
    for (const p of ['normalize', 'pca', 'intraslice', 'interslice', 'kernel', 'power', 'potential', 'mds'])
      expect(phases.has(p)).toBe(true);
    expect(reduced.timings.pca).toBeGreaterThanOrEqual(0);
    // z-scored rows span at most samples - 1 = 11 directions once centred, so PCA to 11
    // components is a rotation: every distance, hence the embedding, is that of no PCA
    const full = await fitTransform(trace, { ...small, nPca: 12 });
    expect(full.timings.pca).toBeUndefined();
    const N = trace.epochs * trace.units;
    expect(distanceAgreement(reduced.coordinates, full.coordinates, N, 2, 2, 20_000)).toBeGreaterThan(0.999);
    // dropping real directions changes the picture
    const lossy = await fitTransform(trace, { ...small, nPca: 2 });
    expect(distanceAgreement(lossy.coordinates, full.coordinates, N, 2, 2, 20_000)).toBeLessThan(0.99);
  });

  it('uses landmarks when N > nLandmark, 3-D included', async () => {
    const e = await fitTransform(randomWalkTrace(10, 30, 10, 5), {
      ...small,
      nLandmark: 100,
      nComponents: 3,
    });
    expect(e.landmarks).toBeGreaterThan(10);
    expect(e.landmarks).toBeLessThanOrEqual(100);
    expect(e.coordinates.length).toBe(300 * 3);
    expect(finite(e.coordinates)).toBe(true);
  });
});
