import type { Phase, ProgressListener } from './options.js';
/** Runs named phases, recording each one's wall time (ms) and reporting progress 0 and 1. */
export declare class PhaseClock {
    private readonly onProgress?;
    readonly timings: Partial<Record<Phase, number>>;
    constructor(onProgress?: ProgressListener | undefined);
    report(phase: Phase, fraction: number): void;
    run<T>(phase: Phase, fn: () => T | Promise<T>): Promise<T>;
}
//# sourceMappingURL=phase-clock.d.ts.map