/**
 * Server benchmark: ingest throughput (slices/s of 384 units x 100 samples, embedding off, so
 * only validation + SQLite commit + ack is measured), and the time from a slice received to
 * its coordinates pushed to a dashboard at T = 100 and T = 300 slices of 384 units.
 *
 *   npx tsx bench/server.ts        (or through bench/index.ts: `pnpm bench`)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startServer } from '@mphate/server';
import {
  IngestClient,
  LiveClient,
  sessionHeader,
  sliceMeta,
  syntheticTrace,
} from '../packages/server/test/helpers/clients.js';

const UNITS = 384;
const SAMPLES = 100;

export interface ServerBenchResult {
  ingestSlicesPerSecond: number;
  ingestMegabytesPerSecond: number;
  /** ms from sending slice T to receiving the live frame covering T slices. */
  sliceToPushMs: Record<number, number>;
}

/** Sends `count` slices with at most `window` unacknowledged; resolves when all are acknowledged. */
async function pump(
  client: IngestClient,
  trace: Float32Array,
  pool: number,
  first: number,
  count: number,
  window = 64,
) {
  const size = UNITS * SAMPLES;
  let next = first;
  const end = first + count;
  while (next < end) {
    const upTo = Math.min(end, next + window);
    for (let s = next; s < upTo; s++) {
      const k = s % pool;
      client.sendSlice(sliceMeta(s), trace.subarray(k * size, (k + 1) * size), UNITS, SAMPLES);
    }
    await client.ackOf('slice', upTo - 1, 120_000);
    next = upTo;
  }
}

export async function ingestThroughput(): Promise<{ slicesPerSecond: number; megabytesPerSecond: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mphate-bench-'));
  const server = await startServer({ port: 0, dataDir, embedding: false });
  try {
    const header = sessionHeader({ units: UNITS, samples: SAMPLES });
    const trace = syntheticTrace(16, UNITS, SAMPLES, 1);
    const client = await IngestClient.connect(server.url, header);
    await pump(client, trace, 16, 0, 50); // warm-up
    const count = 600;
    const start = performance.now();
    await pump(client, trace, 16, 50, count);
    const seconds = (performance.now() - start) / 1000;
    client.close();
    return {
      slicesPerSecond: count / seconds,
      megabytesPerSecond: (count * UNITS * SAMPLES * 4) / 2 ** 20 / seconds,
    };
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function sliceToPush(targets: number[]): Promise<Record<number, number>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mphate-bench-'));
  const server = await startServer({ port: 0, dataDir });
  const out: Record<number, number> = {};
  try {
    const header = sessionHeader({ units: UNITS, samples: SAMPLES, mphate: { seed: 1 } });
    const trace = syntheticTrace(Math.max(...targets), UNITS, SAMPLES, 2);
    const pool = Math.max(...targets);
    const client = await IngestClient.connect(server.url, header);
    const dashboard = await LiveClient.connect(server.url);
    dashboard.subscribe(header.id);
    let sent = 0;
    for (const T of targets) {
      // Bring the session to T - 1 slices and let the live embedding catch up.
      await pump(client, trace, pool, sent, T - 1 - sent);
      sent = T - 1;
      await dashboard.embedding(header.id, (e) => e.slices === T - 1, 600_000);
      await server.idle(header.id);
      const start = performance.now();
      client.sendSlice(
        sliceMeta(T - 1),
        trace.subarray((T - 1) * UNITS * SAMPLES, T * UNITS * SAMPLES),
        UNITS,
        SAMPLES,
      );
      await dashboard.embedding(header.id, (e) => e.slices === T, 600_000);
      out[T] = performance.now() - start;
      sent = T;
      console.log(
        `  slice ${T} received -> coordinates of ${T} x ${UNITS} points pushed: ${out[T]!.toFixed(0)} ms`,
      );
    }
    client.close();
    dashboard.close();
    return out;
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function run(): Promise<ServerBenchResult> {
  console.log(`server: ingest of ${UNITS} x ${SAMPLES} slices (embedding off)`);
  const ingest = await ingestThroughput();
  console.log(
    `  ${ingest.slicesPerSecond.toFixed(0)} slices/s (${ingest.megabytesPerSecond.toFixed(1)} MiB/s), validated, committed, acknowledged`,
  );
  console.log(
    `server: slice -> push latency, ${UNITS} units x ${SAMPLES} samples, incremental M-PHATE in a worker`,
  );
  const latency = await sliceToPush([100, 300]);
  console.log('\n| measure | value |\n|---|---|');
  console.log(
    `| ingest, ${UNITS} x ${SAMPLES} slices, embedding off | ${ingest.slicesPerSecond.toFixed(0)} slices/s |`,
  );
  for (const [T, ms] of Object.entries(latency)) {
    console.log(
      `| slice received -> coordinates pushed, T = ${T}, ${UNITS} units | ${(ms / 1000).toFixed(1)} s |`,
    );
  }
  return {
    ingestSlicesPerSecond: ingest.slicesPerSecond,
    ingestMegabytesPerSecond: ingest.megabytesPerSecond,
    sliceToPushMs: latency,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await run();
  console.log(JSON.stringify(result));
}
