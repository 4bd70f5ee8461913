/**
 * @mphate/server: ingest training sessions from callbacks, store them in SQLite, embed them
 * with M-PHATE in worker threads, push to dashboards, import and export snapshots
 * (docs/api.md). The store functions below are what `mphate import` and `mphate export` use
 * on a data folder, also while a server runs on it.
 */
export { SERVER_DEFAULTS } from './defaults.js';
export { embeddingCsv } from './embedding-files.js';
export { type QueueWorkerOptions, type RunningWorker, startQueueWorker } from './queue-worker.js';
export { type RunningServer, SERVER_VERSION, type ServerOptions, startServer } from './server.js';
export { DB_FILE, SessionStore } from './session-store.js';
export {
  exportSnapshot,
  exportTraceNpy,
  importBytes,
  type NpyImportOptions,
  parseLabels,
} from './snapshots.js';
export { isPostgresUrl, openStore, redactUrl, type Store, type StoreSpec } from './store.js';
export type { SessionRow, StoredEmbedding } from './store-rows.js';
