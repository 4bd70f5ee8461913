import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Trace } from '@mphate/core';
import { decodeNpy } from '@mphate/protocol';

const dir = fileURLToPath(new URL('../../../../test/fixtures/', import.meta.url));

/** A fixture trace: T x n x m float32. */
export function loadTrace(name: string): Trace {
  const npy = decodeNpy(readFileSync(`${dir}${name}.npy`));
  const [epochs, units, samples] = npy.shape as [number, number, number];
  return { epochs, units, samples, data: npy.data as Float32Array };
}

/** A fixture trace and the reference's coordinates (N x 2, float64). */
export function loadFixture(name: string): { trace: Trace; reference: Float64Array } {
  const ref = decodeNpy(readFileSync(`${dir}${name}.ref.npy`));
  return { trace: loadTrace(name), reference: Float64Array.from(ref.data as ArrayLike<number>) };
}

/** The reference implementation's neighbourhood preservation (fixtures README). */
export const REFERENCE_SCORES: Record<
  string,
  { intra10: number; inter10: number; intra40: number; inter40: number }
> = {
  'rw-20x50x25': { intra10: 0.361, inter10: 0.669, intra40: 0.853, inter40: 1.0 },
  'rw-100x50x25': { intra10: 0.367, inter10: 0.651, intra40: 0.853, inter40: 0.774 },
  'mlp-3x32': { intra10: 0.465, inter10: 0.787, intra40: 0.59, inter40: 0.896 },
  'dropout-60x384x100': { intra10: 0.237, inter10: 0.809, intra40: 0.399, inter40: 0.915 },
};

/** Seeded random walk: cumulative sum over epochs of standard normal steps. */
export function randomWalkTrace(epochs: number, units: number, samples: number, seed: number): Trace {
  let s = seed >>> 0;
  const uniform = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  const size = units * samples;
  const data = new Float32Array(epochs * size);
  for (let t = 0; t < epochs; t++)
    for (let j = 0; j < size; j++) data[t * size + j] = (t > 0 ? data[(t - 1) * size + j]! : 0) + normal();
  return { epochs, units, samples, data };
}
