/** A core worker thread (linalg/thread-pool.ts): runs THREAD_TASKS by name, one at a time. */
import { parentPort } from 'node:worker_threads';
import { THREAD_TASKS, type ThreadTaskName } from './thread-tasks.js';

const port = parentPort;
if (!port) throw new Error('thread-worker.js runs only as a worker thread');

port.on('message', async (message: { id: number; task: ThreadTaskName; args: never }) => {
  const { id, task, args } = message;
  try {
    const run = THREAD_TASKS[task] as (a: unknown) => unknown;
    if (typeof run !== 'function') throw new Error(`unknown task '${String(task)}'`);
    const result = await run(args);
    port.postMessage({ id, result }, transferables(result));
  } catch (e) {
    port.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  }
});

/** The result's own (not shared) typed-array buffers, moved back instead of copied. */
function transferables(result: unknown): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  const visit = (v: unknown): void => {
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer && !out.includes(v.buffer)) out.push(v.buffer);
    } else if (v && typeof v === 'object') for (const x of Object.values(v)) visit(x);
  };
  visit(result);
  return out;
}
