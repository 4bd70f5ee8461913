/**
 * Core's second core: independent heavy tasks run on worker threads (Node), the first of a
 * batch always on the calling thread. The workers start on first use, stay for later calls and
 * never keep the process alive (unref). Where worker_threads is missing (a browser bundle) or
 * MPHATE_THREADS=1, every task runs on the calling thread, one after the other: the results
 * are the same either way, only the wall time differs.
 *
 * A task is a named pure function of structured-cloneable arguments, listed once in
 * thread-tasks.ts; the worker (thread-worker.ts) runs the same function. Bulk inputs go in
 * SharedArrayBuffer-backed arrays, so no copy is made; results come back in shared copies
 * (thread-worker.ts: a transfer would slow the worker's loops).
 */
type WorkerLike = {
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
  on(event: 'message', listener: (message: WorkerReply) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  on(event: 'exit', listener: (code: number) => void): void;
  ref(): void;
  unref(): void;
  terminate(): Promise<number>;
};

interface WorkerReply {
  id: number;
  result?: unknown;
  error?: string;
}

interface Slot {
  worker: WorkerLike;
  gone?: WorkerGone;
  pending: Map<number, { resolve: (r: unknown) => void; reject: (e: Error) => void }>;
}

let slots: Promise<Slot[]> | undefined;
let nextId = 1;

/** Tasks run so far, by where (a worker that could not run one sends it back here: `fallback`). */
export const threadTaskCounts = { local: 0, worker: 0, fallback: 0 };

class WorkerGone extends Error {}

/** Threads used for a batch of tasks (the calling one included). */
export async function threadCount(): Promise<number> {
  return (await workers()).length + 1;
}

/**
 * Runs the task `name` (the function `run`, listed under that name in thread-tasks.ts) on each
 * of `argsList` and resolves with the results in order. Task i goes to thread i mod threads,
 * thread 0 being the calling one: each worker gets all its tasks at once, so it never waits for
 * the calling thread (busy with its own tasks) to hand it the next. Callers give tasks of about
 * equal cost. The tasks of a worker that fails (it died, or its script cannot load) run on the
 * calling thread instead; a task that throws rejects the whole call.
 */
export async function runOnThreads<A, R>(
  name: string,
  argsList: A[],
  run: (args: A) => R | Promise<R>,
): Promise<R[]> {
  const pool = argsList.length > 1 ? await workers() : [];
  const threads = pool.length + 1;
  const results = new Array<R>(argsList.length);
  const remote = pool.map(async (slot, w) => {
    const mine = argsList.map((_, i) => i).filter((i) => i % threads === w + 1);
    // every task posted now; the replies come back in order
    const replies = mine.map((i) => post(slot, name, argsList[i]));
    // a later reply may fail before it is awaited: handled here, seen again where awaited
    for (const r of replies) r.catch(() => {});
    for (const [k, i] of mine.entries()) {
      try {
        results[i] = (await replies[k]) as R;
        threadTaskCounts.worker++;
      } catch (e) {
        if (!(e instanceof WorkerGone)) throw e; // the task itself failed
        threadTaskCounts.fallback++;
        results[i] = await run(argsList[i]!); // this worker is gone: its task runs here
      }
    }
  });
  // the workers' tasks are posted (post runs up to its first await): run this thread's alongside
  for (let i = 0; i < argsList.length; i += threads) {
    results[i] = await run(argsList[i]!);
    threadTaskCounts.local++;
  }
  await Promise.all(remote);
  return results;
}

/**
 * Runs `lead` on the calling thread while the task `name` runs beside it on a worker, the two
 * working in lockstep through shared memory (lockstep.ts): `lead(true)`. Without a worker,
 * `lead(false)` does the whole work. The lead stops the task when it ends; a worker that dies
 * mid-way is noticed by the lead's timeout, and the lead takes its part over.
 */
export async function runBeside<A, T>(
  name: string,
  args: A,
  lead: (beside: boolean) => Promise<T>,
): Promise<T> {
  const slot = (await workers())[0];
  if (!slot) return lead(false);
  const task = post(slot, name, args);
  task.catch(() => {}); // a failed follower is the lead's timeout to handle
  const out = await lead(true);
  await task.catch(() => undefined); // it returns as soon as the lead has stopped it
  threadTaskCounts.worker++;
  return out;
}

function post(slot: Slot, task: string, args: unknown): Promise<unknown> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    if (slot.gone) return reject(slot.gone);
    // a worker with work keeps the process alive; an idle one does not
    if (slot.pending.size === 0) slot.worker.ref();
    slot.pending.set(id, {
      resolve: (r) => {
        if (slot.pending.size === 0) slot.worker.unref();
        resolve(r);
      },
      reject,
    });
    slot.worker.postMessage({ id, task, args });
  });
}

/**
 * Called by core's own worker threads (thread-worker.ts): a task that runs smaller batches of
 * tasks runs them in its own thread, never on a nested pool.
 */
export function runTasksHere(): void {
  slots = Promise.resolve([]);
}

/** The worker threads (cores - 1, at most 7), started once; [] where there are none. */
function workers(): Promise<Slot[]> {
  slots ??= start().catch(() => []);
  return slots;
}

async function start(): Promise<Slot[]> {
  if (typeof process === 'undefined' || typeof process.versions?.node !== 'string') return [];
  const wanted = process.env.MPHATE_THREADS ? Number(process.env.MPHATE_THREADS) : undefined;
  const { availableParallelism } = await import('node:os');
  const { Worker } = await import('node:worker_threads');
  const count = Math.min(7, Math.max(0, Math.floor((wanted ?? availableParallelism()) - 1)));
  const url = new URL('../thread-worker.js', import.meta.url);
  const made: Slot[] = [];
  for (let i = 0; i < count; i++) {
    const worker = new Worker(url) as unknown as WorkerLike;
    const slot: Slot = { worker, pending: new Map() };
    worker.on('message', (reply) => {
      const p = slot.pending.get(reply.id);
      if (!p) return;
      slot.pending.delete(reply.id);
      if (reply.error !== undefined) p.reject(new Error(`core worker thread: ${reply.error}`));
      else p.resolve(reply.result);
    });
    const fail = (error: WorkerGone): void => {
      slot.gone ??= error;
      for (const p of slot.pending.values()) p.reject(error);
      slot.pending.clear();
      // a dead worker is not reused: the next batch starts a fresh pool
      slots = undefined;
    };
    worker.on('error', (e) => fail(new WorkerGone(`core worker thread failed: ${e.message}`)));
    worker.on('exit', (code) => fail(new WorkerGone(`core worker thread exited with code ${code}`)));
    worker.unref();
    made.push(slot);
  }
  return made;
}
