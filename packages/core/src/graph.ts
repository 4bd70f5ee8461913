import { type IntraBlock, intrasliceBlock } from './intraslice.js';
import type { Csr } from './sparse.js';

/** Intraslice blocks of every slice of a (normalised, maybe PCA'd) tensor, T x n x dim. */
export function intrasliceBlocks(
  z: Float32Array,
  epochs: number,
  units: number,
  dim: number,
  knn: number,
  decay: number,
  thresh: number,
  onSlice?: (done: number) => void,
): IntraBlock[] {
  const blocks: IntraBlock[] = [];
  for (let tau = 0; tau < epochs; tau++) {
    blocks.push(intrasliceBlock(z, tau * units * dim, units, dim, knn, decay, thresh));
    onSlice?.(tau + 1);
  }
  return blocks;
}

/** Whether a CSR matrix equals its transpose (values within tol); for tests and assertions. */
export function isSymmetric(m: Csr, tol = 1e-12): boolean {
  for (let a = 0; a < m.rows; a++)
    for (let p = m.rowPtr[a]!; p < m.rowPtr[a + 1]!; p++) {
      const b = m.cols[p]!;
      // binary search a in row b (columns sorted)
      let lo = m.rowPtr[b]!;
      let hi = m.rowPtr[b + 1]! - 1;
      let found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const c = m.cols[mid]!;
        if (c === a) {
          found = mid;
          break;
        }
        if (c < a) lo = mid + 1;
        else hi = mid - 1;
      }
      if (found < 0 || Math.abs(m.vals[found]! - m.vals[p]!) > tol) return false;
    }
  return true;
}
