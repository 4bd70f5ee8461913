/**
 * Which units of a wide layer are traced. Layers wider than `maxUnitsPerLayer` keep a fixed,
 * seeded subset, the same at every slice (M-PHATE links a unit to itself across slices, so the
 * subset must never change within a session). The session header records it as `keptUnits`.
 */

/** mulberry32: tiny, fast, good enough to pick units; deterministic for a seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a of a string, so each layer draws its own subset from the one session seed. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The units to keep of a layer with `total` units: null when all are kept, else `max` distinct
 * indices in ascending order, drawn by a partial Fisher-Yates shuffle seeded by (seed, layer name).
 */
export function selectUnits(total: number, max: number, seed: number, layerName: string): number[] | null {
  if (!Number.isInteger(max) || max < 1)
    throw new Error(`maxUnitsPerLayer must be a positive integer, got ${max}`);
  if (total <= max) return null;
  const random = mulberry32((seed ^ hashString(layerName)) >>> 0);
  const pool = Int32Array.from({ length: total }, (_, i) => i);
  for (let i = 0; i < max; i++) {
    const j = i + Math.floor(random() * (total - i));
    const swap = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = swap;
  }
  return Array.from(pool.subarray(0, max)).sort((a, b) => a - b);
}
