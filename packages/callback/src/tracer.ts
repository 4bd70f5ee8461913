import {
  encodeSlice,
  LIMITS,
  type SessionHeader,
  type SliceMeta,
  validateSessionHeader,
} from '@mphate/protocol';
import { toClassIds } from './active-labels.js';
import { checkStaticOptions, checkTask, resolveServer, resolveToken, type TracerOptions } from './options.js';
import { prepareProbe } from './probe.js';
import { Recorder } from './record.js';
import type { LayersModel, Tensor, Tf } from './tf-types.js';
import { TraceModel } from './trace-model.js';
import { Transport, type TransportStats } from './transport.js';

export interface CreateTracerOptions extends TracerOptions {
  model: LayersModel;
  /** Free-form description of the run stored in the header (the callback puts model.fit's params here). */
  params?: Record<string, unknown>;
}

/** Where a slice was taken. Omitted fields follow the tracer's own counters. */
export interface CaptureAt {
  /** Epoch within the current fit (default: epochs ended so far since `startFit`). */
  epoch?: number;
  /** Batch within the epoch, or null at epoch end (default null). */
  batch?: number | null;
  /** Global step: batches seen since the session began (default: the tracer's step counter). */
  step?: number;
}

export type LogValues = Record<string, number | Tensor | undefined | null>;

function uuid(): string {
  const c = (
    globalThis as { crypto?: { randomUUID?: () => string; getRandomValues(b: Uint8Array): Uint8Array } }
  ).crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  // Insecure browser contexts have getRandomValues but no randomUUID.
  const b = new Uint8Array(16);
  c!.getRandomValues(b);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function localTime(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())} ${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}`;
}

/** tf.version.tfjs of the union package, else the core version (tfjs-node reports both). */
function tfjsVersion(tf: Tf): string | undefined {
  const versions = tf.version as Record<string, string> | undefined;
  return versions?.tfjs ?? versions?.['tfjs-core'];
}

/** Logs as plain finite numbers; scalar tensors (tfjs batch logs) are read back. */
export async function resolveLogs(logs: LogValues | undefined): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  if (!logs) return out;
  for (const [key, value] of Object.entries(logs)) {
    let v: number | undefined;
    if (typeof value === 'number') v = value;
    else if (value && typeof (value as Tensor).data === 'function') v = (await (value as Tensor).data())[0];
    if (v !== undefined && Number.isFinite(v)) out[key] = v;
  }
  return out;
}

/**
 * One traced session: probe model, numbering, delivery and recording. The callback drives it from
 * model.fit; custom training loops drive it by hand (`createTracer`). Construction validates
 * everything and throws an Error saying what to fix; after that nothing here throws into training.
 */
export class Tracer {
  readonly header: SessionHeader;
  readonly sessionId: string;
  private readonly traceModel: TraceModel;
  private readonly probe: Tensor[];
  private readonly transport: Transport | null;
  private readonly recorder: Recorder | null;
  private readonly warn: (message: string) => void;
  private currentTask: string | null;
  private slices = 0;
  private epochs = 0;
  private epochInFit = 0;
  private step = 0;
  private ended = false;
  private finishing: Promise<void> | null = null;

  constructor(tf: Tf, options: CreateTracerOptions) {
    checkStaticOptions(options);
    const { model } = options;
    if (!model || !Array.isArray(model.inputs) || !Array.isArray(model.layers)) {
      throw new Error('createTracer needs { model }: a tf.LayersModel (tf.sequential or tf.model), built');
    }
    this.warn = options.warn ?? ((m) => console.warn(m));
    this.currentTask = options.task ?? null;
    this.probe = prepareProbe(tf, model, options.probe);
    try {
      this.traceModel = new TraceModel(tf, model, this.probe, {
        layers: options.layers,
        maxUnitsPerLayer: options.maxUnitsPerLayer,
        preActivation: options.preActivation,
        seed: options.seed,
      });
      const { layers, units, samples } = this.traceModel;
      if (units > LIMITS.maxUnits) {
        throw new Error(
          `the traced layers hold ${units} units, more than ${LIMITS.maxUnits}: lower maxUnitsPerLayer or trace fewer layers`,
        );
      }
      const now = Date.now();
      const header: SessionHeader = {
        id: uuid(),
        name: options.session ?? `${model.name} ${localTime(new Date(now))}`.slice(-256),
        createdAt: now,
        units,
        samples,
        layers,
        every: options.every ?? 'epoch',
        source: 'callback',
        model: {
          name: model.name,
          tfjsVersion: tfjsVersion(tf),
          backend: tf.getBackend(),
          ...(options.params ? { params: options.params } : {}),
        },
      };
      if (options.probeLabels !== undefined)
        header.probeLabels = toClassIds(options.probeLabels, samples, options.classNames);
      if (options.classNames) header.classNames = [...options.classNames];
      if (options.mphate) header.mphate = { ...options.mphate };
      try {
        this.header = validateSessionHeader(JSON.parse(JSON.stringify(header)));
      } catch (error) {
        throw new Error(`the session header is invalid: ${(error as Error).message}`);
      }
      this.sessionId = this.header.id;
      const server = resolveServer(options);
      this.transport = server
        ? new Transport({
            server,
            token: resolveToken(options),
            header: this.header,
            maxQueueBytes: options.maxQueueBytes,
            warn: this.warn,
          })
        : null;
      this.recorder = options.record ? new Recorder(options.record, this.header) : null;
    } catch (error) {
      for (const t of this.probe) t.dispose();
      throw error;
    }
  }

  get task(): string | null {
    return this.currentTask;
  }

  /** True once `end()` or `close()` was called: the session is over. */
  get isEnded(): boolean {
    return this.ended;
  }

  set task(task: string | null) {
    checkTask(task);
    this.currentTask = task ?? null;
  }

  /** Slices taken so far (the next slice's number). */
  get sliceCount(): number {
    return this.slices;
  }

  get epochCount(): number {
    return this.epochs;
  }

  get globalStep(): number {
    return this.step;
  }

  /** Delivery counters (null when not streaming to a server). */
  get delivery(): TransportStats | null {
    return this.transport?.getStats() ?? null;
  }

  /** A new fit call: epochs restart at 0, slice numbers and steps go on. */
  startFit(): void {
    this.epochInFit = 0;
  }

  /** Counts one optimisation step (the callback calls it after every batch). */
  countStep(): void {
    this.step++;
  }

  /**
   * Traces the probe batch now and sends the slice. Resolves with its slice number once the
   * activations are read back (the network is never awaited). Returns -1 after the session ended.
   */
  async capture(logs?: LogValues, at: CaptureAt = {}): Promise<number> {
    if (this.ended) return -1;
    const [values, plainLogs] = await Promise.all([this.traceModel.sample(), resolveLogs(logs)]);
    if (this.ended) return -1;
    const meta: SliceMeta = {
      slice: this.slices++,
      epoch: at.epoch ?? this.epochInFit,
      batch: at.batch ?? null,
      step: at.step ?? this.step,
      task: this.currentTask,
      time: Date.now(),
      logs: plainLogs,
    };
    this.recorder?.addSlice(meta, values);
    if (this.transport) {
      try {
        this.transport.sendSlice(
          meta.slice,
          encodeSlice({ ...meta, units: this.header.units, samples: this.header.samples, data: values }),
        );
      } catch (error) {
        this.warn(`[mphate] could not encode slice ${meta.slice}: ${(error as Error).message}`);
      }
    }
    return meta.slice;
  }

  /** Records the end of an epoch with its logs (val_* included). Returns the global epoch index. */
  async endEpoch(logs?: LogValues, at: { epoch?: number } = {}): Promise<number> {
    if (this.ended) return -1;
    const record = {
      index: this.epochs++,
      epoch: at.epoch ?? this.epochInFit,
      task: this.currentTask,
      time: Date.now(),
      logs: await resolveLogs(logs),
    };
    this.epochInFit = record.epoch + 1;
    this.recorder?.addEpoch(record);
    this.transport?.sendEpoch(record);
    return record.index;
  }

  /**
   * Ends the session as finished: sends `end`, writes the record file, frees the probe tensors.
   * Idempotent. Resolves when the file is written (not when the server acknowledged: see flush).
   */
  end(): Promise<void> {
    if (!this.finishing) {
      this.ended = true;
      this.transport?.sendEnd({ slices: this.slices, epochs: this.epochs });
      for (const t of this.probe) t.dispose();
      this.finishing = this.recorder
        ? this.recorder.write('finished').then(
            () => undefined,
            (error: unknown) =>
              this.warn(
                `[mphate] could not write the record file ${this.recorder!.path}: ${(error as Error).message}`,
              ),
          )
        : Promise.resolve();
    }
    return this.finishing;
  }

  /**
   * Resolves true when the server acknowledged everything sent so far (and the record file, if any,
   * is written); false when `timeoutMs` (default 30 s) passes first, e.g. the server is down.
   */
  async flush(options: { timeoutMs?: number } = {}): Promise<boolean> {
    const delivered = this.transport ? await this.transport.flush(options.timeoutMs ?? 30_000) : true;
    if (this.finishing) await this.finishing;
    return delivered;
  }

  /** Ends the session and waits for delivery; then stops reconnecting. */
  async close(options: { timeoutMs?: number } = {}): Promise<boolean> {
    await this.end();
    const ok = await this.flush(options);
    this.transport?.stop();
    return ok;
  }
}

/**
 * For custom training loops (optimizer.minimize, trainOnBatch), which never call callbacks:
 *
 *   const tracer = createTracer({ model, probe });
 *   for (...) { ...train an epoch...; await tracer.capture({ loss }); await tracer.endEpoch({ loss }); }
 *   await tracer.close();
 */
export function createTracer(tf: Tf, options: CreateTracerOptions): Tracer {
  return new Tracer(options.tf ?? tf, options);
}
