/** Symmetric eigensolver (STUB). Values descending, vectors as columns of a row-major n x n matrix. */
export function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  void a;
  return { values: new Float64Array(n), vectors: new Float64Array(n * n) };
}
