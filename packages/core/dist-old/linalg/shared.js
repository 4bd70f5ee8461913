/**
 * Arrays that core's worker threads (thread-pool.ts) read and write in place: backed by a
 * SharedArrayBuffer, or plain arrays where there is none (a browser page without cross-origin
 * isolation), where the tasks all run on the calling thread anyway.
 */
const canShare = typeof SharedArrayBuffer !== 'undefined';
export function sharedFloat32(length) {
    return canShare ? new Float32Array(new SharedArrayBuffer(4 * length)) : new Float32Array(length);
}
export function sharedFloat64(length) {
    return canShare ? new Float64Array(new SharedArrayBuffer(8 * length)) : new Float64Array(length);
}
/** x as float32 in shared memory: x itself when it already is, else a copy. */
export function toSharedFloat32(x) {
    if (x instanceof Float32Array && (!canShare || x.buffer instanceof SharedArrayBuffer))
        return x;
    const out = sharedFloat32(x.length);
    out.set(x);
    return out;
}
/** x in shared memory: x itself when it already is, else a copy. */
export function toSharedFloat64(x) {
    if (!canShare || x.buffer instanceof SharedArrayBuffer)
        return x;
    const out = sharedFloat64(x.length);
    out.set(x);
    return out;
}
//# sourceMappingURL=shared.js.map