/**
 * Per-session scheduling of embedding computations (rxjs).
 *
 * Each session has a "dirty" Subject. New slices, an `end`, or a re-embed request mark it
 * dirty. `runLatestWhenFree` runs at most one computation per session at a time; signals that
 * arrive while one runs collapse into one pending run, started when the current one finishes.
 * The computation itself reads the newest state of the session when it starts, so the newest
 * data is always computed next, intermediate states are skipped, and nothing queues without
 * bound (at most one running and one pending per session).
 */
import {
  from,
  Observable,
  type ObservableInput,
  type OperatorFunction,
  Subject,
  type Subscription,
} from 'rxjs';

/**
 * Like exhaustMap, but remembers the latest value that arrived while busy and runs it when
 * free. Values in between are dropped. Completes when the source completes and work is done.
 */
export function runLatestWhenFree<T, R>(work: (value: T) => ObservableInput<R>): OperatorFunction<T, R> {
  return (source) =>
    new Observable<R>((subscriber) => {
      let running = false;
      let pending: { value: T } | undefined;
      let sourceDone = false;
      let inner: Subscription | undefined;
      const start = (value: T): void => {
        running = true;
        inner = from(work(value)).subscribe({
          next: (result) => subscriber.next(result),
          error: (error: unknown) => subscriber.error(error),
          complete: () => {
            running = false;
            inner = undefined;
            if (pending) {
              const next = pending.value;
              pending = undefined;
              start(next);
            } else if (sourceDone) {
              subscriber.complete();
            }
          },
        });
      };
      const outer = source.subscribe({
        next: (value) => {
          if (running) pending = { value };
          else start(value);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          sourceDone = true;
          if (!running) subscriber.complete();
        },
      });
      return () => {
        outer.unsubscribe();
        inner?.unsubscribe();
      };
    });
}

interface Lane {
  dirty: Subject<void>;
  subscription: Subscription;
  busy: boolean;
  waiters: (() => void)[];
  pending: boolean;
}

/** One lane per session; `compute(id)` is called with the scheduling guarantees above. */
export class Scheduler {
  private readonly lanes = new Map<string, Lane>();

  constructor(
    private readonly compute: (id: string) => Promise<void>,
    private readonly onError: (id: string, error: unknown) => void = () => {},
  ) {}

  /** Marks a session dirty: its computation runs now, or once more after the running one. */
  markDirty(id: string): void {
    let lane = this.lanes.get(id);
    if (!lane) {
      const dirty = new Subject<void>();
      const created: Lane = {
        dirty,
        subscription: undefined as unknown as Subscription,
        busy: false,
        waiters: [],
        pending: false,
      };
      created.subscription = dirty
        .pipe(
          runLatestWhenFree(async () => {
            created.pending = false;
            created.busy = true;
            try {
              await this.compute(id);
            } catch (error) {
              this.onError(id, error);
            } finally {
              created.busy = false;
              if (!created.pending) for (const wake of created.waiters.splice(0)) wake();
            }
          }),
        )
        .subscribe();
      this.lanes.set(id, created);
      lane = created;
    }
    lane.pending = lane.busy || lane.pending;
    lane.dirty.next();
  }

  /** True while a computation for the session runs or is pending. */
  isBusy(id: string): boolean {
    const lane = this.lanes.get(id);
    return lane !== undefined && (lane.busy || lane.pending);
  }

  /** Resolves when the session has no computation running or pending. */
  idle(id: string): Promise<void> {
    const lane = this.lanes.get(id);
    if (!lane || (!lane.busy && !lane.pending)) return Promise.resolve();
    return new Promise((resolve) => lane.waiters.push(resolve));
  }

  /** Drops the session's lane (a pending run is discarded; a running one finishes on its own). */
  forget(id: string): void {
    const lane = this.lanes.get(id);
    if (!lane) return;
    lane.subscription.unsubscribe();
    for (const wake of lane.waiters.splice(0)) wake();
    this.lanes.delete(id);
  }

  close(): void {
    for (const id of [...this.lanes.keys()]) this.forget(id);
  }
}
