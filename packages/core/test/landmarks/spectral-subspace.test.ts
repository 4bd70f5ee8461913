import {
  fullOperator,
  landmarkSvdPowerIterations,
  type MultisliceKernel,
  Random,
  spectralFeatures,
  symmetricEigen,
} from '@mphate/core/internal';
import { beforeAll, describe, expect, it } from 'vitest';
import { smallKernel } from '../helpers/graph.js';

/** Orthonormal basis (Float64, N x c', modified Gram-Schmidt twice) of the columns of a (N x c). */
function basis(a: ArrayLike<number>, N: number, c: number): Float64Array[] {
  const q: Float64Array[] = [];
  for (let j = 0; j < c; j++) {
    const v = Float64Array.from({ length: N }, (_, i) => a[i * c + j]!);
    const norm0 = Math.hypot(...v);
    for (let pass = 0; pass < 2; pass++)
      for (const u of q) {
        let dot = 0;
        for (let i = 0; i < N; i++) dot += u[i]! * v[i]!;
        for (let i = 0; i < N; i++) v[i]! -= dot * u[i]!;
      }
    const norm = Math.hypot(...v);
    if (norm > 1e-8 * norm0) q.push(v.map((x) => x / norm));
  }
  return q;
}

/** Principal angles (degrees, ascending) between span(a) and span(b), both N x c. */
function principalAngles(a: ArrayLike<number>, b: ArrayLike<number>, N: number, c: number): number[] {
  const qa = basis(a, N, c);
  const qb = basis(b, N, c);
  expect(qa.length).toBe(c);
  expect(qb.length).toBe(c);
  // M = Qaᵀ Qb; the singular values of M are the cosines: eigenvalues of Mᵀ M
  const m = new Float64Array(c * c);
  for (let i = 0; i < c; i++)
    for (let j = 0; j < c; j++) {
      let s = 0;
      for (let r = 0; r < N; r++) s += qa[i]![r]! * qb[j]![r]!;
      m[i * c + j] = s;
    }
  const mtm = new Float64Array(c * c);
  for (let i = 0; i < c; i++)
    for (let j = 0; j < c; j++) {
      let s = 0;
      for (let r = 0; r < c; r++) s += m[r * c + i]! * m[r * c + j]!;
      mtm[i * c + j] = s;
    }
  const { values } = symmetricEigen(mtm, c);
  return Array.from(values, (v) => (Math.acos(Math.sqrt(Math.min(1, Math.max(0, v)))) * 180) / Math.PI).sort(
    (x, y) => x - y,
  );
}

describe('landmark spectral features: subspace against an exact eigendecomposition', () => {
  let k: MultisliceKernel;
  let N = 0;
  let exact: (comps: number) => Float64Array;
  let magnitudes: number[] = [];
  beforeAll(async () => {
    ({ k } = await smallKernel());
    N = k.epochs * k.units;
    const op = fullOperator(k); // S = D^-1/2 K D^-1/2
    const eig = symmetricEigen(op.symmetric, N);
    const order = Array.from({ length: N }, (_, i) => i).sort(
      (i, j) => Math.abs(eig.values[j]!) - Math.abs(eig.values[i]!),
    );
    magnitudes = order.map((i) => Math.abs(eig.values[i]!));
    // F_exact = D^-1 K V = D^-1/2 S D^1/2 V: the same span as D^-1/2 V (S V = V Λ)
    exact = (comps) => {
      const f = new Float64Array(N * comps);
      for (let i = 0; i < N; i++)
        for (let c = 0; c < comps; c++)
          f[i * comps + c] = eig.vectors[i * N + order[c]!]! / op.sqrtDegree[i]!;
      return f;
    };
  });

  it('at the default power iterations the features span the leading eigenvectors even where the spectrum is flat', async () => {
    // 20 components where |λ_21| / |λ_20| is close to 1, like the flat spectra of real networks'
    // kernels (the range finder's 10 extra columns reach down to where |λ| has fallen off)
    const comps = 20;
    expect(magnitudes[comps]! / magnitudes[comps - 1]!).toBeGreaterThan(0.9);
    expect(landmarkSvdPowerIterations(comps, N)).toBeGreaterThan(0);
    const ref = exact(comps);
    for (const seed of [1, 2, 3]) {
      const fit = await spectralFeatures(k, { components: comps, random: new Random(seed) });
      const angles = principalAngles(fit.features, ref, N, comps);
      expect(angles[comps / 2]!).toBeLessThan(2);
      expect(angles[comps - 1]!).toBeLessThan(10);
      // the plain range finder (0 iterations) leaves the trailing directions far off
      const plain = await spectralFeatures(k, {
        components: comps,
        powerIterations: 0,
        random: new Random(seed),
      });
      expect(principalAngles(plain.features, ref, N, comps)[comps - 1]!).toBeGreaterThan(30);
    }
  });
});
