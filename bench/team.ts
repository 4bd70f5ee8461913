/**
 * `pnpm bench team`: the team deployment under load (docs/deploy.md, "Sizing"). A real
 * PostgreSQL, 2 `mphate serve --queue store` and W `mphate worker` processes
 * (scripts/team-local.ts); S sessions stream one slice per second each (U units x P samples)
 * into the two instances alternately for D seconds, a dashboard on each instance counts
 * frames. Reports: slices acknowledged vs stored in PostgreSQL, sessions that got a frame at
 * least every 30 s, slice-to-frame latency p50/p95, jobs per second, peak RSS per process.
 *
 * Environment: BENCH_SESSIONS (100), BENCH_SECONDS (60), BENCH_WORKERS (2), BENCH_UNITS (384),
 * BENCH_SAMPLES (100). A smoke run: BENCH_SESSIONS=4 BENCH_SECONDS=10 pnpm bench team.
 * Quote numbers only from a quiet machine.
 */
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  IngestClient,
  LiveClient,
  sessionHeader,
  sliceMeta,
  sliceOf,
  syntheticTrace,
} from '../packages/server/test/helpers/clients.js';
import { type ChildProcessHandle, startPostgres, startServe, startWorker } from '../scripts/team-local.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

function rssMiB(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const status = execFileSync('cat', [`/proc/${pid}/status`], { encoding: 'utf8' });
    const peak = status.match(/VmHWM:\s+(\d+) kB/);
    return peak ? Math.round(Number(peak[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export async function run(): Promise<void> {
  const sessions = env('BENCH_SESSIONS', 100);
  const seconds = env('BENCH_SECONDS', 60);
  const workers = env('BENCH_WORKERS', 2);
  const units = env('BENCH_UNITS', 384);
  const samples = env('BENCH_SAMPLES', 100);
  const pg = await startPostgres();
  const processes: ChildProcessHandle[] = [];
  try {
    const url = await pg.createDatabase('bench');
    const serves = [await startServe(url), await startServe(url)];
    processes.push(...serves);
    const workerProcesses: ChildProcessHandle[] = [];
    for (let i = 0; i < workers; i++) workerProcesses.push(await startWorker(url, ['--workers', '1']));
    processes.push(...workerProcesses);
    const dashboards = await Promise.all(serves.map((s) => LiveClient.connect(s.url)));
    const trace = syntheticTrace(seconds, units, samples, 1);
    const clients: { client: IngestClient; id: string }[] = [];
    for (let i = 0; i < sessions; i++) {
      const header = sessionHeader({ units, samples, name: `bench ${i}` });
      const client = await IngestClient.connect(serves[i % 2]!.url, header);
      dashboards[i % 2]!.subscribe(header.id);
      clients.push({ client, id: header.id });
    }
    const sentAt = new Map<string, number[]>();
    let acked = 0;
    const start = Date.now();
    for (let s = 0; s < seconds; s++) {
      const tick = Date.now();
      await Promise.all(
        clients.map(async ({ client, id }) => {
          (sentAt.get(id) ?? sentAt.set(id, []).get(id)!).push(Date.now());
          await client.slice(sliceMeta(s), sliceOf(trace, s, units, samples), units, samples);
          acked++;
        }),
      );
      const wait = 1000 - (Date.now() - tick);
      if (wait > 0) await sleep(wait);
    }
    const elapsed = (Date.now() - start) / 1000;
    // Frames: slice-to-frame latency is the frame's arrival minus the send of its newest slice.
    const latencies: number[] = [];
    let keptUp = 0;
    let frames = 0;
    for (const { id } of clients) {
      const dashboard = dashboards[clients.findIndex((c) => c.id === id) % 2]!;
      const got = dashboard.inbox.messages
        .map((m, i) => ({ m, at: dashboard.inbox.times[i] }))
        .filter(({ m }) => m.type === 'embedding' && m.session === id);
      frames += got.length;
      const times = got.map(({ at }) => at ?? Date.now());
      const gaps = [start, ...times, start + elapsed * 1000].map((t, i, a) => (i ? t - a[i - 1]! : 0));
      if (Math.max(...gaps) <= 30_000) keptUp++;
      for (const { m, at } of got) {
        const sent = sentAt.get(id)?.[(m as { slices: number }).slices - 1];
        if (sent && at) latencies.push(at - sent);
      }
    }
    const sql = (query: string) =>
      Number(execFileSync(pg.psql, ['-At', '-d', url, '-c', query], { encoding: 'utf8' }).trim());
    const stored = sql('SELECT count(*) FROM slices');
    const jobs = sql("SELECT count(*) FROM pgboss.job WHERE state = 'completed'");
    console.log(
      `| sessions | seconds | workers | slices acked | slices stored | sessions with a frame every <=30 s | frames | latency p50 / p95 | jobs/s |`,
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    console.log(
      `| ${sessions} | ${elapsed.toFixed(0)} | ${workers} | ${acked} | ${stored} | ${keptUp} | ${frames} | ${(quantile(latencies, 0.5) / 1000).toFixed(1)} s / ${(quantile(latencies, 0.95) / 1000).toFixed(1)} s | ${(jobs / elapsed).toFixed(2)} |`,
    );
    console.log(
      `peak RSS: serve ${serves.map((s) => rssMiB(s.child.pid)).join(', ')} MiB; workers ${workerProcesses.map((w) => rssMiB(w.child.pid)).join(', ')} MiB`,
    );
    for (const { client } of clients) client.close();
    for (const d of dashboards) d.close();
  } finally {
    for (const p of processes) p.kill('SIGKILL');
    await Promise.all(processes.map((p) => p.exited));
    pg.stop();
  }
}
