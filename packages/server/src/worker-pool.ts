/**
 * A pool of embedding workers (worker_threads): live workers, sized to the cores minus one (at
 * least one) so the event loop keeps a core, and batch workers (one for a serve instance),
 * started as batches come.
 * A session is pinned to one live worker while it is live (its IncrementalMphate lives there);
 * batch jobs (final batches, re-embeds, method embeddings) go to the batch worker, so a final
 * batch that runs for a minute never holds up other sessions' live frames: they share the
 * cores with it instead (a batch spreads over both cores by itself, through core's threads).
 *
 * Each worker runs one job at a time; the pool keeps the rest queued here, so a job that is
 * cancelled (its session deleted) or past its deadline before it starts is simply dropped, and
 * one that is running is stopped by terminating its worker (JavaScript cannot interrupt it
 * otherwise). A worker that dies or is terminated is replaced; the live states it held are
 * reported lost, so their next jobs start over.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { MphateError } from '@mphate/protocol';
import type { BatchJob, EmbedResult, LiveJob, WorkerReply, WorkerRequest } from './worker-messages.js';

export type JobProgress = (phase: string, fraction: number) => void;

/** How a job may be stopped: its session's AbortSignal and a deadline in ms once it runs. */
export interface JobControl {
  signal?: AbortSignal | undefined;
  deadlineMs?: number | undefined;
  onProgress?: JobProgress | undefined;
}

interface Job {
  request: LiveJob | BatchJob;
  transfer: ArrayBuffer[];
  control: JobControl;
  resolve: (result: EmbedResult) => void;
  reject: (error: Error) => void;
  timer?: NodeJS.Timeout;
  onAbort?: () => void;
}

interface Slot {
  worker: Worker;
  queue: Job[];
  running: Job | undefined;
  sessions: Set<string>;
}

/**
 * Threads the core may use inside each embedding worker (core's linalg/thread-pool.ts): the
 * cores, less `spare`, shared out over the lane's workers, at least one each; MPHATE_THREADS,
 * when set, caps it. Live workers leave one core spare: on a laptop the training runs beside the
 * server, so its one live worker keeps to one thread (the live engine's budget is one core),
 * while its batch worker, whose final batches come when a training has ended, uses both.
 */
export function coreThreadsPerWorker(cores: number, workers: number, cap?: string, spare = 0): number {
  const share = Math.max(1, Math.floor((cores - spare) / Math.max(1, workers)));
  const limit = Number(cap);
  return cap !== undefined && Number.isInteger(limit) && limit >= 1 ? Math.min(limit, share) : share;
}

export function defaultPoolSize(): number {
  return Math.max(1, availableParallelism() - 1);
}

export class WorkerPool {
  /** The live workers. */
  private readonly slots: Slot[] = [];
  /** The batch worker ([] until the first batch job). */
  private readonly batchSlots: Slot[] = [];
  private readonly assigned = new Map<string, Slot>();
  private nextJob = 1;
  private closed = false;

  constructor(
    readonly size = defaultPoolSize(),
    /** Called when a session's live state vanished with its worker; the next live job must reset. */
    private readonly onLost: (session: string) => void = () => {},
    /** Warnings from a worker (e.g. a session fell back to batch embedding). */
    private readonly onWarning: (message: string) => void = () => {},
    /** Batch workers, started as batches come (a serve instance: 1; `mphate worker`: its --workers). */
    private readonly batchWorkers = 1,
    private readonly workerUrl = new URL('./embed-worker.js', import.meta.url),
  ) {
    for (let i = 0; i < Math.max(1, size); i++) this.slots.push(this.spawn('live'));
  }

  private spawn(lane: 'live' | 'batch'): Slot {
    const slot: Slot = {
      worker: new Worker(this.workerUrl, {
        env: { ...process.env, MPHATE_THREADS: String(this.coreThreads(lane)) },
      }),
      queue: [],
      running: undefined,
      sessions: new Set(),
    };
    slot.worker.on('message', (reply: WorkerReply) => this.onReply(slot, reply));
    slot.worker.on('error', (error) => this.onDeath(slot, error));
    slot.worker.on('exit', (code) =>
      this.onDeath(slot, new Error(`embedding worker exited with code ${code}`)),
    );
    // Idle workers must not keep the process alive; jobs in flight are awaited by their callers.
    slot.worker.unref();
    return slot;
  }

  private coreThreads(lane: 'live' | 'batch'): number {
    const cap = process.env.MPHATE_THREADS;
    return lane === 'live'
      ? coreThreadsPerWorker(availableParallelism(), this.size, cap, 1)
      : coreThreadsPerWorker(availableParallelism(), this.batchWorkers, cap);
  }

  private onReply(slot: Slot, reply: WorkerReply): void {
    if (reply.type === 'ready') return;
    if (reply.type === 'warning') {
      this.onWarning(reply.message);
      return;
    }
    const job = slot.running;
    if (!job || job.request.job !== reply.job) return;
    if (reply.type === 'progress') {
      job.control.onProgress?.(reply.phase, reply.fraction);
      return;
    }
    this.finish(slot, job);
    if (reply.type === 'done') job.resolve(reply.result);
    else job.reject(new Error(reply.error));
    this.next(slot);
  }

  /** A worker died or was terminated: fail its running job, forget its live states, replace it. */
  private onDeath(slot: Slot, error: Error): void {
    const lane = this.slots.includes(slot) ? this.slots : this.batchSlots;
    const index = lane.indexOf(slot);
    if (index < 0) return; // already replaced (error is followed by exit)
    const running = slot.running;
    if (running) {
      this.finish(slot, running);
      running.reject(error);
    }
    for (const session of slot.sessions) {
      this.assigned.delete(session);
      this.onLost(session);
    }
    slot.sessions.clear();
    if (this.closed) {
      for (const job of slot.queue.splice(0)) job.reject(new Error('the worker pool is closed'));
      lane.splice(index, 1);
      return;
    }
    // Queued batch jobs move to the new worker; queued live jobs needed the lost state.
    const fresh = this.spawn(lane === this.slots ? 'live' : 'batch');
    for (const job of slot.queue) {
      if (job.request.type === 'batch') fresh.queue.push(job);
      else
        job.reject(
          new Error('the worker holding this live session stopped; it starts over with the next slice'),
        );
    }
    lane[index] = fresh;
    this.next(fresh);
  }

  private finish(slot: Slot, job: Job): void {
    clearTimeout(job.timer);
    if (job.onAbort) job.control.signal?.removeEventListener('abort', job.onAbort);
    if (slot.running === job) slot.running = undefined;
  }

  /** Starts the slot's next job, if it is idle. */
  private next(slot: Slot): void {
    if (slot.running || this.closed) return;
    const job = slot.queue.shift();
    if (!job) return;
    slot.running = job;
    const { deadlineMs } = job.control;
    if (deadlineMs !== undefined) {
      job.timer = setTimeout(() => {
        this.stop(
          slot,
          job,
          new MphateError(
            `embedding of session ${job.request.session} ran past its deadline of ${Math.round(deadlineMs / 1000)} s and was stopped`,
            'too-large',
          ),
        );
      }, deadlineMs);
      job.timer.unref();
    }
    slot.worker.postMessage(job.request satisfies WorkerRequest, job.transfer);
  }

  /** Stops a job: dropped from the queue, or its worker terminated when it runs. */
  private stop(slot: Slot, job: Job, reason: Error): void {
    const queued = slot.queue.indexOf(job);
    if (queued >= 0) {
      slot.queue.splice(queued, 1);
      this.finish(slot, job);
      job.reject(reason);
      return;
    }
    if (slot.running !== job) return;
    this.finish(slot, job);
    job.reject(reason);
    // onDeath (from the exit event) replaces the worker and starts the next job there.
    void slot.worker.terminate();
  }

  private leastLoaded(by: (slot: Slot) => number): Slot {
    return this.slots.reduce((best, slot) => (by(slot) < by(best) ? slot : best));
  }

  private slotFor(session: string): Slot {
    let slot = this.assigned.get(session);
    if (!slot) {
      slot = this.leastLoaded((s) => s.sessions.size);
      slot.sessions.add(session);
      this.assigned.set(session, slot);
    }
    return slot;
  }

  private submit(slot: Slot, request: LiveJob | BatchJob, transfer: ArrayBuffer[], control: JobControl) {
    if (this.closed) return Promise.reject(new Error('the worker pool is closed'));
    const { signal } = control;
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    return new Promise<EmbedResult>((resolve, reject) => {
      const job: Job = { request, transfer, control, resolve, reject };
      if (signal) {
        job.onAbort = () => {
          const current = [...this.slots, ...this.batchSlots].find(
            (s) => s.running === job || s.queue.includes(job),
          );
          if (current) this.stop(current, job, signal.reason as Error);
        };
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
      slot.queue.push(job);
      this.next(slot);
    });
  }

  /** Adds slices to the session's live state (reset first when asked) and embeds. Buffers are transferred. */
  live(request: Omit<LiveJob, 'type' | 'job'>, control: JobControl = {}): Promise<EmbedResult> {
    const job: LiveJob = { type: 'live', job: this.nextJob++, ...request };
    const transfer = request.slices.map((s) => s.buffer as ArrayBuffer);
    return this.submit(this.slotFor(request.session), job, transfer, control);
  }

  /** Batch fitTransform of a whole trace. The buffer is transferred. */
  batch(request: Omit<BatchJob, 'type' | 'job'>, control: JobControl = {}): Promise<EmbedResult> {
    const job: BatchJob = { type: 'batch', job: this.nextJob++, ...request };
    // an idle batch worker, else a new one while there may be more, else the least busy
    const idle = this.batchSlots.find((b) => !b.running && b.queue.length === 0);
    if (!idle && this.batchSlots.length < Math.max(1, this.batchWorkers) && !this.closed)
      this.batchSlots.push(this.spawn('batch'));
    const load = (b: Slot): number => b.queue.length + (b.running ? 1 : 0);
    const slot =
      idle ??
      this.batchSlots.reduce<Slot | undefined>((m, b) => (!m || load(b) < load(m) ? b : m), undefined);
    if (!slot) return Promise.reject(new Error('the worker pool is closed'));
    return this.submit(slot, job, [request.data.buffer as ArrayBuffer], control);
  }

  /** Frees a session's live state in its worker. */
  drop(session: string): void {
    const slot = this.assigned.get(session);
    if (!slot) return;
    slot.sessions.delete(session);
    this.assigned.delete(session);
    slot.worker.postMessage({ type: 'drop', session } satisfies WorkerRequest);
  }

  /** Whether the session has a live state in a worker. */
  has(session: string): boolean {
    return this.assigned.has(session);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.slots, ...this.batchSlots].map((slot) => slot.worker.terminate()));
  }
}
