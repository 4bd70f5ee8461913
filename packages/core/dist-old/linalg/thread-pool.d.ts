/** Tasks run so far, by where (a worker that could not run one sends it back here: `fallback`). */
export declare const threadTaskCounts: {
    local: number;
    worker: number;
    fallback: number;
};
/** Threads used for a batch of tasks (the calling one included). */
export declare function threadCount(): Promise<number>;
/**
 * Runs the task `name` (the function `run`, listed under that name in thread-tasks.ts) on each
 * of `argsList` and resolves with the results in order. Task i goes to thread i mod threads,
 * thread 0 being the calling one: each worker gets all its tasks at once, so it never waits for
 * the calling thread (busy with its own tasks) to hand it the next. Callers give tasks of about
 * equal cost. The tasks of a worker that fails (it died, or its script cannot load) run on the
 * calling thread instead; a task that throws rejects the whole call.
 */
export declare function runOnThreads<A, R>(name: string, argsList: A[], run: (args: A) => R | Promise<R>): Promise<R[]>;
/**
 * Runs `lead` on the calling thread while the task `name` runs beside it on a worker, the two
 * working in lockstep through shared memory (lockstep.ts): `lead(true)`. Without a worker,
 * `lead(false)` does the whole work. The lead stops the task when it ends; a worker that dies
 * mid-way is noticed by the lead's timeout, and the lead takes its part over.
 */
export declare function runBeside<A, T>(name: string, args: A, lead: (beside: boolean) => Promise<T>): Promise<T>;
//# sourceMappingURL=thread-pool.d.ts.map