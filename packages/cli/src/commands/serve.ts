/**
 * `mphate serve`: runs the server (ingest, store, embedding, live push) and the dashboard.
 * Prints the dashboard URL (with `#token=...` when a token is set, so the page can use it) and
 * runs until SIGINT or SIGTERM, then closes cleanly.
 */
import { parseArgs } from 'node:util';
import { CliError, UsageError } from '../errors.js';
import { resolveUserPath } from '../paths.js';

export const usage = `Usage: mphate serve [options]

Runs the M-PHATE server: training sessions stream in from mphateCallback(), are stored in
a SQLite file, embedded live, and shown by the dashboard at the printed URL.

Options:
      --port P        TCP port (default 7777; 0 picks a free one)
      --host H        interface to listen on (default 127.0.0.1; anything else needs a token)
      --data DIR      folder of the session store (default ./mphate-data)
      --token T       require this token for the API and WebSockets (or set MPHATE_TOKEN)
      --workers N     embedding worker threads (default: cores - 1, at least 1)
      --seed S        default M-PHATE seed for sessions that do not set one
  -h, --help          show this help

Stop with Ctrl-C.`;

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  data: { type: 'string' },
  token: { type: 'string' },
  workers: { type: 'string' },
  seed: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function integer(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got '${text}'`, 'serve');
  }
  return value;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`, 'serve');
  const port = values.port === undefined ? 7777 : integer('--port', values.port, 0, 65535);
  const host = values.host ?? '127.0.0.1';
  const token = values.token ?? (process.env.MPHATE_TOKEN || undefined);
  const dataDir = resolveUserPath(values.data ?? './mphate-data');
  const { startServer, isLoopback } = await import('@mphate/server');
  if (!token && !isLoopback(host)) {
    throw new UsageError(`listening on ${host} needs a token: pass --token T or set MPHATE_TOKEN`, 'serve');
  }
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({
      port,
      host,
      dataDir,
      ...(token ? { token } : {}),
      ...(values.workers !== undefined ? { workers: integer('--workers', values.workers, 1, 256) } : {}),
      ...(values.seed !== undefined
        ? { mphate: { seed: integer('--seed', values.seed, 0, 0xffff_ffff) } }
        : {}),
      log: (line) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`),
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE') throw new CliError(`port ${port} is in use; pass --port`);
    if (code === 'EACCES')
      throw new CliError(`not allowed to listen on port ${port}; pass --port above 1023`);
    if (code === 'EADDRNOTAVAIL')
      throw new CliError(`cannot listen on ${host}: no such address on this machine`);
    throw error;
  }
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  const url = server.url.replace(`//${host.includes(':') ? `[${host}]` : host}:`, `//${shownHost}:`);
  process.stdout.write(`M-PHATE dashboard: ${url}${token ? `#token=${encodeURIComponent(token)}` : ''}\n`);
  process.stdout.write(`Sessions are stored in ${dataDir}\n`);
  process.stdout.write(`Stream into ${url.replace(/^http/, 'ws')}ws/ingest (Ctrl-C stops)\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.stderr.write('stopping...\n');
      void server.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}
