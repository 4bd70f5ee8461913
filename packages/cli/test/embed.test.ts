import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeNpy, encodeNpy } from '@mphate/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, makeTempDir, REPO, runCli } from './run-cli.js';

// Real embeddings of the 20 x 50 x 25 random-walk fixture (1,000 points, no landmarks):
// a few seconds each through the real bin, core and file system.
const EPOCHS = 20;
const UNITS = 50;
const POINTS = EPOCHS * UNITS;

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeAll(async () => {
  temp = await makeTempDir();
  await copyFile(join(FIXTURES, 'rw-20x50x25.npy'), join(temp.dir, 'trace.npy'));
});
afterAll(() => temp.remove());

const run = (...args: string[]) => runCli(args, { cwd: temp.dir });

function readCoords(bytes: Uint8Array) {
  const array = decodeNpy(bytes);
  expect(array.dtype).toBe('float32');
  return array;
}

describe('mphate embed on a real trace', () => {
  let npyBytes: Uint8Array;

  it('writes float32 N x 2 .npy, prints phase lines and the timing table on stderr', async () => {
    const result = await run('embed', 'trace.npy', '--out', 'coords.npy', '--seed', '7');
    expect(result.stderr).not.toMatch(/^mphate: /m);
    expect(result.code).toBe(0);
    npyBytes = await readFile(join(temp.dir, 'coords.npy'));
    const coords = readCoords(npyBytes);
    expect(coords.shape).toEqual([POINTS, 2]);
    expect(coords.data.every((v) => Number.isFinite(v))).toBe(true);
    // Not a degenerate picture: the points spread out.
    const xs = Array.from(coords.data.filter((_, i) => i % 2 === 0));
    expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(0);
    expect(result.stderr).toMatch(/\[1\/11\] normalize/);
    expect(result.stderr).toMatch(/total\s+\d/);
    expect(result.stdout).toMatch(/wrote 1000 x 2 coordinates .* to coords\.npy/);
    // No temporary file left beside the output.
    expect((await readdir(temp.dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('the same seed reproduces the file byte for byte, also from a float64 copy of the trace', async () => {
    const trace = decodeNpy(await readFile(join(temp.dir, 'trace.npy')));
    await writeFile(
      join(temp.dir, 'trace64.npy'),
      encodeNpy({ shape: trace.shape, data: Float64Array.from(trace.data as Float32Array) }),
    );
    const result = await run('embed', 'trace64.npy', '--out', 'again.npy', '--seed', '7');
    expect(result.code).toBe(0);
    const again = await readFile(join(temp.dir, 'again.npy'));
    expect(Buffer.compare(again, npyBytes)).toBe(0);
  });

  it('writes .csv with header slice,unit,x,y and the same coordinates in row order epoch * units + unit', async () => {
    const result = await run('embed', 'trace.npy', '--out', 'coords.csv', '--seed', '7');
    expect(result.code).toBe(0);
    const lines = (await readFile(join(temp.dir, 'coords.csv'), 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toBe('slice,unit,x,y');
    expect(lines).toHaveLength(POINTS + 1);
    const coords = readCoords(npyBytes).data;
    for (const row of [0, 1, UNITS - 1, UNITS, POINTS - 1]) {
      const [slice, unit, x, y] = lines[row + 1]!.split(',').map(Number);
      expect([slice, unit]).toEqual([Math.floor(row / UNITS), row % UNITS]);
      expect(Math.fround(x!)).toBe(coords[row * 2]);
      expect(Math.fround(y!)).toBe(coords[row * 2 + 1]);
    }
  });

  it('--json: stdout is exactly one JSON object with the run summary', async () => {
    const result = await run(
      'embed',
      'trace.npy',
      '--out',
      'j.npy',
      '--json',
      '--t',
      '10',
      '--components',
      '3',
    );
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(summary).toMatchObject({
      points: POINTS,
      epochs: EPOCHS,
      units: UNITS,
      samples: 25,
      t: 10,
      landmarks: 0,
      nComponents: 3,
      out: join(temp.dir, 'j.npy'),
    });
    expect(summary.totalMs).toBeGreaterThan(0);
    expect(Object.keys(summary.timings)).toContain('mds');
    for (const ms of Object.values(summary.timings)) expect(ms).toBeGreaterThanOrEqual(0);
    expect(readCoords(await readFile(join(temp.dir, 'j.npy'))).shape).toEqual([POINTS, 3]);
    // The human-readable parts went to stderr.
    expect(result.stderr).toMatch(/total/);
  });

  it('relative paths resolve from INIT_CWD (where the user stands), not the process cwd', async () => {
    const user = join(temp.dir, 'user');
    await mkdir(join(user, 'out'), { recursive: true });
    await copyFile(join(temp.dir, 'trace.npy'), join(user, 'mine.npy'));
    // pnpm runs the root script from the repository root and sets INIT_CWD to the user's directory.
    const result = await runCli(['embed', 'mine.npy', '--out', 'out/c.npy', '--seed', '7', '--json'], {
      cwd: REPO,
      initCwd: user,
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).out).toBe(join(user, 'out/c.npy'));
    expect(Buffer.compare(await readFile(join(user, 'out/c.npy')), npyBytes)).toBe(0);
  });

  it('a trace the core refuses (NaN) fails with its message and leaves an existing output untouched', async () => {
    const data = new Float32Array(4 * 5 * 6).map((_, i) => Math.sin(i));
    data[(2 * 5 + 3) * 6 + 1] = Number.NaN;
    await writeFile(join(temp.dir, 'nan.npy'), encodeNpy({ shape: [4, 5, 6], data }));
    await writeFile(join(temp.dir, 'old.csv'), 'previous result\n');
    const result = await run('embed', 'nan.npy', '--out', 'old.csv');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^mphate: .*NaN/m);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await readFile(join(temp.dir, 'old.csv'), 'utf8')).toBe('previous result\n');
    expect((await readdir(temp.dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
