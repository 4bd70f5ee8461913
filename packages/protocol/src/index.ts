export { decodeNpy, encodeNpy, isNpy, type NpyArray, type NpyDtype, NpyError } from './npy.js';
