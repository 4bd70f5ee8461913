import type { Phase, ProgressListener } from './options.js';

/** Runs named phases, recording each one's wall time (ms) and reporting progress 0 and 1. */
export class PhaseClock {
  readonly timings: Partial<Record<Phase, number>> = {};
  constructor(private readonly onProgress?: ProgressListener) {}

  report(phase: Phase, fraction: number): void {
    this.onProgress?.({ phase, fraction });
  }

  async run<T>(phase: Phase, fn: () => T | Promise<T>): Promise<T> {
    this.report(phase, 0);
    const start = performance.now();
    const out = await fn();
    this.timings[phase] = (this.timings[phase] ?? 0) + performance.now() - start;
    this.report(phase, 1);
    return out;
  }
}
