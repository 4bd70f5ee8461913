/**
 * Scheduling of embedding computations: one state machine per session, one queue of turns.
 *
 * A session is `idle`, `queued` (waiting for a turn), `running`, or `rerun` (running, and marked
 * dirty again meanwhile). New slices, an `end` or a re-embed request mark it dirty. At most one
 * computation per session runs at a time; signals that arrive while it runs collapse into one
 * more run. The computation reads the session's newest state when it starts, so the newest data
 * is computed next, intermediate states are skipped, and nothing queues without bound.
 *
 * Turns are fair: at most `concurrency` computations run at once (one per embedding worker),
 * and a session that wants another run goes to the back of the queue, behind every session
 * that was waiting, so one busy session cannot starve the rest. `forget` (a deleted session)
 * aborts its running computation through the AbortSignal `compute` receives.
 */

type LaneState = 'queued' | 'running' | 'rerun';

interface Lane {
  state: LaneState;
  abort: AbortController | undefined;
  waiters: (() => void)[];
}

export class Scheduler {
  /** Sessions not idle; an idle session has no lane. */
  private readonly lanes = new Map<string, Lane>();
  /** Sessions in state `queued`, oldest first. */
  private readonly turns: string[] = [];
  private running = 0;
  private closed = false;

  constructor(
    private readonly compute: (id: string, signal: AbortSignal) => Promise<void>,
    private readonly onError: (id: string, error: unknown) => void = () => {},
    private readonly concurrency = 1,
  ) {}

  /** Marks a session dirty: its computation runs at its next turn, or once more after the running one. */
  markDirty(id: string): void {
    if (this.closed) return;
    const lane = this.lanes.get(id);
    if (!lane) {
      this.lanes.set(id, { state: 'queued', abort: undefined, waiters: [] });
      this.turns.push(id);
      this.pump();
    } else if (lane.state === 'running') {
      lane.state = 'rerun';
    }
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
    while (this.running < this.concurrency && this.turns.length > 0) {
      const id = this.turns.shift()!;
      const lane = this.lanes.get(id)!;
      lane.state = 'running';
      lane.abort = new AbortController();
      this.running++;
      void this.run(id, lane, lane.abort.signal);
    }
  }

  private async run(id: string, lane: Lane, signal: AbortSignal): Promise<void> {
    try {
      await this.compute(id, signal);
    } catch (error) {
      if (!signal.aborted) this.onError(id, error);
    }
    this.running--;
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
