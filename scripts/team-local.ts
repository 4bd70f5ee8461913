/**
 * The team deployment on one machine, from installed packages (docs/deploy.md): a PostgreSQL
 * 15 from Debian in a temporary folder on a free loopback port, `mphate serve --store` x N and
 * `mphate worker` x M as child processes. The tests and `pnpm bench team` use these functions;
 * run it directly to try the deployment:
 *
 *   npx tsx scripts/team-local.ts [--serve 2] [--workers 2]
 *
 * PostgreSQL refuses to run as root: as root, its folder is given to the `postgres` user and
 * initdb / pg_ctl run through runuser. Debian keeps them under /usr/lib/postgresql/15/bin.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PG_BIN = process.env.MPHATE_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const CLI = fileURLToPath(new URL('../packages/cli/dist/bin.js', import.meta.url));

export const POSTGRES_MISSING =
  `The team tests need PostgreSQL 15 (${PG_BIN}/initdb) and it is missing.\n` +
  '  Debian/Ubuntu: apt-get install -y postgresql   (as root; .ci/run does this)\n' +
  '  Elsewhere: set MPHATE_PG_BIN to the folder holding initdb and pg_ctl';

export function postgresInstalled(): boolean {
  return existsSync(join(PG_BIN, 'initdb')) && existsSync(join(PG_BIN, 'pg_ctl'));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface LocalPostgres {
  port: number;
  /** Debian's psql, for scripts. */
  psql: string;
  dir: string;
  /** A URL for a database (created by createDatabase), with the password. */
  url(database?: string): string;
  createDatabase(name: string): Promise<string>;
  stop(): void;
  /** Stops at once (as by a crash: no clean shutdown), keeping the data, until start(). */
  halt(): void;
  start(): void;
  /** Stops at once (kill -9 of the postmaster's children is what `immediate` does) and starts again. */
  restart(): void;
}

/** Runs a PostgreSQL binary as the postgres user when we are root (it refuses root). */
function pgRun(bin: string, args: string[]): string {
  const asRoot = process.getuid?.() === 0;
  const [cmd, argv] = asRoot
    ? ['runuser', ['-u', 'postgres', '--', join(PG_BIN, bin), ...args]]
    : [join(PG_BIN, bin), args];
  return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A fresh PostgreSQL cluster in a temporary folder, listening on 127.0.0.1 only. */
export async function startPostgres(): Promise<LocalPostgres> {
  if (!postgresInstalled()) throw new Error(POSTGRES_MISSING);
  const dir = mkdtempSync(join(tmpdir(), 'mphate-pg-'));
  const data = join(dir, 'data');
  const password = 'mphate-test';
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, `${password}\n`);
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
    chownSync(pwfile, uid, gid);
    chmodSync(dir, 0o700);
  }
  pgRun('initdb', [
    '-D',
    data,
    '-U',
    'mphate',
    '--pwfile',
    pwfile,
    '-A',
    'scram-sha-256',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const start = () => {
    pgRun('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', '-t', '60', 'start']);
  };
  const stop = (mode = 'fast') => {
    try {
      pgRun('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
    } catch {
      // already stopped
    }
  };
  start();
  const url = (database = 'postgres') => `postgres://mphate:${password}@127.0.0.1:${port}/${database}`;
  return {
    port,
    psql: join(PG_BIN, 'psql'),
    dir,
    url,
    async createDatabase(name) {
      execFileSync(join(PG_BIN, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'mphate', name], {
        env: { ...process.env, PGPASSWORD: password },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      return url(name);
    },
    start,
    halt() {
      stop('immediate');
    },
    restart() {
      stop('immediate');
      start();
    },
    stop() {
      stop('immediate');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ChildProcessHandle {
  child: ChildProcess;
  /** What the process printed (stdout and stderr), for diagnostics. */
  output(): string;
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): void;
}

function run(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<ChildProcessHandle & { match: RegExpMatchArray }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`mphate ${args[0]} did not start:\n${out}`)), 60_000);
    const onData = (d: Buffer) => {
      out += String(d);
      const match = out.match(ready);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match, exited, output: () => out, kill: (s = 'SIGTERM') => child.kill(s) });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`mphate ${args[0]} exited with ${code}:\n${out}`));
    });
  });
}

/** `mphate serve --store $MPHATE_STORE_URL --queue $MPHATE_QUEUE_URL` on a free loopback port. */
export async function startServe(
  storeUrl: string,
  extra: string[] = [],
): Promise<ChildProcessHandle & { url: string }> {
  const port = await freePort();
  const handle = await run(
    ['serve', '--port', String(port), '--queue', 'store', ...extra],
    { MPHATE_STORE_URL: storeUrl },
    /listening on (http:\/\/\S+?)\/?(\s|$)/,
  );
  return { ...handle, url: `http://127.0.0.1:${port}/` };
}

/** `mphate worker` taking embedding jobs from the queue in the store. */
export async function startWorker(storeUrl: string, extra: string[] = []): Promise<ChildProcessHandle> {
  return run(['worker', '--queue', 'store', ...extra], { MPHATE_STORE_URL: storeUrl }, /worker ready/);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const flag = (name: string, fallback: number) => {
    const i = argv.indexOf(name);
    return i >= 0 ? Number(argv[i + 1]) : fallback;
  };
  const pg = await startPostgres();
  const url = await pg.createDatabase('mphate');
  const serves: (ChildProcessHandle & { url: string })[] = [];
  for (let i = 0; i < flag('--serve', 2); i++) serves.push(await startServe(url));
  const workers: ChildProcessHandle[] = [];
  for (let i = 0; i < flag('--workers', 2); i++) workers.push(await startWorker(url));
  process.stdout.write(
    `PostgreSQL on 127.0.0.1:${pg.port} (folder ${pg.dir}); serve: ${serves.map((s) => s.url).join(' ')}; ${workers.length} workers. Ctrl-C stops everything.\n`,
  );
  const stop = () => {
    for (const p of [...serves, ...workers]) p.kill();
    setTimeout(() => {
      pg.stop();
      process.exit(0);
    }, 2000);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) void main();
