import { activeClasses } from '@mphate/server/internal';
import { describe, expect, it } from 'vitest';

describe('activeClasses', () => {
  it('picks the class whose probes give the largest L2 norm per unit, -1 without labels', () => {
    // 3 units x 4 samples; labels [0, 0, 1, 1]
    const data = new Float32Array([
      3,
      0,
      1,
      1, // unit 0: class 0 norm 3, class 1 norm sqrt 2 -> 0
      0.1,
      0.1,
      -2,
      0, // unit 1: class 1 wins through a negative activation
      0,
      0,
      0,
      0, // unit 2: silent -> -1
    ]);
    expect([...activeClasses(data, 3, 4, [0, 0, 1, 1])]).toEqual([0, 1, -1]);
    expect([...activeClasses(data, 3, 4, undefined)]).toEqual([-1, -1, -1]);
  });
});
