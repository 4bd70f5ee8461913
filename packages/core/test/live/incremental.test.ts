import { fitTransform, IncrementalMphate, neighbourhoodPreservation, type Trace } from '@mphate/core';
import { describe, expect, it } from 'vitest';
import { randomWalkTrace } from '../helpers/fixtures.js';

describe('IncrementalMphate', () => {
  it('validates its shape and every slice, naming the epoch and unit of a non-finite value', () => {
    expect(() => new IncrementalMphate({ units: 0, samples: 5 })).toThrow(/no units/);
    expect(() => new IncrementalMphate({ units: 4, samples: 2 })).toThrow(/fewer than 3 probe samples/);
    const inc = new IncrementalMphate({ units: 4, samples: 5 });
    expect(() => inc.addSlice(new Float32Array(19))).toThrow(/length 19, expected .* = 20/);
    inc.addSlice(new Float32Array(20).map((_, i) => i % 7));
    const bad = new Float32Array(20).map((_, i) => i % 5);
    bad[2 * 5 + 1] = Number.NaN;
    expect(() => inc.addSlice(bad)).toThrow(/NaN at epoch 1, unit 2/);
    expect(inc.epochs).toBe(1);
  });

  it('embeds from the first slice on, grows frame by frame, and moves old points little', async () => {
    const T = 8;
    const n = 25;
    const m = 10;
    const trace = randomWalkTrace(T, n, m, 11);
    const inc = new IncrementalMphate({ units: n, samples: m }, { live: { nLandmark: 100 } });
    let prev: Float32Array | null = null;
    for (let t = 0; t < T; t++) {
      inc.addSlice(trace.data.subarray(t * n * m, (t + 1) * n * m));
      const e = await inc.embed();
      expect(e.points).toBe((t + 1) * n);
      expect(e.intersliceKnn).toBe(Math.min(25, t));
      expect(e.coordinates.every(Number.isFinite)).toBe(true);
      if (t >= 4) expect(e.landmarks).toBeGreaterThan(0);
      if (prev && t >= 3) {
        // aligned onto the previous frame: old points move by less than the spread of the picture
        let moved = 0;
        let spread = 0;
        const N = prev.length / 2;
        for (let a = 0; a < N; a++) {
          moved += Math.hypot(
            e.coordinates[2 * a]! - prev[2 * a]!,
            e.coordinates[2 * a + 1]! - prev[2 * a + 1]!,
          );
          spread += Math.hypot(prev[2 * a]!, prev[2 * a + 1]!);
        }
        expect(moved / N).toBeLessThan(0.5 * (spread / N));
      }
      prev = e.coordinates;
    }
    const scores = neighbourhoodPreservation(trace, prev!, 2, 5);
    expect(scores.interslice).toBeGreaterThan(0.5);
  });
});

/** Each last frame scores within 0.05 of the batch embedding of the whole trace (200 landmarks). */
async function expectBatchScores(trace: Trace, frames: Float32Array[]): Promise<void> {
  const batch = neighbourhoodPreservation(
    trace,
    (await fitTransform(trace, { nLandmark: 200 })).coordinates,
    2,
    5,
  );
  for (const last of frames) {
    const scores = neighbourhoodPreservation(trace, last, 2, 5);
    expect(scores.intraslice).toBeGreaterThan(batch.intraslice - 0.05);
    expect(scores.interslice).toBeGreaterThan(batch.interslice - 0.05);
  }
}

describe('IncrementalMphate eras', () => {
  it('updates the landmark operator between re-clusterings, and starts an era when epsilon moves', async () => {
    const T = 40;
    const n = 30;
    const m = 12;
    const trace = randomWalkTrace(T, n, m, 21);
    const run = async (
      epsilonTolerance: number,
    ): Promise<{ updated: number; started: number; last: Float32Array }> => {
      const inc = new IncrementalMphate(
        { units: n, samples: m },
        { live: { nLandmark: 200, epsilonTolerance } },
      );
      let updated = 0;
      let started = 0;
      let last: Float32Array = new Float32Array(0);
      for (let t = 0; t < T; t++) {
        inc.addSlice(trace.data.subarray(t * n * m, (t + 1) * n * m));
        const eras = inc.eras;
        const e = await inc.embed();
        if (e.landmarks > 0) {
          if (inc.eras === eras) updated++;
          else started++;
        }
        last = e.coordinates;
      }
      return { updated, started, last };
    };
    const strict = await run(0);
    const loose = await run(1);
    // epsilon moves a little with every slice: with no tolerance every frame starts an era
    expect(strict.updated).toBe(0);
    expect(loose.updated).toBeGreaterThan(loose.started);
    // and either way the final frame scores like the batch embedding of the whole trace
    await expectBatchScores(trace, [strict.last, loose.last]);
  });

  it('computes new clusters in the idle time it is given, the same however that time is cut', async () => {
    const T = 30;
    const n = 30;
    const m = 12;
    const trace = randomWalkTrace(T, n, m, 21);
    /** idle: ms per runBackground call, called until no work is left; null: no idle time. */
    const run = async (idle: number | null) => {
      const inc = new IncrementalMphate({ units: n, samples: m }, { live: { nLandmark: 200 } });
      let started = 0;
      let calls = 0;
      let last: Float32Array = new Float32Array(0);
      for (let t = 0; t < T; t++) {
        inc.addSlice(trace.data.subarray(t * n * m, (t + 1) * n * m));
        const waiting = inc.hasBackgroundWork;
        last = (await inc.embed()).coordinates;
        if (inc.hasBackgroundWork && !waiting) started++;
        if (idle !== null)
          while (inc.hasBackgroundWork) {
            calls++;
            await inc.runBackground(idle);
          }
      }
      expect(await inc.runBackground(10)).toBe(false); // nothing left
      return { started, calls, last };
    };
    const sliced = await run(1);
    const whole = await run(Number.POSITIVE_INFINITY);
    expect(whole.started).toBeGreaterThanOrEqual(3); // 200 landmarks, 900 points: 1.25x growth
    expect(whole.calls).toBe(whole.started);
    expect(sliced.calls).toBeGreaterThan(5 * sliced.started); // really cut into slices
    expect(Array.from(sliced.last)).toEqual(Array.from(whole.last));
    // with no idle time, each clustering is finished inside the frame at which the next is due
    const none = await run(null);
    expect(none.started).toBeGreaterThan(0);
    expect(none.started).toBeLessThan(whole.started);
    await expectBatchScores(trace, [whole.last, none.last]);
  });
});
