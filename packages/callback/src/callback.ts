import { CROSS_ENTROPY_HINT, crossEntropyMetric } from '@mphate/protocol';
import type * as tfjs from '@tensorflow/tfjs';
import { checkInferenceEval, type InferenceEvalData, inferenceCrossEntropies } from './inference-eval.js';
import { checkStaticOptions, checkTask, type TracerOptions } from './options.js';
import { loadedTfjsCopies } from './project-tf.js';
import type { LayersModel, Logs, Tf } from './tf-types.js';
import { Tracer } from './tracer.js';

export interface MphateCallbackOptions extends TracerOptions {
  /** One session over several model.fit calls, ended by `await callback.close()`. Default false. */
  keepOpen?: boolean;
  /**
   * The model, for when tfjs does not hand it to the callback: model.fit only calls setModel on
   * tf.Callback instances, so a callback wrapped by a plain-object callback list needs it here.
   */
  model?: LayersModel;
  /**
   * A fixed training subset and the validation data, evaluated in inference mode (no dropout)
   * at each epoch end and logged as `inference_crossentropy` / `val_inference_crossentropy`:
   * the inference-mode memorization error. Default: none.
   */
  inferenceEval?: InferenceEvalData;
}

/** What mphateCallback() returns: a tf.Callback for model.fit, plus the session's controls. */
export interface MphateCallback extends tfjs.Callback {
  /** The current session's tracer (null before the first fit). */
  readonly tracer: Tracer | null;
  /** The current session's id (a UUID), null before the first fit. */
  readonly sessionId: string | null;
  /** Task label carried by the next slices; settable between fit calls. */
  task: string | null;
  /** Resolves true when the server acknowledged everything (false after `timeoutMs`, default 30 s). */
  flush(options?: { timeoutMs?: number }): Promise<boolean>;
  /** Ends the session (needed with keepOpen), then waits like flush. */
  close(options?: { timeoutMs?: number }): Promise<boolean>;
}

export type MphateCallbackConstructor = new (options: MphateCallbackOptions) => MphateCallback;

const classes = new WeakMap<object, MphateCallbackConstructor>();

/**
 * The callback class for one tfjs namespace. It must extend *that* copy's tf.Callback: model.fit
 * treats a callback list as tf.Callback instances only when `instanceof` its own BaseCallback holds
 * (tfjs 4.22 standardizeCallbacks); otherwise it wraps every entry as a plain-object config. The
 * on* methods are bound to the instance so they also work when tfjs wraps us that way.
 */
export function defineMphateCallback(tf: Tf): MphateCallbackConstructor {
  const cached = classes.get(tf);
  if (cached) return cached;

  class MphateCallbackImpl extends tf.Callback {
    readonly #options: MphateCallbackOptions;
    #tracer: Tracer | null = null;
    #task: string | null;
    #warned = false;
    #checkedMetrics = false;

    constructor(options: MphateCallbackOptions) {
      super();
      checkStaticOptions(options);
      if (options.keepOpen !== undefined && typeof options.keepOpen !== 'boolean') {
        throw new Error('keepOpen must be true or false');
      }
      checkInferenceEval(tf, options.inferenceEval);
      this.#options = { ...options };
      this.#task = options.task ?? null;
      this.onTrainBegin = this.onTrainBegin.bind(this);
      this.onTrainEnd = this.onTrainEnd.bind(this);
      this.onEpochEnd = this.onEpochEnd.bind(this);
      this.onBatchEnd = this.onBatchEnd.bind(this);
    }

    get tracer(): Tracer | null {
      return this.#tracer;
    }

    get sessionId(): string | null {
      return this.#tracer?.sessionId ?? null;
    }

    get task(): string | null {
      return this.#task;
    }

    set task(task: string | null) {
      checkTask(task);
      this.#task = task ?? null;
      if (this.#tracer) this.#tracer.task = this.#task;
    }

    /** The one place we throw: bad configuration, before the first batch. */
    override async onTrainBegin(_logs?: Logs): Promise<void> {
      const model = (this.model as LayersModel | undefined) ?? this.#options.model;
      const copies = loadedTfjsCopies();
      const foreign = model !== undefined && !(model instanceof tf.LayersModel);
      if (foreign || (!model && copies.length > 1)) {
        // model.fit calls setModel only on callbacks of its own tfjs copy's tf.Callback.
        throw new Error(
          `mphateCallback runs on a different copy of tfjs than the model${copies.length > 1 ? ` (${copies.length} copies of @tensorflow/tfjs are loaded: ${copies.join(', ')})` : ''}. ` +
            "Fix: pass the model's tfjs, mphateCallback({ tf, probe }), or install the callback so it shares the project's @tensorflow/tfjs (the packed tarballs, see the README), not from a folder or a link with its own node_modules",
        );
      }
      if (!model) {
        throw new Error(
          'mphateCallback has no model: tfjs did not call setModel (callbacks of mixed styles?). Pass { model } to mphateCallback, or list it among tf.Callback instances',
        );
      }
      const open = this.#tracer !== null && !this.#tracer.isEnded;
      if (!open) {
        this.#tracer = new Tracer(tf, {
          ...this.#options,
          model,
          task: this.#task,
          params: this.params ? { ...(this.params as Record<string, unknown>) } : undefined,
        });
      }
      this.#tracer!.task = this.#task;
      this.#tracer!.startFit();
    }

    override async onBatchEnd(batch: number, logs?: Logs): Promise<void> {
      const tracer = this.#tracer;
      if (!tracer) return;
      tracer.countStep();
      const every = this.#options.every;
      if (typeof every === 'number' && tracer.globalStep % every === 0) {
        await this.#guard(() => tracer.capture(logs, { batch }));
      }
    }

    override async onEpochEnd(epoch: number, epochLogs?: Logs): Promise<void> {
      const tracer = this.#tracer;
      if (!tracer) return;
      this.#checkMetrics(epochLogs);
      let logs = epochLogs;
      const evalData = this.#options.inferenceEval;
      const model = (this.model as LayersModel | undefined) ?? this.#options.model;
      if (evalData && model) {
        await this.#guard(async () => {
          logs = { ...epochLogs, ...(await inferenceCrossEntropies(tf, model, evalData)) };
        });
      }
      if ((this.#options.every ?? 'epoch') === 'epoch') {
        await this.#guard(() => tracer.capture(logs, { epoch, batch: null }));
      }
      await this.#guard(() => tracer.endEpoch(logs, { epoch }));
    }

    /** Early stopping included: ends the session unless keepOpen. Never waits for the network. */
    override async onTrainEnd(_logs?: Logs): Promise<void> {
      if (this.#tracer && !this.#options.keepOpen) void this.#tracer.end();
    }

    async flush(options?: { timeoutMs?: number }): Promise<boolean> {
      return this.#tracer ? this.#tracer.flush(options) : true;
    }

    async close(options?: { timeoutMs?: number }): Promise<boolean> {
      return this.#tracer ? this.#tracer.close(options) : true;
    }

    /** Once per callback: without a cross-entropy metric the dashboard cannot show the memorization error. */
    #checkMetrics(logs: Logs | undefined): void {
      if (this.#checkedMetrics) return;
      this.#checkedMetrics = true;
      const names = Object.keys(logs ?? {});
      const metric = crossEntropyMetric(names);
      if (metric && names.includes(`val_${metric}`)) return;
      const what = metric
        ? `the model logs ${metric} but no val_${metric}`
        : 'the model logs no cross-entropy metric';
      (this.#options.warn ?? console.warn)(
        `[mphate] ${what}, so the dashboard cannot show the memorization error (validation minus training cross-entropy, without penalties): ${CROSS_ENTROPY_HINT}`,
      );
    }

    /** Training is sacred: a failure of ours becomes one warning, never an exception in fit. */
    async #guard(work: () => Promise<unknown>): Promise<void> {
      try {
        await work();
      } catch (error) {
        if (this.#warned) return;
        this.#warned = true;
        (this.#options.warn ?? console.warn)(
          `[mphate] tracing failed, training goes on: ${(error as Error).message}`,
        );
      }
    }
  }

  const ctor = MphateCallbackImpl as unknown as MphateCallbackConstructor;
  classes.set(tf, ctor);
  return ctor;
}
