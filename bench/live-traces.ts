/**
 * The traces of `pnpm bench live`: real trainings recorded with the project's own examples on
 * first use and cached outside git, the committed dropout fixture, and random walks.
 *
 * Cache: $MPHATE_BENCH_CACHE, else ~/.cache/mphate/bench-traces/. Each recorded trace is
 * NAME.npy (float32, slices x units x samples, as the callback traced it) and NAME.meta.json (the
 * recipe it was made with, the tfjs backend, recording time, per-epoch logs, per-slice epoch /
 * batch / task, layers, probe classes), each written atomically. A cached trace whose recipe
 * differs from the one below is recorded again.
 *
 *   npx tsx bench/live-traces.ts NAME [--epochs N]
 *
 * records NAME now (again); --epochs N makes a short run of the same recipe, cached as
 * NAME-Nep (a check that recording works, never used by the benchmark).
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Trace } from '@mphate/core';
import { decodeNpy, decodeSnapshot, encodeNpy } from '@mphate/protocol';
import { writeFileAtomic } from '@mphate/protocol/node';
import { traceOf } from './core.ts';

/** How each recorded trace is made: an example's `run()` options (epochs per task for continual). */
type Recipe =
  | {
      example: 'mnist-mlp';
      epochs: number;
      maxTrain: number;
      learningRate: number;
      scrambleLabels: boolean;
    }
  | {
      example: 'continual-learning';
      epochs: number;
      schemes: ['adam'];
      traceEvery: number;
      unitsPerLayer: number;
    };

/** The paper's MLP at Adam 1e-4 on 5,000 digits, traced every epoch on the 100-digit probe. */
const MNIST = { example: 'mnist-mlp', maxTrain: 5000, learningRate: 1e-4, scrambleLabels: false } as const;

export const RECORDED: Record<string, Recipe> = {
  'mnist-100': { ...MNIST, epochs: 100 },
  'mnist-300': { ...MNIST, epochs: 300 },
  'scrambled-60': { ...MNIST, epochs: 60, scrambleLabels: true },
  // the example's Adam run, all 800 units, a slice every 4 batches: 68 slices x 800 units
  continual: {
    example: 'continual-learning',
    epochs: 4,
    schemes: ['adam'],
    traceEvery: 4,
    unitsPerLayer: 400,
  },
};

/** The committed real trace (test/fixtures), used as it is. */
export const FIXTURE = 'dropout-60x384x100';

export function cacheDir(): string {
  return process.env.MPHATE_BENCH_CACHE || join(homedir(), '.cache', 'mphate', 'bench-traces');
}

export interface BenchTrace {
  name: string;
  trace: Trace;
}

/** A trace by name: a recorded one (recorded now when not cached), the fixture, or rw:TxNxM. */
export async function benchTrace(
  name: string,
  log: (line: string) => void = console.log,
): Promise<BenchTrace> {
  const recipe = RECORDED[name];
  if (!recipe) {
    if (!name.startsWith('rw:') && !existsSync(new URL(`../test/fixtures/${name}.npy`, import.meta.url)))
      throw new Error(
        `unknown trace '${name}': a recorded one (${Object.keys(RECORDED).join(', ')}), a test/fixtures name or rw:TxNxM`,
      );
    return { name, trace: traceOf(name).trace };
  }
  const dir = cacheDir();
  const npy = join(dir, `${name}.npy`);
  const meta = join(dir, `${name}.meta.json`);
  const cached =
    existsSync(npy) &&
    existsSync(meta) &&
    JSON.stringify((JSON.parse(readFileSync(meta, 'utf8')) as { recipe?: Recipe }).recipe) ===
      JSON.stringify(recipe);
  if (!cached) await recordTrace(name, recipe, log);
  const array = decodeNpy(readFileSync(npy));
  const [epochs, units, samples] = array.shape as [number, number, number];
  return { name, trace: { epochs, units, samples, data: array.data as Float32Array } };
}

/** Trains the recipe's example with the callback recording to a snapshot, and caches its trace. */
export async function recordTrace(
  name: string,
  recipe: Recipe,
  log: (line: string) => void = console.log,
): Promise<void> {
  const dir = cacheDir();
  mkdirSync(dir, { recursive: true });
  const snapshot = join(dir, `.${name}.${process.pid}.mphate`);
  log(
    `recording ${name} (${recipe.example}, ${recipe.epochs} epochs${recipe.example === 'continual-learning' ? ' per task' : ''}) into ${dir} ...`,
  );
  const started = performance.now();
  const { setupBackend } = await import('../examples/shared/tf.js');
  const backend = await setupBackend();
  const quiet = (line: string) => {
    if (/epoch \d+0\/|task \d/.test(line)) log(`  ${line}`);
  };
  try {
    const { example, ...options } = recipe;
    const common = { server: false as const, record: snapshot, session: name, log: quiet };
    const result =
      example === 'mnist-mlp'
        ? await (await import('../examples/mnist-mlp/index.js')).run({ ...options, ...common })
        : await (await import('../examples/continual-learning/index.js')).run({ ...options, ...common });
    if (!result.sessions.every((s) => s.delivered))
      throw new Error(`the callback did not finish writing ${snapshot}`);
    const { header, trace } = await decodeSnapshot(new Uint8Array(readFileSync(snapshot)));
    const shape = [header.slices.length, header.session.units, header.session.samples];
    await writeFileAtomic(join(dir, `${name}.npy`), encodeNpy({ shape, data: trace }));
    const meta = {
      recipe,
      backend,
      shape,
      seconds: Math.round((performance.now() - started) / 1000),
      recordedAt: new Date().toISOString(),
      epochs: header.epochs.map((e) => ({ epoch: e.epoch, task: e.task, logs: e.logs })),
      slices: header.slices.map((s) => ({ epoch: s.epoch, batch: s.batch, task: s.task })),
      layers: header.session.layers,
      probeLabels: header.session.probeLabels,
    };
    await writeFileAtomic(join(dir, `${name}.meta.json`), `${JSON.stringify(meta)}\n`);
    log(`recorded ${name}: ${shape.join(' x ')} in ${meta.seconds} s`);
  } finally {
    rmSync(snapshot, { force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { epochs: { type: 'string' } },
  });
  const name = positionals[0] ?? '';
  const recipe = RECORDED[name];
  if (!recipe) {
    console.error(
      `usage: npx tsx bench/live-traces.ts NAME [--epochs N]; NAME: ${Object.keys(RECORDED).join(', ')}`,
    );
    process.exit(2);
  }
  const epochs = values.epochs === undefined ? recipe.epochs : Number(values.epochs);
  if (!(Number.isInteger(epochs) && epochs >= 1)) {
    console.error(`--epochs must be a whole number >= 1, got '${values.epochs}'`);
    process.exit(2);
  }
  await recordTrace(epochs === recipe.epochs ? name : `${name}-${epochs}ep`, { ...recipe, epochs });
  // the wasm backend keeps the process alive
  process.exit(0);
}
