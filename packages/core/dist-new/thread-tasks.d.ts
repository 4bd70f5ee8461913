/**
 * The tasks core runs on its worker threads (linalg/thread-pool.ts), by name. Each is a pure
 * function of structured-cloneable arguments; the calling thread runs the same function.
 */
import { sgdRun } from './embed/mds/sgd.js';
import { gramBlock } from './graph/distances.js';
import { kernelBlocks } from './graph/kernel-product.js';
import { nearestCentres } from './landmarks/kmeans.js';
import { seedingFollower } from './landmarks/kmeans-seeding.js';
export declare const THREAD_TASKS: {
    readonly gramBlock: typeof gramBlock;
    readonly kernelBlocks: typeof kernelBlocks;
    readonly nearestCentres: typeof nearestCentres;
    readonly seedingFollower: typeof seedingFollower;
    readonly sgdRun: typeof sgdRun;
};
export type ThreadTaskName = keyof typeof THREAD_TASKS;
//# sourceMappingURL=thread-tasks.d.ts.map