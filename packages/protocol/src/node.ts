/** @mphate/protocol/node: the Node-only helpers (files). The main entry stays browser-safe. */
export { removePendingTemps, writeFileAtomic } from './write-file-atomic.js';
