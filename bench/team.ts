/**
 * `pnpm bench team`: the team deployment under load (docs/deploy.md, "Sizing"). A real
 * PostgreSQL, 2 `mphate serve --queue store` and W `mphate worker` processes
 * (scripts/team-local.ts); S sessions stream for D seconds, a dashboard on each instance
 * counts frames.
 *
 * - The slices are a real recorded training: test/fixtures/dropout-60x384x100.npy (the
 *   paper's MLP with dropout, 60 epochs x 384 units x 100 probe samples) with its loss and
 *   accuracy curves as logs. A run longer than 60 s plays it back and forth (epochs 0..59,
 *   58..0, 1..59, ...): consecutive slices stay neighbours, as in training, with no jump back
 *   to epoch 0; slice numbers keep counting up.
 * - Each session sends through the callback's own transport (@mphate/callback/internal
 *   Transport, what mphateCallback uses): acknowledgements, resends after a lost connection,
 *   and the list of instances (each session starts on one instance, the other is its
 *   fallback). A tap on its socket records when each slice is acknowledged.
 * - Schedule: session i sends slice k (and its epoch record) at t0 + i/S s + k s, on an
 *   absolute clock (slow acknowledgements never delay it: the transport queues). A send more
 *   than 250 ms behind its time (this process's event loop lagging) is counted as late.
 * - Default M-PHATE options (sessions set none), default job rules.
 *
 * Per load: slices sent / acknowledged / stored in PostgreSQL, lost (acknowledged but not
 * stored: must be 0), sessions that got a frame at least every 30 s over the run, frames,
 * slice-to-frame latency p50/p95 (a frame's arrival minus the send of its newest slice), jobs
 * per second (jobs that stored a frame), peak RSS per process, CPU seconds per worker process
 * during the run (from /proc/PID/stat: divide by frames for CPU-s per frame).
 *
 * Environment: BENCH_SESSIONS (100; a comma list such as 20,40,60,100 runs a sweep, one
 * row per load, each on a fresh database and fresh processes), BENCH_SECONDS (60),
 * BENCH_WORKERS (2 worker processes), BENCH_THREADS (1 embedding thread per worker process),
 * BENCH_KILL=1 (kill -9 one worker at half time and start a replacement, as a supervisor
 * would). Every run is bounded: D seconds of streaming, then at most 60 s for the last
 * acknowledgements. BENCH_LOG=DIR keeps each process's output there (the workers'
 * `embedded ... in T ms` lines give each frame's cost). Smoke run: BENCH_SESSIONS=4 BENCH_SECONDS=10 pnpm bench team.
 * Quote numbers only from a quiet machine.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Transport, type TransportOptions } from '@mphate/callback/internal';
import { decodeNpy, encodeSlice, parseIngestReply, type SessionHeader } from '@mphate/protocol';
import { LiveClient } from '../packages/server/test/helpers/clients.js';
import {
  type ChildProcessHandle,
  type LocalPostgres,
  startPostgres,
  startServe,
  startWorker,
} from '../scripts/team-local.js';
import { quantile } from './stats.ts';

const FIXTURE = new URL('../test/fixtures/dropout-60x384x100', import.meta.url).pathname;
/** A send this far behind its time counts as late. */
const LATE_MS = 250;
/** After the last send, how long the run waits for the last acknowledgements. */
const FLUSH_MS = 60_000;
/** The criterion the lead reports: every session gets a frame at least this often. */
const FRAME_EVERY_MS = 30_000;

type Socket = Awaited<ReturnType<NonNullable<TransportOptions['socketFactory']>>>;
// `ws` is a dependency of @mphate/callback, not of the workspace root.
const WS = createRequire(new URL('../packages/callback/package.json', import.meta.url))('ws') as {
  WebSocket: new (
    url: string,
  ) => Socket & { addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void };
};

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

interface Recording {
  epochs: number;
  units: number;
  samples: number;
  data: Float32Array;
  layer: number[];
  logs: Record<string, number[]>;
}

function loadRecording(): Recording {
  const npy = decodeNpy(new Uint8Array(readFileSync(`${FIXTURE}.npy`)));
  const [epochs, units, samples] = npy.shape as [number, number, number];
  const meta = JSON.parse(readFileSync(`${FIXTURE}.meta.json`, 'utf8')) as Record<string, unknown>;
  const logs: Record<string, number[]> = {};
  for (const key of ['loss', 'val_loss', 'acc', 'val_acc']) logs[key] = meta[key] as number[];
  return { epochs, units, samples, data: npy.data as Float32Array, layer: meta.layer as number[], logs };
}

/** Slice k of the run plays epoch: 0..T-1, then T-2..0, then 1..T-1, ... */
function playedEpoch(k: number, epochs: number): number {
  const period = 2 * (epochs - 1);
  const p = k % period;
  return p < epochs ? p : period - p;
}

function headerOf(rec: Recording, name: string): SessionHeader {
  const layers = [...new Set(rec.layer)].sort((a, b) => a - b);
  return {
    id: crypto.randomUUID(),
    name,
    createdAt: Date.now(),
    units: rec.units,
    samples: rec.samples,
    layers: layers.map((l) => {
      const units = rec.layer.filter((x) => x === l).length;
      return { name: `dense_${l + 1}`, className: 'Dense', units, totalUnits: units };
    }),
    every: 'epoch',
  };
}

/** The callback's own socket (`ws`, as the transport opens it), with a listener beside the transport's that sees its text replies. */
function tappedSocket(url: string, tap: (text: string) => void): Socket {
  const ws = new WS.WebSocket(url);
  ws.addEventListener('message', (event) => {
    if (typeof event.data === 'string') tap(event.data);
  });
  return ws;
}

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** user + system CPU seconds of a process (all its threads), from /proc/PID/stat. */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of proc(5) (utime, stime), counted from the state (field 3).
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return 0;
  }
}

/** Peak resident memory of a process (VmHWM), MiB. */
function peakRssMiB(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const peak = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/);
    return peak ? Math.round(Number(peak[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

/** Frames stored by a worker so far: its log has one `embedded ID: N slices ... in T ms` line each. */
const framesLogged = (worker: ChildProcessHandle) =>
  (worker.output().match(/embedded \S+: \d+ slices( \(final\))? in \d+ ms/g) ?? []).length;

interface Process {
  handle: ChildProcessHandle;
  label: string;
  cpuAtStart: number;
  /** CPU seconds and peak RSS when it was killed (a killed process has no /proc entry). */
  final?: { cpu: number; rss: number };
}

interface Row {
  sessions: number;
  seconds: number;
  workers: string;
  sent: number;
  late: number;
  acked: number;
  slowAcks: number;
  stored: number;
  lost: number;
  keptUp: number;
  frames: number;
  p50: number;
  p95: number;
  jobsPerSecond: number;
  serves: Process[];
  workerProcesses: Process[];
  notes: string[];
}

interface Session {
  header: SessionHeader;
  transport: Transport;
  /** Serve index it starts on; its dashboard is on the other. */
  home: number;
  sentAt: number[];
  ackedAt: Map<number, number>;
}

async function runLoad(pg: LocalPostgres, rec: Recording, sessions: number, row: number): Promise<Row> {
  const seconds = env('BENCH_SECONDS', 60);
  const workerCount = env('BENCH_WORKERS', 2);
  const threads = env('BENCH_THREADS', 1);
  const kill = process.env.BENCH_KILL === '1';
  const notes: string[] = [];
  const url = await pg.createDatabase(`bench${row}`);
  const handles: ChildProcessHandle[] = [];
  const clients: Session[] = [];
  const dashboards: LiveClient[] = [];
  try {
    const serveHandles = [await startServe(url), await startServe(url)];
    handles.push(...serveHandles);
    const workers: Process[] = [];
    const addWorker = async (label: string) => {
      const handle = await startWorker(url, ['--workers', String(threads)]);
      handles.push(handle);
      workers.push({ handle, label, cpuAtStart: cpuSeconds(handle.child.pid) });
    };
    for (let i = 0; i < workerCount; i++) await addWorker(`w${i + 1}`);
    const wsOf = (u: string) => u.replace(/^http/, 'ws').replace(/\/$/, '');
    const warnings = new Set<string>();
    for (let i = 0; i < sessions; i++) {
      const header = headerOf(rec, `bench ${i}`);
      const home = i % 2;
      const session: Session = { header, home, sentAt: [], ackedAt: new Map(), transport: undefined! };
      const tap = (text: string) => {
        const reply = parseIngestReply(text);
        if (reply.type === 'ack' && reply.of === 'slice' && !session.ackedAt.has(reply.index!))
          session.ackedAt.set(reply.index!, Date.now());
      };
      session.transport = new Transport({
        server: [wsOf(serveHandles[home]!.url), wsOf(serveHandles[1 - home]!.url)],
        header,
        warn: (m) => warnings.add(m),
        socketFactory: async (u) => tappedSocket(u, tap),
      });
      clients.push(session);
    }
    // Subscribe once each session exists (a dashboard is answered "deleted" for unknown ids).
    const connectBy = Date.now() + 60_000;
    while (clients.some((c) => !c.transport.getStats().connected) && Date.now() < connectBy) await sleep(50);
    dashboards.push(...(await Promise.all(serveHandles.map((s) => LiveClient.connect(s.url)))));
    for (const c of clients) dashboards[1 - c.home]!.subscribe(c.header.id);

    const serves: Process[] = serveHandles.map((handle, i) => ({
      handle,
      label: `s${i + 1}`,
      cpuAtStart: cpuSeconds(handle.child.pid),
    }));
    for (const w of workers) w.cpuAtStart = cpuSeconds(w.handle.child.pid);
    const start = Date.now() + 200;
    const size = rec.units * rec.samples;
    let late = 0;
    const streams = clients.map(async (c, i) => {
      const t0 = start + Math.floor((i / sessions) * 1000);
      for (let k = 0; k < seconds; k++) {
        const due = t0 + k * 1000;
        const wait = due - Date.now();
        if (wait > 0) await sleep(wait);
        const now = Date.now();
        if (now - due > LATE_MS) late++;
        const e = playedEpoch(k, rec.epochs);
        const logs = Object.fromEntries(Object.entries(rec.logs).map(([key, v]) => [key, v[e]!]));
        c.sentAt[k] = now;
        c.transport.sendSlice(
          k,
          encodeSlice({
            slice: k,
            epoch: k,
            batch: null,
            step: k * 20,
            task: null,
            time: now,
            logs,
            units: rec.units,
            samples: rec.samples,
            data: rec.data.subarray(e * size, (e + 1) * size),
          }),
        );
        c.transport.sendEpoch({ index: k, epoch: k, task: null, time: now, logs });
      }
    });
    let killed: Promise<void> = Promise.resolve();
    if (kill) {
      killed = sleep(start + (seconds * 1000) / 2 - Date.now()).then(async () => {
        const victim = workers[0]!;
        victim.final = { cpu: cpuSeconds(victim.handle.child.pid), rss: peakRssMiB(victim.handle.child.pid) };
        victim.handle.kill('SIGKILL');
        await victim.handle.exited;
        notes.push(`${victim.label} killed (SIGKILL) at ${((Date.now() - start) / 1000).toFixed(0)} s`);
        await addWorker(`w${workers.length + 1}`);
        notes.push(`${workers.at(-1)!.label} started in its place`);
      });
    }
    await Promise.all(streams);
    const end = Date.now();
    await killed;
    const elapsed = (end - start) / 1000;
    const computed = workers.reduce((n, w) => n + framesLogged(w.handle), 0);
    for (const p of [...serves, ...workers]) {
      if (!p.final) p.final = { cpu: cpuSeconds(p.handle.child.pid), rss: peakRssMiB(p.handle.child.pid) };
    }
    // The last acknowledgements, bounded.
    const flushed = await Promise.all(clients.map((c) => c.transport.flush(FLUSH_MS)));
    if (flushed.some((ok) => !ok))
      notes.push(
        `${flushed.filter((ok) => !ok).length} sessions still had unacknowledged slices after ${FLUSH_MS / 1000} s`,
      );
    for (const w of warnings) notes.push(`callback: ${w}`);

    let acked = 0;
    let slowAcks = 0;
    for (const c of clients) {
      acked += c.ackedAt.size;
      for (const [k, at] of c.ackedAt) if (at - c.sentAt[k]! > 1000) slowAcks++;
    }
    const storedRows = execFileSync(
      pg.psql,
      ['-At', '-d', url, '-c', 'SELECT session_id, slice FROM slices'],
      {
        encoding: 'utf8',
        maxBuffer: 64 << 20,
      },
    )
      .trim()
      .split('\n')
      .filter(Boolean);
    const stored = new Set(storedRows);
    let lost = 0;
    for (const c of clients) for (const k of c.ackedAt.keys()) if (!stored.has(`${c.header.id}|${k}`)) lost++;

    const latencies: number[] = [];
    let keptUp = 0;
    let frames = 0;
    for (const [i, c] of clients.entries()) {
      const dashboard = dashboards[1 - c.home]!;
      const t0 = start + Math.floor((i / sessions) * 1000);
      const times: number[] = [];
      dashboard.inbox.messages.forEach((m, j) => {
        const at = dashboard.inbox.times[j]!;
        if (m.type !== 'embedding' || m.session !== c.header.id || at > end) return;
        times.push(at);
        const sent = c.sentAt[m.slices - 1];
        if (sent !== undefined) latencies.push(at - sent);
      });
      frames += times.length;
      const gaps = [t0, ...times, end].map((t, j, a) => (j ? t - a[j - 1]! : 0));
      if (Math.max(...gaps) <= FRAME_EVERY_MS) keptUp++;
    }
    return {
      sessions,
      seconds: elapsed,
      workers: `${workerCount} x ${threads}`,
      sent: clients.reduce((n, c) => n + c.sentAt.length, 0),
      late,
      acked,
      slowAcks,
      stored: storedRows.length,
      lost,
      keptUp,
      frames,
      p50: quantile(latencies, 0.5),
      p95: quantile(latencies, 0.95),
      jobsPerSecond: computed / elapsed,
      serves,
      workerProcesses: workers,
      notes,
    };
  } finally {
    for (const c of clients) c.transport.stop();
    for (const d of dashboards) d.close();
    // BENCH_LOG=DIR keeps what each process printed (the workers' "embedded ... in T ms" lines).
    if (process.env.BENCH_LOG)
      for (const [i, p] of handles.entries())
        writeFileSync(join(process.env.BENCH_LOG, `${sessions}-${i}.log`), p.output());
    for (const p of handles) p.kill('SIGKILL');
    await Promise.all(handles.map((p) => p.exited));
  }
}

const HEAD =
  '| sessions | s | workers x threads | slices sent | late sends | acked | acks > 1 s | stored | lost | sessions with a frame every <= 30 s | frames | slice-to-frame p50 / p95 | jobs/s | serve peak RSS MiB | worker peak RSS MiB | worker CPU-s |';

function line(r: Row): string {
  const each = (ps: Process[], f: (p: Process) => string) => ps.map(f).join(' / ');
  return `| ${r.sessions} | ${r.seconds.toFixed(0)} | ${r.workers} | ${r.sent} | ${r.late} | ${r.acked} | ${r.slowAcks} | ${r.stored} | ${r.lost} | ${r.keptUp} | ${r.frames} | ${(r.p50 / 1000).toFixed(1)} s / ${(r.p95 / 1000).toFixed(1)} s | ${r.jobsPerSecond.toFixed(2)} | ${each(r.serves, (p) => String(p.final!.rss))} | ${each(r.workerProcesses, (p) => String(p.final!.rss))} | ${each(r.workerProcesses, (p) => (p.final!.cpu - p.cpuAtStart).toFixed(1))} |`;
}

export async function run(): Promise<void> {
  const loads = (process.env.BENCH_SESSIONS ?? '100')
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
  if (loads.length === 0)
    throw new Error('BENCH_SESSIONS must be a number or a comma list of numbers, e.g. 20,40,60,100');
  const rec = loadRecording();
  console.log(
    `Recorded trace: ${rec.epochs} epochs x ${rec.units} units x ${rec.samples} samples (played back and forth past ${rec.epochs} s); 2 serve instances; acked = slice acknowledgements the callback's transport received; stored = rows in PostgreSQL; lost = acked but not stored; stored counts slices acknowledged after the run's end too.\n`,
  );
  const pg = await startPostgres();
  const rows: Row[] = [];
  try {
    for (const [i, sessions] of loads.entries()) {
      const row = await runLoad(pg, rec, sessions, i);
      rows.push(row);
      console.log(`(${sessions} sessions done${row.notes.length ? `: ${row.notes.join('; ')}` : ''})`);
    }
  } finally {
    pg.stop();
  }
  console.log(`\n${HEAD}`);
  console.log(`|${' --- |'.repeat(HEAD.split('|').length - 2)}`);
  for (const r of rows) console.log(line(r));
  const best = rows
    .filter((r) => r.keptUp === r.sessions && r.lost === 0)
    .reduce<Row | undefined>((a, r) => (a && a.sessions >= r.sessions ? a : r), undefined);
  console.log(
    `\nLargest load in this sweep where every session got a frame at least every ${FRAME_EVERY_MS / 1000} s and nothing was lost: ${best ? `${best.sessions} sessions` : 'none'}. CPU-s per frame = worker CPU-s / frames; sessions per worker core follow from it.`,
  );
}
