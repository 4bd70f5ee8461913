/**
 * How spread out the hidden units are in an embedding: the paper's "visualization variance"
 * (Gigante et al. 2019; algorithm notes section 12.2), computed like the dashboard's compare
 * view (packages/dashboard/src/heterogeneity.ts): centre all points and scale them to unit
 * root-mean-square, then per slice take the trace of the covariance of that slice's units.
 */

/** Per-slice spread of an embedding laid out row `slice * units + unit`, `dims` columns. */
export function sliceSpread(
  coordinates: Float32Array,
  slices: number,
  units: number,
  dims: number,
): Float64Array {
  if (coordinates.length !== slices * units * dims) {
    throw new Error(`embedding holds ${coordinates.length} values, expected ${slices} x ${units} x ${dims}`);
  }
  const n = slices * units;
  const mean = new Float64Array(dims);
  for (let i = 0; i < n; i++) for (let d = 0; d < dims; d++) mean[d]! += coordinates[i * dims + d]! / n;
  let sq = 0;
  for (let i = 0; i < n; i++)
    for (let d = 0; d < dims; d++) sq += (coordinates[i * dims + d]! - mean[d]!) ** 2;
  const scale = sq > 0 ? 1 / Math.sqrt(sq / n) : 1;
  const out = new Float64Array(slices);
  for (let s = 0; s < slices; s++) {
    let trace = 0;
    for (let d = 0; d < dims; d++) {
      let sum = 0;
      let sum2 = 0;
      for (let u = 0; u < units; u++) {
        const v = (coordinates[(s * units + u) * dims + d]! - mean[d]!) * scale;
        sum += v;
        sum2 += v * v;
      }
      trace += sum2 / units - (sum / units) ** 2;
    }
    out[s] = Math.max(0, trace);
  }
  return out;
}

/** Spearman rank correlation (average ranks for ties); NaN with fewer than 3 pairs. */
export function spearman(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length < 3) return Number.NaN;
  const ra = ranks(a);
  const rb = ranks(b);
  const n = a.length;
  const ma = ra.reduce((x, y) => x + y, 0) / n;
  const mb = rb.reduce((x, y) => x + y, 0) / n;
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    cov += (ra[i]! - ma) * (rb[i]! - mb);
    va += (ra[i]! - ma) ** 2;
    vb += (rb[i]! - mb) ** 2;
  }
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : Number.NaN;
}

function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((x, y) => x[0] - y[0]);
  const out = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) out[order[k]![1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}
