import { availableParallelism } from 'node:os';
import { Random, ResidentMatrix, SplitMatrix, threadTaskCounts } from '@mphate/core/internal';
import { describe, expect, it } from 'vitest';

describe("a matrix split by columns over core's threads", () => {
  it('multiplies to the same bits as the matrix on one backend, and refuses use after dispose', async () => {
    const r = new Random(4);
    const rows = 700;
    const cols = 901;
    const a = Float64Array.from({ length: rows * cols }, () => r.normal());
    const x = Float32Array.from({ length: 5 * rows }, () => r.normal());
    const whole = await ResidentMatrix.create(a, rows, cols);
    const split = await SplitMatrix.create(a, rows, cols);
    const before = threadTaskCounts.worker;
    const expected = await whole.leftMul(x, 5);
    const got = await split.leftMul(x, 5);
    // a second product reuses each thread's block
    const again = await split.leftMul(x.subarray(0, 2 * rows), 2);
    if (availableParallelism() > 1) expect(threadTaskCounts.worker).toBeGreaterThan(before);
    expect(Buffer.from(got.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
    expect(Array.from(again)).toEqual(Array.from(expected.subarray(0, 2 * cols)));
    whole.dispose();
    await split.dispose();
    await expect(split.leftMul(x, 5)).rejects.toThrow(/after dispose/);
  });
});
