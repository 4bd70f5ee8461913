/**
 * `mphate serve`: runs the server (ingest, store, embedding, live push) and the dashboard.
 * Prints the dashboard URL (with `#token=...` when a token is set, so the page can use it) and
 * runs until SIGINT or SIGTERM, then closes cleanly.
 */
import { readFileSync } from 'node:fs';
import { type CostLimits, LIMIT_FLAGS, SERVER_DEFAULTS } from '@mphate/server/defaults';
import { CliError, UsageError } from '../errors.js';
import { dataFolder, integerFlag, parseCommandLine } from '../flags.js';
import { resolveUserPath } from '../paths.js';
import { describeFsError } from '../trace-file.js';

const LIMITS = Object.keys(LIMIT_FLAGS) as (keyof CostLimits)[];
/** `--max-units` -> `max-units`, the parseArgs option name. */
const limitOption = (limit: keyof CostLimits) => LIMIT_FLAGS[limit].slice(2);

export const usage = `Usage: mphate serve [options]

Runs the M-PHATE server: training sessions stream in from mphateCallback(), are stored in
a SQLite file, embedded live, and shown by the dashboard at the printed URL.

Options:
      --port P        TCP port (default ${SERVER_DEFAULTS.port}; 0 picks a free one)
      --host H        interface to listen on (default ${SERVER_DEFAULTS.host}; anything else needs a token)
      --data DIR      folder of the session store (default ${SERVER_DEFAULTS.dataDir})
      --store URL     a PostgreSQL store instead (postgres://host/db; a URL with a password
                      belongs in MPHATE_STORE_URL, not on the command line)
      --queue URL     compute on \`mphate worker\` processes through the queue in this PostgreSQL
                      ('store': the store's; or MPHATE_QUEUE_URL); this instance computes nothing
      --token-file F  require the token in file F for the API and WebSockets (or set
                      MPHATE_TOKEN; --token T works too, but other users can read it in ps)
      --allow-host H  also answer to Host H (repeatable; loopback and --host always work)
      --allow-origin O  let pages from origin O use the server (repeatable; same-origin and
                      loopback pages always may)
      --workers N     embedding worker threads (default: cores - 1, at least 1); not with
                      --queue, where \`mphate worker --workers N\` computes
      --grace S       seconds a live session may go without its callback's connection
                      before it is marked failed (default ${SERVER_DEFAULTS.graceMs / 1000}; with --queue, the same on
                      every instance: any of them may mark it)
      --seed S        default M-PHATE seed for sessions that do not set one
${LIMITS.map((l) => `      ${`${LIMIT_FLAGS[l]} N`.padEnd(16)}limit: ${l} (default ${SERVER_DEFAULTS.limits[l]})`).join('\n')}
  -h, --help          show this help

Stop with Ctrl-C.`;

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  data: { type: 'string' },
  store: { type: 'string' },
  queue: { type: 'string' },
  token: { type: 'string' },
  'token-file': { type: 'string' },
  'allow-host': { type: 'string', multiple: true },
  'allow-origin': { type: 'string', multiple: true },
  ...(Object.fromEntries(LIMITS.map((l) => [limitOption(l), { type: 'string' }])) as Record<
    string,
    { type: 'string' }
  >),
  workers: { type: 'string' },
  grace: { type: 'string' },
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
  const token = readToken(values.token, values['token-file']);
  const dataDir = dataFolder(values.data);
  const limits: Partial<CostLimits> = {};
  for (const l of LIMITS) {
    const text = (values as Record<string, unknown>)[limitOption(l)];
    if (typeof text === 'string')
      (limits as Record<string, number>)[l] = integer(LIMIT_FLAGS[l], text, 1, 2 ** 40);
  }
  const team = teamUrls(values.store, values.queue, 'serve');
  if (team.queueUrl && values.workers !== undefined)
    throw new UsageError(
      `--workers sets this process's embedding threads, but with a queue (${values.queue !== undefined ? '--queue' : 'MPHATE_QUEUE_URL'}) serve computes nothing: \`mphate worker\` processes do. Drop --workers here and start \`mphate worker --workers ${values.workers}\` instead`,
      'serve',
    );
  const { startServer, redactUrl } = await import('@mphate/server');
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({
      port,
      host,
      dataDir,
      ...(team.storeUrl ? { storeUrl: team.storeUrl } : {}),
      ...(team.queueUrl ? { queueUrl: team.queueUrl } : {}),
      ...(token ? { token } : {}),
      ...(values['allow-host'] ? { allowHosts: values['allow-host'] } : {}),
      ...(values['allow-origin'] ? { allowOrigins: values['allow-origin'] } : {}),
      limits,
      ...(values.workers !== undefined ? { workers: integer('--workers', values.workers, 1, 256) } : {}),
      ...(values.grace !== undefined ? { graceMs: integer('--grace', values.grace, 1, 86_400) * 1000 } : {}),
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
  process.stdout.write(`Sessions are stored in ${team.storeUrl ? redactUrl(team.storeUrl) : dataDir}\n`);
  if (team.queueUrl) process.stdout.write('Embeddings are computed by mphate worker processes (queue)\n');
  process.stdout.write(`listening on ${server.url}\n`);
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

/** --token-file, else MPHATE_TOKEN, else --token (with a warning: argv is visible to every local user). */
function readToken(flag: string | undefined, file: string | undefined): string | undefined {
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(resolveUserPath(file), 'utf8');
    } catch (error) {
      throw new CliError(`cannot read --token-file ${file}: ${describeFsError(error)}`);
    }
    const token = text.trim();
    if (!token) throw new UsageError(`--token-file ${file} is empty`, 'serve');
    return token;
  }
  if (flag !== undefined) {
    process.stderr.write(
      'mphate: warning: --token on the command line is visible to every user of this machine (ps, /proc); use --token-file FILE or MPHATE_TOKEN\n',
    );
    return flag;
  }
  return process.env.MPHATE_TOKEN || undefined;
}

/**
 * The team deployment's URLs: --store / --queue, else MPHATE_STORE_URL / MPHATE_QUEUE_URL.
 * A URL with a password on the command line is refused: every local user can read argv.
 */
export function teamUrls(
  store: string | undefined,
  queue: string | undefined,
  command: string,
): { storeUrl?: string; queueUrl?: string } {
  const fromFlag = (flag: string, value: string) => {
    if (/^postgres(ql)?:\/\/[^/@]*:[^/@]*@/i.test(value))
      throw new UsageError(
        `${flag} carries a password, which every user of this machine can read in ps; put the URL in ${flag === '--store' ? 'MPHATE_STORE_URL' : 'MPHATE_QUEUE_URL'} instead`,
        command,
      );
    if (value !== 'store' && !/^postgres(ql)?:\/\//i.test(value))
      throw new UsageError(
        `${flag} must be a postgres:// URL${flag === '--queue' ? " or 'store'" : ''}`,
        command,
      );
    return value;
  };
  const storeUrl =
    store !== undefined ? fromFlag('--store', store) : process.env.MPHATE_STORE_URL || undefined;
  const queueFlag =
    queue !== undefined ? fromFlag('--queue', queue) : process.env.MPHATE_QUEUE_URL || undefined;
  const queueUrl = queueFlag === 'store' ? storeUrl : queueFlag;
  if (queueFlag === 'store' && !storeUrl)
    throw new UsageError('--queue store needs --store URL (or MPHATE_STORE_URL)', command);
  return { ...(storeUrl ? { storeUrl } : {}), ...(queueUrl ? { queueUrl } : {}) };
}
