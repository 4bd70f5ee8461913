import {
  operatorSpectrum,
  potential,
  powerBySquaring,
  powerFromSpectrum,
  Random,
  rowDistances,
} from '@mphate/core/internal';
import { describe, expect, it } from 'vitest';
import { rowStochastic, syntheticOperator } from '../helpers/dense.js';

describe('potential (docs/algorithm.md §8)', () => {
  const q = Float64Array.from([0, 1e-12, 0.25, 1]);
  it('gamma 0 is 2 sqrt(Q^t)', () => {
    expect(Array.from(potential(q, 0))).toEqual([0, 2e-6, 1, 2]);
  });
  it('gamma 1 is -ln(Q^t + 1e-7)', () => {
    const u = potential(q, 1);
    for (let i = 0; i < q.length; i++) expect(u[i]).toBeCloseTo(-Math.log(q[i] + 1e-7), 12);
  });
  it('gamma -1 is Q^t itself', () => {
    expect(Array.from(potential(q, -1))).toEqual(Array.from(q));
  });
  it('gamma 0.5 is (Q^t)^c / c with c = 1/4', () => {
    const u = potential(q, 0.5);
    for (let i = 0; i < q.length; i++) expect(u[i]).toBeCloseTo(q[i] ** 0.25 / 0.25, 12);
  });
});

describe('matrix power and potential distances', () => {
  it('Q^t from the spectrum and by squaring both match the plain product', async () => {
    const op = syntheticOperator(150, { seed: 3 });
    const m = op.size;
    const q = rowStochastic(op);
    let p = Float64Array.from(q);
    const t = 7;
    for (let s = 1; s < t; s++) {
      const next = new Float64Array(m * m);
      for (let i = 0; i < m; i++)
        for (let k = 0; k < m; k++) {
          const a = p[i * m + k];
          if (a !== 0) for (let j = 0; j < m; j++) next[i * m + j] += a * q[k * m + j];
        }
      p = next;
    }
    const spec = await powerFromSpectrum(op, await operatorSpectrum(op, new Random(1)), t);
    const sq = await powerBySquaring(op, t);
    let e1 = 0;
    let e2 = 0;
    for (let i = 0; i < p.length; i++) {
      e1 = Math.max(e1, Math.abs(spec[i] - p[i]));
      e2 = Math.max(e2, Math.abs(sq[i] - p[i]));
    }
    expect(e1).toBeLessThan(1e-12);
    expect(e2).toBeLessThan(1e-5);
    // rows stay stochastic
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let j = 0; j < m; j++) s += spec[i * m + j];
      expect(s).toBeCloseTo(1, 10);
    }
  });

  it('row distances (float32 Gram with exact recomputation of close pairs) match Float64', async () => {
    const r = new Random(9);
    const m = 120;
    const c = 300;
    const u = new Float64Array(m * c);
    for (let i = 0; i < u.length; i++) u[i] = Math.abs(r.normal());
    // near-duplicate rows, where the Gram trick cancels
    for (let k = 0; k < c; k++) u[1 * c + k] = u[0 * c + k] + 1e-6 * r.normal();
    const d = await rowDistances(u, m, c);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let k = 0; k < c; k++) s += (u[i * c + k] - u[j * c + k]) ** 2;
        const exact = Math.sqrt(s);
        expect(Math.abs(d[i * m + j] - exact)).toBeLessThanOrEqual(1e-4 * Math.max(exact, 1e-3));
      }
    expect(d[1]).toBeGreaterThan(0);
    expect(d[1]).toBeLessThan(1e-4);
  });

  it('fills every pair when the Gram matrix is computed in symmetric blocks (M >= 1000)', async () => {
    const r = new Random(10);
    const m = 1003;
    const c = 7;
    const u = Float64Array.from({ length: m * c }, () => r.normal());
    const d = await rowDistances(u, m, c);
    let worst = 0;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let k = 0; k < c; k++) s += (u[i * c + k] - u[j * c + k]) ** 2;
        worst = Math.max(worst, Math.abs(d[i * m + j] - Math.sqrt(s)));
      }
    expect(worst).toBeLessThan(1e-5);
  });
});
