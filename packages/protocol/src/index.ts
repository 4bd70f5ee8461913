/**
 * @mphate/protocol: the one definition of every message and file exchanged by the callback,
 * the server and the dashboard (docs/protocol.md, docs/snapshot.md, docs/api.md). No
 * dependencies; runs in Node and in browsers (`@mphate/protocol/node` holds the Node-only file helpers).
 */
export { backoff } from './backoff.js';
export { firstNonFinite } from './check.js';
export { type EmbeddingCsvInput, encodeEmbeddingCsv, formatFloat32 } from './embedding-csv.js';
export { type ErrorKind, errorKind, MphateError, ProtocolError } from './errors.js';
export {
  type AckMessage,
  decodeSlice,
  type EndMessage,
  type EpochMessage,
  encodeSlice,
  type HelloMessage,
  type IngestReply,
  type IngestTextMessage,
  parseIngestReply,
  parseIngestText,
  type RejectMessage,
  type SliceMessage,
  type SliceMeta,
  type WelcomeMessage,
} from './ingest.js';
export {
  type DeletedMessage,
  decodeEmbedding,
  type EmbeddingMessage,
  encodeEmbedding,
  type LiveTextMessage,
  type LogsMessage,
  type ProgressMessage,
  parseLiveRequest,
  parseLiveText,
  type SessionMessage,
  type SessionsMessage,
  type SubscribeMessage,
} from './live.js';
export {
  CROSS_ENTROPY_HINT,
  crossEntropyMetric,
  INFERENCE_CROSS_ENTROPY,
  type MemorizationErrors,
  memorizationErrors,
  VAL_INFERENCE_CROSS_ENTROPY,
} from './memorization.js';
export { decodeNpy, encodeNpy, isNpy, type NpyArray, NpyError } from './npy.js';
export {
  checkOptions,
  defaultsOf,
  describeRange,
  isValidOption,
  LIVE_OPTIONS,
  type LiveOptionValues,
  MPHATE_OPTIONS,
  type MphateOptionValues,
  type OptionSpec,
  type OptionTable,
  type OptionValue,
  type OptionValues,
} from './options/spec.js';
export {
  type ApiError,
  type EpochRow,
  type LogRow,
  logRow,
  type SessionDetail,
  type SessionStatus,
  type SessionSummary,
} from './rest.js';
export {
  isUuid,
  type LayerInfo,
  LIMITS,
  type MphateOptionsJson,
  type SessionHeader,
  validateMphateOptions,
  validateSessionHeader,
} from './session.js';
export {
  decodeSnapshot,
  type EpochRecord,
  encodeSnapshot,
  epochRow,
  isSnapshot,
  SNAPSHOT_MEDIA_TYPE,
  type Snapshot,
  type SnapshotEmbedding,
  type SnapshotHeader,
} from './snapshot.js';
export { PROTOCOL_VERSION, SNAPSHOT_VERSION } from './version.js';
