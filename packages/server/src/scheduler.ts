/**
 * Scheduling of embedding computations: one state machine per session, one queue of turns.
 *
 * A session is `idle`, `queued` (waiting for a turn), `running`, or `rerun` (running, and marked
 * dirty again meanwhile). New slices, an `end` or a re-embed request mark it dirty. At most one
 * computation per session runs at a time; signals that arrive while it runs collapse into one
 * more run. The computation reads the session's newest state when it starts, so the newest data
 * is computed next, intermediate states are skipped, and nothing queues without bound.
 *
 * Turns are fair: at most `budgets.live` live computations (one per live embedding worker) and
 * `budgets.batch` batch computations (final batches, re-embeds, method embeddings: the pool's
 * batch worker) run at once, and a session that wants another run goes to the back of the
 * queue, behind every session that was waiting, so one busy session cannot starve the rest. A
 * turn whose kind is at its budget is skipped, not waited for: a final batch that runs for a
 * minute holds up other batches, never the other sessions' live frames. `forget` (a deleted
 * session) aborts its running computation through the AbortSignal `compute` receives.
 */

type LaneState = 'queued' | 'running' | 'rerun';

/** What a session's next computation needs: a live frame, or a batch (final, re-embed, method). */
export type WorkKind = 'live' | 'batch';

interface Lane {
  state: LaneState;
  /** The kind of the next run: 'batch' once any signal since the last start asked for one. */
  kind: WorkKind;
  /** The kind of the running computation. */
  runningKind: WorkKind;
  abort: AbortController | undefined;
  waiters: (() => void)[];
}

export class Scheduler {
  /** Sessions not idle; an idle session has no lane. */
  private readonly lanes = new Map<string, Lane>();
  /** Sessions in state `queued`, oldest first. */
  private readonly turns: string[] = [];
  private readonly running: Record<WorkKind, number> = { live: 0, batch: 0 };
  private closed = false;

  constructor(
    private readonly compute: (id: string, signal: AbortSignal) => Promise<void>,
    private readonly onError: (id: string, error: unknown) => void = () => {},
    private readonly budgets: Record<WorkKind, number> = { live: 1, batch: 1 },
  ) {}

  /**
   * Marks a session dirty: its computation runs at its next turn, or once more after the
   * running one. `kind` says which budget that run needs (new slices: live; an end, a re-embed
   * or a method request: batch).
   */
  markDirty(id: string, kind: WorkKind = 'live'): void {
    if (this.closed) return;
    const lane = this.lanes.get(id);
    if (!lane) {
      this.lanes.set(id, { state: 'queued', kind, runningKind: kind, abort: undefined, waiters: [] });
      this.turns.push(id);
      this.pump();
      return;
    }
    if (kind === 'batch') lane.kind = 'batch';
    if (lane.state === 'running') lane.state = 'rerun';
  }

  /** True while a computation for the session runs or waits for its turn. */
  isBusy(id: string): boolean {
    return this.lanes.has(id);
  }

  /** Resolves when the session has no computation running or waiting. */
  idle(id: string): Promise<void> {
    const lane = this.lanes.get(id);
    if (!lane) return Promise.resolve();
    return new Promise((resolve) => lane.waiters.push(resolve));
  }

  /** Drops the session: a waiting turn is discarded, a running computation is aborted. */
  forget(id: string): void {
    const lane = this.lanes.get(id);
    if (!lane) return;
    this.lanes.delete(id);
    const turn = this.turns.indexOf(id);
    if (turn >= 0) this.turns.splice(turn, 1);
    lane.abort?.abort(new Error(`session ${id} was deleted`));
    for (const wake of lane.waiters.splice(0)) wake();
  }

  close(): void {
    this.closed = true;
    for (const id of [...this.lanes.keys()]) this.forget(id);
  }

  private pump(): void {
    // oldest turn first; a turn whose kind is at its budget keeps its place
    for (let i = 0; i < this.turns.length; ) {
      const id = this.turns[i]!;
      const lane = this.lanes.get(id)!;
      if (this.running[lane.kind] >= this.budgets[lane.kind]) {
        i++;
        continue;
      }
      this.turns.splice(i, 1);
      lane.state = 'running';
      lane.runningKind = lane.kind;
      lane.kind = 'live';
      lane.abort = new AbortController();
      this.running[lane.runningKind]++;
      void this.run(id, lane, lane.abort.signal);
    }
  }

  private async run(id: string, lane: Lane, signal: AbortSignal): Promise<void> {
    try {
      await this.compute(id, signal);
    } catch (error) {
      if (!signal.aborted) this.onError(id, error);
    }
    this.running[lane.runningKind]--;
    if (this.lanes.get(id) === lane) {
      lane.abort = undefined;
      if (lane.state === 'rerun') {
        lane.state = 'queued';
        this.turns.push(id); // behind everyone who waited meanwhile
      } else {
        this.lanes.delete(id);
        for (const wake of lane.waiters.splice(0)) wake();
      }
    }
    this.pump();
  }
}
