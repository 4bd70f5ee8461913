/**
 * @mphate/protocol/internal: the binary frame layer under the messages, for this repository's
 * tests only. Not a public API.
 */
export { decodeFrame, encodeFrame } from './frame.js';
