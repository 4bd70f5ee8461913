/**
 * Large symmetric spectra with the products on tfjs (float32) and the small dense work in Float64:
 *
 * - blockKrylovEigen: leading eigenpairs by randomized block Krylov (Musco & Musco 2015): the
 *   basis [Y, AY, A²Y, ...] of a random block, orthonormalised block by block, then one
 *   Rayleigh-Ritz step. Converges far faster per product than plain subspace iteration.
 * - lanczosQuadrature: stochastic Lanczos quadrature (Ubaru, Chen & Saad 2017) of the spectrum
 *   of A restricted to the orthogonal complement of given vectors: nodes and weights such that
 *   Σ w f(θ) ≈ Σ f(λ) over the eigenvalues of that restriction.
 *
 * Vectors are stored as ROWS (count x n, row-major) throughout.
 */

import { symmetricEigen } from './eigen.js';
import { type LeftMultiplier, matMul, ResidentMatrix } from './matmul.js';
import type { Random } from './random.js';
import { transpose } from './transpose.js';

export interface EigenRows {
  /** Eigenvalues, descending. */
  values: Float64Array;
  /** count x n; row j is the unit eigenvector of values[j]. */
  vectors: Float64Array;
  /** ||A v - λ v|| per pair. */
  residuals: Float64Array;
}

/** Leading `k` eigenpairs (largest algebraic) of the symmetric n x n matrix held in `a`. */
export async function blockKrylovEigen(
  a: LeftMultiplier,
  k: number,
  o: { random: Random; block?: number; steps?: number; order?: 'value' | 'magnitude' },
): Promise<EigenRows> {
  const n = a.rows;
  const b = Math.min(n, o.block ?? 32);
  const steps = o.steps ?? Math.max(2, Math.ceil((2 * k) / b));
  const maxBasis = Math.min(n, b * (steps + 1));
  if (k > maxBasis) throw new Error(`blockKrylovEigen: k = ${k} exceeds the Krylov basis ${maxBasis}`);
  const basis = new Float64Array(maxBasis * n);
  // its float32 copy, which the products with the basis read (not converted again at each block)
  const basis32 = new Float32Array(maxBasis * n);
  // A·(basis rows), kept as the Krylov products are made, so Rayleigh-Ritz needs no extra product
  const z = new Float32Array(maxBasis * n);
  let zFilled = 0;
  let filled = 0;
  let blockRows = b;
  let block = new Float64Array(b * n);
  for (let i = 0; i < block.length; i++) block[i] = o.random.normal();
  while (filled < maxBasis) {
    const take = Math.min(blockRows, maxBasis - filled);
    const kept = await appendOrthonormal(basis, basis32, filled, block, take, n);
    if (kept === 0) break; // invariant subspace reached
    const start = filled;
    filled += kept;
    if (filled >= maxBasis) break;
    const product = await a.leftMul(basis.subarray(start * n, filled * n), kept);
    z.set(product, start * n);
    zFilled = filled;
    block = Float64Array.from(product);
    blockRows = kept;
  }
  // A rank-deficient matrix can exhaust the Krylov space before k vectors: complete the basis
  // with random directions (their Rayleigh quotients are the zero eigenvalues).
  for (let tries = 0; filled < k && tries < 10; tries++) {
    const need = k - filled;
    const extra = new Float64Array(need * n);
    for (let i = 0; i < extra.length; i++) extra[i] = o.random.normal();
    filled += await appendOrthonormal(basis, basis32, filled, extra, need, n);
  }
  const used = basis.subarray(0, filled * n);
  if (zFilled < filled)
    z.set(await a.leftMul(basis.subarray(zFilled * n, filled * n), filled - zFilled), zFilled * n);
  const gram = await matMul(used, z.subarray(0, filled * n), filled, n, filled, { transposeB: true });
  const bm = new Float64Array(filled * filled);
  for (let i = 0; i < filled; i++)
    for (let j = 0; j <= i; j++)
      bm[i * filled + j] = bm[j * filled + i] = (gram[i * filled + j] + gram[j * filled + i]) / 2;
  const eig = symmetricEigen(bm, filled);
  const idx = Array.from({ length: filled }, (_, i) => i);
  if (o.order === 'magnitude') idx.sort((p, q) => Math.abs(eig.values[q]) - Math.abs(eig.values[p]));
  const count = Math.min(k, filled);
  // Ritz vectors: Wᵀ·basis, and A·(Ritz vectors) = Wᵀ·z for the residuals.
  const wt = new Float64Array(count * filled);
  for (let j = 0; j < count; j++)
    for (let i = 0; i < filled; i++) wt[j * filled + i] = eig.vectors[i * filled + idx[j]];
  const vectors = Float64Array.from(await matMul(wt, used, count, filled, n));
  const av = await matMul(wt, z.subarray(0, filled * n), count, filled, n);
  const values = new Float64Array(count);
  const residuals = new Float64Array(count);
  for (let j = 0; j < count; j++) {
    values[j] = eig.values[idx[j]];
    let r = 0;
    let norm = 0;
    for (let p = 0; p < n; p++) {
      const v = vectors[j * n + p];
      const d = av[j * n + p] - values[j] * v;
      r += d * d;
      norm += v * v;
    }
    // renormalise (float32 products) and report the residual of the unit vector
    const inv = 1 / Math.sqrt(norm);
    for (let p = 0; p < n; p++) vectors[j * n + p] *= inv;
    residuals[j] = Math.sqrt(r) * inv;
  }
  return { values, vectors, residuals };
}

/**
 * Orthogonalises `take` rows of `block` against basis rows 0..filled-1 (classical Gram-Schmidt,
 * twice, products on tfjs) and among themselves (modified Gram-Schmidt in Float64), appending
 * the rows that keep a meaningful norm to `basis` and to its float32 copy `basis32`. Returns how
 * many were appended.
 */
async function appendOrthonormal(
  basis: Float64Array,
  basis32: Float32Array,
  filled: number,
  block: Float64Array,
  take: number,
  n: number,
): Promise<number> {
  const rows = block.subarray(0, take * n);
  const origNorms = new Float64Array(take);
  for (let i = 0; i < take; i++) {
    let s = 0;
    for (let p = 0; p < n; p++) s += rows[i * n + p] ** 2;
    origNorms[i] = Math.sqrt(s);
  }
  if (filled > 0) {
    const prev = basis32.subarray(0, filled * n);
    for (let pass = 0; pass < 2; pass++) {
      // C = rows·prevᵀ as (prev·rowsᵀ)ᵀ: only the block is transposed, not the basis
      const ct = await matMul(prev, transpose(rows, take, n), filled, n, take); // filled x take
      const proj = await matMul(transpose(ct, filled, take), prev, take, filled, n);
      for (let i = 0; i < rows.length; i++) rows[i] -= proj[i];
    }
  }
  let kept = 0;
  for (let i = 0; i < take; i++) {
    const out = (filled + kept) * n;
    for (let p = 0; p < n; p++) basis[out + p] = rows[i * n + p];
    for (let pass = 0; pass < 2; pass++) {
      // the previous basis was projected out above (on tfjs); here only the rows of this block
      for (let j = filled; j < filled + kept; j++) {
        const rj = j * n;
        let dot = 0;
        for (let p = 0; p < n; p++) dot += basis[out + p] * basis[rj + p];
        for (let p = 0; p < n; p++) basis[out + p] -= dot * basis[rj + p];
      }
    }
    let norm = 0;
    for (let p = 0; p < n; p++) norm += basis[out + p] ** 2;
    norm = Math.sqrt(norm);
    if (norm <= 1e-5 * Math.max(origNorms[i], 1e-300)) continue; // numerically dependent: drop it
    const inv = 1 / norm;
    for (let p = 0; p < n; p++) basis32[out + p] = basis[out + p] *= inv;
    kept++;
  }
  return kept;
}

export interface Quadrature {
  nodes: Float64Array;
  /** Weights, summing to the dimension of the complement (n - deflated rows). */
  weights: Float64Array;
}

/**
 * Stochastic Lanczos quadrature of A on the orthogonal complement of the rows of `deflate`
 * (count x n, orthonormal). `probes` Rademacher vectors, `steps` Lanczos steps each (full
 * reorthogonalisation), all probes advanced together so each step is one product.
 */
export async function lanczosQuadrature(
  a: LeftMultiplier,
  deflate: Float64Array,
  deflateCount: number,
  o: { random: Random; probes?: number; steps?: number },
): Promise<Quadrature> {
  const n = a.rows;
  const dim = n - deflateCount;
  if (dim <= 0) return { nodes: new Float64Array(0), weights: new Float64Array(0) };
  const nv = o.probes ?? 16;
  const m = Math.min(o.steps ?? 30, dim);
  // the deflated rows and their transpose stay on the backend through every step
  const basis =
    deflateCount > 0
      ? await ResidentMatrix.create(deflate.subarray(0, deflateCount * n), deflateCount, n)
      : null;
  const basisT =
    deflateCount > 0
      ? await ResidentMatrix.create(transpose(deflate, deflateCount, n), n, deflateCount)
      : null;
  const project = async (x: Float64Array, rows: number): Promise<void> => {
    if (!basis || !basisT) return;
    // one pass per step is enough: float32 round-off re-enters at ~1e-7 and is removed next step
    const p = await basis.leftMul(await basisT.leftMul(x, rows), rows);
    for (let i = 0; i < x.length; i++) x[i] -= p[i];
  };
  try {
    return await lanczosSteps(a, n, dim, nv, m, project, o.random);
  } finally {
    basis?.dispose();
    basisT?.dispose();
  }
}

/** The probes' Lanczos runs and their quadrature (lanczosQuadrature). */
async function lanczosSteps(
  a: LeftMultiplier,
  n: number,
  dim: number,
  nv: number,
  m: number,
  project: (x: Float64Array, rows: number) => Promise<void>,
  random: Random,
): Promise<Quadrature> {
  let q = new Float64Array(nv * n);
  for (let i = 0; i < q.length; i++) q[i] = random.next() < 0.5 ? -1 : 1;
  await project(q, nv);
  const startNorm2 = new Float64Array(nv);
  for (let v = 0; v < nv; v++) {
    let s = 0;
    for (let p = 0; p < n; p++) s += q[v * n + p] ** 2;
    startNorm2[v] = s;
    const inv = 1 / Math.sqrt(s);
    for (let p = 0; p < n; p++) q[v * n + p] *= inv;
  }
  const lanczos = new Float64Array(nv * m * n); // per probe: m rows of length n
  const alpha = new Float64Array(nv * m);
  const beta = new Float64Array(nv * m);
  const steps = new Int32Array(nv).fill(m);
  for (let j = 0; j < m; j++) {
    for (let v = 0; v < nv; v++) lanczos.set(q.subarray(v * n, (v + 1) * n), (v * m + j) * n);
    const w = Float64Array.from(await a.leftMul(q, nv));
    await project(w, nv);
    for (let v = 0; v < nv; v++) {
      if (steps[v] <= j) continue;
      const wv = w.subarray(v * n, (v + 1) * n);
      const qv = q.subarray(v * n, (v + 1) * n);
      let al = 0;
      for (let p = 0; p < n; p++) al += wv[p] * qv[p];
      alpha[v * m + j] = al;
      // full reorthogonalisation against this probe's Lanczos vectors (twice)
      for (let pass = 0; pass < 2; pass++)
        for (let i = 0; i <= j; i++) {
          const li = (v * m + i) * n;
          let dot = 0;
          for (let p = 0; p < n; p++) dot += wv[p] * lanczos[li + p];
          for (let p = 0; p < n; p++) wv[p] -= dot * lanczos[li + p];
        }
      let bt = 0;
      for (let p = 0; p < n; p++) bt += wv[p] * wv[p];
      bt = Math.sqrt(bt);
      beta[v * m + j] = bt;
      if (bt < 1e-10 || j === m - 1) {
        steps[v] = Math.min(steps[v], j + 1);
        continue;
      }
      for (let p = 0; p < n; p++) qv[p] = wv[p] / bt;
    }
    q = q.slice();
  }
  const nodes: number[] = [];
  const weights: number[] = [];
  for (let v = 0; v < nv; v++) {
    const s = steps[v];
    const t = new Float64Array(s * s);
    for (let i = 0; i < s; i++) {
      t[i * s + i] = alpha[v * m + i];
      if (i + 1 < s) t[i * s + i + 1] = t[(i + 1) * s + i] = beta[v * m + i];
    }
    const e = symmetricEigen(t, s);
    for (let i = 0; i < s; i++) {
      nodes.push(e.values[i]);
      weights.push((startNorm2[v] * e.vectors[i] ** 2) / nv); // first component of eigenvector i
    }
  }
  // The weights estimate dim eigenvalues in total; fix the count exactly.
  const total = weights.reduce((x, y) => x + y, 0);
  const scale = total > 0 ? dim / total : 0;
  return { nodes: Float64Array.from(nodes), weights: Float64Array.from(weights, (w) => w * scale) };
}
