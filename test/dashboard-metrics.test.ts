/**
 * The dashboard's pure parts in Node: the heterogeneity measures of the compare view, the merge
 * of live log rows, where a point sits (slice, unit, layer), the reconnect backoff, and a new
 * embedding aligned onto the one on screen.
 */

import { histogramEntropy, normalizeRms, sliceSpread } from '@mphate/core/heterogeneity';
import type { SessionDetail } from '@mphate/protocol';
import { describe, expect, it } from 'vitest';
import { backoffMs } from '../packages/dashboard/src/live.ts';
import {
  type EmbeddedPoints,
  mergeLogs,
  pointInfo,
  SessionCache,
  unitLayers,
} from '../packages/dashboard/src/session-cache.ts';

describe('heterogeneity', () => {
  it('is the trace of each slice covariance after scaling the embedding to unit RMS', () => {
    // Slice 0: both units at the origin. Slice 1: units at (1, 0) and (-1, 0).
    const coords = Float32Array.from([0, 0, 0, 0, 1, 0, -1, 0]);
    const spread = sliceSpread(coords, { slices: 2, units: 2, dims: 2 });
    // RMS of all points = sqrt(1/2), so slice 1 sits at +-sqrt(2): variance 2.
    expect(spread[0]).toBeCloseTo(0, 12);
    expect(spread[1]).toBeCloseTo(2, 6);
  });

  it('does not change when a session is scaled, shifted or rotated as a whole', () => {
    const n = 3 * 7;
    const coords = Float32Array.from({ length: n * 2 }, (_, i) => Math.sin(i * 1.7) * (1 + (i % 5)));
    const moved = new Float32Array(coords.length);
    const [c, s] = [Math.cos(0.7), Math.sin(0.7)];
    for (let i = 0; i < n; i++) {
      const x = coords[2 * i]!;
      const y = coords[2 * i + 1]!;
      moved[2 * i] = 40 * (c * x - s * y) + 3;
      moved[2 * i + 1] = 40 * (s * x + c * y) - 8;
    }
    const a = sliceSpread(coords, { slices: 3, units: 7, dims: 2 });
    const b = sliceSpread(moved, { slices: 3, units: 7, dims: 2 });
    for (let k = 0; k < 3; k++) expect(b[k]).toBeCloseTo(a[k]!, 4);
    // The slice spreads of a unit-RMS embedding average to at most 1 (the rest is between slices).
    expect((a[0]! + a[1]! + a[2]!) / 3).toBeLessThanOrEqual(1 + 1e-9);
    const unit = normalizeRms(moved, 2);
    expect(unit.reduce((t, v) => t + v * v, 0) / n).toBeCloseTo(1, 9);
  });

  it('refuses coordinates that do not match slices x units x dims', () => {
    expect(() => sliceSpread(new Float32Array(5), { slices: 2, units: 2, dims: 2 })).toThrow(
      /expected 2 x 2 x 2/,
    );
  });

  it('histogram entropy: 0 bits for one cell, log2(100) for a uniform 10 x 10 grid', () => {
    expect(histogramEntropy(Float32Array.from([1, 1, 1, 1, 1, 1]), 2)).toBe(0);
    const grid: number[] = [];
    for (let i = 0; i < 10; i++) for (let j = 0; j < 10; j++) grid.push(i + 0.5, j + 0.5, 99);
    grid.push(0, 0, 0, 10, 10, 0); // corners fix the bounding box to [0, 10]
    const h = histogramEntropy(Float32Array.from(grid), 3);
    expect(h).toBeGreaterThan(Math.log2(100) - 0.05);
    expect(h).toBeLessThanOrEqual(Math.log2(100));
  });
});

function detail(overrides: Partial<SessionDetail> = {}): SessionDetail {
  return {
    id: 'a',
    name: 'a',
    status: 'live',
    slices: 0,
    epochs: 0,
    units: 5,
    createdAt: 0,
    updatedAt: 0,
    finalLogs: {},
    layers: [
      { name: 'dense_1', className: 'Dense', units: 2, totalUnits: 2 },
      { name: 'conv', className: 'Conv2D', units: 3, totalUnits: 64, keptUnits: [4, 17, 60] },
    ],
    samples: 3,
    every: 'epoch',
    logs: [],
    epochLogs: [],
    mphate: {},
    embeddedSlices: 0,
    embeddingFinal: false,
    tasks: [],
    ...overrides,
  };
}

const row = (slice: number, task: string | null = null) => ({
  slice,
  epoch: slice,
  step: slice,
  batch: null,
  task,
  time: slice,
  loss: 1 / (slice + 1),
});

describe('session state', () => {
  it('merges live log rows once per slice and keeps counts and tasks in step', () => {
    let d = detail();
    d = mergeLogs(d, [row(0), row(1, 'A')], [{ index: 0, epoch: 0, task: null, time: 0, val_loss: 2 }]);
    d = mergeLogs(d, [row(1, 'A'), row(2, 'B')], [{ index: 1, epoch: 1, task: 'A', time: 1, val_loss: 1 }]);
    expect(d.logs.map((r) => r.slice)).toEqual([0, 1, 2]);
    expect(d.slices).toBe(3);
    expect(d.epochs).toBe(2);
    expect(d.tasks).toEqual(['A', 'B']);
  });

  it('places a point: slice and unit from its row, layer from the cumulative units, kept unit index', () => {
    const d = mergeLogs(detail({ classNames: ['cat', 'dog'] }), [row(0), row(1, 'A')], []);
    const embedding: EmbeddedPoints = {
      slices: 2,
      units: 5,
      dims: 2,
      coordinates: new Float32Array(20),
      activeClass: Int16Array.from([0, 1, 0, 1, 0, -1, 1, 1, 1, 1]),
      final: false,
    };
    expect(Array.from(unitLayers(d))).toEqual([0, 0, 1, 1, 1]);
    const p = pointInfo(d, embedding, 5 + 3);
    expect(p).toMatchObject({
      slice: 1,
      unit: 3,
      layer: 1,
      layerName: 'conv',
      layerUnit: 17,
      epoch: 1,
      task: 'A',
    });
    expect(p.className).toBe('dog');
    expect(pointInfo(d, embedding, 5).className).toBeNull();
  });
});

describe('live socket', () => {
  it('backs off exponentially from 0.5 s to at most 10 s', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map(backoffMs)).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
  });
});

describe('a new embedding of a session on screen', () => {
  const slices = 4;
  const units = 30;
  const shown = (): EmbeddedPoints => ({
    slices,
    units,
    dims: 2,
    coordinates: Float32Array.from(
      { length: slices * units * 2 },
      (_, i) => Math.sin(i * 0.37) * (1 + (i % 7)),
    ),
    activeClass: new Int16Array(slices * units).fill(-1),
    final: false,
  });

  it('lands where the live frame was: a final batch in another orientation, scale and place is turned back onto it', () => {
    const cache = new SessionCache();
    const live = shown();
    cache.setEmbedding('s', live);
    // the same picture reflected, rotated by 1 rad, scaled by 3 and shifted, plus one new slice
    const final = { ...live, slices: slices + 1, final: true };
    final.coordinates = new Float32Array((slices + 1) * units * 2);
    const [c, s] = [Math.cos(1), Math.sin(1)];
    for (let i = 0; i < (slices + 1) * units; i++) {
      const x = i < slices * units ? live.coordinates[2 * i]! : 0.5;
      const y = i < slices * units ? -live.coordinates[2 * i + 1]! : 0.25;
      final.coordinates[2 * i] = 3 * (c * x - s * y) + 10;
      final.coordinates[2 * i + 1] = 3 * (s * x + c * y) - 4;
    }
    cache.setEmbedding('s', final);
    const got = cache.get('s').embedding!;
    expect(got.final).toBe(true);
    expect(got.slices).toBe(slices + 1);
    for (let i = 0; i < slices * units * 2; i++)
      expect(got.coordinates[i]).toBeCloseTo(live.coordinates[i]!, 4);
    // the new slice's points follow the same map
    expect(got.coordinates[2 * slices * units]).toBeCloseTo(0.5, 4);
    expect(got.coordinates[2 * slices * units + 1]).toBeCloseTo(-0.25, 4);
  });

  it('is kept as it comes when there is nothing to align to', () => {
    const cache = new SessionCache();
    const first = shown();
    cache.setEmbedding('s', first);
    expect(cache.get('s').embedding!.coordinates).toBe(first.coordinates);
    const other = {
      ...shown(),
      units: units + 1,
      coordinates: new Float32Array(slices * (units + 1) * 2).fill(1),
    };
    cache.setEmbedding('s', other);
    expect(cache.get('s').embedding!.coordinates).toBe(other.coordinates);
  });
});
