/**
 * Metric MDS by stochastic gradient descent, as s_gd2.mds_direct runs for PHATE (spec 9.2):
 * weights 1, step sizes η_s = exp(-λ s) from 1 down to 0.01 over the sweeps, every sweep a
 * Fisher-Yates shuffle of all M(M-1)/2 pairs (our seeded Random), then for each pair
 * μ = min(η, 1), v = X_a - X_b, r = μ(|v| - D_ab)/(2|v|), X_a -= r v, X_b += r v.
 *
 * Each pair is one 8-byte record, (a << 16 | b) then its distance as float32, in one buffer: a
 * shuffle swap touches one cache line per side and each sweep streams a single array. Returns undefined when coincident points make the
 * update NaN (the caller then falls back to SMACOF, as PHATE does).
 */
import type { Random } from '../random.js';

export function sgdMds(
  dist: Float64Array,
  m: number,
  init: Float64Array,
  d: number,
  random: Random,
  o: { sweeps?: number; onSweep?: (done: number, total: number) => void } = {},
): Float64Array | undefined {
  if (m > 65536) throw new Error(`sgdMds: at most 65536 points, got ${m}`);
  if (init.length !== m * d) throw new Error(`sgdMds: init has length ${init.length}, expected ${m * d}`);
  const sweeps = o.sweeps ?? 30;
  const pairs = (m * (m - 1)) / 2;
  const rec = new Uint32Array(2 * pairs); // [packed pair, distance bits] per record
  const recF = new Float32Array(rec.buffer);
  let p = 0;
  for (let a = 0; a < m; a++)
    for (let b = a + 1; b < m; b++) {
      rec[p] = ((a << 16) | b) >>> 0;
      recF[p + 1] = dist[a * m + b];
      p += 2;
    }
  const x = Float64Array.from(init);
  const etaMax = 1;
  const etaMin = 0.01;
  const lambda = sweeps > 1 ? Math.log(etaMax / etaMin) / (sweeps - 1) : 0;
  for (let s = 0; s < sweeps; s++) {
    // Fisher-Yates over both arrays
    for (let i = pairs - 1; i > 0; i--) {
      const i2 = 2 * i;
      const j2 = 2 * random.nextInt(i + 1);
      const t = rec[i2];
      const u = rec[i2 + 1];
      rec[i2] = rec[j2];
      rec[i2 + 1] = rec[j2 + 1];
      rec[j2] = t;
      rec[j2 + 1] = u;
    }
    const mu = Math.min(etaMax * Math.exp(-lambda * s), 1);
    if (d === 2) {
      for (let q = 0; q < 2 * pairs; q += 2) {
        const packed = rec[q];
        const a = (packed >>> 16) << 1;
        const b = (packed & 0xffff) << 1;
        const vx = x[a] - x[b];
        const vy = x[a + 1] - x[b + 1];
        const mag = Math.sqrt(vx * vx + vy * vy);
        const r = (mu * (mag - recF[q + 1])) / (2 * mag);
        const rx = r * vx;
        const ry = r * vy;
        x[a] -= rx;
        x[a + 1] -= ry;
        x[b] += rx;
        x[b + 1] += ry;
      }
    } else {
      for (let q = 0; q < 2 * pairs; q += 2) {
        const packed = rec[q];
        const a = (packed >>> 16) * d;
        const b = (packed & 0xffff) * d;
        let mag = 0;
        for (let c = 0; c < d; c++) mag += (x[a + c] - x[b + c]) ** 2;
        mag = Math.sqrt(mag);
        const r = (mu * (mag - recF[q + 1])) / (2 * mag);
        for (let c = 0; c < d; c++) {
          const v = r * (x[a + c] - x[b + c]);
          x[a + c] -= v;
          x[b + c] += v;
        }
      }
    }
    // one NaN spreads to everything it touches: check once per sweep
    for (let i = 0; i < x.length; i++) if (Number.isNaN(x[i])) return undefined;
    o.onSweep?.(s + 1, sweeps);
  }
  return x;
}
