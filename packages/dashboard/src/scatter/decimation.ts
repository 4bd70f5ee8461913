/**
 * Above this many visible points, panning and zooming draw an even subsample (plus the
 * selection) and the full set again 200 ms after the camera stops: software WebGL stays usable.
 */
export const DECIMATE_ABOVE = 60_000;
export const DECIMATED_POINTS = 30_000;
/** How long the camera must rest before the full set is drawn again. */
export const SETTLE_MS = 200;

/**
 * Every k-th visible row, so that about DECIMATED_POINTS remain, plus the selected rows, sorted.
 * `visible` null means rows 0..total-1.
 */
export function evenSubsample(
  visible: readonly number[] | null,
  total: number,
  selected: readonly number[],
): number[] {
  const count = visible?.length ?? total;
  const step = Math.ceil(count / DECIMATED_POINTS);
  const out: number[] = [];
  for (let i = 0; i < count; i += step) out.push(visible ? visible[i]! : i);
  const chosen = new Set(out);
  for (const row of selected) if (!chosen.has(row)) out.push(row);
  return out.sort((a, b) => a - b);
}
