import { niceTicks } from './ticks.js';

/**
 * The figure: every point as a dot coloured from `palette`, a box with ticks and axis labels,
 * and a legend beside the plot listing every category (or the colour ramp of a sequential
 * quantity). Dots of one colour are one SVG path of zero-length round-capped segments, so a
 * figure of 100,000 points stays a few megabytes and opens quickly; colours are drawn in the
 * order their points come (the mean index of their points), so later slices lie on top.
 */

export type FigureLegend =
  | {
      kind: 'categorical';
      title: string;
      items: readonly { label: string; color: string }[];
      /** Items left out of the list, shown as "… N more". */
      more?: number;
    }
  | { kind: 'sequential'; title: string; min: string; max: string; colors: readonly string[] };

export interface FigureSpec {
  /** Horizontal and vertical position of each point, in data units. */
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Per point, an index into `palette`; points with an index outside it are not drawn. */
  colorIndex: ArrayLike<number>;
  palette: readonly string[];
  legend: FigureLegend;
  title?: string;
  xLabel: string;
  yLabel: string;
  /** Size in CSS pixels (SVG user units). Default 720 x 520. */
  width?: number;
  height?: number;
  /** Dot diameter. Default: 4 up to 10,000 points, then 3, then 2 above 50,000. */
  pointSize?: number;
  /** Background; default white (a figure for a paper). */
  background?: string;
  /** Text and axis colour; default near-black. */
  ink?: string;
}

const FONT = 'font-family="Helvetica, Arial, sans-serif"';

export function figureSvg(spec: FigureSpec): string {
  const width = spec.width ?? 720;
  const height = spec.height ?? 520;
  const ink = spec.ink ?? '#1a1a1a';
  const background = spec.background ?? '#ffffff';
  const n = Math.min(spec.x.length, spec.y.length, spec.colorIndex.length);
  const legendWidth = legendColumnWidth(spec.legend);
  const plot = {
    left: 64,
    top: spec.title ? 40 : 16,
    right: width - legendWidth - 16,
    bottom: height - 52,
  };
  // Equal scale on both axes (an embedding's distances mean the same across and up).
  const extent = dataExtent(spec.x, spec.y, n);
  const pad = 0.03;
  const spanX = (extent.x1 - extent.x0 || 1) * (1 + 2 * pad);
  const spanY = (extent.y1 - extent.y0 || 1) * (1 + 2 * pad);
  const scale = Math.min((plot.right - plot.left) / spanX, (plot.bottom - plot.top) / spanY);
  const cx = (extent.x0 + extent.x1) / 2;
  const cy = (extent.y0 + extent.y1) / 2;
  const midX = (plot.left + plot.right) / 2;
  const midY = (plot.top + plot.bottom) / 2;
  const px = (v: number) => midX + (v - cx) * scale;
  const py = (v: number) => midY - (v - cy) * scale;
  const x0 = cx - (plot.right - plot.left) / 2 / scale;
  const x1 = cx + (plot.right - plot.left) / 2 / scale;
  const y0 = cy - (plot.bottom - plot.top) / 2 / scale;
  const y1 = cy + (plot.bottom - plot.top) / 2 / scale;

  const size = spec.pointSize ?? (n > 50_000 ? 2 : n > 10_000 ? 3 : 4);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="${esc(background)}"/>`,
  );
  if (spec.title)
    out.push(
      `<text x="${plot.left}" y="24" ${FONT} font-size="15" font-weight="bold" fill="${esc(ink)}">${esc(spec.title)}</text>`,
    );
  out.push(
    `<g clip-path="url(#plot)"><clipPath id="plot"><rect x="${plot.left}" y="${plot.top}" width="${plot.right - plot.left}" height="${plot.bottom - plot.top}"/></clipPath>`,
  );
  for (const group of colourGroups(spec.colorIndex, spec.palette.length, n)) {
    const d: string[] = [];
    for (const i of group.points) {
      const a = spec.x[i]!;
      const b = spec.y[i]!;
      if (Number.isFinite(a) && Number.isFinite(b)) d.push(`M${px(a).toFixed(1)} ${py(b).toFixed(1)}h0`);
    }
    if (d.length)
      out.push(
        `<path d="${d.join('')}" stroke="${esc(spec.palette[group.color]!)}" stroke-width="${size}" stroke-linecap="round" stroke-opacity="0.85" fill="none"/>`,
      );
  }
  out.push('</g>');
  out.push(axes(plot, { x0, x1, y0, y1 }, px, py, spec, ink));
  out.push(legendSvg(spec.legend, plot.right + 16, plot.top, plot.bottom, ink));
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function dataExtent(x: ArrayLike<number>, y: ArrayLike<number>, n: number) {
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < n; i++) {
    const a = x[i]!;
    const b = y[i]!;
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    if (a < x0) x0 = a;
    if (a > x1) x1 = a;
    if (b < y0) y0 = b;
    if (b > y1) y1 = b;
  }
  return Number.isFinite(x0) ? { x0, x1, y0, y1 } : { x0: -1, x1: 1, y0: -1, y1: 1 };
}

/** Points by colour, colours ordered by the mean index of their points. */
function colourGroups(index: ArrayLike<number>, colors: number, n: number) {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const c = index[i]!;
    if (!(c >= 0 && c < colors)) continue;
    let g = groups.get(c);
    if (!g) groups.set(c, (g = []));
    g.push(i);
  }
  const mean = (p: number[]) => p.reduce((s, v) => s + v, 0) / p.length;
  return [...groups.entries()]
    .map(([color, points]) => ({ color, points, order: mean(points) }))
    .sort((a, b) => a.order - b.order);
}

function axes(
  plot: { left: number; top: number; right: number; bottom: number },
  range: { x0: number; x1: number; y0: number; y1: number },
  px: (v: number) => number,
  py: (v: number) => number,
  spec: FigureSpec,
  ink: string,
): string {
  const out: string[] = [
    `<rect x="${plot.left}" y="${plot.top}" width="${plot.right - plot.left}" height="${plot.bottom - plot.top}" fill="none" stroke="${esc(ink)}" stroke-width="1"/>`,
  ];
  for (const t of niceTicks(range.x0, range.x1)) {
    const x = px(t).toFixed(1);
    out.push(
      `<line x1="${x}" y1="${plot.bottom}" x2="${x}" y2="${plot.bottom + 5}" stroke="${esc(ink)}"/>`,
      `<text x="${x}" y="${plot.bottom + 18}" ${FONT} font-size="11" text-anchor="middle" fill="${esc(ink)}">${tick(t)}</text>`,
    );
  }
  for (const t of niceTicks(range.y0, range.y1)) {
    const y = py(t).toFixed(1);
    out.push(
      `<line x1="${plot.left - 5}" y1="${y}" x2="${plot.left}" y2="${y}" stroke="${esc(ink)}"/>`,
      `<text x="${plot.left - 8}" y="${y}" dy="4" ${FONT} font-size="11" text-anchor="end" fill="${esc(ink)}">${tick(t)}</text>`,
    );
  }
  const midX = (plot.left + plot.right) / 2;
  const midY = (plot.top + plot.bottom) / 2;
  out.push(
    `<text class="axis-label" x="${midX}" y="${plot.bottom + 40}" ${FONT} font-size="13" text-anchor="middle" fill="${esc(ink)}">${esc(spec.xLabel)}</text>`,
    `<text class="axis-label" x="18" y="${midY}" ${FONT} font-size="13" text-anchor="middle" fill="${esc(ink)}" transform="rotate(-90 18 ${midY})">${esc(spec.yLabel)}</text>`,
  );
  return out.join('\n');
}

function tick(v: number): string {
  return Math.abs(v) < 1e-12 ? '0' : String(Number(v.toPrecision(4)));
}

const ROW = 16;

function legendColumnWidth(legend: FigureLegend): number {
  if (legend.kind === 'sequential') return 110;
  const longest = Math.max(legend.title.length, ...legend.items.map((i) => i.label.length));
  return Math.min(220, 34 + longest * 6.5);
}

/** Every item in rows; when they do not fit the plot's height, in as many columns as needed. */
function legendSvg(legend: FigureLegend, left: number, top: number, bottom: number, ink: string): string {
  const out = [
    `<g class="legend"><text x="${left}" y="${top + 10}" ${FONT} font-size="12" font-weight="bold" fill="${esc(ink)}">${esc(legend.title)}</text>`,
  ];
  if (legend.kind === 'sequential') {
    const h = Math.min(200, bottom - top - 40);
    const stops = legend.colors
      .map(
        (c, i) =>
          `<stop offset="${(i / Math.max(1, legend.colors.length - 1)).toFixed(3)}" stop-color="${esc(c)}"/>`,
      )
      .join('');
    out.push(
      `<defs><linearGradient id="ramp" x1="0" y1="1" x2="0" y2="0">${stops}</linearGradient></defs>`,
      `<rect x="${left}" y="${top + 22}" width="14" height="${h}" fill="url(#ramp)"/>`,
      `<text class="legend-item" x="${left + 20}" y="${top + 22 + h}" ${FONT} font-size="11" fill="${esc(ink)}">${esc(legend.min)}</text>`,
      `<text class="legend-item" x="${left + 20}" y="${top + 32}" ${FONT} font-size="11" fill="${esc(ink)}">${esc(legend.max)}</text>`,
    );
  } else {
    const perColumn = Math.max(1, Math.floor((bottom - top - 22) / ROW));
    const columnWidth = legendColumnWidth(legend) - 8;
    const rows = legend.more
      ? [...legend.items, { label: `… ${legend.more} more`, color: 'none' }]
      : legend.items;
    rows.forEach((item, k) => {
      const x = left + Math.floor(k / perColumn) * columnWidth;
      const y = top + 22 + (k % perColumn) * ROW;
      out.push(
        `<circle cx="${x + 5}" cy="${y + 5}" r="4.5" fill="${esc(item.color)}"/>`,
        `<text class="legend-item" x="${x + 15}" y="${y + 9}" ${FONT} font-size="11" fill="${esc(ink)}">${esc(item.label)}</text>`,
      );
    });
  }
  out.push('</g>');
  return out.join('\n');
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
