/**
 * The one subsampling rule of `compare`: when the trace has more points (slices x units) than
 * the smallest limit among the requested methods, every method embeds the same subsample,
 * every k-th slice from the first (slices 0, k, 2k, ...), with the smallest k that brings the
 * points under that limit. Units are all kept, so intraslice scores compare like with like;
 * each unit keeps a trajectory of ceil(T / k) points.
 */
import type { Trace } from '@mphate/core';

export interface Subsample {
  /** Every k-th slice (1 = the whole trace). */
  step: number;
  /** The original slice numbers kept. */
  slices: number[];
  trace: Trace;
}

/** The subsample of `trace` that fits `limit` points, or null when one slice alone exceeds it. */
export function subsampleSlices(trace: Trace, limit: number): Subsample | null {
  const { epochs: T, units: n, samples: m } = trace;
  if (n > limit) return null;
  let step = 1;
  while (Math.ceil(T / step) * n > limit) step++;
  if (step === 1) return { step, slices: Array.from({ length: T }, (_, i) => i), trace };
  const slices: number[] = [];
  for (let tau = 0; tau < T; tau += step) slices.push(tau);
  const data = new Float32Array(slices.length * n * m);
  slices.forEach((tau, j) => {
    data.set(trace.data.subarray(tau * n * m, (tau + 1) * n * m), j * n * m);
  });
  return { step, slices, trace: { epochs: slices.length, units: n, samples: m, data } };
}
