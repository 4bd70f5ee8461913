/**
 * The tasks core runs on its worker threads (linalg/thread-pool.ts), by name. Each is a pure
 * function of structured-cloneable arguments; the calling thread runs the same function.
 */
import { sgdFollower } from './embed/mds/sgd.js';
import { gramBlock } from './graph/distances.js';
import { intersliceUnits } from './graph/interslice.js';
import { intrasliceSlices } from './graph/intraslice.js';
import { kernelBlocks, kernelSum } from './graph/kernel-product.js';
import { nearestCentres } from './landmarks/kmeans.js';
import { seedingPairs } from './landmarks/kmeans-seeding.js';
import { landmarkOperatorRows } from './landmarks/operator.js';
import { splitBlockProduct, splitBlockRelease } from './linalg/split-matrix.js';
import { tallBlock } from './linalg/tall-blocks.js';

export const THREAD_TASKS = {
  gramBlock,
  intersliceUnits,
  intrasliceSlices,
  kernelBlocks,
  kernelSum,
  landmarkOperatorRows,
  nearestCentres,
  seedingPairs,
  sgdFollower,
  splitBlockProduct,
  splitBlockRelease,
  tallBlock,
} as const;

export type ThreadTaskName = keyof typeof THREAD_TASKS;
