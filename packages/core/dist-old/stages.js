/** Runs named phases, recording each one's wall time (ms) and reporting progress 0 and 1. */
export class PhaseClock {
    onProgress;
    timings = {};
    constructor(onProgress) {
        this.onProgress = onProgress;
    }
    report(phase, fraction) {
        this.onProgress?.({ phase, fraction });
    }
    async run(phase, fn) {
        this.report(phase, 0);
        const start = performance.now();
        const out = await fn();
        this.timings[phase] = (this.timings[phase] ?? 0) + performance.now() - start;
        this.report(phase, 1);
        return out;
    }
}
//# sourceMappingURL=stages.js.map