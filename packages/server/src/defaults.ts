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
  /** Largest POST /api/snapshots body, bytes (checked from Content-Length before reading). */
  maxUploadBytes: 256 * 1024 * 1024,
  /** Uploads imported at the same time; more are answered 503 (retry later). */
  maxConcurrentUploads: 2,
  /** How long a session without connection stays live before it is marked failed, ms. */
  graceMs: 60_000,
  /** A WebSocket that has not said hello (ingest) by then is closed, ms. */
  helloTimeoutMs: 10_000,
  /** Every socket is pinged this often; one that missed the previous pong is dropped, ms. */
  pingIntervalMs: 30_000,
  /** Subscriptions one dashboard connection may hold. */
  maxSubscriptions: 256,
  /**
   * The cost model (see cost-model.ts): what one session may ask of the server. The defaults
   * fit the paper's 384 units x 100 probes x 300 epochs and continual learning's 800 units x
   * ~75 slices with room to spare.
   */
  limits: Object.freeze({
    /** Traced units per session. */
    units: 1024,
    /** Probe samples per unit. */
    samples: 1024,
    /** Slices per session. */
    slices: 1000,
    /** Points (slices x units) per embedding. */
    points: 160_000,
    /** Size of the diffusion operator: landmarks, or points when they are fewer (M-PHATE's nLandmark). */
    landmarks: 4000,
    /** Epoch records per session. */
    epochs: 100_000,
    /** Distinct log keys (loss, acc, ...) per session. */
    logKeys: 256,
    /** Bytes of logs (slice and epoch records) per session. */
    logBytes: 32 * 1024 * 1024,
    /** Sessions in the store. */
    sessions: 10_000,
  }),
  /** A job may run this long plus jobMsPerUnitOfWork per unit of estimated work before it is stopped, ms. */
  jobBaseDeadlineMs: 5 * 60_000,
  jobMsPerUnitOfWork: 1e-5,
});

export type CostLimits = { readonly [K in keyof typeof SERVER_DEFAULTS.limits]: number };

/** The `mphate serve` flag that sets each limit (named in refusals). */
export const LIMIT_FLAGS: Readonly<Record<keyof CostLimits, string>> = Object.freeze({
  units: '--max-units',
  samples: '--max-samples',
  slices: '--max-slices',
  points: '--max-points',
  landmarks: '--max-landmarks',
  epochs: '--max-epochs',
  logKeys: '--max-log-keys',
  logBytes: '--max-log-bytes',
  sessions: '--max-sessions',
});
