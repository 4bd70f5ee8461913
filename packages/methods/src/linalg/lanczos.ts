/**
 * Extreme eigenpairs of a large symmetric operator given only by its product, by Lanczos with
 * full reorthogonalisation (Float64). The basis grows until the wanted Ritz pairs' residuals
 * `|beta_j s_ji|` fall below `tol` times the largest |Ritz value|, or it reaches `maxBasis`.
 * This stands in for ARPACK (scipy's `svds`/`eigsh`, sklearn's KernelPCA 'arpack'), which the
 * reference's comparison relies on; on a symmetric matrix the k largest singular values are the
 * k eigenvalues of largest magnitude, with the same vectors up to sign.
 */
import { Random, symmetricEigen } from '@mphate/core/internal';

/** y = A x for the symmetric n x n operator A. */
export type SymmetricProduct = (x: Float64Array, y: Float64Array) => void;

export interface LanczosOptions {
  /** 'largest': algebraically largest (eigsh 'LA'); 'magnitude': largest |λ| (svds). */
  which: 'largest' | 'magnitude';
  seed: number;
  tol?: number;
  maxBasis?: number;
}

export interface Eigenpairs {
  /** k eigenvalues, in the order asked for (descending value or descending |value|). */
  values: Float64Array;
  /** n x k row-major, column j pairs with values[j], unit length. */
  vectors: Float64Array;
  /** Largest relative residual of the returned pairs. */
  residual: number;
}

export function lanczos(
  product: SymmetricProduct,
  n: number,
  k: number,
  options: LanczosOptions,
): Eigenpairs {
  if (!(k >= 1 && k <= n)) throw new Error(`lanczos: need 1 <= k <= n, got k = ${k}, n = ${n}`);
  const tol = options.tol ?? 1e-9;
  const maxBasis = Math.min(n, options.maxBasis ?? Math.max(400, 4 * k));
  const random = new Random(options.seed);
  const basis: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  let q = new Float64Array(n);
  for (let i = 0; i < n; i++) q[i] = random.normal();
  scale(q, 1 / norm(q));
  const w = new Float64Array(n);
  let best: Eigenpairs | null = null;
  for (let j = 0; j < maxBasis; j++) {
    basis.push(q);
    product(q, w);
    const a = dot(w, q);
    alpha.push(a);
    // full reorthogonalisation, twice (classical Gram-Schmidt is enough when repeated)
    for (let pass = 0; pass < 2; pass++)
      for (const v of basis) {
        const c = dot(w, v);
        for (let i = 0; i < n; i++) w[i]! -= c * v[i]!;
      }
    let b = norm(w);
    const size = j + 1;
    const done = size === maxBasis || b < 1e-12 * Math.abs(a) || b === 0;
    if (done || (size >= Math.min(n, 2 * k + 10) && size % 10 === 0)) {
      const result = ritz(basis, alpha, beta, b, n, k, options.which);
      best = result;
      if (result.residual <= tol || done) return result;
    }
    if (b === 0) {
      // invariant subspace: restart with a random vector orthogonal to the basis
      const r = new Float64Array(n);
      for (let i = 0; i < n; i++) r[i] = random.normal();
      for (const v of basis) {
        const c = dot(r, v);
        for (let i = 0; i < n; i++) r[i]! -= c * v[i]!;
      }
      w.set(r);
      b = norm(w);
      beta.push(0);
    } else beta.push(b);
    q = Float64Array.from(w);
    scale(q, 1 / b);
  }
  return best!;
}

function ritz(
  basis: Float64Array[],
  alpha: number[],
  beta: number[],
  lastBeta: number,
  n: number,
  k: number,
  which: LanczosOptions['which'],
): Eigenpairs {
  const m = alpha.length;
  const t = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    t[i * m + i] = alpha[i]!;
    if (i + 1 < m) t[i * m + i + 1] = t[(i + 1) * m + i] = beta[i]!;
  }
  const { values, vectors } = symmetricEigen(t, m);
  const order = Array.from({ length: m }, (_, i) => i);
  if (which === 'magnitude') order.sort((x, y) => Math.abs(values[y]!) - Math.abs(values[x]!));
  const chosen = order.slice(0, Math.min(k, m));
  let top = 0;
  for (let i = 0; i < m; i++) top = Math.max(top, Math.abs(values[i]!));
  const outValues = new Float64Array(k);
  const outVectors = new Float64Array(n * k);
  let residual = 0;
  chosen.forEach((c, j) => {
    outValues[j] = values[c]!;
    residual = Math.max(residual, Math.abs(lastBeta * vectors[(m - 1) * m + c]!) / (top || 1));
    for (let b = 0; b < m; b++) {
      const s = vectors[b * m + c]!;
      if (s === 0) continue;
      const v = basis[b]!;
      for (let i = 0; i < n; i++) outVectors[i * k + j]! += s * v[i]!;
    }
  });
  if (chosen.length < k) residual = Number.POSITIVE_INFINITY;
  return { values: outValues, vectors: outVectors, residual };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function norm(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}

function scale(a: Float64Array, c: number): void {
  for (let i = 0; i < a.length; i++) a[i]! *= c;
}
