/** Version of the WebSocket messages (ingest and live). Bumped on any incompatible change. */
export const PROTOCOL_VERSION = 1;
/** Version of the snapshot file format. */
export const SNAPSHOT_VERSION = 1;
