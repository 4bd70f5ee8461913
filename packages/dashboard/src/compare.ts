import { histogramEntropy, sliceSpread } from '@mphate/core/heterogeneity';
import { memorizationErrors } from '@mphate/protocol';
import type { Chart } from 'chart.js';
import { combineLatest, type Subscription } from 'rxjs';
import { categoricalColor, renderLegend } from './colors.js';
import { createLineChart, fmt, setMarker } from './curves.js';
import { type ColorMode, colorModesFor } from './scatter/point-colors.js';
import { ScatterView, type ScrubMode } from './scatter/scatter-view.js';
import { Scrubber } from './scrubber.js';
import { lastValue, type SessionCache, type SessionData } from './session-cache.js';

/**
 * Two to four sessions side by side: the same colouring, one scrubber by slice for all, and a
 * summary each: final train and validation loss, the memorization error (validation minus
 * training cross-entropy metric, as the paper's scripts compute it), its inference-mode variant,
 * the plain loss gap (penalties included, so never called memorization error), the spread of
 * the units (per-slice covariance trace after unit-RMS scaling, as a curve over slices) and the
 * entropy of a 10 x 10 histogram of all points.
 */

export interface CompareSummary {
  id: string;
  name: string;
  finalLoss: number | null;
  finalValLoss: number | null;
  /** val_X - X of the logged cross-entropy metric X (no penalties), null when not logged. */
  memorizationError: number | null;
  /** The same from the inference-mode evaluation (no dropout), null when not logged. */
  memorizationErrorInference: number | null;
  /** val_loss - loss: includes regularization penalties. */
  lossGap: number | null;
  spread: number[];
  entropyBits: number | null;
}

interface Panel {
  id: string;
  scatter: ScatterView;
  summary: HTMLElement;
  title: HTMLElement;
  data: SessionData | null;
}

export class CompareView {
  readonly scrubber: Scrubber;
  private panels: Panel[] = [];
  private subscription: Subscription | null = null;
  private chart: Chart<'line', { x: number; y: number }[]> | null = null;
  private colorMode: ColorMode = 'slice';
  summaries: CompareSummary[] = [];

  constructor(
    private readonly grid: HTMLElement,
    scrubberHost: HTMLElement,
    private readonly chartCanvas: HTMLCanvasElement,
    private readonly store: SessionCache,
    /** The colour modes that mean something for the compared sessions changed. */
    private readonly onModes: (modes: ColorMode[]) => void = () => {},
  ) {
    this.scrubber = new Scrubber(scrubberHost);
    this.scrubber.slice$.subscribe(() => this.redraw());
    this.scrubber.mode$.subscribe(() => this.redraw());
  }

  get ids(): string[] {
    return this.panels.map((p) => p.id);
  }

  get scatters(): ScatterView[] {
    return this.panels.map((p) => p.scatter);
  }

  show(ids: string[]): void {
    if (ids.join(',') === this.ids.join(',')) return;
    this.close();
    this.grid.dataset.count = String(ids.length);
    this.panels = ids.map((id, k) => {
      const box = document.createElement('article');
      box.className = 'compare-panel';
      box.innerHTML = `<h3><span class="swatch"></span><span class="compare-name"></span></h3>
        <div class="compare-scatter-box"><div class="scatter-host compare-scatter"></div><div class="legend compare-legend"></div></div>
        <dl class="compare-summary"></dl>`;
      (box.querySelector('.swatch') as HTMLElement).style.background = categoricalColor(k);
      this.grid.append(box);
      const legend = box.querySelector<HTMLElement>('.compare-legend')!;
      const scatter: ScatterView = new ScatterView(box.querySelector('.compare-scatter')!, {
        onDrawn: () => {
          if (scatter.legend) renderLegend(legend, scatter.legend);
        },
      });
      return {
        id,
        scatter,
        summary: box.querySelector('.compare-summary')!,
        title: box.querySelector('.compare-name')!,
        data: null,
      };
    });
    this.chart = createLineChart(this.chartCanvas, {
      title: 'spread',
      xLabel: 'slice',
      yLabel: 'spread (unit-RMS embedding)',
      onClickX: (x) => this.scrubber.set(x),
    });
    this.subscription = combineLatest(ids.map((id) => this.store.session$(id))).subscribe((all) => {
      all.forEach((data, k) => {
        this.panels[k]!.data = data;
      });
      this.refresh();
    });
  }

  setColorMode(mode: ColorMode): void {
    this.colorMode = mode;
    this.redraw();
  }

  /** Recomputes the summaries and the spread chart, then redraws. */
  private refresh(): void {
    this.summaries = this.panels.map((p) => summarize(p));
    this.onModes(colorModesFor(this.panels.map((p) => p.data?.detail)));
    const count = Math.max(0, ...this.panels.map((p) => p.data?.embedding?.slices ?? 0));
    const logs =
      this.panels.find((p) => (p.data?.detail?.logs.length ?? 0) >= count)?.data?.detail?.logs ?? [];
    this.scrubber.setSlices(count, logs);
    this.panels.forEach((p, k) => {
      const s = this.summaries[k]!;
      p.title.textContent = s.name;
      p.summary.innerHTML = '';
      const rows: [string, string][] = [
        ['final loss', num(s.finalLoss)],
        ['final val_loss', num(s.finalValLoss)],
        [
          'memorization error',
          s.memorizationError === null ? 'no cross-entropy metric logged' : num(s.memorizationError),
        ],
        [
          'memorization error (inference mode)',
          s.memorizationErrorInference === null ? 'not evaluated' : num(s.memorizationErrorInference),
        ],
        ['val_loss − loss (with penalties)', num(s.lossGap)],
        ['spread (last slice)', num(s.spread.length ? s.spread[s.spread.length - 1]! : null)],
        ['histogram entropy', s.entropyBits === null ? '–' : `${s.entropyBits.toFixed(3)} bits`],
      ];
      for (const [k2, v] of rows) {
        const dt = document.createElement('dt');
        dt.textContent = k2;
        const dd = document.createElement('dd');
        dd.textContent = v;
        p.summary.append(dt, dd);
      }
    });
    if (this.chart) {
      this.chart.data.datasets = this.summaries.map((s, k) => ({
        label: s.name,
        data: s.spread.map((y, x) => ({ x, y })),
        borderColor: categoricalColor(k),
        backgroundColor: categoricalColor(k),
      }));
      this.chart.update('none');
    }
    this.redraw();
  }

  private redraw(): void {
    const slice = this.scrubber.slice$.value;
    const scrubMode: ScrubMode = this.scrubber.mode$.value;
    for (const p of this.panels) {
      const detail = p.data?.detail;
      const embedding = p.data?.embedding;
      if (!detail || !embedding) continue;
      p.scatter.update({
        detail,
        embedding,
        colorMode: this.colorMode,
        scrubMode,
        slice: Math.min(slice, embedding.slices - 1),
        selectedUnits: new Set(),
      });
    }
    if (this.chart) setMarker(this.chart, this.panels.length ? slice : null);
  }

  close(): void {
    this.subscription?.unsubscribe();
    this.subscription = null;
    for (const p of this.panels) p.scatter.destroy();
    this.panels = [];
    this.grid.replaceChildren();
    this.chart?.destroy();
    this.chart = null;
    this.summaries = [];
  }
}

function num(v: number | null): string {
  return v === null ? '–' : fmt(v);
}

export function summarize(p: { id: string; data: SessionData | null }): CompareSummary {
  const detail = p.data?.detail ?? null;
  const embedding = p.data?.embedding ?? null;
  const finalLoss = detail ? lastValue(detail, 'loss') : null;
  const finalValLoss = detail ? lastValue(detail, 'val_loss') : null;
  const errors = memorizationErrors(detail?.epochLogs ?? []);
  return {
    id: p.id,
    name: detail?.name ?? p.id.slice(0, 8),
    finalLoss,
    finalValLoss,
    memorizationError: errors.metric,
    memorizationErrorInference: errors.inference,
    lossGap: errors.lossGap,
    spread: embedding
      ? Array.from(
          sliceSpread(embedding.coordinates, {
            slices: embedding.slices,
            units: embedding.units,
            dims: embedding.dims,
          }),
        )
      : [],
    entropyBits: embedding ? histogramEntropy(embedding.coordinates, embedding.dims) : null,
  };
}
