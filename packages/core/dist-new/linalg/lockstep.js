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
const SLOTS = 5;
/** Spins this many checks before sleeping on the futex: a step is ~1 ms, a wake-up is not free. */
const SPIN = 4000;
export class Lockstep {
    ctrl;
    constructor(ctrl) {
        this.ctrl = ctrl;
    }
    static create() {
        // without SharedArrayBuffer there are no worker threads either: the channel is never used
        const shared = typeof SharedArrayBuffer !== 'undefined';
        return new Lockstep(shared ? new Int32Array(new SharedArrayBuffer(4 * SLOTS)) : new Int32Array(SLOTS));
    }
    /** The follower's end of a channel made by `create` (its ctrl array, passed to the task). */
    static of(ctrl) {
        return new Lockstep(ctrl);
    }
    get stopped() {
        return Atomics.load(this.ctrl, STOP) === 1;
    }
    /** Leader: posts command `cmd` (with an integer argument). */
    send(cmd, arg = 0) {
        Atomics.store(this.ctrl, CMD, cmd);
        Atomics.store(this.ctrl, ARG, arg);
        Atomics.add(this.ctrl, SEQ, 1);
        Atomics.notify(this.ctrl, SEQ);
    }
    /**
     * Leader: waits until the follower has done every command sent. False after `timeoutMs`
     * without it (a follower that died): the leader then does the follower's part itself.
     */
    awaitDone(timeoutMs) {
        const want = Atomics.load(this.ctrl, SEQ);
        return waitFor(this.ctrl, ACK, want, timeoutMs);
    }
    /** Follower: waits for the command after the `seen` ones; null once the leader has stopped. */
    receive(seen) {
        while (!waitFor(this.ctrl, SEQ, seen + 1, 1000))
            if (this.stopped)
                return null;
        if (this.stopped)
            return null;
        return { cmd: Atomics.load(this.ctrl, CMD), arg: Atomics.load(this.ctrl, ARG) };
    }
    /** Follower: command number `seq` (1, 2, ...) is done. */
    done(seq) {
        Atomics.store(this.ctrl, ACK, seq);
        Atomics.notify(this.ctrl, ACK);
    }
    /** Leader: no more commands; a follower still waiting (or not yet started) returns. */
    stop() {
        Atomics.store(this.ctrl, STOP, 1);
        Atomics.add(this.ctrl, SEQ, 1); // wakes a follower waiting for a command
        Atomics.notify(this.ctrl, SEQ);
    }
}
/** Waits until ctrl[slot] >= want; false after timeoutMs. */
function waitFor(ctrl, slot, want, timeoutMs) {
    for (let i = 0; i < SPIN; i++)
        if (Atomics.load(ctrl, slot) >= want)
            return true;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const now = Atomics.load(ctrl, slot);
        if (now >= want)
            return true;
        const left = deadline - Date.now();
        if (left <= 0)
            return false;
        Atomics.wait(ctrl, slot, now, Math.min(left, 50));
    }
}
//# sourceMappingURL=lockstep.js.map