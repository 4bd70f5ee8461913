/**
 * Aligns a new frame onto the previous one: the similarity (rotation or reflection, uniform
 * scale, translation) fitted on the first `common` rows, the points both frames hold, applied
 * to all `rows` rows of the new frame, so the picture grows instead of jumping.
 */
export declare function alignOnto(previous: Float64Array, next: Float64Array, common: number, rows: number, d: number): Float64Array;
//# sourceMappingURL=alignment.d.ts.map