/** Dense products through tfjs-core (STUB: naive product for now). */
export async function matMul(
  a: Float32Array | Float64Array,
  b: Float32Array | Float64Array,
  m: number,
  k: number,
  n: number,
  opts: { transposeB?: boolean } = {},
): Promise<Float32Array> {
  const out = new Float32Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p] * (opts.transposeB ? b[j * k + p] : b[p * n + j]);
      out[i * n + j] = s;
    }
  return out;
}
