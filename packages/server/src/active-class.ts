/**
 * The most-active class of each unit in one slice: the class whose probe samples give the
 * largest L2 norm of that unit's activations. -1 for every unit when the probes have no
 * labels. Computed once at ingest and stored with the slice (int16 per unit).
 */
export function activeClasses(
  data: Float32Array,
  units: number,
  samples: number,
  labels: readonly number[] | undefined,
): Int16Array {
  const out = new Int16Array(units).fill(-1);
  if (!labels || labels.length !== samples) return out;
  let classes = 0;
  for (const c of labels) classes = Math.max(classes, c + 1);
  const sums = new Float64Array(classes);
  for (let u = 0; u < units; u++) {
    sums.fill(0);
    const row = u * samples;
    for (let k = 0; k < samples; k++) {
      const a = data[row + k]!;
      sums[labels[k]!]! += a * a;
    }
    // sqrt is monotone: compare squared norms. Ties go to the lowest class id.
    let best = -1;
    let bestValue = 0;
    for (let c = 0; c < classes; c++) {
      if (sums[c]! > bestValue) {
        best = c;
        bestValue = sums[c]!;
      }
    }
    out[u] = best;
  }
  return out;
}
