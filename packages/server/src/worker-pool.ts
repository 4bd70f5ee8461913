/**
 * A pool of embedding workers (worker_threads), sized to the cores minus one (at least one),
 * so the event loop keeps a core. A session is pinned to one worker while it is live (its
 * IncrementalMphate lives there); batch jobs go to the worker with the fewest jobs queued.
 * A worker that dies is replaced; its jobs fail and its sessions' live states are reported lost.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { BatchJob, EmbedResult, LiveJob, WorkerReply, WorkerRequest } from './worker-messages.js';

export type JobProgress = (phase: string, fraction: number) => void;

interface Pending {
  resolve: (result: EmbedResult) => void;
  reject: (error: Error) => void;
  onProgress: JobProgress | undefined;
  session: string;
}

interface Slot {
  worker: Worker;
  jobs: Map<number, Pending>;
  sessions: Set<string>;
}

export function defaultPoolSize(): number {
  return Math.max(1, availableParallelism() - 1);
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly assigned = new Map<string, Slot>();
  private nextJob = 1;
  private closed = false;

  constructor(
    readonly size = defaultPoolSize(),
    /** Called when a session's live state vanished with its worker; the next live job must reset. */
    private readonly onLost: (session: string) => void = () => {},
    /** Warnings from a worker (e.g. a session fell back to batch embedding). */
    private readonly onWarning: (message: string) => void = () => {},
    private readonly workerUrl = new URL('./embed-worker.js', import.meta.url),
  ) {
    for (let i = 0; i < Math.max(1, size); i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(this.workerUrl), jobs: new Map(), sessions: new Set() };
    slot.worker.on('message', (reply: WorkerReply) => this.onReply(slot, reply));
    slot.worker.on('error', (error) => this.onDeath(slot, error));
    slot.worker.on('exit', (code) =>
      this.onDeath(slot, new Error(`embedding worker exited with code ${code}`)),
    );
    // Idle workers must not keep the process alive; jobs in flight are awaited by their callers.
    slot.worker.unref();
    return slot;
  }

  private onReply(slot: Slot, reply: WorkerReply): void {
    if (reply.type === 'ready') return;
    if (reply.type === 'warning') {
      this.onWarning(reply.message);
      return;
    }
    const pending = slot.jobs.get(reply.job);
    if (!pending) return;
    if (reply.type === 'progress') {
      pending.onProgress?.(reply.phase, reply.fraction);
      return;
    }
    slot.jobs.delete(reply.job);
    if (reply.type === 'done') pending.resolve(reply.result);
    else pending.reject(new Error(reply.error));
  }

  private onDeath(slot: Slot, error: Error): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return; // already replaced (error is followed by exit)
    for (const pending of slot.jobs.values()) pending.reject(error);
    slot.jobs.clear();
    for (const session of slot.sessions) {
      this.assigned.delete(session);
      this.onLost(session);
    }
    if (this.closed) {
      this.slots.splice(index, 1);
      return;
    }
    this.slots[index] = this.spawn();
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

  private submit(slot: Slot, request: LiveJob | BatchJob, transfer: ArrayBuffer[], onProgress?: JobProgress) {
    if (this.closed) return Promise.reject(new Error('the worker pool is closed'));
    return new Promise<EmbedResult>((resolve, reject) => {
      slot.jobs.set(request.job, { resolve, reject, onProgress, session: request.session });
      slot.worker.postMessage(request satisfies WorkerRequest, transfer);
    });
  }

  /** Adds slices to the session's live state (reset first when asked) and embeds. Buffers are transferred. */
  live(request: Omit<LiveJob, 'type' | 'job'>, onProgress?: JobProgress): Promise<EmbedResult> {
    const job: LiveJob = { type: 'live', job: this.nextJob++, ...request };
    const transfer = request.slices.map((s) => s.buffer as ArrayBuffer);
    return this.submit(this.slotFor(request.session), job, transfer, onProgress);
  }

  /** Batch fitTransform of a whole trace. The buffer is transferred. */
  batch(request: Omit<BatchJob, 'type' | 'job'>, onProgress?: JobProgress): Promise<EmbedResult> {
    const job: BatchJob = { type: 'batch', job: this.nextJob++, ...request };
    const slot = this.assigned.get(request.session) ?? this.leastLoaded((s) => s.jobs.size);
    return this.submit(slot, job, [request.data.buffer as ArrayBuffer], onProgress);
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
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }
}
