/**
 * Benchmark of packages/core end to end (batch fitTransform and the live IncrementalMphate):
 * random walks (cumulative sums over epochs of standard normal steps, seeded) at the issue's
 * sizes and the three fixture traces. Each full embed runs in a child process so its peak RSS
 * is its own.
 *
 *   npx tsx bench/core.ts [--quick]     (or through bench/index.ts: `pnpm bench core`)
 *
 * --quick: the fixtures and a (30, 384, 100) walk only. CORE_BENCH_WALKS=TxNxM,... overrides the
 * walk sizes (default 100x384x100,300x384x100). One measurement, in this process:
 * --full SPEC, or --incremental SPEC [FRAMES] (SPEC: rw:TxNxM or a fixture name).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  backendName,
  distanceAgreement,
  fitTransform,
  IncrementalMphate,
  initBackend,
  neighbourhoodPreservation,
  PHASES,
  Random,
  type Trace,
} from '@mphate/core/internal';
import { decodeNpy } from '@mphate/protocol';

const FIXTURES = ['rw-20x50x25', 'rw-100x50x25', 'mlp-3x32'];
const fixtureDir = fileURLToPath(new URL('../test/fixtures/', import.meta.url));

export function randomWalk(epochs: number, units: number, samples: number, seed = 42): Trace {
  const r = new Random(seed);
  const size = units * samples;
  const data = new Float32Array(epochs * size);
  for (let t = 0; t < epochs; t++)
    for (let j = 0; j < size; j++) data[t * size + j] = (t > 0 ? data[(t - 1) * size + j]! : 0) + r.normal();
  return { epochs, units, samples, data };
}

function loadFixture(name: string): { trace: Trace; ref: Float64Array } {
  const npy = decodeNpy(readFileSync(`${fixtureDir}${name}.npy`));
  const ref = decodeNpy(readFileSync(`${fixtureDir}${name}.ref.npy`));
  const [epochs, units, samples] = npy.shape as [number, number, number];
  return {
    trace: { epochs, units, samples, data: npy.data as Float32Array },
    ref: Float64Array.from(ref.data as ArrayLike<number>),
  };
}

export function traceOf(spec: string): { trace: Trace; ref?: Float64Array } {
  if (spec.startsWith('rw:')) {
    const [T, n, m] = spec.slice(3).split('x').map(Number) as [number, number, number];
    return { trace: randomWalk(T, n, m) };
  }
  return loadFixture(spec);
}

/** The four neighbourhood scores of a 2-D embedding: intra10, inter10, intra40, inter40. */
export function neighbourhoodScores(trace: Trace, coordinates: Float32Array): number[] {
  const p10 = neighbourhoodPreservation(trace, coordinates, 2, 10);
  const p40 = neighbourhoodPreservation(trace, coordinates, 2, 40);
  return [p10.intraslice, p10.interslice, p40.intraslice, p40.interslice];
}

/** intra10 / inter10 / intra40 / inter40 / agreement with the reference's coordinates. */
function scoresOf(trace: Trace, coordinates: Float32Array, ref: Float64Array): string {
  const agreement = distanceAgreement(coordinates, ref, trace.epochs * trace.units, 2, 2);
  return [...neighbourhoodScores(trace, coordinates), agreement].map((v) => v.toFixed(3)).join(' / ');
}

interface FullResult {
  spec: string;
  N: number;
  seconds: number;
  phases: Record<string, number>;
  t: number;
  landmarks: number;
  peakRssMiB: number;
  scores?: string;
}

/** One full embed (in the child process). */
async function fullEmbed(spec: string): Promise<FullResult> {
  const { trace, ref } = traceOf(spec);
  await initBackend();
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const t0 = performance.now();
  const e = await fitTransform(trace, {});
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.resourceUsage().maxRSS * 1024);
  const scores = ref ? scoresOf(trace, e.coordinates, ref) : undefined;
  return {
    spec,
    N: e.points,
    seconds,
    phases: Object.fromEntries(Object.entries(e.timings).map(([k, v]) => [k, (v ?? 0) / 1000])),
    t: e.t,
    landmarks: e.landmarks,
    peakRssMiB: peak / 2 ** 20,
    scores,
  };
}

/** Median time to add one slice and re-embed, after feeding `epochs` slices (embedding along the way). */
async function incremental(
  spec: string,
  repeats: number,
): Promise<{
  spec: string;
  median: number;
  all: number[];
  rebuilds: number;
  eraStarts: number;
  scores?: string;
}> {
  const { trace, ref } = traceOf(spec);
  const { epochs: T, units: n, samples: m } = trace;
  // random walks: feed T slices (embedding every 10th as a warm-up), then add T+1..T+repeats one
  // at a time, each re-embedded and timed; fixtures: every slice embedded, as the live server
  // does, the last `repeats` timed and the final frame scored
  const full = ref ? trace : randomWalk(T + repeats, n, m);
  const inc = new IncrementalMphate({ units: n, samples: m });
  const total = full.epochs;
  const timedFrom = total - repeats;
  const times: number[] = [];
  let rebuilds = 0;
  let eraStarts = 0;
  let last = null as Awaited<ReturnType<IncrementalMphate['embed']>> | null;
  for (let t = 0; t < total; t++) {
    const t0 = performance.now();
    inc.addSlice(full.data.subarray(t * n * m, (t + 1) * n * m));
    if (ref || t >= timedFrom || t < 10 || t % 10 === 9) {
      const eras = inc.eras;
      last = await inc.embed();
      if (t >= timedFrom) {
        times.push((performance.now() - t0) / 1000);
        // a frame that started an era (new clusters or a new epsilon) built its kernel afresh
        if (last.timings.kernel !== undefined) rebuilds++;
        if (inc.eras > eras) eraStarts++;
      }
    }
  }
  const sorted = [...times].sort((a, b) => a - b);
  const scores = ref && last ? scoresOf(trace, last.coordinates, ref) : undefined;
  return { spec, median: sorted[Math.floor(sorted.length / 2)]!, all: times, rebuilds, eraStarts, scores };
}

function child(args: string[]): unknown {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, [...process.execArgv, self, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(`bench child ${args.join(' ')} failed (exit ${r.status}): ${r.stdout.slice(-500)}`);
  }
}

export async function run(quick = process.argv.includes('--quick')): Promise<void> {
  await initBackend();
  // CORE_BENCH_WALKS=100x384x100,300x384x100 (the default) picks the random-walk sizes
  const sizes = (process.env.CORE_BENCH_WALKS ?? '100x384x100,300x384x100').split(',').filter(Boolean);
  const walks = quick ? ['rw:30x384x100'] : sizes.map((s) => `rw:${s}`);
  console.log(`backend ${backendName()}, ${new Date().toISOString()}\n`);
  const shown = PHASES.filter((p) => p !== 'pca');
  console.log(
    `| trace | N | total s | ${shown.join(' | ')} | t | landmarks | peak RSS MiB | intra10 / inter10 / intra40 / inter40 / agreement |`,
  );
  console.log(`|---|---|---|${shown.map(() => '---').join('|')}|---|---|---|---|`);
  for (const spec of [...walks, ...FIXTURES]) {
    const r = child(['--full', spec]) as FullResult;
    const cells = shown.map((p) => (r.phases[p] === undefined ? '-' : r.phases[p]!.toFixed(1)));
    console.log(
      `| ${spec.replace('rw:', 'walk ')} | ${r.N} | ${r.seconds.toFixed(1)} | ${cells.join(' | ')} | ${r.t} | ${r.landmarks || '-'} | ${r.peakRssMiB.toFixed(0)} | ${r.scores ?? '-'} |`,
    );
  }
  console.log(
    '\nIncremental (IncrementalMphate, live defaults): add one slice and re-embed, 10 frames timed\n',
  );
  console.log(
    '| trace | slices | median s | max s | frames that started an era / built the kernel | all s | final-frame intra10 / inter10 / intra40 / inter40 / agreement |',
  );
  console.log('|---|---|---|---|---|---|---|');
  const incSpecs = [...walks, ...FIXTURES];
  for (const spec of incSpecs) {
    const r = child(['--incremental', spec]) as Awaited<ReturnType<typeof incremental>>;
    console.log(
      `| ${spec.replace('rw:', 'walk ')} | ${spec.startsWith('rw:') ? `${spec.slice(3).split('x')[0]} + 1..10` : 'last 10'} | ${r.median.toFixed(2)} | ${Math.max(...r.all).toFixed(2)} | ${r.eraStarts} / ${r.rebuilds} | ${r.all.map((v) => v.toFixed(2)).join(', ')} | ${r.scores ?? '-'} |`,
    );
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const i = process.argv.indexOf('--full');
  const j = process.argv.indexOf('--incremental');
  if (i > 0) console.log(JSON.stringify(await fullEmbed(process.argv[i + 1]!)));
  else if (j > 0)
    console.log(JSON.stringify(await incremental(process.argv[j + 1]!, Number(process.argv[j + 2] ?? 10))));
  else await run();
}
