import {
  findKneePoint,
  operatorSpectrum,
  optimalT,
  Random,
  spectrumT,
  symmetricEigen,
  vonNeumannEntropy,
} from '@mphate/core/internal';
import { describe, expect, it } from 'vitest';
import { rowStochastic, syntheticOperator } from '../helpers/dense.js';

describe('von Neumann entropy and the knee (PHATE vne.py)', () => {
  it('reproduces the reference docstring examples', () => {
    // find_knee_point(exp(-x/10), x = 0..19) == 8
    const x = Array.from({ length: 20 }, (_, i) => i);
    expect(
      findKneePoint(
        x.map((v) => Math.exp(-v / 10)),
        x,
      ),
    ).toBe(8);
    // singular values of eye(10) with X[0,0] = 5, X[3,2] = 4: knee of the entropy curve == 23
    const s = Math.sqrt(80);
    const sv = Float64Array.from([5, Math.sqrt(9 + s), 1, 1, 1, 1, 1, 1, 1, Math.sqrt(9 - s)]);
    expect(optimalT(sv)).toBe(23);
  });

  it('uses the asymmetric two-line fit and returns x at the first minimum', () => {
    // a clean broken line: knee exactly at the break
    const y = [30, 27, 24, 21, 18, 15, 12, 10, 8, 6, 4, 2, 0];
    expect(findKneePoint(y)).toBe(6);
    expect(
      findKneePoint(
        y,
        y.map((_, i) => 10 + 2 * i),
      ),
    ).toBe(22);
    expect(() => findKneePoint([1, 2])).toThrow(/at least 3/);
  });

  it('adds eps after normalising and honours densities', () => {
    const h = vonNeumannEntropy(Float64Array.from([1, 1]), 3);
    const p = 0.5 + 2.220446049250313e-16;
    expect(h[0]).toBeCloseTo(-2 * p * Math.log(p), 15);
    const dens = vonNeumannEntropy(Float64Array.from([1, 0.5]), 5, Float64Array.from([2, 3]));
    const expanded = vonNeumannEntropy(Float64Array.from([1, 1, 0.5, 0.5, 0.5]), 5);
    for (let i = 0; i < 5; i++) expect(dens[i]).toBeCloseTo(expanded[i], 12);
  });
});

describe('fast spectrum for t (block Krylov + stochastic Lanczos quadrature)', () => {
  for (const landmarkLike of [true, false])
    for (const seed of [1, 2]) {
      it(`gives the t of the exact eigenvalues (${landmarkLike ? 'landmark-like' : 'sparse'} operator, seed ${seed})`, async () => {
        const op = syntheticOperator(360, { seed, landmarkLike });
        const exact = await operatorSpectrum(op, new Random(seed));
        expect(exact.exact).toBe(true);
        const fast = await operatorSpectrum(op, new Random(seed), { exactLimit: 0, rank: 60 });
        expect(fast.exact).toBe(false);
        const tExact = spectrumT(exact);
        // landmark-like (fast-decaying) spectra: the same t; sparse kernels (slow decay, few
        // converged pairs at rank 60): within 1 (docs/mphate.md)
        if (landmarkLike) expect(spectrumT(fast)).toBe(tExact);
        else expect(Math.abs(spectrumT(fast) - tExact)).toBeLessThanOrEqual(1);
        if (!landmarkLike) return;
        // the reference takes singular values of Q instead: close, not always equal (docs/mphate.md)
        const q = rowStochastic(op);
        const m = op.size;
        const qtq = new Float64Array(m * m);
        for (let k = 0; k < m; k++)
          for (let i = 0; i < m; i++) {
            const v = q[k * m + i];
            if (v !== 0) for (let j = 0; j < m; j++) qtq[i * m + j] += v * q[k * m + j];
          }
        const sv = symmetricEigen(qtq, m).values.map((x) => Math.sqrt(Math.max(x, 0)));
        expect(Math.abs(optimalT(sv) - tExact)).toBeLessThanOrEqual(5);
      });
    }
});
