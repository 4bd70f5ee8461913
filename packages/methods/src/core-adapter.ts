/**
 * The one file that knows @mphate/core's layout: it builds the graphs the comparison methods
 * take (as plain CSR) and runs the two PHATE embeddings through core.
 * - the M-PHATE graph: core's multislice kernel K (docs/algorithm.md §5), blocks -> one CSR;
 * - the naive PHATE graph: PHATE's defaults on the N flattened points (knn 5, decay 40; PCA to
 *   100 when there are more than 100 samples), i.e. core's intraslice kernel of ONE slice
 *   holding all N points, without the z-score (PHATE does not normalise);
 * - M-PHATE itself (fitTransform) and naive PHATE (that graph through core's landmarks,
 *   2000 of them, t by entropy, the log potential gamma = 1, and MDS).
 */
import {
  fitTransform,
  type MultisliceKernel,
  multisliceGraph,
  resolveOptions,
  type Trace,
} from '@mphate/core';
import type { SparseMatrix } from './csr.js';

/** PHATE's own defaults (phate.PHATE()), which the naive comparison runs with. */
export const PHATE_DEFAULTS = Object.freeze({ knn: 5, decay: 40, gamma: 1, nLandmark: 2000 });

/** M-PHATE with core's defaults; N x 2 coordinates. */
export async function mphateCoordinates(trace: Trace, seed: number): Promise<Float32Array> {
  return (await fitTransform(trace, { seed })).coordinates;
}

/** The multislice kernel K of the trace (M-PHATE's defaults) as one symmetric CSR. */
export async function mphateKernel(trace: Trace, seed: number): Promise<SparseMatrix> {
  const graph = await multisliceGraph(trace, resolveOptions({ seed }));
  return kernelToCsr(graph.kernel);
}

/** Rows a = tau * n + i, columns ascending: earlier slices of unit i, slice tau's block, later slices. */
function kernelToCsr(k: MultisliceKernel): SparseMatrix {
  const { epochs: T, units: n, intra, inter } = k;
  const N = T * n;
  let nnz = 0;
  for (const b of intra) nnz += b.rowPtr[b.units]!;
  if (inter) for (const w of inter) if (w > 0) nnz++;
  const rowPtr = new Int32Array(N + 1);
  const cols = new Int32Array(nnz);
  const vals = new Float64Array(nnz);
  let p = 0;
  for (let tau = 0; tau < T; tau++) {
    const b = intra[tau]!;
    for (let i = 0; i < n; i++) {
      const o = (i * T + tau) * T;
      if (inter)
        for (let u = 0; u < tau; u++) {
          const w = inter[o + u]!;
          if (w > 0) {
            cols[p] = u * n + i;
            vals[p++] = w;
          }
        }
      for (let q = b.rowPtr[i]!; q < b.rowPtr[i + 1]!; q++) {
        cols[p] = tau * n + b.cols[q]!;
        vals[p++] = b.vals[q]!;
      }
      if (inter)
        for (let u = tau + 1; u < T; u++) {
          const w = inter[o + u]!;
          if (w > 0) {
            cols[p] = u * n + i;
            vals[p++] = w;
          }
        }
      rowPtr[tau * n + i + 1] = p;
    }
  }
  return { rows: N, rowPtr, cols, vals };
}

/** The naive PHATE graph of the N flattened points (PHATE_DEFAULTS), as one symmetric CSR. */
export async function naivePhateKernel(_trace: Trace): Promise<SparseMatrix> {
  throw new Error('naive PHATE needs core internals (pending)');
}

/** Naive PHATE coordinates from its graph. */
export async function naivePhateCoordinates(
  _trace: Trace,
  _kernel: SparseMatrix,
  _seed: number,
): Promise<Float64Array> {
  throw new Error('naive PHATE needs core internals (pending)');
}
