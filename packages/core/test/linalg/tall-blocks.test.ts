import { availableParallelism } from 'node:os';
import { Random, sharedFloat32, tallGram, tallTimes, threadTaskCounts } from '@mphate/core/internal';
import { describe, expect, it } from 'vitest';

describe("a tall matrix's Gram and products by row blocks over core's threads", () => {
  const r = new Random(6);
  const rows = 5003;
  const c = 24;
  const y = Float32Array.from({ length: rows * c }, () => r.normal());
  const m = Float32Array.from({ length: c * 7 }, () => r.normal());

  it('gives YᵀY and Y·M (with its Gram) as float64 arithmetic does, to float32 round-off', async () => {
    const before = threadTaskCounts.worker;
    const g = await tallGram(y, rows, c);
    if (availableParallelism() > 1) expect(threadTaskCounts.worker).toBeGreaterThan(before);
    let worst = 0;
    for (let i = 0; i < c; i++)
      for (let j = 0; j < c; j++) {
        let s = 0;
        for (let k = 0; k < rows; k++) s += y[k * c + i]! * y[k * c + j]!;
        worst = Math.max(worst, Math.abs(g[i * c + j]! - s) / rows);
        expect(g[i * c + j]).toBe(g[j * c + i]);
      }
    expect(worst).toBeLessThan(1e-5);
    const z = sharedFloat32(rows * 7);
    const zg = await tallTimes(y, rows, c, m, 7, z, true);
    for (let k = 0; k < rows; k += 97)
      for (let j = 0; j < 7; j++) {
        let s = 0;
        for (let i = 0; i < c; i++) s += y[k * c + i]! * m[i * 7 + j]!;
        expect(z[k * 7 + j]).toBeCloseTo(s, 4);
      }
    expect(Array.from(zg!)).toEqual(Array.from(await tallGram(z, rows, 7)));
    await expect(tallTimes(y, rows, c, m, 7, sharedFloat32(10), false)).rejects.toThrow(/expected 35021/);
  });
});
