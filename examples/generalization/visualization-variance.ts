/**
 * The reference's later heterogeneity score (its scripts since 2019-08): the sum over slices of
 * the trace of the sample covariance of that slice's unit coordinates, on the raw embedding.
 * Unlike the dashboard's spread (which scales the embedding to unit RMS first), it is not
 * scale-free: runs compare because M-PHATE's MDS output has a comparable scale.
 */
export function visualizationVariance(
  coordinates: Float32Array,
  shape: { slices: number; units: number; dims: number },
): number {
  const { slices, units, dims } = shape;
  if (units < 2) return 0;
  let total = 0;
  for (let s = 0; s < slices; s++) {
    for (let d = 0; d < Math.min(2, dims); d++) {
      let sum = 0;
      let sum2 = 0;
      for (let u = 0; u < units; u++) {
        const v = coordinates[(s * units + u) * dims + d]!;
        sum += v;
        sum2 += v * v;
      }
      total += (sum2 - (sum * sum) / units) / (units - 1);
    }
  }
  return total;
}
