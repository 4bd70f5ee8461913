/**
 * `mphate worker`: takes embedding jobs from the queue (job-queue.ts) on any machine that
 * reaches the PostgreSQL store, computes them in its own worker threads and stores the
 * result; the serve instances learn of it over the event bus and push it to dashboards.
 *
 * What a worker keeps between a session's jobs (its IncrementalMphate in a worker thread) is
 * only a cache: the Embedder checks that what it posted is a prefix of the stored slices, and
 * a session that lands on a worker without it (or with a stale one) is rebuilt from the store
 * (every slice's intraslice block and distances again: for 100 slices x 384 units, about the
 * cost of a batch embedding once, then incremental again).
 */
import { type MphateOptionsJson, validateMphateOptions } from '@mphate/protocol';
import { type CostLimits, SERVER_DEFAULTS } from './defaults.js';
import { Embedder } from './embedder.js';
import { EventBus } from './event-bus.js';
import { JobQueue } from './job-queue.js';
import { PgStore } from './pg-store.js';
import { defaultPoolSize, WorkerPool } from './worker-pool.js';

export interface QueueWorkerOptions {
  storeUrl: string;
  /** The queue's PostgreSQL (default: the store's). */
  queueUrl?: string;
  /** Embedding threads, and so jobs at once. */
  workers?: number;
  mphate?: MphateOptionsJson;
  limits?: Partial<CostLimits>;
  jobDeadline?: { baseMs: number; msPerWork: number };
  log?: (message: string) => void;
}

export interface RunningWorker {
  close(): Promise<void>;
}

export async function startQueueWorker(options: QueueWorkerOptions): Promise<RunningWorker> {
  const D = SERVER_DEFAULTS;
  const log = options.log ?? (() => {});
  const limits: CostLimits = { ...D.limits, ...options.limits };
  const defaults = validateMphateOptions(options.mphate ?? {}, 'mphate defaults');
  const deadline = options.jobDeadline ?? { baseMs: D.jobBaseDeadlineMs, msPerWork: D.jobMsPerUnitOfWork };
  const store = await PgStore.open(options.storeUrl);
  const bus = await EventBus.open(options.queueUrl ?? options.storeUrl, log);
  const queue = await JobQueue.open(options.queueUrl ?? options.storeUrl, queueOptions(deadline), log);
  let embedder: Embedder | undefined;
  // as many batch workers as jobs at once: a queue worker runs any mix of live and batch jobs
  const workers = options.workers ?? defaultPoolSize();
  const pool = new WorkerPool(workers, (id) => embedder?.lost(id), log, workers);
  embedder = new Embedder(
    store,
    pool,
    {
      progress: (s, phase, fraction, slices, final) =>
        bus.publish({ e: 'progress', s, phase, fraction, slices, final }),
      embedding: (s) => bus.publish({ e: 'embedding', s }),
      sessionChanged: (s) => bus.publish({ e: 'changed', s }),
    },
    defaults,
    log,
    limits,
    deadline,
  );
  const theEmbedder = embedder;
  await queue.work(pool.size, async (id) => {
    try {
      await theEmbedder.compute(id);
    } catch (error) {
      log(`embedding of ${id} failed: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
  });
  const reaper = setInterval(() => {
    queue.reap(REAP_GRACE_SECONDS).then(
      (orphans) => {
        for (const id of orphans) log(`session ${id}: its worker was lost mid-job; requested again`);
      },
      () => {},
    );
  }, REAP_INTERVAL_MS);
  log(`worker ready: ${pool.size} embedding threads, store ${store.description}`);
  return {
    close: async () => {
      clearInterval(reaper);
      await queue.close();
      await pool.close();
      await bus.close();
      await store.close();
    },
  };
}

/** A job's lock is taken within milliseconds of its fetch: an active job older than this without one is an orphan. */
const REAP_GRACE_SECONDS = 5;
const REAP_INTERVAL_MS = 3000;

/** pg-boss expires a job at the cost model's largest deadline; `reap` recovers a killed worker's job much sooner. */
export function queueOptions(deadline: { baseMs: number }) {
  return { expireInSeconds: Math.ceil(deadline.baseMs / 1000) + 3600, retryLimit: 3 };
}
