/**
 * Every default of the server, in one object (the `@mphate/server/defaults` entry, which loads
 * nothing else, so the CLI's help and flags read them without starting a server).
 */
export const SERVER_DEFAULTS = Object.freeze({
  port: 7777,
  host: '127.0.0.1',
  /** Folder of the SQLite store, relative to where the command runs. */
  dataDir: './mphate-data',
  /** Largest WebSocket message, bytes. */
  maxMessageBytes: 64 * 1024 * 1024,
  /** Largest total of slice data per session, bytes. */
  maxSessionBytes: 2 * 1024 * 1024 * 1024,
  /** Largest POST /api/snapshots body, bytes. */
  maxUploadBytes: 1024 * 1024 * 1024,
  /** How long a session without connection stays live before it is marked failed, ms. */
  graceMs: 60_000,
});
