/**
 * @mphate/callback: trace a tfjs model's hidden units during model.fit and stream them to the
 * M-PHATE server (docs/callback.md).
 *
 *   await model.fit(xs, ys, { epochs: 10, callbacks: [mphateCallback({ probe })] });
 */
import { bindTo } from './bind.js';
import type {
  MphateCallbackConstructor,
  MphateCallback as MphateCallbackInstance,
  MphateCallbackOptions,
} from './callback.js';
import { projectTf } from './project-tf.js';

// No static import of '@tensorflow/tfjs': it would load this package's copy, not the project's (project-tf.ts).
const bound = bindTo(projectTf);

/** A tf.Callback that traces `probe` through the model's hidden layers and streams each slice. */
export const mphateCallback = bound.mphateCallback;
/** The same tracing for custom training loops, driven by hand. */
export const createTracer = bound.createTracer;
/** `new MphateCallback(options)` equals mphateCallback(options): the class of the project's tfjs (or `options.tf`). */
export const MphateCallback = function MphateCallback(options: MphateCallbackOptions) {
  return bound.mphateCallback(options);
} as unknown as MphateCallbackConstructor;

export type { ProbeLabels } from './active-labels.js';
export { type BackendReport, detectNodeBackend, isResolvable, NODE_BACKENDS } from './backend.js';
export {
  defineMphateCallback,
  type MphateCallbackConstructor,
  type MphateCallbackOptions,
} from './callback.js';
/** The instance type of MphateCallback (what mphateCallback() returns). */
export type MphateCallback = MphateCallbackInstance;
export { DEFAULT_SERVER, type TracerOptions } from './options.js';
export type { ProbeInput } from './probe.js';
export { Recorder } from './record.js';
export type { Tf } from './tf-types.js';
export { type LayerSelection, TraceModel, type TraceModelOptions } from './trace-model.js';
export { type CaptureAt, type CreateTracerOptions, type LogValues, Tracer } from './tracer.js';
export {
  DEFAULT_MAX_QUEUE_BYTES,
  ingestUrl,
  Transport,
  type TransportOptions,
  type TransportStats,
} from './transport.js';
export { selectUnits } from './units.js';
