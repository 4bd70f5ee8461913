/**
 * The frame: how data coordinates map into regl-scatterplot's space, fitted to the bulk of the
 * points rather than to all of them. An M-PHATE embedding of a real training often has its
 * first slices (the network at initialisation) far from the rest; framing the full extent
 * squeezes the trained units into a corner. The robust extent is the box of the central
 * quantiles of each axis, widened: the outliers stay reachable by zooming out.
 *
 * At the library's default camera, its y range [-1, 1] spans the canvas height and x spans
 * [-aspect, aspect] (aspect = width / height), so the frame uses the canvas's aspect to fill
 * both directions. M-PHATE's axes are arbitrary (MDS output, defined up to rotation and
 * reflection), so when the bulk is tall and the canvas wide (or the other way round) the frame
 * swaps the axes: the second component runs across, the first up, and the view says so.
 */

/**
 * Data to library space: `((x - cx) * s, (y - cy) * s)`, or with `swap` the second component
 * across and the first up; fitted for a canvas of `aspect`.
 */
export interface DataFrame {
  cx: number;
  cy: number;
  s: number;
  aspect: number;
  swap: boolean;
}

/** Swapping the axes must fill the canvas at least this much better than not. */
const SWAP_GAIN = 1.15;

export interface Extent {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** Central quantiles of each axis that make the robust extent, and how much it is widened on each side. */
export const ROBUST_QUANTILES = [0.1, 0.9] as const;
export const ROBUST_WIDEN = 0.25;
/** The robust extent fills this much of the view along its tighter direction. */
export const FRAME_FILL = 0.9;
/** At most this many points enter the quantiles (an even subsample beyond). */
const QUANTILE_SAMPLE = 50_000;

/** Bounding box of the first two coordinates, null when there is no finite point. */
export function fullExtent(coordinates: Float32Array, dims: number): Extent | null {
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < coordinates.length; i += dims) {
    const x = coordinates[i]!;
    const y = coordinates[i + 1]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  return Number.isFinite(x0) ? { x0, x1, y0, y1 } : null;
}

/**
 * The box of the bulk: per axis the [10 %, 90 %] quantile range, widened by a quarter of it on
 * each side (for a Gaussian cloud that holds about 95 % of the points), never beyond the full extent.
 */
export function robustExtent(coordinates: Float32Array, dims: number): Extent | null {
  const full = fullExtent(coordinates, dims);
  if (!full) return null;
  const n = Math.floor(coordinates.length / dims);
  const step = Math.max(1, Math.ceil(n / QUANTILE_SAMPLE));
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i += step) {
    const x = coordinates[i * dims]!;
    const y = coordinates[i * dims + 1]!;
    if (Number.isFinite(x) && Number.isFinite(y)) {
      xs.push(x);
      ys.push(y);
    }
  }
  const [a0, a1] = widened(Float64Array.from(xs).sort());
  const [b0, b1] = widened(Float64Array.from(ys).sort());
  return {
    x0: Math.max(full.x0, a0),
    x1: Math.min(full.x1, a1),
    y0: Math.max(full.y0, b0),
    y1: Math.min(full.y1, b1),
  };
}

function widened(sorted: Float64Array): [number, number] {
  const lo = quantile(sorted, ROBUST_QUANTILES[0]);
  const hi = quantile(sorted, ROBUST_QUANTILES[1]);
  const pad = (hi - lo) * ROBUST_WIDEN;
  return [lo - pad, hi + pad];
}

/** Linear-interpolated quantile of sorted values. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const at = q * (sorted.length - 1);
  const k = Math.floor(at);
  const next = sorted[Math.min(k + 1, sorted.length - 1)]!;
  return sorted[k]! + (next - sorted[k]!) * (at - k);
}

/** The frame that shows `extent` centred, filling FRAME_FILL of a canvas of `aspect` at the default camera. */
export function frameFor(extent: Extent, aspect: number): DataFrame {
  const a = aspect > 0 && Number.isFinite(aspect) ? aspect : 1;
  const halfX = (extent.x1 - extent.x0) / 2;
  const halfY = (extent.y1 - extent.y0) / 2;
  const straight = fit(halfX, halfY, a);
  const swapped = fit(halfY, halfX, a);
  const swap = swapped.cover > straight.cover * SWAP_GAIN;
  return {
    cx: (extent.x0 + extent.x1) / 2,
    cy: (extent.y0 + extent.y1) / 2,
    s: (swap ? swapped : straight).s,
    aspect: a,
    swap,
  };
}

/** Scale that fits half-sizes (across, up) into the view, and the smaller share of width or height they then cover. */
function fit(across: number, up: number, aspect: number): { s: number; cover: number } {
  const limit = Math.min(across > 0 ? aspect / across : Infinity, up > 0 ? 1 / up : Infinity);
  if (!Number.isFinite(limit)) return { s: 1, cover: 0 };
  const s = FRAME_FILL * limit;
  return { s, cover: Math.min((s * across) / aspect, s * up) };
}

/** Library-space position of the data point (x, y). */
export function toView(frame: DataFrame, x: number, y: number): [number, number] {
  const u = (x - frame.cx) * frame.s;
  const v = (y - frame.cy) * frame.s;
  return frame.swap ? [v, u] : [u, v];
}

/** The data point at library-space position (u, v). */
export function toData(frame: DataFrame, u: number, v: number): [number, number] {
  const [a, b] = frame.swap ? [v, u] : [u, v];
  return [a / frame.s + frame.cx, b / frame.s + frame.cy];
}

/** How far `extent` reaches towards the view's edges at the default camera: 1 is the edge. */
export function reach(extent: Extent, frame: DataFrame): number {
  let out = 0;
  for (const x of [extent.x0, extent.x1]) {
    for (const y of [extent.y0, extent.y1]) {
      const [u, v] = toView(frame, x, y);
      out = Math.max(out, Math.abs(u) / frame.aspect, Math.abs(v));
    }
  }
  return out;
}
