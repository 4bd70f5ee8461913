/**
 * Import worker thread: decodes, validates and stores uploaded snapshots and .npy traces off
 * the server's event loop (checksums, finite scans and the import transaction of a large
 * file take seconds). It has its own connection to the session store (SQLite WAL lets both
 * write); imports run one at a time, in arrival order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errorKind } from '@mphate/protocol';
import type { CostLimits } from './defaults.js';
import { SessionStore } from './session-store.js';
import { importBytes, type NpyImportOptions } from './snapshots.js';

export interface ImportRequest {
  job: number;
  bytes: Uint8Array;
  options: NpyImportOptions;
}

export type ImportReply =
  | { job: number; id: string }
  | { job: number; error: string; kind: ReturnType<typeof errorKind> | undefined };

if (!parentPort) throw new Error('import-worker.js must run in a worker thread');
const port = parentPort;
const { dataDir, limits } = workerData as { dataDir: string; limits: CostLimits };
// An import may wait for the server's writes; it is off the event loop, so it can wait longer.
const store = new SessionStore(dataDir, { busyTimeoutMs: 10_000 });

let chain: Promise<void> = Promise.resolve();
port.on('message', (request: ImportRequest) => {
  chain = chain.then(async () => {
    try {
      const id = await importBytes(store, request.bytes, request.options, limits);
      port.postMessage({ job: request.job, id } satisfies ImportReply);
    } catch (error) {
      const kind = errorKind(error);
      const message =
        error instanceof Error ? (kind ? error.message : (error.stack ?? error.message)) : String(error);
      port.postMessage({ job: request.job, error: message, kind } satisfies ImportReply);
    }
  });
});
