/**
 * Copies the upper triangle of the m x m row-major matrix x below the diagonal, in cache-sized
 * tiles (a column-wise write per entry would be a cache miss each).
 */
export function mirrorUpper(x: Float64Array, m: number): void {
  const tile = 64;
  for (let i0 = 0; i0 < m; i0 += tile)
    for (let j0 = i0; j0 < m; j0 += tile) {
      const i1 = Math.min(m, i0 + tile);
      const j1 = Math.min(m, j0 + tile);
      for (let i = i0; i < i1; i++)
        for (let j = Math.max(j0, i + 1); j < j1; j++) x[j * m + i] = x[i * m + j]!;
    }
}
