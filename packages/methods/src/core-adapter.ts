/**
 * The one file that knows @mphate/core's layout (through its internal entry): it builds the graphs the comparison methods
 * take (as plain CSR) and runs the two PHATE embeddings through core.
 * - the M-PHATE graph: core's multislice kernel K (docs/algorithm.md §5), blocks -> one CSR;
 * - the naive PHATE graph: PHATE's defaults on the N flattened points (knn 5, decay 40; PCA to
 *   100 when there are more than 100 samples), i.e. core's intraslice kernel of ONE slice
 *   holding all N points, without the z-score (PHATE does not normalise);
 * - M-PHATE itself (fitTransform) and naive PHATE (that graph through core's landmarks,
 *   2000 of them, t by entropy, the log potential gamma = 1, and MDS).
 */
import { fitTransform, initBackend, type Trace } from '@mphate/core';
import {
  type Csr,
  type DiffusionOperator,
  embedOperator,
  fitPca,
  fullOperator,
  interpolate,
  intrasliceBlocks,
  landmarkLabels,
  landmarkOperator,
  type MultisliceKernel,
  multisliceGraph,
  multisliceKernel,
  projectPca,
  Random,
  resolveOptions,
} from '@mphate/core/internal';
import type { SparseMatrix } from './csr.js';

/** PHATE's own defaults (phate.PHATE()), which the naive comparison runs with. */
export const PHATE_DEFAULTS = Object.freeze({
  knn: 5,
  decay: 40,
  gamma: 1,
  nLandmark: 2000,
  nPca: 100,
  nSvd: 100,
  thresh: 1e-4,
  mdsSolver: 'sgd' as const,
});

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

/** The naive PHATE graph: its CSR (for diffusion maps) and core's kernel (for PHATE itself). */
export interface NaiveGraph {
  csr: SparseMatrix;
  kernel: MultisliceKernel;
}

/**
 * PHATE's kNN kernel of the N flattened raw points (no z-score: PHATE does not normalise),
 * as core's intraslice kernel of one slice of N "units": bandwidth = 5th nearest other point,
 * exp(-(d/σ)^40), directed entries below 1e-4 dropped, (A + Aᵀ)/2. PCA to 100 first when
 * there are more samples (graphtools' n_pca, one basis over all points). One difference from
 * graphtools: core also drops symmetrised entries below 1e-4 (a_ij/2 with a_ji = 0), which
 * graphtools' kNN graph keeps; they weigh at most 2e-4 against a diagonal of 1.
 */
export async function naivePhateGraph(trace: Trace): Promise<NaiveGraph> {
  await initBackend();
  const N = trace.epochs * trace.units;
  const P = PHATE_DEFAULTS;
  let points = trace.data;
  let dim = trace.samples;
  if (dim > P.nPca) {
    points = await projectPca(points, N, await fitPca(points, N, dim, P.nPca));
    dim = P.nPca;
  }
  const [block] = await intrasliceBlocks(points, 1, N, dim, P.knn, P.decay, P.thresh);
  const csr: SparseMatrix = { rows: N, rowPtr: block!.rowPtr, cols: block!.cols, vals: block!.vals };
  return { csr, kernel: multisliceKernel([block!], null) };
}

/**
 * Naive PHATE from its graph, with PHATE's defaults: 2000 landmarks when N > 2000 (core's
 * spectral features + k-means and landmark operator, as M-PHATE's), t by the entropy knee,
 * the log potential (gamma = 1), metric MDS by SGD, then the extension to all points.
 */
export async function naivePhateCoordinates(graph: NaiveGraph, seed: number): Promise<Float64Array> {
  await initBackend();
  const P = PHATE_DEFAULTS;
  const N = graph.csr.rows;
  let op: DiffusionOperator;
  let transitions: Csr | null = null;
  if (N > P.nLandmark) {
    const { labels, clusters } = await landmarkLabels(graph.kernel, P.nLandmark, P.nSvd, seed);
    const built = await landmarkOperator(graph.kernel, labels, clusters);
    op = built.operator;
    transitions = built.transitions;
  } else op = fullOperator(graph.kernel);
  const res = await embedOperator(op, {
    t: 'auto',
    gamma: P.gamma,
    nComponents: 2,
    mdsSolver: P.mdsSolver,
    random: new Random(seed + 2),
  });
  return transitions ? interpolate(transitions, res.coordinates, 2) : Float64Array.from(res.coordinates);
}
