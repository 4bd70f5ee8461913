/**
 * The tasks core runs on its worker threads (linalg/thread-pool.ts), by name. Each is a pure
 * function of structured-cloneable arguments; the calling thread runs the same function.
 */
import { sgdRun } from './embed/mds/sgd.js';

export const THREAD_TASKS = {
  sgdRun,
} as const;

export type ThreadTaskName = keyof typeof THREAD_TASKS;
