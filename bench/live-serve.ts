/**
 * `pnpm bench live`, through the server: a real `mphate serve` (the CLI, its own process, on
 * loopback with a temporary data folder) receives a trace one slice every 1.5 s as a callback
 * sends it, then `end`; a dashboard client subscribed to the session times every frame pushed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Trace } from '@mphate/core';
import type { EmbeddingMessage } from '@mphate/protocol';
import {
  IngestClient,
  LiveClient,
  sessionHeader,
  sliceMeta,
  sliceOf,
} from '../packages/server/test/helpers/clients.js';

const BIN = fileURLToPath(new URL('../packages/cli/dist/bin.js', import.meta.url));
/** How long the final batch may take before the run gives up (a 300-slice batch on a loaded machine). */
const FINAL_TIMEOUT_MS = 30 * 60_000;

export interface ServeResult {
  /** Per slice, ms from its send to the first frame covering it (live or final). */
  latencies: number[];
  /** ms from `end` to the final batch frame. */
  finalAfterEnd: number;
  /** Frames pushed, the final one included. */
  frames: number;
}

/** Starts `mphate serve --port 0` in a child process; resolves with its URL once it listens. */
async function startServe(
  dataDir: string,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (d) => {
    output += String(d);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      const match = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) =>
      reject(new Error(`mphate serve exited (${code}) before listening: ${output}`)),
    );
  });
  return { child, url, output: () => output };
}

/** Streams `trace` into a real server at one slice per `intervalMs`, then ends the session. */
export async function serveLatency(
  trace: Trace,
  name: string,
  seed: number,
  intervalMs = 1500,
): Promise<ServeResult> {
  const { epochs: T, units, samples } = trace;
  const dir = mkdtempSync(join(tmpdir(), 'mphate-bench-live-'));
  const serve = await startServe(join(dir, 'data'));
  const header = sessionHeader({ units, samples, name: `bench live ${name}`, mphate: { seed } });
  let ingest: IngestClient | undefined;
  let dashboard: LiveClient | undefined;
  try {
    ingest = await IngestClient.connect(serve.url, header);
    dashboard = await LiveClient.connect(serve.url);
    dashboard.subscribe(header.id);
    const sent: number[] = [];
    const start = Date.now();
    for (let s = 0; s < T; s++) {
      const wait = start + s * intervalMs - Date.now();
      if (wait > 0) await sleep(wait);
      sent.push(Date.now());
      await ingest.slice(sliceMeta(s), sliceOf(trace.data, s, units, samples), units, samples);
      await ingest.epoch(s, {});
    }
    // as the callback does at the end of fit: right after the last epoch
    const endAt = Date.now();
    await ingest.end(T, T);
    await dashboard.embedding(header.id, (e) => e.final, FINAL_TIMEOUT_MS);
    const inbox = dashboard.inbox;
    const frames = inbox.messages.flatMap((m, i) =>
      m.type === 'embedding' && m.session === header.id
        ? [{ at: inbox.times[i]!, m: m as EmbeddingMessage }]
        : [],
    );
    const latencies = sent.map((at, s) => {
      const first = frames.find((f) => f.m.slices >= s + 1);
      return first ? first.at - at : Number.NaN;
    });
    const final = frames.find((f) => f.m.final)!;
    return { latencies, finalAfterEnd: final.at - endAt, frames: frames.length };
  } catch (error) {
    throw new Error(`${(error as Error).message}\nmphate serve said: ${serve.output().slice(-2000)}`);
  } finally {
    ingest?.close();
    dashboard?.close();
    if (serve.child.exitCode === null) {
      const exited = new Promise((r) => serve.child.once('exit', r));
      serve.child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
