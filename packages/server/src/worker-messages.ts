/**
 * Messages between the main thread and the embedding workers (internal, not a wire protocol:
 * both ends are this package, structured-cloned with transferable buffers).
 */
import type { MphateOptionsJson } from '@mphate/protocol';

export interface EmbedResult {
  /** points x nComponents float32, row `slice * units + unit`. */
  coordinates: Float32Array;
  points: number;
  nComponents: 2 | 3;
  t: number;
  landmarks: number;
  timings: Record<string, number>;
  /** Method jobs: the four neighbourhood scores (computed in the worker, off the event loop). */
  scores?: { intra10: number; inter10: number; intra40: number; inter40: number };
}

/** Append slices to the session's live IncrementalMphate (created or reset as asked), then embed. */
export interface LiveJob {
  type: 'live';
  job: number;
  session: string;
  units: number;
  samples: number;
  options: MphateOptionsJson;
  /** Drop the session's state first and start from these slices. */
  reset: boolean;
  /** New slices, units x samples each, in slice order (buffers transferred). */
  slices: Float32Array[];
}

/** Batch fitTransform of a whole trace (final embedding, re-embed). */
export interface BatchJob {
  type: 'batch';
  job: number;
  session: string;
  epochs: number;
  units: number;
  samples: number;
  options: MphateOptionsJson;
  /** A comparison method (@mphate/methods) instead of M-PHATE with `options`; scored too. */
  method?: { name: string; seed: number };
  /** epochs x units x samples float32 (buffer transferred). */
  data: Float32Array;
}

/** Forget a session's live state (it ended or was deleted). */
export interface DropMessage {
  type: 'drop';
  session: string;
}

export type WorkerRequest = LiveJob | BatchJob | DropMessage;

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'warning'; message: string }
  | { type: 'progress'; job: number; phase: string; fraction: number }
  | { type: 'done'; job: number; result: EmbedResult }
  | { type: 'failed'; job: number; error: string };
