import { Scheduler } from '@mphate/server/internal';
import { describe, expect, it } from 'vitest';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

/** A scheduler whose computations wait for the test to release them, one gate per run. */
function gated(live: number, batch = 1) {
  const runs: string[] = [];
  const gates: Record<string, ReturnType<typeof deferred>[]> = {};
  const aborted: string[] = [];
  const errors: string[] = [];
  const scheduler = new Scheduler(
    async (id, signal) => {
      runs.push(id);
      const gate = deferred();
      (gates[id] ??= []).push(gate);
      signal.addEventListener('abort', () => {
        aborted.push(id);
        gate.resolve();
      });
      await gate.promise;
      if (id === 'boom') throw new Error('boom');
    },
    (id, e) => errors.push(`${id}: ${(e as Error).message}`),
    { live, batch },
  );
  const release = (id: string) => gates[id]!.at(-1)!.resolve();
  return { scheduler, runs, aborted, errors, release };
}

describe('Scheduler', () => {
  it('coalesces dirty signals per session: one run, then one more for everything that came meanwhile', async () => {
    const { scheduler, runs, release } = gated(2);
    for (let i = 0; i < 50; i++) scheduler.markDirty('a');
    scheduler.markDirty('b');
    await tick();
    expect(runs).toEqual(['a', 'b']);
    expect(scheduler.isBusy('a')).toBe(true);
    release('a');
    await tick();
    expect(runs).toEqual(['a', 'b', 'a']); // the 49 signals while busy became one run
    const idle = scheduler.idle('a');
    release('a');
    await idle;
    expect(scheduler.isBusy('a')).toBe(false);
    release('b');
    await scheduler.idle('b');
    expect(runs).toEqual(['a', 'b', 'a']);
    scheduler.close();
  });

  it('an error is reported and does not stop the session from running again', async () => {
    const { scheduler, runs, errors, release } = gated(1);
    scheduler.markDirty('boom');
    await tick();
    scheduler.markDirty('boom');
    release('boom');
    await tick();
    expect(errors).toEqual(['boom: boom']);
    expect(runs).toEqual(['boom', 'boom']);
    scheduler.close();
  });

  it('gives fair turns: a session that keeps getting dirty waits behind the others', async () => {
    const { scheduler, runs, release } = gated(1);
    scheduler.markDirty('big');
    await tick();
    scheduler.markDirty('big'); // wants another run while running
    scheduler.markDirty('b');
    scheduler.markDirty('c');
    release('big');
    await tick();
    expect(runs).toEqual(['big', 'b']);
    scheduler.markDirty('b');
    release('b');
    await tick();
    // c waited longer than big's second run, and big longer than b's second
    expect(runs).toEqual(['big', 'b', 'c']);
    release('c');
    await tick();
    expect(runs).toEqual(['big', 'b', 'c', 'big']);
    release('big');
    await tick();
    expect(runs).toEqual(['big', 'b', 'c', 'big', 'b']);
    release('b');
    await scheduler.idle('b');
    scheduler.close();
  });

  it('a batch runs beside the live turns and never in their way; a second batch waits for the first', async () => {
    const { scheduler, runs, release } = gated(1, 1);
    scheduler.markDirty('final', 'batch');
    scheduler.markDirty('final2', 'batch');
    scheduler.markDirty('a');
    scheduler.markDirty('b');
    await tick();
    expect(runs).toEqual(['final', 'a']); // one of each kind
    release('a');
    await tick();
    expect(runs).toEqual(['final', 'a', 'b']); // b passes final2, whose budget is full
    scheduler.markDirty('b', 'batch'); // b's training ends while its frame runs
    release('b');
    await tick();
    expect(runs).toEqual(['final', 'a', 'b']); // b's rerun is a batch: it waits too
    release('final');
    await tick();
    expect(runs).toEqual(['final', 'a', 'b', 'final2']); // the older batch turn first
    scheduler.markDirty('c');
    await tick();
    expect(runs).toEqual(['final', 'a', 'b', 'final2', 'c']);
    release('final2');
    await tick();
    expect(runs).toEqual(['final', 'a', 'b', 'final2', 'c', 'b']);
    release('c');
    release('b');
    await scheduler.idle('b');
    scheduler.close();
  });

  it('forget aborts the running computation and discards a waiting turn', async () => {
    const { scheduler, runs, aborted, errors } = gated(1);
    scheduler.markDirty('a');
    scheduler.markDirty('b');
    await tick();
    expect(runs).toEqual(['a']);
    scheduler.forget('b'); // waiting: never runs
    scheduler.forget('a'); // running: aborted
    await tick();
    expect(aborted).toEqual(['a']);
    expect(errors).toEqual([]);
    expect(runs).toEqual(['a']);
    expect(scheduler.isBusy('a')).toBe(false);
    scheduler.markDirty('c'); // the slot is free again
    await tick();
    expect(runs).toEqual(['a', 'c']);
    scheduler.close();
  });
});
