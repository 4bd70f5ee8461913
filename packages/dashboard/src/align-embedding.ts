import { alignTo, applySimilarity } from '@mphate/core/procrustes';
import type { EmbeddedPoints } from './session-cache.js';

/**
 * A session's new embedding turned onto the one on screen: the similarity (translation, rotation
 * or reflection, uniform scale) fitted by least squares on the points both have, applied to all
 * of the new one's. M-PHATE's axes are arbitrary, so a final batch (or a re-embed) comes in its
 * own orientation; aligned, it lands where the live frames were and only what the data changed
 * moves. Distances keep their ratios, so nothing a score or the compare view reads changes; the
 * server's stored coordinates (exports, `mphate embed`) are not touched.
 */
export function alignToShown(next: EmbeddedPoints, shown: EmbeddedPoints | null): EmbeddedPoints {
  if (!shown || shown.units !== next.units || shown.dims !== next.dims) return next;
  const rows = Math.min(shown.slices, next.slices) * next.units;
  const d = next.dims;
  if (rows <= d) return next;
  const reference = Float64Array.from(shown.coordinates.subarray(0, rows * d));
  const moving = Float64Array.from(next.coordinates.subarray(0, rows * d));
  const { map } = alignTo(reference, moving, rows, d);
  if (!(map.scale > 0) || !Number.isFinite(map.scale)) return next;
  const all = Float64Array.from(next.coordinates);
  const out = Float32Array.from(applySimilarity(map, all, next.slices * next.units));
  return { ...next, coordinates: out };
}
