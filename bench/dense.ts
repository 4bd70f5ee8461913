/**
 * Micro-benchmark of the dense embedding stages of packages/core on a synthetic diffusion
 * operator of size M (default 4000, the landmark count): a kNN-like kernel on random walks,
 * squared so it is dense and positive semi-definite like the landmark operator.
 *
 *   npx tsx bench/dense.ts [M]      (or through bench/index.ts: `pnpm bench dense`)
 *
 * Prints one row per stage: the spectrum and t ('entropy'), Q^t ('power'), the potential and
 * its row distances, classic MDS, SGD MDS (30 sweeps) and the Procrustes alignment, plus the
 * matMul throughput of the active tfjs backend.
 */
import { pathToFileURL } from 'node:url';
import {
  backendName,
  classicMds,
  initBackend,
  matMul,
  operatorSpectrum,
  potential,
  powerBySquaring,
  powerFromSpectrum,
  procrustes,
  Random,
  rowDistances,
  sgdMds,
  spectrumT,
  truncationBound,
} from '@mphate/core/internal';
import { syntheticOperator } from '../packages/core/test/helpers/dense.js';

export interface DenseBenchRow {
  stage: string;
  /** Wall-clock seconds. */
  seconds: number;
  /** CPU seconds of this process (user + system): what the stage costs on an idle core, since
   * everything here runs on one thread; robust when other jobs share the machine. */
  cpuSeconds: number;
  note: string;
}

async function time<T>(
  rows: DenseBenchRow[],
  stage: string,
  f: () => Promise<T> | T,
  note?: (r: T) => string,
): Promise<T> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = await f();
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const cpuSeconds = (c.user + c.system) / 1e6;
  rows.push({ stage, seconds, cpuSeconds, note: note ? note(r) : '' });
  console.log(
    `${stage.padEnd(28)} ${seconds.toFixed(2).padStart(8)} s wall ${cpuSeconds.toFixed(2).padStart(8)} s cpu  ${note ? note(r) : ''}`,
  );
  return r;
}

export async function run(size = Number(process.env.DENSE_BENCH_M ?? 4000)): Promise<DenseBenchRow[]> {
  const rows: DenseBenchRow[] = [];
  await initBackend();
  console.log(`backend ${backendName()}, M = ${size}`);
  // matMul throughput
  const n = 2000;
  const r0 = new Random(1);
  const a = Float32Array.from({ length: n * n }, () => r0.normal());
  await matMul(a.subarray(0, 64 * 64), a.subarray(0, 64 * 64), 64, 64, 64);
  await time(
    rows,
    `matMul ${n}^3 (float32)`,
    () => matMul(a, a, n, n, n),
    () => '',
  );
  const last = rows[rows.length - 1];
  last.note = `${((2 * n ** 3) / last.seconds / 1e9).toFixed(1)} GFLOP/s wall, ${((2 * n ** 3) / last.cpuSeconds / 1e9).toFixed(1)} GFLOP/s per cpu second`;
  console.log(`  -> ${last.note}`);

  const op = await time(rows, 'synthetic operator (setup)', () =>
    syntheticOperator(size, { seed: 1, landmarkLike: true }),
  );
  const random = new Random(42);
  const spectrum = await time(
    rows,
    'entropy: spectrum + t',
    () => operatorSpectrum(op, random, { withTail: true }),
    (s) => `${s.exact ? 'exact' : `${s.values.length} Ritz pairs, all deflated`}`,
  );
  const t = spectrumT(spectrum);
  console.log(
    `  -> t = ${t}, truncation bound |λ_last|^t = ${truncationBound(spectrum, t).toExponential(2)}`,
  );
  const qt = await time(rows, 'power: Q^t from spectrum', () => powerFromSpectrum(op, spectrum, t));
  if (size <= 2000) await time(rows, 'power: Q^t by squaring', () => powerBySquaring(op, t));
  const u = await time(rows, 'potential (gamma 0)', () => potential(qt, 0));
  const dist = await time(rows, 'potential distances', () => rowDistances(u, size, size));
  if (size <= 4000) {
    // precision of the float32 Gram path against Float64 on a sample of rows
    let worst = 0;
    for (let i = 0; i < size; i += Math.ceil(size / 50))
      for (let j = 0; j < size; j++) {
        let s = 0;
        for (let k = 0; k < size; k++) s += (u[i * size + k] - u[j * size + k]) ** 2;
        worst = Math.max(worst, Math.abs(Math.sqrt(s) - dist[i * size + j]));
      }
    console.log(`  -> max |D_U error| on 50 sampled rows: ${worst.toExponential(2)}`);
  }
  const init = await time(rows, 'classic MDS', () => classicMds(dist, size, 2, random));
  const y = await time(rows, 'SGD MDS (30 sweeps)', () => sgdMds(dist, size, init, 2, random));
  if (y) await time(rows, 'Procrustes to classic', () => procrustes(init, y, size, 2));
  const total = rows.filter(
    (r) => !r.stage.startsWith('matMul') && !r.stage.includes('setup') && !r.stage.includes('squaring'),
  );
  const wall = total.reduce((s, r) => s + r.seconds, 0);
  const cpu = total.reduce((s, r) => s + r.cpuSeconds, 0);
  console.log(
    `${'total (entropy..Procrustes)'.padEnd(28)} ${wall.toFixed(2).padStart(8)} s wall ${cpu.toFixed(2).padStart(8)} s cpu`,
  );
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const m = process.argv[2] ? Number(process.argv[2]) : undefined;
  await run(m);
}
