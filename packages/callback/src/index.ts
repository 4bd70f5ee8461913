/**
 * @mphate/callback: trace a tfjs model's hidden units during model.fit and stream them to the
 * M-PHATE server. Exactly what docs/callback.md describes:
 *
 *   await model.fit(xs, ys, { epochs: 10, callbacks: [mphateCallback({ probe })] });
 */
import * as tf from '@tensorflow/tfjs';
import { bindTo } from './bind.js';
import type { MphateCallback as MphateCallbackInstance } from './callback.js';

const bound = bindTo(() => tf);

/** A tf.Callback that traces `probe` through the model's hidden layers and streams each slice. */
export const mphateCallback = bound.mphateCallback;
/** The same tracing for custom training loops, driven by hand. */
export const createTracer = bound.createTracer;

export type { ProbeLabels } from './active-labels.js';
export { type BackendReport, detectNodeBackend } from './backend.js';
export type { MphateCallbackOptions } from './callback.js';
/** What mphateCallback() returns: a tf.Callback plus the session's controls. */
export type MphateCallback = MphateCallbackInstance;
export type { TracerOptions } from './options.js';
export type { ProbeInput } from './probe.js';
export type { Tf } from './tf-types.js';
export type { LayerSelection } from './trace-model.js';
export type { CaptureAt, CreateTracerOptions, LogValues, Tracer } from './tracer.js';
export type { TransportStats } from './transport.js';
