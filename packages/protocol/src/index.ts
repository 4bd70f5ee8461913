/**
 * @mphate/protocol: the one definition of every message and file exchanged by the callback,
 * the server and the dashboard. No dependencies; runs in Node and in browsers.
 */
export { ProtocolError } from './errors.js';
export {
  decodeFrame,
  encodeFrame,
  type FrameHeader,
  float32View,
  int16View,
  MAX_HEADER_BYTES,
} from './frame.js';
export {
  type AckMessage,
  checkVersion,
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
  type SliceLimits,
  type SliceMessage,
  type SliceMeta,
  validateSliceMeta,
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
export { decodeNpy, encodeNpy, isNpy, type NpyArray, type NpyDtype, NpyError } from './npy.js';
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
  SNAPSHOT_EXTENSION,
  SNAPSHOT_MAGIC,
  SNAPSHOT_MEDIA_TYPE,
  type Snapshot,
  type SnapshotEmbedding,
  type SnapshotHeader,
} from './snapshot.js';
export { PROTOCOL_VERSION, SNAPSHOT_VERSION } from './version.js';
