export declare class Lockstep {
    readonly ctrl: Int32Array;
    private constructor();
    static create(): Lockstep;
    /** The follower's end of a channel made by `create` (its ctrl array, passed to the task). */
    static of(ctrl: Int32Array): Lockstep;
    get stopped(): boolean;
    /** Leader: posts command `cmd` (with an integer argument). */
    send(cmd: number, arg?: number): void;
    /**
     * Leader: waits until the follower has done every command sent. False after `timeoutMs`
     * without it (a follower that died): the leader then does the follower's part itself.
     */
    awaitDone(timeoutMs: number): boolean;
    /** Follower: waits for the command after the `seen` ones; null once the leader has stopped. */
    receive(seen: number): {
        cmd: number;
        arg: number;
    } | null;
    /** Follower: command number `seq` (1, 2, ...) is done. */
    done(seq: number): void;
    /** Leader: no more commands; a follower still waiting (or not yet started) returns. */
    stop(): void;
}
//# sourceMappingURL=lockstep.d.ts.map