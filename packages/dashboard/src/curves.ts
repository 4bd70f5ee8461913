import type { SessionDetail } from '@mphate/protocol';
import {
  Chart,
  type ChartDataset,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  type Plugin,
  PointElement,
  Tooltip,
} from 'chart.js';
import { categoricalColor } from './colors.js';
import { metricKeys } from './session-cache.js';

/**
 * Training curves with chart.js: one chart per metric (its val_ twin on the same chart), x =
 * slice so they line up with the scrubber. Each shows its last and best value; a vertical line
 * marks the scrubbed slice, and clicking a chart moves the scrubber there.
 */

Chart.register(
  LineController,
  LineElement,
  PointElement,
  LinearScale,
  LogarithmicScale,
  Legend,
  Tooltip,
  Filler,
);
Chart.defaults.color = '#c8ccd4';
Chart.defaults.borderColor = 'rgba(255,255,255,0.08)';
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
Chart.defaults.animation = false;

type Point = { x: number; y: number };

/** Draws a vertical line at `options.marker` on the x axis. */
const markerPlugin: Plugin<'line'> = {
  id: 'sliceMarker',
  afterDatasetsDraw(chart) {
    const marker = (chart.options.plugins as { sliceMarker?: { x: number | null } }).sliceMarker?.x;
    if (marker === null || marker === undefined) return;
    const x = chart.scales.x!.getPixelForValue(marker);
    const { top, bottom } = chart.chartArea;
    const ctx = chart.ctx;
    ctx.save();
    ctx.strokeStyle = 'rgba(255,255,255,0.55)';
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, bottom);
    ctx.stroke();
    ctx.restore();
  },
};

export interface LineChartOptions {
  title: string;
  xLabel?: string;
  yLabel?: string;
  onClickX?: (x: number) => void;
}

/** A small line chart with a slice marker, used for curves and for the comparison. */
export function createLineChart(
  canvas: HTMLCanvasElement,
  options: LineChartOptions,
): Chart<'line', Point[]> {
  return new Chart<'line', Point[]>(canvas, {
    type: 'line',
    data: { datasets: [] },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      interaction: { mode: 'nearest', intersect: false, axis: 'x' },
      elements: { point: { radius: 0, hitRadius: 6 }, line: { borderWidth: 1.6, tension: 0 } },
      scales: {
        // x is the slice: whole numbers only.
        x: {
          type: 'linear',
          ticks: { precision: 0 },
          title: { display: Boolean(options.xLabel), text: options.xLabel ?? '' },
        },
        y: { type: 'linear', title: { display: Boolean(options.yLabel), text: options.yLabel ?? '' } },
      },
      plugins: {
        legend: { display: true, labels: { boxWidth: 10, boxHeight: 2 } },
        tooltip: { enabled: true },
        // @ts-expect-error our plugin's options
        sliceMarker: { x: null },
      },
      onClick: (event, _elements, chart) => {
        if (!options.onClickX || event.x === null) return;
        options.onClickX(chart.scales.x!.getValueForPixel(event.x)!);
      },
    },
    plugins: [markerPlugin],
  });
}

export function setMarker(chart: Chart<'line', Point[]>, x: number | null): void {
  (chart.options.plugins as { sliceMarker?: { x: number | null } }).sliceMarker = { x };
  chart.update('none');
}

/** Metrics where larger is better (everything else: smaller is better). */
function higherIsBetter(key: string): boolean {
  return /acc|auc|precision|recall|f1|iou/i.test(key);
}

/** Every logged value of a metric, by slice. Epoch-only values (val_*) sit at their epoch's last slice. */
export function series(detail: SessionDetail, key: string): Point[] {
  const out: Point[] = [];
  for (const row of detail.logs) {
    const v = row[key];
    if (typeof v === 'number' && Number.isFinite(v)) out.push({ x: row.slice, y: v });
  }
  if (out.length > 0) return out;
  for (const row of detail.epochLogs) {
    const v = row[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    let slice = -1;
    for (const l of detail.logs) if (l.time <= row.time) slice = l.slice;
    if (slice < 0) slice = detail.logs.length - 1;
    out.push({ x: Math.max(0, slice), y: v });
  }
  return out;
}

function stats(key: string, points: Point[]): string {
  if (!points.length) return '';
  const last = points[points.length - 1]!;
  let best = points[0]!;
  for (const p of points) if (higherIsBetter(key) ? p.y > best.y : p.y < best.y) best = p;
  return `${key}: last ${fmt(last.y)} · best ${fmt(best.y)} @ ${best.x}`;
}

export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(2) : v.toPrecision(4);
}

interface CurveChart {
  group: string;
  keys: string[];
  chart: Chart<'line', Point[]>;
  stats: HTMLElement;
}

export class CurvesView {
  private charts: CurveChart[] = [];
  private logScale = false;
  private _marker: number | null = null;

  constructor(
    private readonly host: HTMLElement,
    private readonly onScrub: (slice: number) => void,
  ) {}

  /** Rebuilds the charts when the metrics change, else updates their data in place. */
  update(detail: SessionDetail): void {
    const keys = metricKeys(detail);
    const groups = new Map<string, string[]>();
    for (const key of keys) {
      const base = key.replace(/^val_/, '');
      groups.set(base, [...(groups.get(base) ?? []), key]);
    }
    const order = [...groups.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    const signature = order.map((g) => `${g}:${groups.get(g)!.join(',')}`).join('|');
    if (signature !== this.charts.map((c) => `${c.group}:${c.keys.join(',')}`).join('|')) {
      this.destroy();
      for (const group of order) this.charts.push(this.makeChart(group, groups.get(group)!.sort()));
      if (!order.length) this.host.innerHTML = '<p class="muted">No metrics logged yet.</p>';
    }
    for (const c of this.charts) {
      c.chart.data.datasets = c.keys.map((key, i) => dataset(key, series(detail, key), i));
      c.stats.textContent = c.keys
        .map((k) => stats(k, c.chart.data.datasets.find((d) => d.label === k)!.data))
        .join('   ');
      (c.chart.options.plugins as { sliceMarker?: { x: number | null } }).sliceMarker = { x: this._marker };
      c.chart.update('none');
    }
  }

  /** The slice the charts mark (the scrubbed one). */
  get marker(): number | null {
    return this._marker;
  }

  setMarker(slice: number | null): void {
    this._marker = slice;
    for (const c of this.charts) setMarker(c.chart, slice);
  }

  setLogScale(on: boolean): void {
    this.logScale = on;
    for (const c of this.charts) {
      c.chart.options.scales!.y!.type = on ? 'logarithmic' : 'linear';
      c.chart.update('none');
    }
  }

  /** Points per metric (tests check that curves grow). */
  pointCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const c of this.charts) for (const d of c.chart.data.datasets) out[d.label!] = d.data.length;
    return out;
  }

  private makeChart(group: string, keys: string[]): CurveChart {
    const box = document.createElement('figure');
    box.className = 'curve';
    box.innerHTML = `<figcaption><strong></strong> <span class="curve-stats"></span></figcaption><div class="curve-canvas"><canvas></canvas></div>`;
    box.querySelector('strong')!.textContent = group;
    box.dataset.metric = group;
    this.host.append(box);
    const chart = createLineChart(box.querySelector('canvas')!, {
      title: group,
      xLabel: 'slice',
      yLabel: group,
      onClickX: (x) => this.onScrub(Math.round(x)),
    });
    chart.options.scales!.y!.type = this.logScale ? 'logarithmic' : 'linear';
    return { group, keys, chart, stats: box.querySelector('.curve-stats')! };
  }

  destroy(): void {
    for (const c of this.charts) c.chart.destroy();
    this.charts = [];
    this.host.replaceChildren();
  }
}

function rank(group: string): number {
  if (group === 'loss') return 0;
  if (/^acc/.test(group)) return 1;
  return 2;
}

function dataset(key: string, data: Point[], i: number): ChartDataset<'line', Point[]> {
  const color = categoricalColor(key.startsWith('val_') ? 1 : i === 0 ? 0 : i + 1);
  return {
    label: key,
    data,
    borderColor: color,
    backgroundColor: color,
    ...(key.startsWith('val_') ? { borderDash: [5, 3] } : {}),
  };
}
