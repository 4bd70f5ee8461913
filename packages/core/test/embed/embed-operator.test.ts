import { distanceAgreement, embedOperator, type Phase, Random } from '@mphate/core/internal';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { syntheticOperator } from '../helpers/dense.js';

const base = { gamma: 0, nComponents: 2, mdsSolver: 'sgd' } as const;

describe('embedOperator', () => {
  const op = syntheticOperator(160, { seed: 7, landmarkLike: true });

  it('embeds deterministically under a seed, reporting phases in order', async () => {
    const phases: Phase[] = [];
    const a = await embedOperator(op, {
      ...base,
      t: 'auto',
      random: new Random(42),
      onProgress: (p) => {
        if (phases.at(-1) !== p.phase) phases.push(p.phase);
      },
    });
    const b = await embedOperator(op, { ...base, t: 'auto', random: new Random(42) });
    expect(Array.from(a.coordinates)).toEqual(Array.from(b.coordinates));
    expect(a.coordinates.length).toBe(op.size * 2);
    expect(a.coordinates.every(Number.isFinite)).toBe(true);
    expect(a.t).toBeGreaterThanOrEqual(1);
    expect(a.t).toBeLessThanOrEqual(98);
    expect(phases).toEqual(['entropy', 'power', 'potential', 'mds']);
    expect(Object.keys(a.timings).sort()).toEqual(['entropy', 'mds', 'potential', 'power']);
    // Procrustes onto classic MDS leaves a centred result of Frobenius norm <= 1
    let n = 0;
    for (const v of a.coordinates) n += v * v;
    expect(Math.sqrt(n)).toBeLessThanOrEqual(1 + 1e-9);
    // the picture reflects the points the operator was built on
    expect(distanceAgreement(a.coordinates, op.points, op.size, 2, op.dim, 20000, 1)).toBeGreaterThan(0.5);
  });

  it('takes a given t without the entropy phase, and SMACOF / 3-D', async () => {
    const s = await embedOperator(op, { ...base, t: 12, mdsSolver: 'smacof', random: new Random(1) });
    expect(s.t).toBe(12);
    expect(s.timings.entropy).toBeUndefined();
    const g = await embedOperator(op, { ...base, t: 12, random: new Random(1) });
    expect(distanceAgreement(s.coordinates, g.coordinates, op.size, 2, 2, 20000, 1)).toBeGreaterThan(0.95);
    const three = await embedOperator(op, { ...base, t: 12, nComponents: 3, random: new Random(1) });
    expect(three.coordinates.length).toBe(op.size * 3);
    expect(three.coordinates.every(Number.isFinite)).toBe(true);
  });

  it('warm-starts from init with few sweeps and stays near it', async () => {
    const first = await embedOperator(op, { ...base, t: 12, random: new Random(3) });
    // rescale to distance units so the SGD starts close to its optimum
    const warm = await embedOperator(op, {
      ...base,
      t: 12,
      random: new Random(4),
      init: first.coordinates,
      sweeps: 5,
    });
    expect(warm.coordinates.length).toBe(first.coordinates.length);
    expect(distanceAgreement(first.coordinates, warm.coordinates, op.size, 2, 2, 20000, 1)).toBeGreaterThan(
      0.9,
    );
  });

  it('runs the large-operator path (block Krylov spectrum) without leaking tensors', async () => {
    const big = syntheticOperator(460, { seed: 8, landmarkLike: true });
    await embedOperator(big, { ...base, t: 'auto', random: new Random(5), sweeps: 3 }); // warm the backend
    const before = tf.memory().numTensors;
    const r = await embedOperator(big, { ...base, t: 'auto', random: new Random(5), sweeps: 3 });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.coordinates.every(Number.isFinite)).toBe(true);
  });

  it('rejects bad input with errors that name the problem', async () => {
    const r = new Random(1);
    await expect(
      embedOperator({ ...op, sqrtDegree: new Float64Array(3) }, { ...base, t: 5, random: r }),
    ).rejects.toThrow(/sqrtDegree/);
    await expect(embedOperator(op, { ...base, t: 5, init: new Float64Array(4), random: r })).rejects.toThrow(
      /init/,
    );
  });
});
