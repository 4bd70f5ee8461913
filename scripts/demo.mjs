#!/usr/bin/env node
/**
 * `pnpm demo`: the server and dashboard, plus the MNIST example training into them, live.
 *
 *   pnpm demo [-- --epochs N --port P --data DIR]      (MPHATE_PORT also sets the port)
 *
 * Starts `mphate serve` as a child process, waits until GET /api/health answers, prints the
 * dashboard URL, runs `examples/mnist-mlp` into it, then keeps the server up so you can look.
 * Ctrl-C (or SIGTERM) stops everything: the signal is forwarded to both children, and the demo
 * waits for them to exit (SIGKILL after a few seconds), so no process is left behind.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'packages/cli/dist/bin.js');
const HOST = '127.0.0.1';
const HEALTH_TIMEOUT_MS = 60_000;
const KILL_AFTER_MS = 5_000;

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: { port: { type: 'string' }, epochs: { type: 'string' }, data: { type: 'string' } },
});
const port = Number(values.port ?? process.env.MPHATE_PORT ?? 7777);
if (!Number.isInteger(port) || port < 1 || port > 65535)
  fail(`--port must be a port number, got '${values.port}'`);
if (values.epochs !== undefined && !/^[1-9]\d*$/.test(values.epochs)) {
  fail(`--epochs must be a whole number >= 1, got '${values.epochs}'`);
}
const url = `http://${HOST}:${port}/`;

/** @type {Set<import('node:child_process').ChildProcess>} */
const children = new Set();
let stopping = false;

function fail(message) {
  process.stderr.write(`demo: ${message}\n`);
  process.exit(1);
}

function start(args, name) {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit', env: process.env });
  children.add(child);
  child.once('exit', () => children.delete(child));
  child.once('error', (error) => process.stderr.write(`demo: ${name} failed to start: ${error.message}\n`));
  return child;
}

/** Resolves with the exit code (or 128 + signal) when the child ends. */
function exited(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode ?? 1);
  return new Promise((done) => child.once('exit', (code, signal) => done(code ?? (signal ? 128 : 1))));
}

/** Stops every child (SIGTERM, then SIGKILL after KILL_AFTER_MS) and exits. */
async function stop(code) {
  if (stopping) return;
  stopping = true;
  const running = [...children];
  for (const child of running) child.kill('SIGTERM');
  const timer = setTimeout(() => {
    for (const child of running)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }, KILL_AFTER_MS);
  await Promise.all(running.map(exited));
  clearTimeout(timer);
  process.exit(code);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (!stopping) process.stdout.write('\nStopping the demo...\n');
    void stop(0);
  });
}

/** True when nothing listens on the port yet. */
function portIsFree() {
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', () => done(false));
    probe.listen(port, HOST, () => probe.close(() => done(true)));
  });
}

async function waitForHealth(server) {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) return false;
    try {
      const response = await fetch(new URL('api/health', url), { signal: AbortSignal.timeout(1000) });
      if (response.ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

if (!(await portIsFree())) {
  fail(
    `port ${port} on ${HOST} is already in use (another 'mphate serve' or 'pnpm demo' running?).\n` +
      `      Stop that process, or run the demo on another port: pnpm demo -- --port 7788`,
  );
}

// Sessions are kept in the repository's mphate-data/ (git-ignored) unless --data says otherwise.
const dataDir = values.data
  ? resolve(process.env.INIT_CWD ?? process.cwd(), values.data)
  : join(ROOT, 'mphate-data');
const server = start([BIN, 'serve', '--port', String(port), '--data', dataDir], 'mphate serve');
if (!(await waitForHealth(server))) {
  process.stderr.write(`demo: the server did not come up on ${url} (see its messages above)\n`);
  await stop(1);
}
server.once('exit', async (code) => {
  // A terminal's Ctrl-C reaches the server too; give our own signal handler the first word.
  await new Promise((r) => setTimeout(r, 200));
  if (!stopping) {
    process.stderr.write(`demo: the server stopped unexpectedly (exit code ${code})\n`);
    void stop(1);
  }
});

process.stdout.write(
  `\n  Dashboard: ${url}\n  Open it in a browser to watch the network learn. Ctrl-C stops the demo.\n\n`,
);

const exampleArgs = [
  '--import',
  'tsx',
  join(ROOT, 'examples/run.ts'),
  'mnist-mlp',
  '--server',
  `ws://${HOST}:${port}`,
];
if (values.epochs) exampleArgs.push('--epochs', values.epochs);
const example = start(exampleArgs, 'the mnist-mlp example');
const code = await exited(example);
if (!stopping) {
  if (code === 0) {
    process.stdout.write(`\nTraining done. The dashboard stays up at ${url} - press Ctrl-C to stop.\n`);
  } else {
    process.stderr.write(
      `\ndemo: the example ended with exit code ${code}; the dashboard stays up at ${url} (Ctrl-C stops it)\n`,
    );
  }
}
