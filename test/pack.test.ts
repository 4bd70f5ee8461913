import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The packages work outside this repository: `pnpm pack` each one, install the tarballs into
 * a scratch project (from the local pnpm store where it can), start `mphate serve` from the
 * installed cli and train a tiny model into it with the installed callback.
 */
const root = resolve('.');
const scratch = mkdtempSync(join(tmpdir(), 'mphate-pack-'));
const PACKAGES = ['protocol', 'core', 'figure', 'methods', 'callback', 'server', 'cli', 'dashboard'];
let server: ChildProcess | undefined;

afterAll(() => {
  server?.kill('SIGTERM');
  rmSync(scratch, { recursive: true, force: true });
});

function pnpm(args: string[], cwd: string): string {
  return execFileSync('npx', ['--yes', 'pnpm@9', ...args], { cwd, encoding: 'utf8', stdio: 'pipe' });
}

describe('packed packages', () => {
  it('install into a scratch project and stream a training into `mphate serve`', async () => {
    const tarballs = join(scratch, 'tarballs');
    for (const name of PACKAGES) pnpm(['pack', '--pack-destination', tarballs], join(root, 'packages', name));
    const files = readdirSync(tarballs);
    const tarball = (name: string) =>
      `file:${join(tarballs, files.find((f) => f.startsWith(`mphate-${name}-`))!)}`;
    for (const name of PACKAGES) {
      const listing = execFileSync(
        'tar',
        ['-tzf', join(tarballs, files.find((f) => f.startsWith(`mphate-${name}-`))!)],
        {
          encoding: 'utf8',
        },
      );
      expect(listing, `${name} ships its dist`).toContain('package/dist/');
      expect(listing, `${name} ships no sources or tests`).not.toMatch(/package\/(src|test)\//);
      if (name === 'callback') expect(listing).toContain('package/dist/browser/mphate-callback.js');
    }

    const project = join(scratch, 'project');
    execFileSync('mkdir', ['-p', project]);
    const overrides = Object.fromEntries(PACKAGES.map((name) => [`@mphate/${name}`, tarball(name)]));
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({
        name: 'scratch',
        private: true,
        type: 'module',
        dependencies: {
          '@mphate/callback': tarball('callback'),
          '@mphate/cli': tarball('cli'),
          '@tensorflow/tfjs': '4.22.0',
        },
        pnpm: { overrides },
      }),
    );
    pnpm(['install', '--prefer-offline', '--ignore-workspace'], project);

    const dataDir = join(scratch, 'data');
    server = spawn(join(project, 'node_modules/.bin/mphate'), ['serve', '--port', '0', '--data', dataDir], {
      cwd: project,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = await new Promise<string>((resolveUrl, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`mphate serve printed no URL: ${out}`)), 30_000);
      server!.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
        if (match) {
          clearTimeout(timer);
          resolveUrl(match[0]);
        }
      });
      server!.on('exit', (code) => reject(new Error(`mphate serve exited with ${code}: ${out}`)));
    });

    const script = join(project, 'train.mjs');
    writeFileSync(
      script,
      `import * as tf from '@tensorflow/tfjs';
import { mphateCallback } from '@mphate/callback';
const model = tf.sequential({ layers: [
  tf.layers.dense({ inputShape: [8], units: 12, activation: 'relu' }),
  tf.layers.dense({ units: 2, activation: 'softmax' }) ] });
model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
const x = tf.randomNormal([64, 8], 0, 1, 'float32', 1);
const y = tf.oneHot(tf.tensor1d(Array.from({ length: 64 }, (_, i) => i % 2), 'int32'), 2);
const callback = mphateCallback({ probe: x.slice([0, 0], [10, 8]), server: process.argv[2], session: 'packed' });
await model.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0, callbacks: [callback] });
await callback.flush({ timeoutMs: 20000 });
console.log(callback.sessionId);
`,
    );
    const ws = url.replace('http://', 'ws://').replace(/\/$/, '');
    const sessionId = execFileSync('node', [script, ws], { cwd: project, encoding: 'utf8', timeout: 90_000 })
      .trim()
      .split('\n')
      .pop()!;
    const session = (await (await fetch(`${url}api/sessions/${sessionId}`)).json()) as {
      name: string;
      slices: number;
      units: number;
      status: string;
    };
    expect(session).toMatchObject({ name: 'packed', slices: 3, units: 12, status: 'finished' });
    const page = await fetch(url);
    const html = await page.text();
    expect(html).toContain('<script');
    expect(html).not.toContain('has not been built');
    const bundle = await fetch(`${url}callback.js`);
    expect(bundle.status, await bundle.clone().text()).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    expect(bundle.headers.get('access-control-allow-origin'), 'pages on other origins import it').toBe('*');
  }, 300_000);
});
