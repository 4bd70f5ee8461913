import { coreThreadsPerWorker } from '@mphate/server/internal';
import { describe, expect, it } from 'vitest';

describe('core threads inside the embedding workers', () => {
  it('share the cores out over the live workers, at least one each, capped by MPHATE_THREADS', () => {
    expect(coreThreadsPerWorker(2, 1)).toBe(2); // a laptop's batch worker uses both cores
    expect(coreThreadsPerWorker(2, 1, undefined, 1)).toBe(1); // its live worker leaves one to the training
    expect(coreThreadsPerWorker(8, 7, undefined, 1)).toBe(1);
    expect(coreThreadsPerWorker(8, 2, undefined, 1)).toBe(3);
    expect(coreThreadsPerWorker(1, 1, undefined, 1)).toBe(1);
    expect(coreThreadsPerWorker(8, 7)).toBe(1); // a team worker with --workers 7: one each
    expect(coreThreadsPerWorker(8, 2)).toBe(4);
    expect(coreThreadsPerWorker(1, 1)).toBe(1);
    expect(coreThreadsPerWorker(8, 2, '1')).toBe(1);
    expect(coreThreadsPerWorker(8, 2, '16')).toBe(4);
    expect(coreThreadsPerWorker(8, 2, 'lots')).toBe(4);
  });
});
