import { createProgressReporter, encodeCoordsCsv, encodeCoordsNpy, formatTimings } from '@mphate/cli';
import { type Embedding, PHASES } from '@mphate/core';
import { decodeNpy, formatFloat32 } from '@mphate/protocol';
import { describe, expect, it } from 'vitest';

function embedding(points: number, nComponents: 2 | 3): Embedding {
  const coordinates = new Float32Array(points * nComponents);
  for (let i = 0; i < coordinates.length; i++)
    coordinates[i] = Math.fround(Math.sin(i * 1.7) * 10 ** ((i % 7) - 3));
  return { coordinates, points, nComponents, t: 5, landmarks: 0, intersliceKnn: 2, timings: {} };
}

describe('coordinate files', () => {
  it('csv: the embedding CSV, one row per point in epoch-major order, values read back exactly as float32', () => {
    const e = embedding(3 * 4, 2);
    const lines = encodeCoordsCsv(e, 4).trimEnd().split('\n');
    expect(lines[0]).toBe('slice,epoch,layer,unit,layerUnit,x,y');
    expect(lines).toHaveLength(1 + 12);
    for (let row = 0; row < 12; row++) {
      const [slice, epoch, layer, unit, layerUnit, x, y] = lines[row + 1]!.split(',');
      expect(Number(slice)).toBe(Math.floor(row / 4));
      expect(Number(epoch)).toBe(Math.floor(row / 4));
      expect(layer).toBe('units');
      expect(Number(unit)).toBe(row % 4);
      expect(Number(layerUnit)).toBe(row % 4);
      expect(Math.fround(Number(x))).toBe(e.coordinates[row * 2]);
      expect(Math.fround(Number(y))).toBe(e.coordinates[row * 2 + 1]);
    }
  });

  it('csv: 3 components add a z column', () => {
    const lines = encodeCoordsCsv(embedding(4, 3), 2).trimEnd().split('\n');
    expect(lines[0]).toBe('slice,epoch,layer,unit,layerUnit,x,y,z');
    expect(lines[4]!.split(',')).toHaveLength(8);
  });

  it('npy: float32 N x d', () => {
    const e = embedding(6, 3);
    const array = decodeNpy(encodeCoordsNpy(e));
    expect(array.shape).toEqual([6, 3]);
    expect(array.dtype).toBe('float32');
    expect(Array.from(array.data)).toEqual(Array.from(e.coordinates));
  });

  it('formatFloat32 is short and exact', () => {
    expect(formatFloat32(Math.fround(0.1))).toBe('0.1');
    expect(formatFloat32(-2)).toBe('-2');
    for (const v of [
      Math.fround(Math.PI),
      Math.fround(1e-30),
      Math.fround(-123456.789),
      Math.fround(3.4e38),
    ]) {
      expect(Math.fround(Number(formatFloat32(v)))).toBe(v);
    }
  });
});

describe('progress and timings on stderr', () => {
  function stream(isTTY: boolean) {
    const writes: string[] = [];
    return { writes, isTTY, columns: 80, write: (text: string) => writes.push(text) };
  }

  it('a terminal gets one redrawn line, throttled, cleared at the end', () => {
    const s = stream(true);
    const reporter = createProgressReporter(s, PHASES);
    for (let i = 0; i < 1000; i++) reporter.update({ phase: 'pca', fraction: i / 1000 });
    reporter.update({ phase: 'mds', fraction: 0.5 });
    reporter.finish();
    expect(s.writes.length).toBeLessThan(20);
    expect(s.writes.every((w) => w.startsWith('\r'))).toBe(true);
    expect(s.writes.some((w) => w.includes('mds') && w.includes(' 50%'))).toBe(true);
    expect(s.writes.join('')).not.toContain('\n');
    expect(s.writes.at(-1)).toBe('\r\x1b[K');
  });

  it('a pipe or log gets one plain line per phase', () => {
    const s = stream(false);
    const reporter = createProgressReporter(s, PHASES);
    for (const phase of ['normalize', 'pca', 'pca', 'mds'] as const)
      reporter.update({ phase, fraction: 0.3 });
    reporter.finish();
    expect(s.writes).toEqual(['[1/11] normalize\n', '[2/11] pca\n', '[10/11] mds\n']);
  });

  it('the timing table lists phases in run order and a total', () => {
    const table = formatTimings({ mds: 1500, pca: 12.4 }, 1600, PHASES);
    const rows = table.trimEnd().split('\n');
    expect(rows[0]).toMatch(/pca\s+12 ms$/);
    expect(rows[1]).toMatch(/mds\s+1\.50 s$/);
    expect(rows.at(-1)).toMatch(/total\s+1\.60 s$/);
  });
});
