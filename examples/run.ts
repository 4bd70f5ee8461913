/**
 * `pnpm example NAME [--epochs N] [--digits N] [--server URL] [--session NAME]`: runs one example,
 * streaming into a running `mphate serve` (start it with `pnpm mphate serve`, or use `pnpm demo`).
 * mnist-mlp also takes --lr RATE and --scramble-labels.
 */
import { parseArgs } from 'node:util';
import {
  DEFAULT_SERVER,
  type ExampleOptions,
  type ExampleResult,
  serverUrls,
  sessionLink,
} from './shared/example.js';

/** What mnist-mlp takes beyond every example's options. */
type MlpFlags = { learningRate?: number; scrambleLabels?: boolean };

interface ExampleModule {
  summary: string;
  DEFAULT_EPOCHS?: number;
  run(options: ExampleOptions & MlpFlags): Promise<ExampleResult>;
}

const EXAMPLES: Record<string, () => Promise<ExampleModule>> = {
  'mnist-mlp': () => import('./mnist-mlp/index.js'),
  'continual-learning': () => import('./continual-learning/index.js'),
  generalization: () => import('./generalization/index.js'),
  browser: () => import('./browser/serve.js'),
};

async function listExamples(): Promise<string> {
  const lines: string[] = [];
  for (const [name, load] of Object.entries(EXAMPLES)) {
    const summary = await load()
      .then((m) => (m.DEFAULT_EPOCHS ? `${m.summary} [${m.DEFAULT_EPOCHS} epochs]` : m.summary))
      .catch(() => '(not available)');
    lines.push(`  ${name.padEnd(20)} ${summary}`);
  }
  return lines.join('\n');
}

const USAGE = `Usage: pnpm example NAME [--epochs N] [--digits N] [--server URL] [--session NAME]

  --epochs N       epochs to train (per task for continual-learning); each example has a default
  --digits N       train on at most N digits (default: all ~8,400; generalization: 2,000)
  --lr RATE        mnist-mlp: Adam's learning rate (default 1e-4)
  --scramble-labels  mnist-mlp: train on labels shuffled among the digits (memorization only)
  --server URL     the mphate server (default ${DEFAULT_SERVER}); start one with: pnpm mphate serve
  --session NAME   session name (a prefix when the example makes several sessions)

Examples:`;

/** True when `mphate serve` answers at `http` (GET /api/health), within a second or two. */
async function serverIsUp(http: string): Promise<boolean> {
  try {
    const response = await fetch(new URL('api/health', http), { signal: AbortSignal.timeout(2000) });
    return response.ok;
  } catch {
    return false;
  }
}

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    process.stderr.write(
      `example: ${(error as Error).message.split('\n')[0]}\n\n${USAGE}\n${await listExamples()}\n`,
    );
    return 2;
  }
  const { values, positionals } = parsed;
  const name = positionals[0];
  if (values.help || name === undefined || !Object.hasOwn(EXAMPLES, name)) {
    const out = values.help ? process.stdout : process.stderr;
    if (name !== undefined && !values.help) out.write(`example: unknown example '${name}'\n\n`);
    out.write(`${USAGE}\n${await listExamples()}\n`);
    return values.help ? 0 : 2;
  }
  let epochs: number | undefined;
  let maxTrain: number | undefined;
  let learningRate: number | undefined;
  try {
    epochs = wholeNumber('--epochs', values.epochs);
    maxTrain = wholeNumber('--digits', values.digits);
    if (values.lr !== undefined) {
      learningRate = Number(values.lr);
      if (!(learningRate > 0 && learningRate < 1))
        throw new Error(`--lr must be a learning rate between 0 and 1, such as 1e-4, got '${values.lr}'`);
    }
    if ((values.lr !== undefined || values['scramble-labels']) && name !== 'mnist-mlp')
      throw new Error('--lr and --scramble-labels apply to mnist-mlp only');
  } catch (error) {
    process.stderr.write(`example: ${(error as Error).message}\n`);
    return 2;
  }
  let urls: ReturnType<typeof serverUrls>;
  try {
    urls = serverUrls(values.server);
  } catch (error) {
    process.stderr.write(`example: ${(error as Error).message}\n`);
    return 2;
  }

  if (await serverIsUp(urls.http)) {
    console.log(`Watch it live: ${urls.http}`);
  } else {
    console.log(
      `No mphate server answers at ${urls.http} - start one in another terminal with 'pnpm mphate serve'.\n` +
        'Training runs anyway; the callback keeps what it traced and delivers it when the server comes up.',
    );
  }
  let result: ExampleResult;
  try {
    const example = await EXAMPLES[name]!();
    result = await example.run({
      epochs,
      maxTrain,
      learningRate,
      scrambleLabels: values['scramble-labels'],
      server: urls.ws,
      session: values.session,
    });
  } catch (error) {
    // Reported here: the wasm backend's uncaught-exception hook would print its whole source.
    const text = process.env.MPHATE_DEBUG === '1' ? (error as Error).stack : (error as Error).message;
    process.stderr.write(`example ${name} failed: ${text}\n`);
    return 1;
  }
  for (const session of result.sessions) {
    const state = session.delivered ? 'delivered' : 'NOT fully delivered (is the server running?)';
    const link = session.id ? `: ${sessionLink(urls.http, session.id)}` : '';
    console.log(`session '${session.name}' ${state}${link}`);
  }
  return 0;
}

/** A flag's value as a whole number >= 1 (undefined when absent); throws naming the flag. */
function wholeNumber(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${flag} must be a whole number >= 1, got '${text}'`);
  return value;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      epochs: { type: 'string' },
      digits: { type: 'string' },
      lr: { type: 'string' },
      'scramble-labels': { type: 'boolean' },
      server: { type: 'string' },
      session: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

// Exit explicitly: a callback still retrying an absent server must not keep the process alive.
process.exit(await main(process.argv.slice(2)));
