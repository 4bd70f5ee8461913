import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeNpy, encodeNpy } from '@mphate/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, runCli } from './run-cli.js';

// `mphate compare` and `mphate embed --method` through the real bin on small random walks
// (6 epochs x 20 units x 8 samples = 120 points), so each run takes seconds.
let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeAll(async () => {
  temp = await makeTempDir();
  await writeFile(join(temp.dir, 'small.npy'), encodeNpy({ shape: [6, 20, 8], data: walk(6, 20 * 8) }));
  // one epoch of 7,000 units: more than isomap/tsne embed even after subsampling epochs
  await writeFile(join(temp.dir, 'wide.npy'), encodeNpy({ shape: [2, 7000, 3], data: walk(2, 7000 * 3) }));
  await writeFile(join(temp.dir, 'tall.npy'), encodeNpy({ shape: [70, 100, 3], data: walk(70, 100 * 3) }));
});
afterAll(() => temp.remove());

function walk(epochs: number, perEpoch: number): Float32Array {
  const data = new Float32Array(epochs * perEpoch);
  let s = 11;
  const noise = () => (s = (s * 16807) % 2147483647) / 2147483647 - 0.5;
  for (let i = 0; i < data.length; i++) data[i] = (i >= perEpoch ? data[i - perEpoch]! : 0) + noise();
  return data;
}

const run = (...args: string[]) => runCli(args, { cwd: temp.dir });

describe('mphate compare', () => {
  it('--json: one object with every requested method and its four scores; --out writes the files', async () => {
    const methods = ['m-phate', 'dm', 'naive-tsne', 'pca'];
    const result = await run(
      'compare',
      'small.npy',
      '--methods',
      methods.join(','),
      '--json',
      '--out',
      'out',
    );
    expect(result.stderr).not.toMatch(/^mphate: /m);
    expect(result.code).toBe(0);
    const table = JSON.parse(result.stdout) as {
      points: number;
      subsample: unknown;
      methods: {
        method: string;
        seconds: number;
        intra10: number;
        inter10: number;
        intra40: number;
        inter40: number;
      }[];
    };
    expect(table.points).toBe(120);
    expect(table.subsample).toBeNull();
    expect(table.methods.map((m) => m.method)).toEqual(methods);
    for (const m of table.methods) {
      for (const v of [m.intra10, m.inter10, m.intra40, m.inter40]) {
        expect(v).toBeGreaterThan(0);
        expect(v).toBeLessThanOrEqual(1);
      }
      const coords = decodeNpy(await readFile(join(temp.dir, 'out', `${m.method}.npy`)));
      expect(coords.shape).toEqual([120, 2]);
    }
    const svg = await readFile(join(temp.dir, 'out', 'compare.svg'), 'utf8');
    expect(svg.match(/<path /g)).toHaveLength(4 * 6); // one path per epoch per panel
    expect(JSON.parse(await readFile(join(temp.dir, 'out', 'compare.json'), 'utf8')).methods).toHaveLength(4);
  });

  it('the text table has the methods as columns and a time row', async () => {
    const result = await run('compare', 'small.npy', '--methods', 'pca,naive-isomap');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[1]).toMatch(/^\s+pca\s+naive-isomap$/);
    expect(lines.slice(2).map((l) => l.split(/\s{2,}/)[0])).toEqual([
      'intraslice k=10',
      'interslice k=10',
      'intraslice k=40',
      'interslice k=40',
      'time (s)',
    ]);
  });

  it('subsamples every k-th epoch for every method when one has a limit, and says so', async () => {
    const result = await run('compare', 'tall.npy', '--methods', 'pca,isomap', '--json');
    expect(result.code).toBe(0);
    const table = JSON.parse(result.stdout) as {
      subsample: { step: number; points: number; limitedBy: string[] };
    };
    expect(table.subsample).toMatchObject({ step: 2, points: 3500, limitedBy: ['isomap'] });
    const text = await run('compare', 'tall.npy', '--methods', 'pca,isomap');
    expect(text.stdout).toMatch(
      /subsampled for every method: every 2nd slice \(35 of 70\), 3,500 points; isomap embed at most 6,000/,
    );
  });

  it('an unknown method or a trace no subsample fits is a clear error', async () => {
    const unknown = await run('compare', 'small.npy', '--methods', 'pca,lle');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /--methods: unknown method 'lle' \(methods: m-phate, dm, isomap, tsne, phate/,
    );
    const wide = await run('compare', 'wide.npy', '--methods', 'pca,tsne');
    expect(wide.code).toBe(1);
    expect(wide.stderr).toMatch(
      /wide.npy: one slice has 7,000 units, more than tsne .*6,000 points: dense N x N geodesic distances/,
    );
  });
});

describe('mphate embed --method', () => {
  it('embeds with another method; refuses a trace above its limit, naming it', async () => {
    const ok = await run('embed', 'small.npy', '--method', 'pca', '--out', 'pca.npy', '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ method: 'pca', points: 120 });
    expect(decodeNpy(await readFile(join(temp.dir, 'pca.npy'))).shape).toEqual([120, 2]);
    const big = await run('embed', 'tall.npy', '--method', 'isomap', '--out', 'iso.npy');
    expect(big.code).toBe(1);
    expect(big.stderr).toMatch(
      /isomap embeds at most 6,000 points \(dense N x N geodesic distances\); this trace has 7,000 \(70 epochs x 100 units\)/,
    );
    const flags = await run('embed', 'small.npy', '--method', 'tsne', '--gamma', '1', '--out', 'x.npy');
    expect(flags.code).toBe(2);
    expect(flags.stderr).toMatch(/--gamma applies to --method m-phate only, not tsne/);
  });
});
