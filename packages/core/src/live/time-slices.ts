/**
 * Cooperative time slices for work that runs between live frames (a re-clustering) on the thread
 * that renders them: the work awaits `pause()` between its steps, and goes on only while a slice
 * granted by `run(ms)` lasts. So a frame never waits behind it, and the work advances only when
 * the caller has time to give (the server's worker between jobs, a benchmark between slices).
 */
export class TimeSlices {
  private deadline = 0;
  /** Resumes the parked work. */
  private resume: (() => void) | null = null;
  /** Tells run() that the work parked. */
  private parked: (() => void) | null = null;

  /** For the work, between steps: returns at once while its slice lasts, else parks until the next one. */
  readonly pause = (): Promise<void> => {
    if (performance.now() < this.deadline) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.resume = resolve;
      const parked = this.parked;
      this.parked = null;
      parked?.();
    });
  };

  /** Lets the work run for about `ms` (Infinity: to its end); resolves once it parks or `done` settles. */
  async run(ms: number, done: Promise<unknown>): Promise<void> {
    this.deadline = performance.now() + ms;
    const parked = new Promise<void>((resolve) => {
      this.parked = resolve;
    });
    const resume = this.resume;
    this.resume = null;
    resume?.();
    await Promise.race([
      parked,
      done.then(
        () => undefined,
        () => undefined,
      ),
    ]);
    this.parked = null;
    // the slice ends here: work started later (or resumed) waits for the next run
    this.deadline = 0;
  }
}
