import type { Progress } from '@mphate/core';

/** Reports embedding progress on a stream (stderr): a redrawn bar on a terminal, phase lines otherwise. */
export interface ProgressReporter {
  update(progress: Progress): void;
  /** Clears the bar (terminal) so the next output starts on a clean line. */
  finish(): void;
}

/** Minimum time between two redraws of the bar. */
const REDRAW_MS = 100;

interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/**
 * Phases are numbered as they start ("[1] normalize", "[2] pca", "[3] mds"): a run skips
 * phases its options do not need (no PCA for few samples, ...), so a count out of the core's
 * full list would skip numbers.
 */
export function createProgressReporter(stream: ProgressStream = process.stderr): ProgressReporter {
  const started: string[] = [];
  const label = (phase: string): string => {
    if (!started.includes(phase)) started.push(phase);
    return `[${started.indexOf(phase) + 1}] ${phase}`;
  };
  return stream.isTTY ? new BarReporter(stream, label) : new LineReporter(stream, label);
}

/** One line per phase as it starts: logs and CI output stay readable. */
class LineReporter implements ProgressReporter {
  private last = '';
  constructor(
    private readonly stream: ProgressStream,
    private readonly label: (phase: string) => string,
  ) {}

  update({ phase }: Progress): void {
    if (phase === this.last) return;
    this.last = phase;
    this.stream.write(`${this.label(phase)}\n`);
  }

  finish(): void {}
}

/** A single line redrawn with \r, at most every REDRAW_MS unless the phase changes. */
class BarReporter implements ProgressReporter {
  private phase = '';
  private lastDraw = 0;
  private drawn = false;
  constructor(
    private readonly stream: ProgressStream,
    private readonly label: (phase: string) => string,
  ) {}

  update({ phase, fraction }: Progress): void {
    const now = Date.now();
    if (phase === this.phase && now - this.lastDraw < REDRAW_MS && fraction < 1) return;
    this.phase = phase;
    this.lastDraw = now;
    const done = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
    const label = this.label(phase).padEnd(20);
    const percent = `${Math.floor(done * 100)}`.padStart(3);
    const columns = this.stream.columns ?? 80;
    const width = Math.max(10, Math.min(40, columns - label.length - 10));
    const filled = Math.round(done * width);
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    this.stream.write(`\r\x1b[K${label} ${bar} ${percent}%`);
    this.drawn = true;
  }

  finish(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}

/** Milliseconds as a short human duration: "840 ms", "3.21 s", "2 min 05 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes} min ${String(seconds).padStart(2, '0')} s`;
}

/** The per-phase time table printed after an embed, phases in the order they ran. */
export function formatTimings(
  timings: Partial<Record<string, number>>,
  totalMs: number,
  phases: readonly string[] = [],
): string {
  const known = phases.filter((phase) => timings[phase] !== undefined);
  const extra = Object.keys(timings).filter((phase) => !known.includes(phase));
  const rows: [string, string][] = [...known, ...extra].map((phase) => [
    phase,
    formatDuration(timings[phase]!),
  ]);
  rows.push(['total', formatDuration(totalMs)]);
  const nameWidth = Math.max(5, ...rows.map(([name]) => name.length));
  const timeWidth = Math.max(...rows.map(([, time]) => time.length));
  const lines = rows.map(([name, time]) => `  ${name.padEnd(nameWidth)}  ${time.padStart(timeWidth)}`);
  lines.splice(lines.length - 1, 0, `  ${'-'.repeat(nameWidth + timeWidth + 2)}`);
  return `${lines.join('\n')}\n`;
}
