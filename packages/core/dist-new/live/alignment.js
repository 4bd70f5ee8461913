import { alignTo, applySimilarity } from '../embed/procrustes.js';
/**
 * Aligns a new frame onto the previous one: the similarity (rotation or reflection, uniform
 * scale, translation) fitted on the first `common` rows, the points both frames hold, applied
 * to all `rows` rows of the new frame, so the picture grows instead of jumping.
 */
export function alignOnto(previous, next, common, rows, d) {
    const { map } = alignTo(previous, next.subarray(0, common * d), common, d);
    return applySimilarity(map, next, rows);
}
//# sourceMappingURL=alignment.js.map