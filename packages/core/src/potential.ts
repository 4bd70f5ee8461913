/**
 * The diffusion potential U of Q^t and the Euclidean distances between its rows (spec section 8).
 */
import { matMul } from './linalg/matmul.js';

/** Elementwise potential of Q^t: gamma 1 -> -ln(x + 1e-7); -1 -> x; else x^c / c with c = (1 - gamma)/2. */
export function potential(qt: Float64Array, gamma: number): Float64Array {
  if (!(gamma >= -1 && gamma <= 1)) throw new Error(`potential: gamma must be in [-1, 1], got ${gamma}`);
  const g = gamma > 0.99 && gamma < 1 ? 0.99 : gamma; // the reference coerces (0.99, 1) to 0.99
  const u = new Float64Array(qt.length);
  if (g === 1) for (let i = 0; i < u.length; i++) u[i] = -Math.log(qt[i] + 1e-7);
  else if (g === -1) u.set(qt);
  else if (g === 0) for (let i = 0; i < u.length; i++) u[i] = 2 * Math.sqrt(qt[i]);
  else {
    const c = (1 - g) / 2;
    for (let i = 0; i < u.length; i++) u[i] = qt[i] ** c / c;
  }
  return u;
}

/**
 * Full M x M matrix of Euclidean distances between the rows of u (M x M), in Float64.
 *
 * The Gram matrix goes through one tfjs product (float32); d² = |a|² + |b|² - 2 a·b then loses
 * digits to cancellation for close rows, so every pair with d² below `exactBelow` times the
 * largest squared row norm is recomputed exactly in Float64 (measured in docs/mphate.md).
 */
export async function rowDistances(
  u: Float64Array,
  m: number,
  cols: number,
  o: { exactBelow?: number } = {},
): Promise<Float64Array> {
  if (u.length !== m * cols) throw new Error(`rowDistances: length ${u.length}, expected ${m * cols}`);
  const norms = new Float64Array(m);
  let maxNorm = 0;
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let k = 0; k < cols; k++) s += u[i * cols + k] ** 2;
    norms[i] = s;
    if (s > maxNorm) maxNorm = s;
  }
  const gram = await matMul(u, u, m, cols, m, { transposeB: true });
  const threshold = (o.exactBelow ?? 1e-5) * maxNorm;
  const d = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      let d2 = norms[i] + norms[j] - 2 * gram[i * m + j];
      if (d2 < threshold) {
        d2 = 0;
        const a = i * cols;
        const b = j * cols;
        for (let k = 0; k < cols; k++) {
          const x = u[a + k] - u[b + k];
          d2 += x * x;
        }
      }
      const v = Math.sqrt(Math.max(d2, 0));
      d[i * m + j] = v;
      d[j * m + i] = v;
    }
  }
  return d;
}
