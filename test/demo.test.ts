/**
 * scripts/demo.mjs as `pnpm demo` runs it (after the build): server up, the MNIST example
 * trained into it, the server kept up, and Ctrl-C to the whole process group (what a terminal
 * sends) ends every process. A taken port is reported plainly.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEMO = join(ROOT, 'scripts/demo.mjs');

let child: ChildProcess | undefined;
let dataDir: string | undefined;
let blocker: Server | undefined;
afterEach(async () => {
  // A failed test must not leave the demo's processes behind.
  if (child?.pid && groupAlive(child.pid)) process.kill(-child.pid, 'SIGKILL');
  blocker?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  child = dataDir = blocker = undefined;
});

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

function startDemo(args: string[]): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  // Its own process group, as a terminal's foreground job is.
  const proc = spawn(process.execPath, [DEMO, ...args], { cwd: ROOT, detached: true, stdio: 'pipe' });
  let text = '';
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => (text += d));
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (text += d));
  const exited = new Promise<number | null>((done) => proc.once('exit', (code) => done(code)));
  return { child: proc, output: () => text, exited };
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('pnpm demo (scripts/demo.mjs)', () => {
  it('says plainly when the port is taken, and exits 1 without starting anything', async () => {
    blocker = createServer();
    await new Promise<void>((done) => blocker!.listen(0, '127.0.0.1', done));
    const port = (blocker.address() as { port: number }).port;
    const demo = startDemo(['--port', String(port)]);
    child = demo.child;
    expect(await demo.exited).toBe(1);
    expect(demo.output()).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(demo.output()).toContain('--port');
  });

  it('serves, trains into the server, keeps serving, and Ctrl-C ends every process', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mphate-demo-'));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const demo = startDemo(['--port', String(port), '--epochs', '1', '--data', dataDir]);
    child = demo.child;
    await waitFor(() => demo.output().includes('Training done'), 170_000);
    expect(demo.output()).toContain(`Dashboard: ${url}`);

    // Still serving after training, with the example's session in it.
    expect((await fetch(new URL('api/health', url))).ok).toBe(true);
    const sessions = (await (await fetch(new URL('api/sessions', url))).json()) as {
      epochs: number;
      units: number;
    }[];
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ epochs: 1, units: 384 });

    process.kill(-demo.child.pid!, 'SIGINT');
    expect(await demo.exited).toBe(0);
    await waitFor(() => !groupAlive(demo.child.pid!), 10_000);
    await expect(fetch(new URL('api/health', url))).rejects.toThrow();
  }, 200_000);
});
