/**
 * Colour maps, the one place they are defined: sequential (viridis) for ordered quantities such
 * as slice and epoch, categorical (20 distinguishable colours) for layer, class and task, and
 * distinct hues for many units. Plain hex lists, so the same map colours the dashboard's WebGL
 * points, its legends and curves, and the figures.
 */

/** Viridis at 16 stops (matplotlib's), interpolated to `SEQUENTIAL_STEPS` entries. */
const VIRIDIS_STOPS = [
  '#440154',
  '#481a6c',
  '#472f7d',
  '#414487',
  '#39568c',
  '#31688e',
  '#2a788e',
  '#23888e',
  '#1f988b',
  '#22a884',
  '#35b779',
  '#54c568',
  '#7ad151',
  '#a5db36',
  '#d2e21b',
  '#fde725',
];

export const SEQUENTIAL_STEPS = 64;

/** Tableau 10 followed by its light variants: 20 colours that stay apart on a dark background. */
export const CATEGORICAL: readonly string[] = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
  '#a0cbe8',
  '#ffbe7d',
  '#ff9d9a',
  '#8cd17d',
  '#f1ce63',
  '#86bcb6',
  '#d4a6c8',
  '#fabfd2',
  '#d7b5a6',
  '#79706e',
];

/** The colour of "unknown" (e.g. a point without a most-active class). */
export const UNKNOWN_COLOR = '#5c6370';

function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function rgbToHex([r, g, b]: [number, number, number]): string {
  return `#${((1 << 24) | (Math.round(r) << 16) | (Math.round(g) << 8) | Math.round(b)).toString(16).slice(1)}`;
}

/** Samples a colour map given by stops at `steps` evenly spaced positions. */
export function interpolateStops(stops: readonly string[], steps: number): string[] {
  const rgb = stops.map(hexToRgb);
  const out: string[] = [];
  for (let i = 0; i < steps; i++) {
    const t = steps === 1 ? 0 : (i / (steps - 1)) * (rgb.length - 1);
    const k = Math.min(Math.floor(t), rgb.length - 2);
    const f = t - k;
    const a = rgb[k]!;
    const b = rgb[k + 1]!;
    out.push(rgbToHex([a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f]));
  }
  return out;
}

export const SEQUENTIAL: readonly string[] = interpolateStops(VIRIDIS_STOPS, SEQUENTIAL_STEPS);

/** The colour of value t in [0, 1] on the sequential map. */
export function sequentialColor(t: number): string {
  const i = Math.round(Math.min(1, Math.max(0, t)) * (SEQUENTIAL_STEPS - 1));
  return SEQUENTIAL[i]!;
}

/**
 * n colours that each differ from their neighbours: the categorical 20 when they suffice, else
 * one hue per item stepped by the golden angle (so consecutive items sit far apart on the
 * wheel) at three lightness levels. Nothing repeats, unlike a categorical map cycled.
 */
export function distinctColors(n: number): string[] {
  if (n <= CATEGORICAL.length) return CATEGORICAL.slice(0, n);
  return Array.from({ length: n }, (_, k) => hslToHex((k * 137.508) % 360, 0.62, [0.62, 0.5, 0.74][k % 3]!));
}

function hslToHex(h: number, s: number, l: number): string {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number): number => {
    const k = (n + h / 30) % 12;
    return 255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1)));
  };
  return rgbToHex([f(0), f(8), f(4)]);
}

/** The colour of category k (wrapping after 20); negative k is "unknown". */
export function categoricalColor(k: number): string {
  return k < 0 ? UNKNOWN_COLOR : CATEGORICAL[k % CATEGORICAL.length]!;
}
