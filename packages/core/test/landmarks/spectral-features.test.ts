import {
  fullOperator,
  type MultisliceKernel,
  Random,
  spectralFeatures,
  symmetricEigen,
} from '@mphate/core/internal';
import { beforeAll, describe, expect, it } from 'vitest';
import { smallKernel } from '../helpers/graph.js';

/** Largest |x - Q Qᵀ x| / |x| over the columns x of b (N x cb), Q an orthonormal basis of a's columns. */
function outsideSpan(a: Float64Array, ca: number, b: Float64Array, cb: number, N: number): number {
  // Gram-Schmidt on the columns of a
  const q: Float64Array[] = [];
  for (let j = 0; j < ca; j++) {
    const v = Float64Array.from({ length: N }, (_, i) => a[i * ca + j]!);
    for (const u of q) {
      let dot = 0;
      for (let i = 0; i < N; i++) dot += u[i]! * v[i]!;
      for (let i = 0; i < N; i++) v[i]! -= dot * u[i]!;
    }
    const norm = Math.hypot(...v);
    if (norm > 1e-9) q.push(v.map((x) => x / norm));
  }
  let worst = 0;
  for (let j = 0; j < cb; j++) {
    const v = Float64Array.from({ length: N }, (_, i) => b[i * cb + j]!);
    const norm = Math.hypot(...v);
    for (const u of q) {
      let dot = 0;
      for (let i = 0; i < N; i++) dot += u[i]! * v[i]!;
      for (let i = 0; i < N; i++) v[i]! -= dot * u[i]!;
    }
    worst = Math.max(worst, Math.hypot(...v) / norm);
  }
  return worst;
}

describe('landmark spectral features (randomized SVD, docs/algorithm.md §6.1-6.2)', () => {
  let k: MultisliceKernel;
  let N = 0;
  beforeAll(async () => {
    ({ k } = await smallKernel());
    N = k.epochs * k.units;
  });

  it('span D^-1 K V for V the leading eigenvectors of D^-1/2 K D^-1/2 (exact decomposition)', async () => {
    const op = fullOperator(k); // S = D^-1/2 K D^-1/2, sqrtDegree = sqrt(deg)
    const eig = symmetricEigen(op.symmetric, N);
    const order = Array.from({ length: N }, (_, i) => i).sort(
      (i, j) => Math.abs(eig.values[j]!) - Math.abs(eig.values[i]!),
    );
    // the component count at the clearest relative gap among the first few, so the subspace is well defined
    let comps = 4;
    let gap = 0;
    for (let c = 4; c <= 12; c++) {
      const g = 1 - Math.abs(eig.values[order[c]!]!) / Math.abs(eig.values[order[c - 1]!]!);
      if (g > gap) [gap, comps] = [g, c];
    }
    // F_exact = D^-1 K V = D^-1/2 S D^1/2 V (P = D^-1 K applied to the eigenvectors V of S)
    const sq = op.sqrtDegree;
    const exact = new Float64Array(N * comps);
    for (let i = 0; i < N; i++)
      for (let c = 0; c < comps; c++) {
        const src = order[c]!;
        let s = 0;
        for (let j = 0; j < N; j++) s += op.symmetric[i * N + j]! * sq[j]! * eig.vectors[j * N + src]!;
        exact[i * comps + c] = s / sq[i]!;
      }
    const f = await spectralFeatures(k, { components: comps, powerIterations: 20, random: new Random(3) });
    expect(f.components).toBe(comps);
    const converged = outsideSpan(Float64Array.from(f.features), comps, exact, comps, N);
    expect(converged).toBeLessThan(1e-3);
    // without power iterations the range finder is rougher
    const rough = await spectralFeatures(k, { components: comps, powerIterations: 0, random: new Random(3) });
    const roughError = outsideSpan(Float64Array.from(rough.features), comps, exact, comps, N);
    expect(roughError).toBeGreaterThan(converged);
  });
});
