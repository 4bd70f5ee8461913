/**
 * Browser entry (dist/browser/mphate-callback.js, served by the server at /callback.js).
 * tfjs is NOT bundled: this uses the page's global `tf`, so load tfjs first with a classic script:
 *
 *   <script src="https://cdn.jsdelivr.net/npm/@tensorflow/tfjs@4.22.0/dist/tf.min.js"></script>
 *   <script type="module">
 *     import { mphateCallback } from 'http://127.0.0.1:7777/callback.js';
 *     await model.fit(xs, ys, { epochs: 10, callbacks: [mphateCallback({ probe })] });
 *   </script>
 */
import { bindTo } from './bind.js';
import type { Tf } from './tf-types.js';

function pageTf(): Tf {
  const tf = (globalThis as { tf?: Tf }).tf;
  if (!tf || typeof tf.Callback !== 'function') {
    throw new Error(
      'mphate-callback.js needs tfjs loaded as the global \'tf\' first: add <script src=".../tf.min.js"></script> before it, or pass { tf } to mphateCallback',
    );
  }
  return tf;
}

const bound = bindTo(pageTf);
export const mphateCallback = bound.mphateCallback;
export const createTracer = bound.createTracer;
