/** SVD of a d x d matrix c (row-major): c = U·diag(s)·Vᵀ, s descending. */
export declare function smallSvd(c: Float64Array, d: number): {
    u: Float64Array;
    s: Float64Array;
    v: Float64Array;
};
//# sourceMappingURL=small-svd.d.ts.map