import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Trace } from '@mphate/core';
import { decodeNpy } from '@mphate/protocol';

export * from '@mphate/methods';
export { fromTriplets as fromTripletsForTest } from '@mphate/methods';

const dir = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));

export function loadTrace(name: string): Trace {
  const npy = decodeNpy(readFileSync(`${dir}${name}.npy`));
  const [epochs, units, samples] = npy.shape as [number, number, number];
  return { epochs, units, samples, data: npy.data as Float32Array };
}

/** Every k-th slice of a trace (tests keep N small). */
export function everyKthSlice(trace: Trace, k: number): Trace {
  const keep = Math.ceil(trace.epochs / k);
  const size = trace.units * trace.samples;
  const data = new Float32Array(keep * size);
  for (let j = 0; j < keep; j++) data.set(trace.data.subarray(j * k * size, (j * k + 1) * size), j * size);
  return { epochs: keep, units: trace.units, samples: trace.samples, data };
}
