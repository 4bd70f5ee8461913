import { runLatestWhenFree, Scheduler } from '@mphate/server';
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('runLatestWhenFree', () => {
  it('runs one at a time, then only the newest value that arrived while busy', async () => {
    const source = new Subject<number>();
    const started: number[] = [];
    const gates = new Map<number, ReturnType<typeof deferred>>();
    const results: number[] = [];
    source
      .pipe(
        runLatestWhenFree(async (n: number) => {
          started.push(n);
          const gate = deferred();
          gates.set(n, gate);
          await gate.promise;
          return n * 10;
        }),
      )
      .subscribe((r) => results.push(r));
    source.next(1);
    source.next(2);
    source.next(3);
    source.next(4);
    await tick();
    expect(started).toEqual([1]); // 2, 3, 4 wait; only 4 will run
    gates.get(1)!.resolve();
    await tick();
    expect(started).toEqual([1, 4]);
    source.next(5);
    gates.get(4)!.resolve();
    await tick();
    expect(started).toEqual([1, 4, 5]);
    gates.get(5)!.resolve();
    await tick();
    expect(results).toEqual([10, 40, 50]);
  });

  it('completes after the source completes and the last run ends', async () => {
    const source = new Subject<number>();
    const gate = deferred();
    let completed = false;
    source.pipe(runLatestWhenFree(() => gate.promise)).subscribe({ complete: () => (completed = true) });
    source.next(1);
    source.complete();
    await tick();
    expect(completed).toBe(false);
    gate.resolve();
    await tick();
    expect(completed).toBe(true);
  });
});

describe('Scheduler', () => {
  it('coalesces dirty signals per session, sessions run independently, errors do not stop a lane', async () => {
    const runs: string[] = [];
    const gates: Record<string, ReturnType<typeof deferred>[]> = { a: [], b: [] };
    const errors: string[] = [];
    const scheduler = new Scheduler(
      async (id) => {
        runs.push(id);
        const first = runs.length === 1;
        const gate = deferred();
        gates[id]!.push(gate);
        await gate.promise;
        if (first) throw new Error('boom');
      },
      (id, e) => errors.push(`${id}: ${(e as Error).message}`),
    );
    for (let i = 0; i < 50; i++) scheduler.markDirty('a');
    scheduler.markDirty('b');
    await tick();
    expect(runs).toEqual(['a', 'b']);
    expect(scheduler.isBusy('a')).toBe(true);
    gates.a![0]!.resolve();
    await tick();
    expect(errors).toEqual(['a: boom']);
    expect(runs).toEqual(['a', 'b', 'a']); // the 49 signals while busy became one run
    const idle = scheduler.idle('a');
    gates.a![1]!.resolve();
    await idle;
    expect(scheduler.isBusy('a')).toBe(false);
    gates.b![0]!.resolve();
    await scheduler.idle('b');
    expect(runs).toEqual(['a', 'b', 'a']);
    scheduler.close();
  });
});
