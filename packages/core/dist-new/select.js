/**
 * The value at 0-based position `k` of `a[0..len)` sorted ascending (numpy.partition's kth),
 * found in place by quickselect (Hoare partition, median-of-three pivot). Reorders `a`.
 */
export function kthSmallest(a, len, k) {
    let lo = 0;
    let hi = len - 1;
    while (hi > lo) {
        const mid = (lo + hi) >>> 1;
        // median of three as pivot
        let x = a[lo];
        let y = a[mid];
        let z = a[hi];
        if (x > y)
            [x, y] = [y, x];
        if (y > z)
            [y, z] = [z, y];
        if (x > y)
            [x, y] = [y, x];
        const pivot = y;
        let i = lo;
        let j = hi;
        while (i <= j) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i <= j) {
                const t = a[i];
                a[i] = a[j];
                a[j] = t;
                i++;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return a[k];
    }
    return a[k];
}
/** Median of a[0..len) (mean of the two middle values when len is even), numpy semantics. Reorders `a`. */
export function median(a, len) {
    const half = len >>> 1;
    if (len % 2 === 1)
        return kthSmallest(a, len, half);
    const upper = kthSmallest(a, len, half);
    // after selecting `half`, every value left of it is <= upper: the lower middle is their max
    let lower = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < half; i++)
        if (a[i] > lower)
            lower = a[i];
    return (lower + upper) / 2;
}
//# sourceMappingURL=select.js.map