import type { FigureSpec } from './figure-svg.js';
import { CATEGORICAL, categoricalColor, SEQUENTIAL, UNKNOWN_COLOR } from './palettes.js';

/**
 * The figure of one session's embedding, coloured by slice, epoch, layer or most-active class:
 * what the dashboard's "SVG" button and `mphate export ID --out fig.svg` both draw. Only plain
 * arrays in, so the page and the command line build it from what each holds.
 */

export type FigureColoring = 'slice' | 'epoch' | 'layer' | 'class';

export interface SessionFigureInput {
  name: string;
  slices: number;
  units: number;
  /** Components per point (2 or 3; the first two are drawn). */
  dims: number;
  /** slices x units x dims, row = slice * units + unit. */
  coordinates: ArrayLike<number>;
  layers: readonly { name: string; units: number }[];
  /** Per point, the most-active class or -1. */
  activeClass?: ArrayLike<number>;
  classNames?: readonly string[];
  /** Per slice, its epoch. */
  epochs?: readonly number[];
  coloring: FigureColoring;
  /** Draw the second component across and the first up (the dashboard's frame may do so). */
  swap?: boolean;
}

export function sessionFigure(input: SessionFigureInput): FigureSpec {
  const { slices, units, dims, coordinates } = input;
  const n = slices * units;
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = coordinates[i * dims]!;
    b[i] = coordinates[i * dims + 1]!;
  }
  const colorIndex = new Int32Array(n);
  let palette: readonly string[];
  let legend: FigureSpec['legend'];
  const coloring = input.coloring === 'class' && !input.activeClass ? 'slice' : input.coloring;
  switch (coloring) {
    case 'slice':
    case 'epoch': {
      const value = (s: number) => (coloring === 'epoch' ? (input.epochs?.[s] ?? s) : s);
      let lo = Infinity;
      let hi = -Infinity;
      for (let s = 0; s < slices; s++) {
        lo = Math.min(lo, value(s));
        hi = Math.max(hi, value(s));
      }
      const d = Math.max(1, hi - lo);
      for (let s = 0; s < slices; s++)
        colorIndex.fill(
          Math.round(((value(s) - lo) / d) * (SEQUENTIAL.length - 1)),
          s * units,
          (s + 1) * units,
        );
      palette = SEQUENTIAL;
      legend = { kind: 'sequential', title: coloring, min: String(lo), max: String(hi), colors: SEQUENTIAL };
      break;
    }
    case 'layer': {
      let u = 0;
      const layerOf = new Int32Array(units);
      input.layers.forEach((l, k) => {
        layerOf.fill(k % CATEGORICAL.length, u, u + l.units);
        u += l.units;
      });
      for (let i = 0; i < n; i++) colorIndex[i] = layerOf[i % units]!;
      palette = CATEGORICAL;
      legend = {
        kind: 'categorical',
        title: 'layer',
        items: input.layers.map((l, k) => ({
          label: `${l.name} (${l.units} unit${l.units === 1 ? '' : 's'})`,
          color: categoricalColor(k),
        })),
      };
      break;
    }
    case 'class': {
      const seen = new Set<number>();
      for (let i = 0; i < n; i++) {
        const c = input.activeClass![i]!;
        colorIndex[i] = c < 0 ? CATEGORICAL.length : c % CATEGORICAL.length;
        seen.add(c);
      }
      palette = [...CATEGORICAL, UNKNOWN_COLOR];
      legend = {
        kind: 'categorical',
        title: 'most-active class',
        items: [...seen]
          .sort((x, y) => x - y)
          .map((c) => ({
            label: c < 0 ? 'unknown' : (input.classNames?.[c] ?? `class ${c}`),
            color: categoricalColor(c),
          })),
      };
      break;
    }
  }
  return {
    x: input.swap ? b : a,
    y: input.swap ? a : b,
    colorIndex,
    palette,
    legend,
    title: input.name,
    xLabel: input.swap ? 'M-PHATE 2' : 'M-PHATE 1',
    yLabel: input.swap ? 'M-PHATE 1' : 'M-PHATE 2',
  };
}
