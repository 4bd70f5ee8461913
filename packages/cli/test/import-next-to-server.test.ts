/** `mphate import` and `mphate export` against real stores: one a running server uses, one that is missing. */
import { copyFile, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer } from '@mphate/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURES, makeTempDir, runCli } from './run-cli.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
  temp = await makeTempDir();
  await copyFile(join(FIXTURES, 'rw-20x50x25.npy'), join(temp.dir, 'trace.npy'));
});
afterEach(() => temp.remove());

const run = (...args: string[]) => runCli(args, { cwd: temp.dir });

describe('mphate import and export', () => {
  it('import into the store of a running server: the server lists it and embeds it', async () => {
    const dataDir = join(temp.dir, 'store');
    const server = await startServer({ port: 0, host: '127.0.0.1', workers: 1, dataDir });
    try {
      const result = await run('import', 'trace.npy', '--data', 'store', '--name', 'imported');
      expect(result.code, result.stderr).toBe(0);
      const id = result.stdout.trim();
      const deadline = Date.now() + 60_000;
      let detail: { name: string; slices: number; embeddedSlices: number } | null = null;
      while (Date.now() < deadline) {
        const response = await fetch(`${server.url}api/sessions/${id}`);
        if (response.ok) {
          detail = (await response.json()) as typeof detail;
          if (detail!.embeddedSlices === detail!.slices) break;
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(detail).toMatchObject({ name: 'imported', slices: 20, embeddedSlices: 20 });
      const list = (await (await fetch(`${server.url}api/sessions`)).json()) as { id: string }[];
      expect(list.map((s) => s.id)).toContain(id);

      // The figure of it, from the same store, by the renderer the dashboard uses.
      const figure = await run(
        'export',
        id.slice(0, 8),
        '--out',
        'fig.svg',
        '--data',
        'store',
        '--color',
        'slice',
      );
      expect(figure.code, figure.stderr).toBe(0);
      const svg = await readFile(join(temp.dir, 'fig.svg'), 'utf8');
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      expect(svg.match(/h0/g)?.length).toBe(20 * 50);
      expect([...svg.matchAll(/class="axis-label"[^>]*>([^<]*)</g)].map((m) => m[1]).sort()).toEqual([
        'M-PHATE 1',
        'M-PHATE 2',
      ]);
      expect(svg).toContain('>slice</text>');
    } finally {
      await server.close();
    }
  });

  it('export from a --data folder that does not exist fails clearly and creates nothing', async () => {
    const result = await run('export', 'abc', '--out', 'out.mphate', '--data', 'no-such-store');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^mphate: no session store in no-such-store \(the folder does not exist\): pass the --data folder 'mphate serve' uses$/m,
    );
    expect((await readdir(temp.dir)).sort()).toEqual(['trace.npy']);
  });
});
