/**
 * What one scheduled computation of a session does (the Scheduler guarantees at most one at a
 * time per session). It reads the session's newest state and decides:
 *
 * - pending comparison-method requests: each method's embedding of the whole trace, scored in
 *   the worker, stored beside the session's own embedding;
 * - a pending re-embed request: batch fitTransform with the requested options;
 * - live with new slices: post the new slices to the session's IncrementalMphate in the pool
 *   and embed (a reset when the stored slices are no longer an extension of what was posted);
 * - finished without a final embedding: first a live frame of the slices not yet shown (when
 *   the session's live state is held here), then drop the live state and run the final batch
 *   fitTransform with the session's seed and options (= `mphate embed` of the exported trace);
 * - failed with slices not covered: a batch embedding, not marked final.
 *
 * The result is stored, then pushed to the session's dashboards.
 */
import type { MphateOptionsJson } from '@mphate/protocol';
import { estimatedWork, jobDeadlineMs } from './cost-model.js';
import type { CostLimits } from './defaults.js';
import type { WorkKind } from './scheduler.js';
import { sessionOptions } from './session-detail.js';
import type { Store } from './store.js';
import type { StoredEmbedding } from './store-rows.js';
import type { EmbedResult } from './worker-messages.js';
import type { JobControl, JobProgress, WorkerPool } from './worker-pool.js';

/** A comparison-method job may run this many times the deadline M-PHATE's would get. */
const METHOD_DEADLINE_FACTOR = 4;

/** Slices needed before a live session is embedded (M-PHATE needs more than one slice). */
const MIN_LIVE_SLICES = 2;

/** Where a computation's progress and results go: the live hub, or (on a queue worker) the other instances. */
export interface EmbedEvents {
  progress(id: string, phase: string, fraction: number, slices: number, final: boolean): void;
  /** A new embedding of the session was stored. */
  embedding(id: string, embedding: StoredEmbedding): void;
  sessionChanged(id: string): void;
}

interface LiveState {
  /** Slice numbers posted to the worker's IncrementalMphate, in order. */
  posted: number[];
  optionsKey: string;
}

/**
 * The work a stored session has to compute, if any: a batch when it is over without a final
 * embedding (or failed with slices not embedded), live frames when it is live with slices not
 * embedded.
 */
export async function pendingWork(store: Store, id: string): Promise<WorkKind | undefined> {
  const session = await store.getSession(id);
  if (!session || session.slices === 0) return undefined;
  const info = await store.embeddingInfo(id);
  if (session.status === 'finished') return info?.final ? undefined : 'batch';
  if ((info?.slices ?? 0) >= session.slices) return undefined;
  return session.status === 'live' ? 'live' : 'batch';
}

export class Embedder {
  private readonly live = new Map<string, LiveState>();
  /** Requested comparison-method embeddings per session, in request order (this process only). */
  private readonly methods = new Map<string, { name: string; seed: number }[]>();

  constructor(
    private readonly store: Store,
    private readonly pool: WorkerPool,
    private readonly hub: EmbedEvents,
    private readonly defaults: MphateOptionsJson,
    private readonly log: (message: string) => void,
    private readonly cost: CostLimits,
    private readonly deadline: { baseMs: number; msPerWork: number },
  ) {}

  /** Asks for an embedding by a comparison method; stored beside the session's own embedding. */
  requestMethod(id: string, name: string, seed: number): void {
    const queue = this.methods.get(id) ?? [];
    if (!queue.some((m) => m.name === name && m.seed === seed)) queue.push({ name, seed });
    this.methods.set(id, queue);
  }

  /** The worker holding the session's live state died: the next live job starts over. */
  lost(id: string): void {
    this.live.delete(id);
  }

  forget(id: string): void {
    this.live.delete(id);
    this.methods.delete(id);
    this.pool.drop(id);
  }

  async compute(id: string, signal?: AbortSignal): Promise<void> {
    if (!(await this.store.getSession(id))) return;
    // method embeddings first, one after another (each is one batch job in the pool)
    for (let m = this.methods.get(id)?.shift(); m; m = this.methods.get(id)?.shift())
      await this.methodEmbedding(id, m, signal);
    this.methods.delete(id);
    const session = await this.store.getSession(id);
    if (!session) return;
    const info = await this.store.embeddingInfo(id);
    const options = sessionOptions(session.header, this.defaults);
    const requested = await this.store.takeReembed(id);
    if (requested) {
      await this.batch(id, { ...options, ...requested }, session.status !== 'live', signal);
      return;
    }
    if (session.status === 'live') {
      if (session.slices >= MIN_LIVE_SLICES && (info?.slices ?? 0) < session.slices)
        await this.liveStep(id, options, signal);
      return;
    }
    // Finished with slices the live view has not shown: when this process holds the session's
    // live state, the last slices get their live frame first (a frame's cost, where the final
    // batch takes a batch's), then the final batch replaces it.
    if (session.status === 'finished' && !info?.final && (info?.slices ?? 0) < session.slices)
      if (this.holdsLiveState(id, options)) await this.liveStep(id, options, signal);
    // finished or failed: the live state is no longer needed
    this.live.delete(id);
    this.pool.drop(id);
    if (session.slices === 0) return;
    if (session.status === 'finished' && !info?.final) await this.batch(id, options, true, signal);
    else if (session.status === 'failed' && (info?.slices ?? 0) < session.slices)
      await this.batch(id, options, false, signal);
  }

  /** Whether the pool holds the session's live state for these options (a live step extends it). */
  private holdsLiveState(id: string, options: MphateOptionsJson): boolean {
    return this.live.get(id)?.optionsKey === JSON.stringify(options) && this.pool.has(id);
  }

  private async liveStep(id: string, options: MphateOptionsJson, signal?: AbortSignal): Promise<void> {
    const session = (await this.store.getSession(id))!;
    const { units, samples } = session.header;
    const stored = await this.store.sliceNumbers(id);
    const optionsKey = JSON.stringify(options);
    let state = this.live.get(id);
    const extends_ =
      state !== undefined &&
      state.optionsKey === optionsKey &&
      this.pool.has(id) &&
      state.posted.length <= stored.length &&
      state.posted.every((n, i) => stored[i] === n);
    const reset = !extends_;
    if (reset || !state) {
      state = { posted: [], optionsKey };
      this.live.set(id, state);
    }
    const after = state.posted.length > 0 ? state.posted[state.posted.length - 1]! : -1;
    const fresh = await this.store.slicesAfter(id, after);
    const slices = state.posted.length + fresh.length;
    this.hub.progress(id, 'queued', 0, slices, false);
    // Posted before the job runs: a failed job forgets the worker's state (see lost/reset below).
    const posted = [...state.posted, ...fresh.map((s) => s.meta.slice)];
    let result: EmbedResult;
    try {
      result = await this.pool.live(
        { session: id, units, samples, options, reset, slices: fresh.map((s) => s.data) },
        this.control(units, samples, slices, options, signal, (phase, fraction) =>
          this.hub.progress(id, phase, fraction, slices, false),
        ),
      );
    } catch (error) {
      this.live.delete(id);
      this.hub.progress(id, 'idle', 0, slices, false);
      throw error;
    }
    state.posted = posted;
    await this.save(id, result, slices, options, false);
  }

  private async methodEmbedding(
    id: string,
    method: { name: string; seed: number },
    signal?: AbortSignal,
  ): Promise<void> {
    const session = (await this.store.getSession(id))!;
    const { units, samples } = session.header;
    const trace = await this.store.trace(id, units, samples);
    const options = sessionOptions(session.header, this.defaults);
    this.hub.progress(id, 'queued', 0, trace.slices, false);
    try {
      const result = await this.pool.batch(
        { session: id, epochs: trace.slices, units, samples, options, method, data: trace.data },
        this.methodControl(
          this.control(units, samples, trace.slices, options, signal, (phase, fraction) =>
            this.hub.progress(id, phase, fraction, trace.slices, false),
          ),
        ),
      );
      const saved = await this.store.putMethodEmbedding(id, {
        method: method.name,
        slices: trace.slices,
        seed: method.seed,
        scores: result.scores!,
        ms: Object.values(result.timings).reduce((a, b) => a + b, 0),
        coordinates: result.coordinates,
      });
      if (saved) this.log(`embedded ${id} with ${method.name}: ${trace.slices} slices`);
    } finally {
      this.hub.progress(id, 'idle', 1, trace.slices, false);
    }
    this.hub.sessionChanged(id);
  }

  /**
   * A method job's control: the cost model estimates M-PHATE; the comparison methods are
   * bounded by their own size limits (registry.ts) and measured within ~2x of M-PHATE
   * (t-SNE on geodesics, docs/mphate.md), so their deadline is METHOD_DEADLINE_FACTOR times it.
   */
  private methodControl(control: JobControl): JobControl {
    return {
      ...control,
      deadlineMs: control.deadlineMs === undefined ? undefined : control.deadlineMs * METHOD_DEADLINE_FACTOR,
    };
  }

  private async batch(
    id: string,
    options: MphateOptionsJson,
    final: boolean,
    signal?: AbortSignal,
  ): Promise<void> {
    const session = (await this.store.getSession(id))!;
    const { units, samples } = session.header;
    const trace = await this.store.trace(id, units, samples);
    this.hub.progress(id, 'queued', 0, trace.slices, final);
    try {
      const result = await this.pool.batch(
        { session: id, epochs: trace.slices, units, samples, options, data: trace.data },
        this.control(units, samples, trace.slices, options, signal, (phase, fraction) =>
          this.hub.progress(id, phase, fraction, trace.slices, final),
        ),
      );
      await this.save(id, result, trace.slices, options, final);
    } catch (error) {
      this.hub.progress(id, 'idle', 0, trace.slices, final);
      throw error;
    }
  }

  /** The job's cancellation, its deadline (scaled by the cost model's estimate) and its progress. */
  private control(
    units: number,
    samples: number,
    slices: number,
    options: MphateOptionsJson,
    signal: AbortSignal | undefined,
    onProgress: JobProgress,
  ): JobControl {
    const work = estimatedWork({ units, samples, slices, options }, this.cost);
    return {
      signal,
      deadlineMs: jobDeadlineMs(work, this.deadline.baseMs, this.deadline.msPerWork),
      onProgress,
    };
  }

  private async save(
    id: string,
    result: EmbedResult,
    slices: number,
    options: MphateOptionsJson,
    final: boolean,
  ): Promise<void> {
    const units = (await this.store.getSession(id))?.units ?? 0;
    if (result.coordinates.length !== slices * units * result.nComponents) {
      throw new Error(
        `embedding of ${id} has ${result.coordinates.length / result.nComponents} points, expected ${slices} x ${units}`,
      );
    }
    const embedding = {
      slices,
      nComponents: result.nComponents,
      t: result.t,
      landmarks: result.landmarks,
      final,
      mphate: options,
      coordinates: result.coordinates,
    };
    if (!(await this.store.putEmbedding(id, embedding))) return; // deleted meanwhile
    this.log(
      `embedded ${id}: ${slices} slices${final ? ' (final)' : ''} in ${Math.round(
        Object.values(result.timings).reduce((a, b) => a + b, 0),
      )} ms`,
    );
    this.hub.progress(id, 'idle', 1, slices, final);
    this.hub.embedding(id, { ...embedding, createdAt: Date.now() });
    // Live frames carry their own slice count; the full state is re-sent only for the final one.
    if (final) this.hub.sessionChanged(id);
  }
}
