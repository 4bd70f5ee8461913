/** A core worker thread (linalg/thread-pool.ts): runs THREAD_TASKS by name, one at a time. */
import { parentPort } from 'node:worker_threads';
import { initBackend } from './linalg/backend.js';
import { runTasksHere } from './linalg/thread-pool.js';
import { THREAD_TASKS, type ThreadTaskName } from './thread-tasks.js';

const port = parentPort;
if (!port) throw new Error('thread-worker.js runs only as a worker thread');
runTasksHere();
// most tasks use the backend: start it now, while the first task is on its way (a failure
// surfaces in the first task that awaits it)
initBackend().catch(() => {});

port.on('message', async (message: { id: number; task: ThreadTaskName; args: never }) => {
  const { id, task, args } = message;
  try {
    const run = THREAD_TASKS[task] as (a: unknown) => unknown;
    if (typeof run !== 'function') throw new Error(`unknown task '${String(task)}'`);
    const result = await run(args);
    port.postMessage({ id, result: shared(result) });
  } catch (e) {
    port.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  }
});

/**
 * The result with its own (not shared) typed arrays copied into SharedArrayBuffers, so posting it
 * copies nothing more. They are not transferred: a transfer detaches the buffer in this thread,
 * and the first detach slows every typed-array loop here from then on (linalg/wasm-memory.ts).
 */
function shared(result: unknown): unknown {
  if (ArrayBuffer.isView(result)) {
    if (!(result.buffer instanceof ArrayBuffer)) return result;
    const bytes = new Uint8Array(new SharedArrayBuffer(result.byteLength));
    bytes.set(new Uint8Array(result.buffer, result.byteOffset, result.byteLength));
    const View = result.constructor as new (b: SharedArrayBuffer) => ArrayBufferView;
    return new View(bytes.buffer as SharedArrayBuffer);
  }
  if (Array.isArray(result)) return result.map(shared);
  if (result && typeof result === 'object')
    return Object.fromEntries(Object.entries(result).map(([k, v]) => [k, shared(v)]));
  return result;
}
