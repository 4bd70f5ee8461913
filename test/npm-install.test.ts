/**
 * The callback as a library outside this repository, installed the way the README says: the
 * tarballs of `pnpm pack-all`, `npm install`ed (npm, not pnpm) into a scratch project that has
 * its own @tensorflow/tfjs, running the README's Node snippet unchanged against a real server.
 * Then the same from the callback's folder (npm links it: its own node_modules holds a second
 * tfjs), and a model built by that second copy, which must fail at once naming it.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, testServer } from '../packages/server/test/helpers/server.ts';

const root = resolve('.');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const scratch = mkdtempSync(join(tmpdir(), 'mphate-npm-'));

function block(marker: string, lang: string): string {
  const match = new RegExp(`<!-- ${marker} -->\\s*\`\`\`${lang}\\n([\\s\\S]*?)\\n\`\`\``).exec(readme);
  if (!match) throw new Error(`README.md has no \`\`\`${lang} block after <!-- ${marker} -->`);
  return match[1]!;
}

/** Prints, at exit, the folders of every tfjs-layers the process loaded (the snippet stays unchanged). */
const COUNT_COPIES = `import { createRequire } from 'node:module';
process.on('exit', () => {
  const copies = new Set();
  for (const f of Object.keys(createRequire(process.cwd() + '/x.js').cache)) {
    const at = f.indexOf('/@tensorflow/tfjs-layers/');
    if (at >= 0) copies.add(f.slice(0, at));
  }
  process.stderr.write('TFJS_COPIES=' + JSON.stringify([...copies]) + '\\n');
});
`;

function npm(args: string[], cwd: string): void {
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline'], {
    cwd,
    stdio: 'pipe',
    timeout: 240_000,
  });
}

function project(name: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }));
  writeFileSync(join(dir, 'train.mjs'), block('node-snippet', 'js'));
  writeFileSync(join(dir, 'count-copies.mjs'), COUNT_COPIES);
  return dir;
}

/** Runs a script of the project (asynchronously: the server under test lives in this process). */
function run(dir: string, script: string, server: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn('node', ['--import', './count-copies.mjs', script], {
      cwd: dir,
      env: { ...process.env, MPHATE_SERVER: server },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stderr });
    });
  });
}

function copies(stderr: string): string[] {
  return JSON.parse(/TFJS_COPIES=(.*)/.exec(stderr)?.[1] ?? 'null') as string[];
}

describe('the callback installed with npm outside the repository', () => {
  let ts: TestServer;
  let ws: string;
  /** Sessions already checked. */
  const seen: string[] = [];

  beforeAll(async () => {
    ts = await testServer();
    ws = ts.url.replace('http://', 'ws://').replace(/\/$/, '');
  });
  afterAll(async () => {
    await ts?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** The new session of that name: delivered with its 64 units and 20 slices. */
  async function sessionNamed(name: string, notIn: string[]): Promise<{ id: string }> {
    const all = (await (await fetch(`${ts.url}api/sessions`)).json()) as {
      id: string;
      name: string;
      units: number;
      slices: number;
      status: string;
    }[];
    const found = all.find((s) => s.name === name && !notIn.includes(s.id));
    if (!found) throw new Error(`no new session '${name}' among ${all.map((s) => s.name).join(', ')}`);
    expect(found).toMatchObject({ units: 64, slices: 20, status: 'finished' });
    return found;
  }

  it("from the packed tarballs: the README's snippet streams its session, one tfjs loaded", async () => {
    const install = block('callback-install', 'sh').split('\n');
    expect(install[0]).toContain('pnpm@9 pack-all');
    const npmLine = install.find((l) => l.includes('npm install'))!;
    const packs = join(scratch, 'packs');
    execFileSync('node', [join(root, 'scripts/pack-all.mjs'), packs], { cwd: root, stdio: 'pipe' });
    // The README's npm install, with CLONE/packs the folder just packed.
    const args = npmLine
      .slice(npmLine.indexOf('npm install') + 'npm install'.length)
      .replace(/#.*/, '')
      .trim()
      .split(/\s+/)
      .map((a) => a.replace('CLONE/packs', packs));
    const dir = project('packed');
    npm(['install', ...args], dir);
    const out = await run(dir, 'train.mjs', ws);
    expect(out.code, out.stderr).toBe(0);
    expect(copies(out.stderr)).toEqual([join(dir, 'node_modules')]);
    expect(out.stderr).not.toMatch(/already registered/);
    seen.push((await sessionNamed('my first run', seen)).id);
  }, 360_000);

  it("from the folder (npm links it, a second tfjs beside it): it uses the project's tfjs; a model of the other copy fails at once", async () => {
    const dir = project('folder');
    npm(['install', '@tensorflow/tfjs@4.22.0', join(root, 'packages', 'callback')], dir);
    const out = await run(dir, 'train.mjs', ws);
    expect(out.code, out.stderr).toBe(0);
    expect(copies(out.stderr)).toEqual([join(dir, 'node_modules')]);
    expect(out.stderr).not.toMatch(/already registered/);
    seen.push((await sessionNamed('my first run', seen)).id);

    // The model built by the callback folder's own tfjs: a second copy in the process.
    const other = join(root, 'packages/callback/node_modules/@tensorflow/tfjs');
    writeFileSync(
      join(dir, 'mixed.mjs'),
      `import { createRequire } from 'node:module';
import { mphateCallback } from '@mphate/callback';
const tf = createRequire(import.meta.url)(${JSON.stringify(other)});
const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 6 }), tf.layers.dense({ units: 2 })] });
model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
const x = tf.randomNormal([8, 4]);
await model.fit(x, tf.zeros([8, 2]), { epochs: 1, callbacks: [mphateCallback({ probe: x, server: false })] });
`,
    );
    const mixed = await run(dir, 'mixed.mjs', ws);
    expect(mixed.code, mixed.stderr).toBe(1);
    expect(copies(mixed.stderr), mixed.stderr).toHaveLength(2);
    expect(mixed.stderr).toMatch(
      /different copy of tfjs than the model \(2 copies of @tensorflow\/tfjs are loaded: .*\)\. Fix: pass the model's tfjs, mphateCallback\(\{ tf, probe \}\)/,
    );
  }, 360_000);
});
