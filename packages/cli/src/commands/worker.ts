/**
 * `mphate worker`: runs embedding jobs from the team deployment's queue (docs/deploy.md) on
 * this machine, in worker threads, storing results in the PostgreSQL store. Any number of
 * workers on any machines that reach the database; stop with Ctrl-C (a job cut short is
 * taken over by another worker).
 */
import { SERVER_DEFAULTS } from '@mphate/server/defaults';
import { UsageError } from '../errors.js';
import { integerFlag, parseCommandLine } from '../flags.js';
import { teamUrls } from './serve.js';

export const usage = `Usage: mphate worker [options]

Computes M-PHATE embeddings for the sessions that \`mphate serve --queue\` instances ingest.

Options:
      --store URL     the PostgreSQL store (or MPHATE_STORE_URL; a URL with a password
                      belongs there, not on the command line)
      --queue URL     the queue's PostgreSQL ('store', the default: the store's; or MPHATE_QUEUE_URL)
      --workers N     embedding threads, i.e. jobs at once (default: cores - 1, at least 1)
      --seed S        default M-PHATE seed for sessions that do not set one
  -h, --help          show this help

Job deadline: ${SERVER_DEFAULTS.jobBaseDeadlineMs / 1000} s plus the cost model's estimate.`;

const OPTIONS = {
  store: { type: 'string' },
  queue: { type: 'string' },
  workers: { type: 'string' },
  seed: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, OPTIONS);
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`, 'worker');
  const team = teamUrls(values.store, values.queue ?? 'store', 'worker');
  if (!team.storeUrl) throw new UsageError('missing --store URL (or MPHATE_STORE_URL)', 'worker');
  const { startQueueWorker } = await import('@mphate/server');
  const worker = await startQueueWorker({
    storeUrl: team.storeUrl,
    ...(team.queueUrl ? { queueUrl: team.queueUrl } : {}),
    ...(values.workers !== undefined
      ? { workers: integerFlag('worker', '--workers', values.workers, 1, 256) }
      : {}),
    ...(values.seed !== undefined
      ? { mphate: { seed: integerFlag('worker', '--seed', values.seed, 0, 0xffff_ffff) } }
      : {}),
    log: (line) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`),
  });
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.stderr.write('stopping...\n');
      void worker.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}
