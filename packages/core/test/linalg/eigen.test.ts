import { matMul, Random, symmetricEigen } from '@mphate/core/internal';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

function randomSymmetric(n: number, seed: number): Float64Array {
  const r = new Random(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      const v = r.normal();
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  return a;
}

describe('symmetricEigen', () => {
  for (const n of [1, 2, 5, 40, 150]) {
    it(`satisfies A v = λ v with orthonormal vectors, descending values (n = ${n})`, () => {
      const a = randomSymmetric(n, n);
      const { values, vectors } = symmetricEigen(a, n);
      for (let j = 1; j < n; j++) expect(values[j]).toBeLessThanOrEqual(values[j - 1]);
      let maxRes = 0;
      let maxOrth = 0;
      for (let j = 0; j < n; j++) {
        for (let i = 0; i < n; i++) {
          let av = 0;
          for (let k = 0; k < n; k++) av += a[i * n + k] * vectors[k * n + j];
          maxRes = Math.max(maxRes, Math.abs(av - values[j] * vectors[i * n + j]));
        }
        for (let l = 0; l <= j; l++) {
          let dot = 0;
          for (let k = 0; k < n; k++) dot += vectors[k * n + j] * vectors[k * n + l];
          maxOrth = Math.max(maxOrth, Math.abs(dot - (l === j ? 1 : 0)));
        }
      }
      expect(maxRes).toBeLessThan(1e-10 * Math.max(1, n));
      expect(maxOrth).toBeLessThan(1e-12 * Math.max(1, n));
      // trace is preserved
      let tr = 0;
      let sum = 0;
      for (let i = 0; i < n; i++) {
        tr += a[i * n + i];
        sum += values[i];
      }
      expect(sum).toBeCloseTo(tr, 9);
    });
  }

  it('handles repeated eigenvalues and a zero matrix', () => {
    const id = new Float64Array(9);
    id[0] = id[4] = id[8] = 2;
    expect(Array.from(symmetricEigen(id, 3).values)).toEqual([2, 2, 2]);
    expect(Array.from(symmetricEigen(new Float64Array(4), 2).values)).toEqual([0, 0]);
  });

  it('rejects a matrix of the wrong length', () => {
    expect(() => symmetricEigen(new Float64Array(5), 2)).toThrow(/length 5/);
  });
});

describe('matMul', () => {
  it('matches a naive product, with and without transposeB, leaking no tensors', async () => {
    const r = new Random(3);
    const m = 37;
    const k = 53;
    const n = 29;
    const a = Float64Array.from({ length: m * k }, () => r.normal());
    const b = Float32Array.from({ length: k * n }, () => r.normal());
    const bt = new Float32Array(n * k);
    for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) bt[j * k + p] = b[p * n + j];
    await matMul(a, b, m, k, n); // warm up the backend before counting tensors
    const before = tf.memory().numTensors;
    const c = await matMul(a, b, m, k, n);
    const ct = await matMul(a, bt, m, k, n, { transposeB: true });
    expect(tf.memory().numTensors).toBe(before);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
        expect(c[i * n + j]).toBeCloseTo(s, 3);
        expect(ct[i * n + j]).toBeCloseTo(s, 3);
      }
    await expect(matMul(a, b, m, k + 1, n)).rejects.toThrow(/expected m\*k/);
  });
});
