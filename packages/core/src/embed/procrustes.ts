/** Orthogonal Procrustes for small d (2 or 3), the d x d SVD from linalg/small-svd.ts. */
import { smallSvd } from '../linalg/small-svd.js';

function centre(x: Float64Array, rows: number, d: number): { centred: Float64Array; mean: Float64Array } {
  const mean = new Float64Array(d);
  for (let i = 0; i < rows; i++) for (let c = 0; c < d; c++) mean[c] += x[i * d + c];
  for (let c = 0; c < d; c++) mean[c] /= rows;
  const centred = new Float64Array(rows * d);
  for (let i = 0; i < rows; i++) for (let c = 0; c < d; c++) centred[i * d + c] = x[i * d + c] - mean[c];
  return { centred, mean };
}

/** R (d x d) and trace(Σ) of the orthogonal Procrustes problem min ||A·R - B|| ... with AᵀB = UΣVᵀ, R = UVᵀ. */
function orthogonalProcrustes(
  a: Float64Array,
  b: Float64Array,
  rows: number,
  d: number,
): { r: Float64Array; scale: number } {
  const c = new Float64Array(d * d);
  for (let i = 0; i < rows; i++)
    for (let p = 0; p < d; p++) {
      const ap = a[i * d + p];
      for (let q = 0; q < d; q++) c[p * d + q] += ap * b[i * d + q];
    }
  const { u, s, v } = smallSvd(c, d);
  const r = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      let t = 0;
      for (let k = 0; k < d; k++) t += u[i * d + k] * v[j * d + k];
      r[i * d + j] = t;
    }
  return { r, scale: s.reduce((x, y) => x + y, 0) };
}

function frobenius(x: Float64Array): number {
  let s = 0;
  for (const v of x) s += v * v;
  return Math.sqrt(s);
}

function checkShapes(name: string, a: Float64Array, b: Float64Array, rows: number, d: number): void {
  if (a.length !== rows * d || b.length !== rows * d)
    throw new Error(`${name}: inputs must be rows x d = ${rows * d} values, got ${a.length} and ${b.length}`);
}

/**
 * A similarity map of rows: y = scale · (x - from) · rotation + to (rotation d x d, row-major,
 * orthogonal, possibly a reflection).
 */
export interface Similarity {
  d: number;
  from: Float64Array;
  rotation: Float64Array;
  scale: number;
  to: Float64Array;
}

/** Applies a similarity to `rows` rows of x (rows x d). */
export function applySimilarity(map: Similarity, x: Float64Array, rows: number): Float64Array {
  const { d, from, rotation: r, scale: s, to } = map;
  const out = new Float64Array(rows * d);
  const centred = new Float64Array(d);
  for (let i = 0; i < rows; i++) {
    for (let c = 0; c < d; c++) centred[c] = x[i * d + c]! - from[c]!;
    for (let c = 0; c < d; c++) {
      let t = 0;
      for (let k = 0; k < d; k++) t += centred[k]! * r[k * d + c]!;
      out[i * d + c] = s * t + to[c]!;
    }
  }
  return out;
}

/**
 * The similarity taking `moving` onto `reference` (both rows x d), and `moving` mapped by it:
 * the translation and rotation or reflection of least squares, and the scale that gives both the
 * same size. The live engine fits it on the points two frames share and applies it to every
 * point of the new frame; the dashboard does the same with each frame it receives.
 */
export function alignTo(
  reference: Float64Array,
  moving: Float64Array,
  rows: number,
  d: number,
): { aligned: Float64Array; map: Similarity } {
  checkShapes('alignTo', reference, moving, rows, d);
  const ref = centre(reference, rows, d);
  const mov = centre(moving, rows, d);
  const norm = frobenius(mov.centred);
  // rotation taking mov onto ref: Mᵀ·Ref = UΣVᵀ, R = UVᵀ. The scale makes the two sets the same
  // size, |Ref| / |M|, not the least-squares trace Σ / |M|², which is that times the fit's
  // correlation: compounded over a live session's frames (each aligned onto the last) it shrank
  // a 300-slice picture to a single point. The two agree on an exact fit. (A single distinct
  // point: every row goes to the reference's centre.)
  const r = norm === 0 ? identity(d) : orthogonalProcrustes(mov.centred, ref.centred, rows, d).r;
  const map: Similarity = {
    d,
    from: mov.mean,
    rotation: r,
    scale: norm === 0 ? 0 : frobenius(ref.centred) / norm,
    to: ref.mean,
  };
  return { aligned: applySimilarity(map, moving, rows), map };
}

function identity(d: number): Float64Array {
  const r = new Float64Array(d * d);
  for (let i = 0; i < d; i++) r[i * d + i] = 1;
  return r;
}

/**
 * scipy.spatial.procrustes as PHATE uses it after metric MDS (docs/algorithm.md §9.3): both centred and scaled
 * to unit Frobenius norm; AᵀB = UΣVᵀ, R = UVᵀ, s = trace Σ; returns B·Rᵀ·s and the disparity.
 */
export function procrustes(
  reference: Float64Array,
  moving: Float64Array,
  rows: number,
  d: number,
): { aligned: Float64Array; disparity: number } {
  checkShapes('procrustes', reference, moving, rows, d);
  const a = centre(reference, rows, d).centred;
  const b = centre(moving, rows, d).centred;
  const na = frobenius(a);
  const nb = frobenius(b);
  if (na === 0 || nb === 0)
    throw new Error('procrustes: input matrices must contain more than one distinct point');
  for (let i = 0; i < a.length; i++) {
    a[i] /= na;
    b[i] /= nb;
  }
  const { r, scale } = orthogonalProcrustes(a, b, rows, d);
  const aligned = new Float64Array(rows * d);
  let disparity = 0;
  for (let i = 0; i < rows; i++)
    for (let c = 0; c < d; c++) {
      let t = 0;
      for (let k = 0; k < d; k++) t += b[i * d + k] * r[c * d + k]; // B·Rᵀ
      aligned[i * d + c] = t * scale;
      disparity += (a[i * d + c] - aligned[i * d + c]) ** 2;
    }
  return { aligned, disparity };
}
