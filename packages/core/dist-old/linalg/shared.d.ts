export declare function sharedFloat32(length: number): Float32Array;
export declare function sharedFloat64(length: number): Float64Array;
/** x as float32 in shared memory: x itself when it already is, else a copy. */
export declare function toSharedFloat32(x: Float32Array | Float64Array): Float32Array;
/** x in shared memory: x itself when it already is, else a copy. */
export declare function toSharedFloat64(x: Float64Array): Float64Array;
//# sourceMappingURL=shared.d.ts.map