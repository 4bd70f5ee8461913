import { type MphateOptionsJson, validateMphateOptions } from '@mphate/protocol';
import type { ProbeLabels } from './active-labels.js';
import type { ProbeInput } from './probe.js';
import type { Tf } from './tf-types.js';
import type { LayerSelection } from './trace-model.js';

/** Everything a tracer (and the callback) can be told. docs/callback.md lists each with its default. */
export interface TracerOptions {
  /** Fixed batch of inputs traced at every slice: a tensor [n, ...input shape] (or one per model input), or nested arrays. */
  probe: ProbeInput;
  /** Class of each probe sample: ids, or one-hot rows (array or tensor). Colours points in the dashboard. */
  probeLabels?: ProbeLabels;
  /** Names of the classes, indexed by class id. */
  classNames?: string[];
  /** Layers to trace: names, or a predicate. Default: every hidden layer with weights except the output layer. */
  layers?: LayerSelection;
  /** Wider layers keep a seeded, fixed subset of this many units. Default 256. */
  maxUnitsPerLayer?: number;
  /** 'epoch' (default) or a number of batches between slices. */
  every?: 'epoch' | number;
  /** Server URL (default ws://127.0.0.1:7777), or false to stream nowhere. Default false when `record` is set. */
  server?: string | false;
  /** Access token of the server; default: the MPHATE_TOKEN environment variable (Node). */
  token?: string;
  /** Session name; default: model name + local time. */
  session?: string;
  /** Also write the session to this snapshot file (Node) or download it under this name (browser). */
  record?: string;
  /** M-PHATE options for this session, sent in the session header and used by the server. */
  mphate?: MphateOptionsJson;
  /** Task label carried by every slice (continual learning); settable between fit calls. */
  task?: string | null;
  /** Trace the linear output of layers with a fused activation. Default true (as in the paper). */
  preActivation?: boolean;
  /** Seed of the unit subsets. Default 0. */
  seed?: number;
  /** Bound on bytes waiting for the server's acknowledgement. Default 256 MiB. */
  maxQueueBytes?: number;
  /** The tfjs namespace to use (e.g. `import * as tf from '@tensorflow/tfjs-node'`). Default '@tensorflow/tfjs'. */
  tf?: Tf;
  /** Where warnings go. Default console.warn. */
  warn?: (message: string) => void;
}

const DEFAULT_SERVER = 'ws://127.0.0.1:7777';

/** Checks the options that do not depend on the model; throws an Error saying what to fix. */
export function checkStaticOptions(options: TracerOptions): void {
  if (typeof options !== 'object' || options === null)
    throw new Error('mphateCallback needs an options object with at least { probe }');
  const { every, maxUnitsPerLayer, classNames, mphate, task, session, seed, maxQueueBytes, server, record } =
    options;
  if (every !== undefined && every !== 'epoch' && !(Number.isInteger(every) && (every as number) >= 1)) {
    throw new Error(`every must be 'epoch' or a whole number of batches >= 1, got ${JSON.stringify(every)}`);
  }
  if (maxUnitsPerLayer !== undefined && !(Number.isInteger(maxUnitsPerLayer) && maxUnitsPerLayer >= 1)) {
    throw new Error(`maxUnitsPerLayer must be a whole number >= 1, got ${JSON.stringify(maxUnitsPerLayer)}`);
  }
  if (
    classNames !== undefined &&
    (!Array.isArray(classNames) || classNames.some((c) => typeof c !== 'string'))
  ) {
    throw new Error('classNames must be an array of strings, indexed by class id');
  }
  if (mphate !== undefined) {
    try {
      validateMphateOptions(mphate, 'mphate');
    } catch (error) {
      throw new Error(`invalid M-PHATE options: ${(error as Error).message}`);
    }
  }
  checkTask(task);
  if (
    session !== undefined &&
    (typeof session !== 'string' || session.length === 0 || session.length > 256)
  ) {
    throw new Error('session must be a name of 1 to 256 characters');
  }
  if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32)) {
    throw new Error(`seed must be a whole number in [0, 2^32), got ${JSON.stringify(seed)}`);
  }
  if (maxQueueBytes !== undefined && !(Number.isFinite(maxQueueBytes) && maxQueueBytes > 0)) {
    throw new Error(`maxQueueBytes must be a positive number of bytes, got ${JSON.stringify(maxQueueBytes)}`);
  }
  if (server !== undefined && server !== false && typeof server !== 'string') {
    throw new Error("server must be a URL such as 'ws://127.0.0.1:7777', or false");
  }
  if (record !== undefined && (typeof record !== 'string' || record.length === 0)) {
    throw new Error('record must be a file path (Node) or a file name (browser)');
  }
}

export function checkTask(task: unknown): void {
  if (task !== undefined && task !== null && (typeof task !== 'string' || task.length > 256)) {
    throw new Error('task must be a string of at most 256 characters, or null');
  }
}

/** The server to stream to, or null: `server: false`, or `record` without an explicit server. */
export function resolveServer(options: TracerOptions): string | null {
  if (options.server === false) return null;
  if (options.server === undefined) return options.record ? null : DEFAULT_SERVER;
  return options.server;
}

/** options.token, else MPHATE_TOKEN from the environment in Node. */
export function resolveToken(options: TracerOptions): string | undefined {
  if (options.token) return options.token;
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.MPHATE_TOKEN || undefined;
}
