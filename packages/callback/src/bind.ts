import { defineMphateCallback, type MphateCallback, type MphateCallbackOptions } from './callback.js';
import type { Tf } from './tf-types.js';
import { type CreateTracerOptions, Tracer } from './tracer.js';

/**
 * The public functions bound to a default tfjs namespace: '@tensorflow/tfjs' in src/index.ts, the
 * page's global `tf` in src/browser.ts. `options.tf` overrides it per call (tfjs-node users).
 */
export function bindTo(defaultTf: () => Tf) {
  return {
    mphateCallback(options: MphateCallbackOptions): MphateCallback {
      const Ctor = defineMphateCallback(options?.tf ?? defaultTf());
      return new Ctor(options);
    },
    createTracer(options: CreateTracerOptions): Tracer {
      return new Tracer(options?.tf ?? defaultTf(), options);
    },
  };
}
