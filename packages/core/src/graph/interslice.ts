import { kthSmallest, median } from '../linalg/select.js';
import { sharedFloat32, toSharedFloat32 } from '../linalg/shared.js';
import { runOnThreads, threadCount } from '../linalg/thread-pool.js';
import { GRAPH_EXACT, gramDistances } from './distances.js';

/**
 * Each unit's distances between its own rows at every pair of slices (docs/algorithm.md §4.1).
 * `row(unit, tau, out)` writes D_unit[tau, 0..epochs) into `out` (out[tau] = 0).
 */
export interface IntersliceDistances {
  readonly epochs: number;
  readonly units: number;
  row(unit: number, tau: number, out: Float64Array): void;
}

/** The k' actually used: clamped to epochs - 1 (the reference crashes there; 0 means no interslice links). */
export function effectiveInterKnn(k: number, epochs: number): number {
  return Math.max(0, Math.min(k, epochs - 1));
}

/** Floor of the per-unit interslice scale (reference HEAD). */
export const SCALE_FLOOR = 2.220446049250313e-16;

/** Dense per-unit T x T distances (units x T x T float32), computed at once for a whole trace. */
export class DenseIntersliceDistances implements IntersliceDistances {
  private constructor(
    readonly dist: Float32Array,
    readonly epochs: number,
    readonly units: number,
  ) {}

  /**
   * Computes every unit's T x T distances from the (normalised) tensor z, T x units x dim:
   * one Gram product per unit through tfjs, close pairs recomputed exactly (distances.ts). The
   * units are split over core's threads, which read z and write their units' blocks in place.
   */
  static async create(
    z: Float32Array,
    epochs: number,
    units: number,
    dim: number,
  ): Promise<DenseIntersliceDistances> {
    const T = epochs;
    const n = units;
    const parts = Math.max(1, Math.min(await threadCount(), Math.floor(n / MIN_UNITS_PER_TASK)));
    const shared = parts > 1;
    const dist = shared ? sharedFloat32(n * T * T) : new Float32Array(n * T * T);
    const zs = shared ? toSharedFloat32(z) : z;
    const tasks: IntersliceUnitsArgs[] = [];
    for (let p = 0; p < parts; p++)
      tasks.push({
        z: zs,
        epochs: T,
        units: n,
        dim,
        dist,
        range: [Math.floor((p * n) / parts), Math.floor(((p + 1) * n) / parts)],
      });
    await runOnThreads('intersliceUnits', tasks, intersliceUnits);
    return new DenseIntersliceDistances(dist, T, n);
  }

  row(unit: number, tau: number, out: Float64Array): void {
    const T = this.epochs;
    const o = unit * T * T + tau * T;
    for (let u = 0; u < T; u++) out[u] = this.dist[o + u]!;
  }
}

/** Fewer units than this per thread are not worth a task of their own. */
const MIN_UNITS_PER_TASK = 32;

/** One thread's units of `DenseIntersliceDistances.create` (thread-tasks.ts). */
export interface IntersliceUnitsArgs {
  z: Float32Array;
  epochs: number;
  units: number;
  dim: number;
  /** units x T x T: receives the blocks of the units in `range`. */
  dist: Float32Array;
  range: [number, number];
}

export async function intersliceUnits(a: IntersliceUnitsArgs): Promise<true> {
  const { z, epochs: T, units: n, dim, dist } = a;
  const rows = new Float32Array(T * dim);
  for (let i = a.range[0]; i < a.range[1]; i++) {
    for (let tau = 0; tau < T; tau++)
      rows.set(z.subarray((tau * n + i) * dim, (tau * n + i + 1) * dim), tau * dim);
    dist.set(await gramDistances(rows, T, dim, GRAPH_EXACT), i * T * T);
  }
  return true;
}

/**
 * Per-unit scale b_i (docs/algorithm.md §4.2): the median over slices of the distance to the k'-th nearest
 * other slice (position k' of the sorted row, self at 0), floored.
 */
export function unitScales(d: IntersliceDistances, knn: number): Float64Array {
  const T = d.epochs;
  const k = effectiveInterKnn(knn, T);
  const scales = new Float64Array(d.units);
  if (k === 0) return scales;
  const row = new Float64Array(T);
  const kth = new Float64Array(T);
  for (let i = 0; i < d.units; i++) {
    for (let tau = 0; tau < T; tau++) {
      d.row(i, tau, row);
      kth[tau] = kthSmallest(row, T, k);
    }
    scales[i] = Math.max(median(kth, T), SCALE_FLOOR);
  }
  return scales;
}

/** The global interslice bandwidth epsilon = mean over units of their scales (docs/algorithm.md §4.3). */
export function intersliceEpsilon(scales: Float64Array): number {
  let s = 0;
  for (let i = 0; i < scales.length; i++) s += scales[i]!;
  return Math.max(s / Math.max(1, scales.length), SCALE_FLOOR);
}
