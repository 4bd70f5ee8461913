/**
 * A command channel between the calling thread and one task running beside it on a core worker
 * thread (thread-pool.ts `runBeside`), over shared memory: thousands of small steps, each a few
 * microseconds of handshake where a message round trip costs a millisecond. The leader writes
 * the step's inputs into shared arrays, then `send`s a command; the follower `receive`s it, does
 * its part, and `done`s; the leader `await`s that. Without SharedArrayBuffer there is no
 * follower (everything runs on the calling thread).
 */
const SEQ = 0; // commands sent
const ACK = 1; // commands done
const CMD = 2;
const ARG = 3;
const STOP = 4; // the leader has finished (or taken the follower's part over)
const SLEEPERS = 5; // threads asleep in Atomics.wait: only then is a notify needed
const SLOTS = 6;

/**
 * How long a wait spins before it sleeps: the other side's step is about as long as this side's
 * (a millisecond or less), and a sleep and a wake-up cost more than the spin.
 */
const SPIN_MS = 0.5;

export class Lockstep {
  private constructor(readonly ctrl: Int32Array) {}

  static create(): Lockstep {
    // without SharedArrayBuffer there are no worker threads either: the channel is never used
    const shared = typeof SharedArrayBuffer !== 'undefined';
    return new Lockstep(shared ? new Int32Array(new SharedArrayBuffer(4 * SLOTS)) : new Int32Array(SLOTS));
  }

  /** The follower's end of a channel made by `create` (its ctrl array, passed to the task). */
  static of(ctrl: Int32Array): Lockstep {
    return new Lockstep(ctrl);
  }

  get stopped(): boolean {
    return Atomics.load(this.ctrl, STOP) === 1;
  }

  /** Leader: posts command `cmd` (with an integer argument). */
  send(cmd: number, arg = 0): void {
    Atomics.store(this.ctrl, CMD, cmd);
    Atomics.store(this.ctrl, ARG, arg);
    Atomics.add(this.ctrl, SEQ, 1);
    wake(this.ctrl, SEQ);
  }

  /**
   * Leader: waits until the follower has done every command sent. False after `timeoutMs`
   * without it (a follower that died): the leader then does the follower's part itself.
   */
  awaitDone(timeoutMs: number): boolean {
    const want = Atomics.load(this.ctrl, SEQ);
    return waitFor(this.ctrl, ACK, want, timeoutMs);
  }

  /** Follower: waits for the command after the `seen` ones; null once the leader has stopped. */
  receive(seen: number): { cmd: number; arg: number } | null {
    while (!waitFor(this.ctrl, SEQ, seen + 1, 1000)) if (this.stopped) return null;
    if (this.stopped) return null;
    return { cmd: Atomics.load(this.ctrl, CMD), arg: Atomics.load(this.ctrl, ARG) };
  }

  /** Follower: command number `seq` (1, 2, ...) is done. */
  done(seq: number): void {
    Atomics.store(this.ctrl, ACK, seq);
    wake(this.ctrl, ACK);
  }

  /** Leader: no more commands; a follower still waiting (or not yet started) returns. */
  stop(): void {
    Atomics.store(this.ctrl, STOP, 1);
    Atomics.add(this.ctrl, SEQ, 1); // wakes a follower waiting for a command
    wake(this.ctrl, SEQ);
  }
}

/**
 * Wakes the other side if it sleeps. It counts itself in SLEEPERS before Atomics.wait, and that
 * wait returns at once if the slot has changed: with these sequentially consistent atomics, a
 * sleeper is either seen here or sees the new value.
 */
function wake(ctrl: Int32Array, slot: number): void {
  if (Atomics.load(ctrl, SLEEPERS) > 0) Atomics.notify(ctrl, slot);
}

/** Waits until ctrl[slot] >= want: spins for SPIN_MS, then sleeps; false after timeoutMs. */
function waitFor(ctrl: Int32Array, slot: number, want: number, timeoutMs: number): boolean {
  const spinUntil = performance.now() + SPIN_MS;
  do {
    for (let i = 0; i < 64; i++) if (Atomics.load(ctrl, slot) >= want) return true;
  } while (performance.now() < spinUntil);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = Atomics.load(ctrl, slot);
    if (now >= want) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    Atomics.add(ctrl, SLEEPERS, 1);
    Atomics.wait(ctrl, slot, now, Math.min(left, 50));
    Atomics.sub(ctrl, SLEEPERS, 1);
  }
}
