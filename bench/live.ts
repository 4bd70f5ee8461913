/**
 * `pnpm bench live [--quick]`: the live engine on real trainings (docs/mphate.md, "The live
 * benchmark"). Per trace:
 *
 * - live engine: `IncrementalMphate` (live defaults, seed 42) fed slice by slice, every slice
 *   embedded in turn as the server does when it is not behind, and the rest of each 1.5 s given
 *   to its work between frames (runBackground, as the server's worker does while idle): frame
 *   time (addSlice + embed,
 *   wall), CPU-seconds per slice over all threads, frames that started an era (re-clustered, or
 *   reweighted to a new epsilon) and that re-clustered (built their kernel), and how far
 *   the old points move per frame (after the frame's alignment, relative to the picture's extent);
 * - checkpoints: at 25 / 50 / 75 / 100 % of the slices, the live frame's agreement (Spearman of
 *   pairwise distances) with `fitTransform` of the same slices, same seed; the last live frame's
 *   neighbourhood scores beside the batch's;
 * - serve: a real `mphate serve` fed one slice every 1.5 s, then `end` (bench/live-serve.ts).
 *
 * Traces (bench/live-traces.ts): mnist-100, mnist-300, scrambled-60, continual (recorded with the
 * examples on first use and cached), the dropout fixture, and a random walk (no serve run).
 * --quick: mnist-100 only; LIVE_BENCH_TRACES=NAME,... any traces. Takes long (pnpm bench runs it
 * only when named); figures are quotable from a quiet machine only.
 *
 *   npx tsx bench/live.ts [--quick]     (or `pnpm bench live [--quick]`)
 */
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { distanceAgreement, fitTransform, IncrementalMphate, initBackend, type Trace } from '@mphate/core';
import { neighbourhoodScores } from './core.ts';
import { serveLatency } from './live-serve.ts';
import { benchTrace, FIXTURE } from './live-traces.ts';
import { stats } from './stats.ts';

const SEED = 42;
const TRACES = ['mnist-100', 'mnist-300', 'scrambled-60', 'continual', FIXTURE, 'rw:100x384x100'];
const QUICK = ['mnist-100'];
/** One slice every 1.5 s: the serve run's pace, and the live engine's frame plus idle time. */
const SERVE_INTERVAL_MS = 1500;
const CHECKPOINTS = [0.25, 0.5, 0.75, 1];

interface LiveRun {
  /** Wall seconds per frame (addSlice + embed). */
  frames: number[];
  cpuPerSlice: number;
  /** Frames that chose t afresh (an era started: new clusters, or epsilon moved), and that built the kernel (new clusters, or no landmarks yet). */
  eraStarts: number;
  rebuilds: number;
  /** Per frame after the first: median displacement of the old points / the frame's extent. */
  displacement: number[];
  /** The live frame at each checkpoint (slices -> coordinates). */
  at: Map<number, Float32Array>;
  seconds: number;
}

/** The first `slices` slices of a trace (a view). */
function firstSlices(trace: Trace, slices: number): Trace {
  const size = trace.units * trace.samples;
  return { ...trace, epochs: slices, data: trace.data.subarray(0, slices * size) };
}

/** Slice counts of the checkpoints. */
function checkpointsOf(T: number): number[] {
  return [...new Set(CHECKPOINTS.map((f) => Math.max(2, Math.round(f * T))))];
}

/** Diagonal of the bounding box of 2-D points. */
function extent(coords: Float32Array): number {
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < coords.length; i += 2) {
    x0 = Math.min(x0, coords[i]!);
    x1 = Math.max(x1, coords[i]!);
    y0 = Math.min(y0, coords[i + 1]!);
    y1 = Math.max(y1, coords[i + 1]!);
  }
  return Math.hypot(x1 - x0, y1 - y0);
}

/** Median distance moved by the points of `previous` (the first points of `next`), over next's extent. */
function displacement(previous: Float32Array, next: Float32Array): number {
  const moved = new Float64Array(previous.length / 2);
  for (let i = 0; i < moved.length; i++)
    moved[i] = Math.hypot(next[2 * i]! - previous[2 * i]!, next[2 * i + 1]! - previous[2 * i + 1]!);
  return stats(Array.from(moved)).median / extent(next);
}

async function liveEngine(trace: Trace, at: number[]): Promise<LiveRun> {
  const { epochs: T, units: n, samples: m } = trace;
  const engine = new IncrementalMphate({ units: n, samples: m }, { seed: SEED });
  const frames: number[] = [];
  const moved: number[] = [];
  const kept = new Map<number, Float32Array>();
  let eraStarts = 0;
  let rebuilds = 0;
  let previous: Float32Array | null = null;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let t = 0; t < T; t++) {
    const start = performance.now();
    engine.addSlice(trace.data.subarray(t * n * m, (t + 1) * n * m));
    const eras = engine.eras;
    const frame = await engine.embed();
    const frameMs = performance.now() - start;
    frames.push(frameMs / 1000);
    await engine.runBackground(Math.max(0, SERVE_INTERVAL_MS - frameMs));
    // as bench/core.ts counts them; new clusters build the kernel
    if (engine.eras > eras) eraStarts++;
    if (frame.timings.kernel !== undefined) rebuilds++;
    if (previous) moved.push(displacement(previous, frame.coordinates));
    previous = frame.coordinates;
    if (at.includes(t + 1)) kept.set(t + 1, frame.coordinates);
  }
  const cpu = process.cpuUsage(cpu0);
  return {
    frames,
    cpuPerSlice: (cpu.user + cpu.system) / 1e6 / T,
    eraStarts,
    rebuilds,
    displacement: moved,
    at: kept,
    seconds: (performance.now() - t0) / 1000,
  };
}

interface Checkpoint {
  slices: number;
  agreement: number;
  batchSeconds: number;
}

/** The live frames at the checkpoints against the batch of the same slices; the scores of the last. */
async function checkpoints(
  trace: Trace,
  live: LiveRun,
): Promise<{ points: Checkpoint[]; liveScores: number[]; batchScores: number[] }> {
  const points: Checkpoint[] = [];
  let lastBatch: Float32Array | null = null;
  for (const [slices, frame] of live.at) {
    const start = performance.now();
    const batch = await fitTransform(firstSlices(trace, slices), { seed: SEED });
    const batchSeconds = (performance.now() - start) / 1000;
    const agreement = distanceAgreement(frame, batch.coordinates, slices * trace.units, 2, 2);
    points.push({ slices, agreement, batchSeconds });
    console.log(
      `  checkpoint ${slices}: agreement ${agreement.toFixed(3)} (batch ${batchSeconds.toFixed(1)} s)`,
    );
    lastBatch = batch.coordinates;
  }
  return {
    points,
    liveScores: neighbourhoodScores(trace, live.at.get(trace.epochs)!),
    batchScores: neighbourhoodScores(trace, lastBatch!),
  };
}

const fixed = (values: number[], digits: number, sep = ' / ') =>
  values.map((v) => v.toFixed(digits)).join(sep);
const load = () => fixed(loadavg(), 2, ' ');

export async function run(quick = process.argv.includes('--quick')): Promise<void> {
  await initBackend();
  // LIVE_BENCH_TRACES=NAME,... picks the traces (recorded names, test/fixtures names, rw:TxNxM)
  const names = process.env.LIVE_BENCH_TRACES?.split(',').filter(Boolean) ?? (quick ? QUICK : TRACES);
  console.log(
    `live benchmark${quick ? ' (--quick)' : ''}, ${new Date().toISOString()}, load average ${load()}\n`,
  );
  const liveRows: string[] = [];
  const checkpointRows: string[] = [];
  const serveRows: string[] = [];
  for (const name of names) {
    const { trace } = await benchTrace(name);
    const { epochs: T, units: n, samples: m } = trace;
    const label = name.replace('rw:', 'walk ');
    console.log(`${label}: ${T} x ${n} x ${m}, live engine ...`);
    const live = await liveEngine(trace, checkpointsOf(T));
    const f = stats(live.frames);
    const d = stats(live.displacement);
    liveRows.push(
      `| ${label} | ${T} x ${n} x ${m} | ${fixed([f.median, f.p95, f.max], 2)} | ${live.cpuPerSlice.toFixed(2)} | ${live.eraStarts} / ${live.rebuilds} of ${T} | ${fixed([d.median, d.p95, d.max], 4)} | ${live.seconds.toFixed(0)} |`,
    );
    console.log(liveRows.at(-1));
    console.log(`${label}: checkpoints (fitTransform of the same slices) ...`);
    const c = await checkpoints(trace, live);
    checkpointRows.push(
      `| ${label} | ${c.points.map((p) => p.slices).join(' / ')} | ${fixed(
        c.points.map((p) => p.agreement),
        3,
      )} | ${fixed(
        c.points.map((p) => p.batchSeconds),
        1,
      )} | ${fixed(c.liveScores, 3)} | ${fixed(c.batchScores, 3)} |`,
    );
    if (name.startsWith('rw:')) continue;
    console.log(`${label}: through mphate serve, a slice every ${SERVE_INTERVAL_MS / 1000} s ...`);
    const s = await serveLatency(trace, name, SEED, SERVE_INTERVAL_MS);
    const l = stats(s.latencies.map((ms) => ms / 1000));
    serveRows.push(
      `| ${label} | ${T} | ${fixed([l.median, l.p95, l.max], 2)} | ${(s.latencies.at(-1)! / 1000).toFixed(2)} | ${(s.finalAfterEnd / 1000).toFixed(1)} | ${s.frames} |`,
    );
    console.log(serveRows.at(-1));
  }
  console.log('\nLive engine (IncrementalMphate, live defaults, seed 42), every slice embedded in turn:\n');
  console.log(
    "| trace | slices x units x samples | frame s, median / p95 / max | CPU-s per slice | frames that started an era / built the kernel | old points' displacement per frame / extent, median / p95 / max | total s |",
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const row of liveRows) console.log(row);
  console.log('\nCheckpoints: the live frame against fitTransform of the same slices (seed 42):\n');
  console.log(
    '| trace | at slices | agreement | batch s | last live intra10 / inter10 / intra40 / inter40 | batch intra10 / inter10 / intra40 / inter40 |',
  );
  console.log('|---|---|---|---|---|---|');
  for (const row of checkpointRows) console.log(row);
  if (serveRows.length > 0) {
    console.log(`\nThrough mphate serve (one slice every ${SERVE_INTERVAL_MS / 1000} s, then end):\n`);
    console.log(
      '| trace | slices | slice-to-frame s, p50 / p95 / max | last slice s | end to final batch s | frames |',
    );
    console.log('|---|---|---|---|---|---|');
    for (const row of serveRows) console.log(row);
  }
  console.log(`\nload average at the end ${load()}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await run();
  process.exit(0);
}
