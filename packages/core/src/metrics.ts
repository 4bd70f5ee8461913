import type { Trace } from './trace.js';

/** Neighbourhood preservation (spec 12.4) against the raw trace (STUB). */
export function neighbourhoodPreservation(
  trace: Trace,
  coords: Float32Array | Float64Array,
  d: number,
  k: number,
): { intraslice: number; interslice: number } {
  void trace;
  void coords;
  void d;
  void k;
  return { intraslice: 0, interslice: 0 };
}

/** Spearman correlation of pairwise distances over sampled pairs (STUB). */
export function distanceAgreement(
  a: Float32Array | Float64Array,
  b: Float32Array | Float64Array,
  rows: number,
  dA: number,
  dB: number,
  pairs = 200000,
  seed = 0,
): number {
  void a;
  void b;
  void rows;
  void dA;
  void dB;
  void pairs;
  void seed;
  return 0;
}
