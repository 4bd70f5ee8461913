/**
 * @mphate/server: ingest training sessions from callbacks, store them in SQLite, embed them
 * with M-PHATE in worker threads, push to dashboards, import and export snapshots.
 */
export { activeClasses } from './active-class.js';
export { isLoopback } from './auth.js';
export { runLatestWhenFree, Scheduler } from './scheduler.js';
export { type RunningServer, SERVER_VERSION, type ServerOptions, startServer } from './server.js';
export {
  exportSnapshot,
  exportTraceNpy,
  ImportError,
  importBytes,
  type NpyImportOptions,
  parseLabels,
} from './snapshots.js';
export { DB_FILE, SCHEMA_VERSION, type SessionRow, Store, type StoredEmbedding } from './store.js';
export { embeddingCsv, sessionDetail, sessionOptions } from './views.js';
