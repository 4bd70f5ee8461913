import { type DiffusionOperator, Random } from '@mphate/core/internal';
/**
 * Synthetic diffusion operators for the dense-stage tests and bench/dense.ts: points of a few
 * random walks (one per "unit", one step per "slice"), an adaptive kNN kernel exp(-(d/σ)^5), and its
 * symmetric conjugate S = D^-1/2 K D^-1/2 — squared when `landmarkLike`, which makes it denser and
 * positive semi-definite like the landmark operator P_LN·P_NL.
 */

export interface SyntheticOperator extends DiffusionOperator {
  /** The points the kernel was built on, size x dim. */
  points: Float64Array;
  dim: number;
}

export function syntheticOperator(
  size: number,
  opts: { seed?: number; knn?: number; dim?: number; walks?: number; landmarkLike?: boolean } = {},
): SyntheticOperator {
  const random = new Random(opts.seed ?? 1);
  const dim = opts.dim ?? 6;
  const knn = Math.min(opts.knn ?? 8, size - 1);
  const walks = opts.walks ?? Math.max(1, Math.round(size / 40));
  const points = new Float64Array(size * dim);
  for (let i = 0; i < size; i++) {
    const prev = i - walks;
    for (let c = 0; c < dim; c++)
      points[i * dim + c] = prev >= 0 ? points[prev * dim + c] + random.normal() : 3 * random.normal();
  }
  // dense kernel K = (A + Aᵀ)/2 with A_ij = exp(-(d_ij/σ_i)²), σ_i = distance to the knn-th other point
  const k = new Float64Array(size * size);
  const dist = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      let s = 0;
      for (let c = 0; c < dim; c++) {
        const d = points[i * dim + c] - points[j * dim + c];
        s += d * d;
      }
      dist[j] = Math.sqrt(s);
    }
    const sigma = Math.max(Float64Array.from(dist).sort()[knn], 1e-12);
    for (let j = 0; j < size; j++) {
      const a = Math.exp(-((dist[j] / sigma) ** 5)); // decay 5 as in M-PHATE keeps it sparse
      if (a >= 1e-4) {
        k[i * size + j] += a / 2;
        k[j * size + i] += a / 2;
      }
    }
  }
  const deg = new Float64Array(size);
  for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) deg[i] += k[i * size + j];
  const sq = deg.map(Math.sqrt);
  for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) k[i * size + j] /= sq[i] * sq[j];
  if (!opts.landmarkLike) return { size, symmetric: k, sqrtDegree: sq, points, dim };
  // S = A² through the sparse rows of A; similar to Q = P², row-stochastic.
  const cols: Int32Array[] = [];
  for (let i = 0; i < size; i++) {
    const c: number[] = [];
    for (let j = 0; j < size; j++) if (k[i * size + j] !== 0) c.push(j);
    cols.push(Int32Array.from(c));
  }
  const s = new Float64Array(size * size);
  for (let i = 0; i < size; i++)
    for (const m of cols[i]) {
      const aim = k[i * size + m];
      const row = i * size;
      for (const j of cols[m]) s[row + j] += aim * k[m * size + j];
    }
  return { size, symmetric: s, sqrtDegree: sq, points, dim };
}

/** Q = diag(1/sqrtDegree)·S·diag(sqrtDegree), dense row-major. */
export function rowStochastic(op: DiffusionOperator): Float64Array {
  const m = op.size;
  const q = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++)
      q[i * m + j] = (op.symmetric[i * m + j] * op.sqrtDegree[j]) / op.sqrtDegree[i];
  return q;
}
