import type { LogRow } from '@mphate/protocol';
import { BehaviorSubject } from 'rxjs';
import type { ScrubMode } from './scatter/scatter-view.js';

/**
 * The scrubber: a range over slices, labelled with their epochs, task boundaries marked, and a
 * mode (all slices / up to s / only s with a fading trail). Play replays training slice by slice.
 * While the thumb sits on the last slice it follows new slices as they arrive (live view).
 */
export class Scrubber {
  readonly slice$ = new BehaviorSubject(0);
  readonly mode$ = new BehaviorSubject<ScrubMode>('all');
  private count = 0;
  private logs: LogRow[] = [];
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly range: HTMLInputElement;
  private readonly label: HTMLElement;
  private readonly marks: HTMLElement;
  private readonly playButton: HTMLButtonElement;
  private readonly modeSelect: HTMLSelectElement;

  constructor(
    host: HTMLElement,
    private readonly stepMs = 250,
  ) {
    host.classList.add('scrubber');
    host.innerHTML = `
      <label class="scrub-mode">show
        <select aria-label="Slices shown">
          <option value="all">all slices</option>
          <option value="upto">up to slice</option>
          <option value="only">only slice (trail)</option>
        </select>
      </label>
      <button type="button" class="play" aria-label="Play">▶</button>
      <div class="scrub-track">
        <input type="range" min="0" max="0" step="1" value="0" aria-label="Slice" />
        <div class="scrub-marks" aria-hidden="true"></div>
      </div>
      <output class="scrub-label" aria-live="polite"></output>`;
    this.range = host.querySelector('input')!;
    this.label = host.querySelector('.scrub-label')!;
    this.marks = host.querySelector('.scrub-marks')!;
    this.playButton = host.querySelector('.play')!;
    this.modeSelect = host.querySelector('select')!;
    this.range.addEventListener('input', () => this.set(Number(this.range.value)));
    this.playButton.addEventListener('click', () => this.toggle());
    this.modeSelect.addEventListener('change', () => this.mode$.next(this.modeSelect.value as ScrubMode));
    this.mode$.subscribe((m) => {
      this.modeSelect.value = m;
    });
  }

  get slices(): number {
    return this.count;
  }

  /** New slice count and logs; keeps following the end when the thumb was there. */
  setSlices(count: number, logs: LogRow[]): void {
    const atEnd = this.slice$.value >= this.count - 1;
    const changed = count !== this.count || logs.length !== this.logs.length;
    this.count = count;
    this.logs = logs;
    this.range.max = String(Math.max(0, count - 1));
    if (changed) this.renderMarks();
    if (atEnd && !this.timer) this.set(count - 1);
    else this.set(Math.min(this.slice$.value, count - 1));
  }

  set(slice: number): void {
    const s = Math.max(0, Math.min(Math.round(slice), this.count - 1));
    this.range.value = String(s);
    const log = this.logs[s];
    const parts = [`slice ${s} / ${Math.max(0, this.count - 1)}`];
    if (log) parts.push(`epoch ${log.epoch}`);
    if (log?.task) parts.push(taskLabel(log.task));
    this.label.textContent = this.count ? parts.join(' · ') : 'no slices yet';
    if (s !== this.slice$.value) this.slice$.next(s);
  }

  step(delta: number): void {
    this.set(this.slice$.value + delta);
  }

  toggle(): void {
    if (this.timer) this.pause();
    else this.play();
  }

  play(): void {
    if (this.timer || this.count < 2) return;
    if (this.mode$.value === 'all') this.mode$.next('upto');
    if (this.slice$.value >= this.count - 1) this.set(0);
    this.playButton.textContent = '❚❚';
    this.playButton.setAttribute('aria-label', 'Pause');
    this.timer = setInterval(() => {
      if (this.slice$.value >= this.count - 1) this.pause();
      else this.step(1);
    }, this.stepMs);
  }

  pause(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.playButton.textContent = '▶';
    this.playButton.setAttribute('aria-label', 'Play');
  }

  get playing(): boolean {
    return this.timer !== null;
  }

  /** Epoch labels at a few evenly spaced slices, and a mark where the task changes. */
  private renderMarks(): void {
    this.marks.replaceChildren();
    const n = this.count;
    if (n < 2) return;
    const at = (s: number): string => `${(s / (n - 1)) * 100}%`;
    const labels = Math.min(n, 8);
    for (let i = 0; i < labels; i++) {
      const s = Math.round((i / Math.max(1, labels - 1)) * (n - 1));
      const el = document.createElement('span');
      el.className = 'scrub-epoch';
      el.style.left = at(s);
      el.textContent = `e${this.logs[s]?.epoch ?? s}`;
      this.marks.append(el);
    }
    for (let s = 1; s < Math.min(n, this.logs.length); s++) {
      if (this.logs[s]!.task !== this.logs[s - 1]!.task) {
        const el = document.createElement('span');
        el.className = 'scrub-task';
        el.style.left = at(s - 0.5);
        el.title = `task ${this.logs[s]!.task ?? 'none'} from slice ${s}`;
        this.marks.append(el);
      }
    }
  }
}

/** "task A" for a bare label, the label itself when it already says so ("task 2"). */
export function taskLabel(task: string): string {
  return /^task\b/i.test(task) ? task : `task ${task}`;
}
