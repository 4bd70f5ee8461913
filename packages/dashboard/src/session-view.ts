import type { SessionDetail } from '@mphate/protocol';
import type { Subscription } from 'rxjs';
import { saveBlob } from './api.js';
import { renderLegend } from './colors.js';
import { CurvesView } from './curves.js';
import { sessionSvg, svgToPng } from './exports/figure.js';
import { recordReplay, videoSupported } from './exports/replay-video.js';
import { type ColorMode, colorModesFor } from './scatter/point-colors.js';
import { ScatterView } from './scatter/scatter-view.js';
import { Scrubber, taskLabel } from './scrubber.js';
import { pointInfo, type SessionCache, type SessionData } from './session-cache.js';

/**
 * One session on screen: its header, the embedding with legend, tooltip and selection, the
 * scrubber and the curves, all linked. Owns no data: it renders what the store holds for the
 * session it shows.
 */

export interface SessionViewDeps {
  store: SessionCache;
  toast: (message: string, kind?: 'error' | 'info') => void;
  exportFile: (id: string, name: string, what: 'snapshot' | 'embedding.csv') => void;
  /** The colour modes that mean something for the shown session changed. */
  onModes: (modes: ColorMode[]) => void;
  /** Asks the server to embed a session that has no embedding. */
  embed: (id: string) => Promise<void>;
  /** The shown session was deleted (elsewhere or here). */
  onDeleted: () => void;
}

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

export class SessionView {
  readonly scatter: ScatterView;
  readonly scrubber: Scrubber;
  readonly curves: CurvesView;
  readonly selectedUnits = new Set<number>();
  colorMode: ColorMode = 'slice';
  currentId: string | null = null;
  private current: SessionData | null = null;
  private subscription: Subscription | null = null;
  private readonly tooltip = $('tooltip');

  constructor(private readonly deps: SessionViewDeps) {
    this.scatter = new ScatterView($('scatter'), {
      onHover: (row, x, y) => this.hover(row, x, y),
      onPick: (units) => {
        for (const u of units) this.selectedUnits.add(u);
        this.selectionChanged();
      },
      onClear: () => this.clearSelection(),
      onDrawn: () => {
        if (this.scatter.legend) renderLegend($('legend'), this.scatter.legend);
        if (this.scatter.currentFrame?.swap) {
          // M-PHATE's axes are arbitrary; the frame turned them to fill the canvas: say so.
          const note = document.createElement('div');
          note.className = 'legend-title';
          note.textContent = 'axes: M-PHATE 2 across, M-PHATE 1 up';
          $('legend').append(note);
        }
      },
    });
    this.scrubber = new Scrubber($('scrubber'));
    this.curves = new CurvesView($('curves'), (slice) => this.scrubber.set(slice));
    this.scrubber.slice$.subscribe((s) => {
      this.curves.setMarker(s);
      this.redraw();
    });
    this.scrubber.mode$.subscribe(() => this.redraw());
    this.wireToolbar();
  }

  private wireToolbar(): void {
    $<HTMLInputElement>('lasso-toggle').addEventListener('change', (e) =>
      this.scatter.setLasso((e.target as HTMLInputElement).checked),
    );
    $('reset-view').addEventListener('click', () => this.scatter.resetView());
    $<HTMLInputElement>('log-scale').addEventListener('change', (e) =>
      this.curves.setLogScale((e.target as HTMLInputElement).checked),
    );
    $('export-png').addEventListener('click', async () => {
      saveBlob(await this.scatter.png(), `${this.fileBase()}-${this.colorMode}.png`);
    });
    $('export-svg').addEventListener('click', () => {
      const svg = this.figureSvg();
      if (svg)
        saveBlob(new Blob([svg], { type: 'image/svg+xml' }), `${this.fileBase()}-${this.colorMode}.svg`);
    });
    $('export-figure-png').addEventListener('click', async () => {
      const svg = this.figureSvg();
      if (svg) saveBlob(await svgToPng(svg, 2), `${this.fileBase()}-${this.colorMode}@2x.png`);
    });
    $<HTMLButtonElement>('export-video').addEventListener('click', async (e) => {
      const button = e.currentTarget as HTMLButtonElement;
      button.disabled = true;
      try {
        const video = await this.recordVideo((done, total) => {
          button.textContent = `video ${done}/${total}`;
        });
        if (video) saveBlob(video, `${this.fileBase()}-replay.webm`);
      } catch (error) {
        this.deps.toast(`video export failed: ${(error as Error).message}`);
      } finally {
        button.textContent = 'video';
        button.disabled = false;
      }
    });
    for (const [id, what] of [
      ['export-csv', 'embedding.csv'],
      ['export-snapshot', 'snapshot'],
    ] as const) {
      $(id).addEventListener('click', () => {
        if (this.currentId)
          this.deps.exportFile(this.currentId, this.current?.detail?.name ?? this.currentId, what);
      });
    }
    $('select-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const input = $<HTMLInputElement>('select-unit');
      const unit = Number(input.value);
      const units = this.current?.detail?.units ?? 0;
      if (input.value === '' || !Number.isInteger(unit) || unit < 0 || unit >= units) {
        this.deps.toast(`unit must be an integer from 0 to ${units - 1}`);
        return;
      }
      this.selectedUnits.add(unit);
      input.value = '';
      this.selectionChanged();
    });
    $('clear-selection').addEventListener('click', () => this.clearSelection());
    $<HTMLButtonElement>('embed-button').addEventListener('click', async (e) => {
      const button = e.currentTarget as HTMLButtonElement;
      if (!this.currentId) return;
      button.disabled = true;
      try {
        await this.deps.embed(this.currentId);
        $('scatter-empty-text').textContent = 'Embedding…';
      } catch (error) {
        this.deps.toast(`embedding failed to start: ${(error as Error).message}`);
      } finally {
        button.disabled = false;
      }
    });
  }

  private fileBase(): string {
    return (this.current?.detail?.name ?? 'mphate').replace(/[^\w.-]+/g, '_');
  }

  /** The publication figure of the shown embedding (null before there is one). */
  figureSvg(): string | null {
    if (!this.current?.detail || !this.current.embedding) return null;
    return sessionSvg(this.current, this.colorMode, this.scatter.currentFrame?.swap ?? false);
  }

  /** Records the replay (one frame per slice, epoch burned in), then puts the view back. */
  async recordVideo(onProgress?: (done: number, total: number) => void): Promise<Blob | null> {
    const detail = this.current?.detail;
    const embedding = this.current?.embedding;
    if (!detail || !embedding) return null;
    if (!videoSupported()) throw new Error('this browser cannot record WebM (MediaRecorder)');
    this.scrubber.pause();
    try {
      return await recordReplay(
        this.scatter,
        { detail, embedding, colorMode: this.colorMode, selectedUnits: this.selectedUnits },
        (s) => `epoch ${detail.logs[s]?.epoch ?? s} · slice ${s}`,
        onProgress,
      );
    } finally {
      this.redraw();
    }
  }

  /** Shows session `id` (subscribing to its data in the store). */
  open(id: string): void {
    if (this.currentId === id) return;
    this.subscription?.unsubscribe();
    this.currentId = id;
    this.selectedUnits.clear();
    this.renderSelection();
    this.scatter.clear();
    this.curves.destroy();
    this.scrubber.pause();
    this.scrubber.setSlices(0, []);
    this.subscription = this.deps.store.session$(id).subscribe((data) => {
      this.current = data;
      if (data.deleted) {
        this.deps.toast('This session was deleted.', 'info');
        this.deps.onDeleted();
        return;
      }
      if (!data.detail) return;
      this.deps.onModes(colorModesFor([data.detail]));
      this.renderHead(data.detail, data);
      this.scrubber.setSlices(Math.max(data.detail.slices, data.embedding?.slices ?? 0), data.detail.logs);
      this.curves.update(data.detail);
      this.curves.setMarker(this.scrubber.slice$.value);
      this.renderProgress(data);
      this.redraw();
    });
  }

  setColorMode(mode: ColorMode): void {
    this.colorMode = mode;
    this.redraw();
  }

  toggleLasso(): void {
    const box = $<HTMLInputElement>('lasso-toggle');
    box.checked = !box.checked;
    this.scatter.setLasso(box.checked);
  }

  clearSelection(): void {
    if (!this.selectedUnits.size) return;
    this.selectedUnits.clear();
    this.selectionChanged();
  }

  private selectionChanged(): void {
    this.renderSelection();
    this.redraw();
  }

  private hover(row: number | null, x: number, y: number): void {
    const detail = this.current?.detail;
    const embedding = this.current?.embedding;
    const tooltip = this.tooltip;
    if (row === null || !detail || !embedding) {
      tooltip.hidden = true;
      return;
    }
    const p = pointInfo(detail, embedding, row);
    tooltip.textContent = `unit ${p.unit} (${p.layerName} #${p.layerUnit}) · slice ${p.slice} · epoch ${p.epoch ?? '?'}${
      p.task ? ` · ${taskLabel(p.task)}` : ''
    } · class ${p.className ?? '–'}`;
    tooltip.hidden = false;
    // Beside the point, kept inside the view.
    const host = $('scatter');
    const left = Math.max(4, Math.min(x + 12, host.clientWidth - tooltip.offsetWidth - 4));
    const top = y - tooltip.offsetHeight - 8 >= 4 ? y - tooltip.offsetHeight - 8 : y + 12;
    tooltip.style.left = `${left}px`;
    tooltip.style.top = `${top}px`;
  }

  private renderSelection(): void {
    const ul = $('selection-list');
    ul.replaceChildren();
    const detail = this.current?.detail;
    const embedding = this.current?.embedding;
    for (const u of [...this.selectedUnits].sort((a, b) => a - b)) {
      const li = document.createElement('li');
      let text = `unit ${u}`;
      if (detail && embedding) {
        const p = pointInfo(detail, embedding, u);
        text += ` · ${p.layerName} #${p.layerUnit}`;
      }
      li.append(text);
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'small';
      remove.textContent = '×';
      remove.setAttribute('aria-label', `deselect unit ${u}`);
      remove.addEventListener('click', () => {
        this.selectedUnits.delete(u);
        this.selectionChanged();
      });
      li.append(remove);
      ul.append(li);
    }
  }

  private redraw(): void {
    const detail = this.current?.detail;
    const embedding = this.current?.embedding;
    $('scatter-empty').hidden = Boolean(embedding);
    // A finished (or imported) session without an embedding: offer to embed it.
    const stranded = Boolean(detail && !embedding && detail.status !== 'live' && detail.slices > 0);
    const computing = Boolean(this.current?.progress && this.current.progress.phase !== 'idle');
    $('embed-button').hidden = !stranded || computing;
    $('scatter-empty-text').textContent = stranded
      ? computing
        ? 'Embedding…'
        : 'This session has no embedding yet.'
      : 'Waiting for the first embedding…';
    if (!detail || !embedding) return;
    this.scatter.update({
      detail,
      embedding,
      colorMode: this.colorMode,
      scrubMode: this.scrubber.mode$.value,
      slice: Math.min(this.scrubber.slice$.value, embedding.slices - 1),
      selectedUnits: this.selectedUnits,
    });
  }

  private renderHead(detail: SessionDetail, data: SessionData): void {
    $('session-name').textContent = detail.name;
    const status = $('session-status');
    status.textContent = detail.status;
    status.className = `badge ${detail.status}`;
    $('session-epochs').textContent = String(detail.epochs);
    $('session-slices').textContent = String(detail.slices);
    $('session-embedded').textContent =
      `${data.embedding?.slices ?? 0}${data.embedding?.final ? ' (final)' : ''}`;
    $('session-units').textContent = String(detail.units);
    $('session-points').textContent = (
      data.embedding ? data.embedding.slices * data.embedding.units : 0
    ).toLocaleString('en');
  }

  /** The computation's progress in the page header (phase and fraction), or the state of the embedding. */
  private renderProgress(data: SessionData): void {
    const box = $('progress');
    const p = data.progress;
    const e = data.embedding;
    // A progress message is stale once an embedding covering its slices has arrived.
    const done =
      !p || p.phase === 'idle' || p.fraction >= 1 || (e && e.slices >= p.slices && (e.final || !p.final));
    const text = box.querySelector('.progress-text')!;
    const bar = box.querySelector('progress')!;
    if (done) {
      // Nothing is computing: the header's "embedded N (final)" says the rest, no full bar stays up.
      box.hidden = true;
      text.textContent = '';
      bar.value = 1;
      return;
    }
    box.hidden = false;
    text.textContent = `${p.final ? 'final embedding' : 'embedding'}: ${p.phase} ${Math.round(p.fraction * 100)}% (${p.slices} slices)`;
    bar.value = p.fraction;
  }
}
