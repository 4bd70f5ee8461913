/** A core worker thread (linalg/thread-pool.ts): runs THREAD_TASKS by name, one at a time. */
import { parentPort } from 'node:worker_threads';
import { THREAD_TASKS } from './thread-tasks.js';
const port = parentPort;
if (!port)
    throw new Error('thread-worker.js runs only as a worker thread');
port.on('message', async (message) => {
    const { id, task, args } = message;
    try {
        const run = THREAD_TASKS[task];
        if (typeof run !== 'function')
            throw new Error(`unknown task '${String(task)}'`);
        const result = await run(args);
        port.postMessage({ id, result }, transferables(result));
    }
    catch (e) {
        port.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
    }
});
/** The result's own (not shared) typed-array buffers, moved back instead of copied. */
function transferables(result) {
    const out = [];
    const visit = (v) => {
        if (ArrayBuffer.isView(v)) {
            if (v.buffer instanceof ArrayBuffer && !out.includes(v.buffer))
                out.push(v.buffer);
        }
        else if (v && typeof v === 'object')
            for (const x of Object.values(v))
                visit(x);
    };
    visit(result);
    return out;
}
//# sourceMappingURL=thread-worker.js.map