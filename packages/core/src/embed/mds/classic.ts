/**
 * Classic MDS as PHATE's mds.classic computes it (docs/algorithm.md §9.1): double-centre D∘D WITHOUT the -1/2,
 * take the top-d eigenpairs by |λ| and return eigenvector·|λ| (PCA scores of the centred matrix);
 * sign: the largest-magnitude entry of each column is made positive.
 */
import { symmetricEigen } from '../../linalg/eigen.js';
import { blockKrylovEigen } from '../../linalg/krylov.js';
import { ResidentMatrix } from '../../linalg/matmul.js';
import type { Random } from '../../linalg/random.js';

/** Up to this many points every eigenpair is computed exactly (Float64); above, the top ones by block Krylov. */
const EXACT_MAX = 400;

/** M x d coordinates (row-major) from the M x M distance matrix `dist`. */
export async function classicMds(
  dist: Float64Array,
  m: number,
  d: number,
  random: Random,
): Promise<Float64Array> {
  if (dist.length !== m * m)
    throw new Error(`classicMds: distance matrix length ${dist.length}, expected ${m * m}`);
  if (m < d + 1) throw new Error(`classicMds: need more than ${d} points, got ${m}`);
  // J (D∘D) J: subtract column means, then row means, in float64. Above EXACT_MAX points each row
  // is rounded to the float32 the products read as it is made (no M x M float64 copy: 128 MB at M = 4000).
  const colMean = new Float64Array(m);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) {
      const v = dist[i * m + j]! * dist[i * m + j]!;
      colMean[j] += v;
    }
  for (let j = 0; j < m; j++) colMean[j] /= m;
  const b = m <= EXACT_MAX ? new Float64Array(m * m) : new Float32Array(m * m);
  const row = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let rowMean = 0;
    for (let j = 0; j < m; j++) {
      row[j] = dist[i * m + j]! * dist[i * m + j]! - colMean[j]!;
      rowMean += row[j]!;
    }
    rowMean /= m;
    for (let j = 0; j < m; j++) b[i * m + j] = row[j]! - rowMean;
  }
  // top-d eigenpairs by magnitude; vectors as rows (d x m)
  let values: Float64Array;
  let vectors: Float64Array;
  if (b instanceof Float64Array) {
    const e = symmetricEigen(b, m);
    const order = Array.from({ length: m }, (_, i) => i).sort(
      (p, q) => Math.abs(e.values[q]) - Math.abs(e.values[p]),
    );
    values = Float64Array.from(order.slice(0, d), (i) => e.values[i]);
    vectors = new Float64Array(d * m);
    for (let c = 0; c < d; c++) for (let i = 0; i < m; i++) vectors[c * m + i] = e.vectors[i * m + order[c]];
  } else {
    const resident = await ResidentMatrix.create(b, m, m);
    try {
      const top = await blockKrylovEigen(resident, d, { random, block: 8, steps: 12, order: 'magnitude' });
      values = top.values;
      vectors = top.vectors;
    } finally {
      resident.dispose();
    }
  }
  const y = new Float64Array(m * d);
  for (let c = 0; c < d; c++) {
    let big = 0;
    for (let i = 0; i < m; i++) if (Math.abs(vectors[c * m + i]) > Math.abs(big)) big = vectors[c * m + i];
    const s = (big < 0 ? -1 : 1) * Math.abs(values[c]);
    for (let i = 0; i < m; i++) y[i * d + c] = vectors[c * m + i] * s;
  }
  return y;
}
