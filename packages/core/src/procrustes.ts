/** Orthogonal Procrustes of `moving` onto `reference` (rows x d each); returns the aligned copy (STUB). */
export function alignTo(reference: Float64Array, moving: Float64Array, rows: number, d: number): Float64Array {
  void reference;
  void rows;
  void d;
  return Float64Array.from(moving);
}

/** scipy.spatial.procrustes: both standardised; returns the transformed `moving` and the disparity (STUB). */
export function procrustes(
  reference: Float64Array,
  moving: Float64Array,
  rows: number,
  d: number,
): { aligned: Float64Array; disparity: number } {
  void reference;
  void rows;
  void d;
  return { aligned: Float64Array.from(moving), disparity: 0 };
}
