import { spawn } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeNpy, encodeNpy } from '@mphate/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, FIXTURES, makeTempDir, REPO, runCli } from './run-cli.js';

// Real embeddings through the real bin, core and file system. One run on the 20 x 50 x 25
// random-walk fixture (1,000 points); the rest on a small random walk (8 x 20 x 12, 160
// points) so the file stays at a few seconds per run on a busy 2-core machine.
const SMALL = { epochs: 8, units: 20, samples: 12 };
const SMALL_POINTS = SMALL.epochs * SMALL.units;

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let small: Float32Array;
beforeAll(async () => {
  temp = await makeTempDir();
  await copyFile(join(FIXTURES, 'rw-20x50x25.npy'), join(temp.dir, 'trace.npy'));
  small = randomWalk(SMALL.epochs, SMALL.units * SMALL.samples, 3);
  await writeFile(
    join(temp.dir, 'small.npy'),
    encodeNpy({ shape: [SMALL.epochs, SMALL.units, SMALL.samples], data: small }),
  );
});
afterAll(() => temp.remove());

/** A random walk over epochs: each epoch's values are the previous epoch's plus noise. */
function randomWalk(epochs: number, perEpoch: number, seed: number): Float32Array {
  const data = new Float32Array(epochs * perEpoch);
  let s = seed;
  const noise = () => (s = (s * 16807) % 2147483647) / 2147483647 - 0.5;
  for (let i = 0; i < data.length; i++) data[i] = (i >= perEpoch ? data[i - perEpoch]! : 0) + noise();
  return data;
}

const run = (...args: string[]) => runCli(args, { cwd: temp.dir });

function readCoords(bytes: Uint8Array) {
  const array = decodeNpy(bytes);
  expect(array.dtype).toBe('float32');
  return array;
}

async function tempFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.endsWith('.tmp'));
}

describe('mphate embed on real traces', () => {
  let smallBytes: Uint8Array;

  it('the fixture: float32 N x 2 .npy, phase lines and the timing table on stderr, a result line on stdout', async () => {
    const result = await run('embed', 'trace.npy', '--out', 'coords.npy');
    expect(result.stderr).not.toMatch(/^mphate: /m);
    expect(result.code).toBe(0);
    const coords = readCoords(await readFile(join(temp.dir, 'coords.npy')));
    expect(coords.shape).toEqual([1000, 2]);
    expect(coords.data.every((v) => Number.isFinite(v))).toBe(true);
    const xs = Array.from(coords.data.filter((_, i) => i % 2 === 0));
    expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(0);
    // Not a TTY here: one plain line per phase, then the table.
    expect(result.stderr).toMatch(/^\[1\/11\] normalize$/m);
    expect(result.stderr).toMatch(/^ {2}mds +\d/m);
    expect(result.stderr).toMatch(/^ {2}total +\d/m);
    expect(result.stdout).toMatch(
      /^wrote 1000 x 2 coordinates \(20 epochs x 50 units; t = \d+, .*\) to coords\.npy\n$/,
    );
    expect(await tempFiles(temp.dir)).toEqual([]);
  });

  it('the same seed reproduces the file byte for byte, also from a float64 copy of the trace', async () => {
    const first = await run('embed', 'small.npy', '--out', 'small-a.npy', '--seed', '7');
    expect(first.code).toBe(0);
    smallBytes = await readFile(join(temp.dir, 'small-a.npy'));
    expect(readCoords(smallBytes).shape).toEqual([SMALL_POINTS, 2]);

    await writeFile(
      join(temp.dir, 'small64.npy'),
      encodeNpy({ shape: [SMALL.epochs, SMALL.units, SMALL.samples], data: Float64Array.from(small) }),
    );
    const again = await run('embed', 'small64.npy', '--out', 'small-b.npy', '--seed', '7');
    expect(again.code).toBe(0);
    expect(Buffer.compare(await readFile(join(temp.dir, 'small-b.npy')), smallBytes)).toBe(0);
  });

  it('.csv: the embedding CSV with the same coordinates, rows in order epoch * units + unit', async () => {
    const result = await run('embed', 'small.npy', '--out', 'small.csv', '--seed', '7');
    expect(result.code).toBe(0);
    const lines = (await readFile(join(temp.dir, 'small.csv'), 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toBe('slice,epoch,layer,unit,layerUnit,x,y');
    expect(lines).toHaveLength(SMALL_POINTS + 1);
    const coords = readCoords(smallBytes).data;
    for (let row = 0; row < SMALL_POINTS; row++) {
      const [slice, , , unit, , x, y] = lines[row + 1]!.split(',').map(Number);
      expect([slice, unit]).toEqual([Math.floor(row / SMALL.units), row % SMALL.units]);
      expect(Math.fround(x!)).toBe(coords[row * 2]);
      expect(Math.fround(y!)).toBe(coords[row * 2 + 1]);
    }
  });

  it('--json: stdout is exactly one JSON object with the run summary (3 components, fixed t)', async () => {
    const result = await run(
      'embed',
      'small.npy',
      '--out',
      'j.csv',
      '--json',
      '--t',
      '10',
      '--components',
      '3',
    );
    expect(result.code).toBe(0);
    expect(result.stdout.endsWith('}\n')).toBe(true);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({
      points: SMALL_POINTS,
      epochs: SMALL.epochs,
      units: SMALL.units,
      samples: SMALL.samples,
      t: 10,
      landmarks: 0,
      intersliceKnn: SMALL.epochs - 1,
      nComponents: 3,
      out: join(temp.dir, 'j.csv'),
    });
    expect(summary.totalMs).toBeGreaterThan(0);
    expect(Object.keys(summary.timings)).toContain('mds');
    for (const ms of Object.values(summary.timings)) expect(ms).toBeGreaterThanOrEqual(0);
    const lines = (await readFile(join(temp.dir, 'j.csv'), 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toBe('slice,epoch,layer,unit,layerUnit,x,y,z');
    expect(lines).toHaveLength(SMALL_POINTS + 1);
    expect(result.stderr).toMatch(/total/);
  });

  it('relative paths resolve from INIT_CWD (where the user stands), not the process cwd', async () => {
    const user = join(temp.dir, 'user');
    await mkdir(join(user, 'out'), { recursive: true });
    await copyFile(join(temp.dir, 'small.npy'), join(user, 'mine.npy'));
    // pnpm runs the root script from the repository root and sets INIT_CWD to the user's directory.
    const result = await runCli(['embed', 'mine.npy', '--out', 'out/c.npy', '--seed', '7', '--json'], {
      cwd: REPO,
      initCwd: user,
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).out).toBe(join(user, 'out/c.npy'));
    expect(Buffer.compare(await readFile(join(user, 'out/c.npy')), smallBytes)).toBe(0);
  });

  it('a trace the core refuses (NaN) fails with its message and leaves an existing output untouched', async () => {
    const data = new Float32Array(4 * 5 * 6).map((_, i) => Math.sin(i));
    data[(2 * 5 + 3) * 6 + 1] = Number.NaN;
    await writeFile(join(temp.dir, 'nan.npy'), encodeNpy({ shape: [4, 5, 6], data }));
    await writeFile(join(temp.dir, 'old.csv'), 'previous result\n');
    const result = await run('embed', 'nan.npy', '--out', 'old.csv');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^mphate: .*NaN at epoch 2, unit 3/m);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await readFile(join(temp.dir, 'old.csv'), 'utf8')).toBe('previous result\n');
    expect(await tempFiles(temp.dir)).toEqual([]);
  });

  it('Ctrl-C (SIGINT) mid-embed stops it and leaves no output or temporary file', async () => {
    const child = spawn(process.execPath, [BIN, 'embed', 'trace.npy', '--out', 'interrupted.npy'], {
      cwd: temp.dir,
      env: { ...process.env, INIT_CWD: temp.dir },
    });
    let stderr = '';
    let sent = false;
    child.stderr.setEncoding('utf8');
    // Interrupt once the embedding has started (its first phase line).
    child.stderr.on('data', (text: string) => {
      stderr += text;
      if (!sent && stderr.includes('normalize')) sent = child.kill('SIGINT');
    });
    const [code, signal] = await new Promise<[number | null, string | null]>((done) =>
      child.once('exit', (c, s) => done([c, s])),
    );
    expect(sent).toBe(true);
    expect(code === 130 || signal === 'SIGINT').toBe(true);
    expect(stderr).not.toMatch(/^ {2}total/m);
    const files = await readdir(temp.dir);
    expect(files).not.toContain('interrupted.npy');
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
