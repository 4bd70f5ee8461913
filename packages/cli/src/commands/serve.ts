/**
 * `mphate serve`: runs the server (ingest, store, embedding, live push) and the dashboard.
 * Prints the dashboard URL (with `#token=...` when a token is set, so the page can use it) and
 * runs until SIGINT or SIGTERM, then closes cleanly.
 */
import { SERVER_DEFAULTS } from '@mphate/server/defaults';
import { CliError, UsageError } from '../errors.js';
import { dataFolder, integerFlag, parseCommandLine } from '../flags.js';

export const usage = `Usage: mphate serve [options]

Runs the M-PHATE server: training sessions stream in from mphateCallback(), are stored in
a SQLite file, embedded live, and shown by the dashboard at the printed URL.

Options:
      --port P        TCP port (default ${SERVER_DEFAULTS.port}; 0 picks a free one)
      --host H        interface to listen on (default ${SERVER_DEFAULTS.host}; anything else needs a token)
      --data DIR      folder of the session store (default ${SERVER_DEFAULTS.dataDir})
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

const integer = (flag: string, text: string, min: number, max: number) =>
  integerFlag('serve', flag, text, min, max);

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, OPTIONS);
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`, 'serve');
  const port = values.port === undefined ? SERVER_DEFAULTS.port : integer('--port', values.port, 0, 65535);
  const host = values.host ?? SERVER_DEFAULTS.host;
  const token = values.token ?? (process.env.MPHATE_TOKEN || undefined);
  const dataDir = dataFolder(values.data);
  const { startServer } = await import('@mphate/server');
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
