import type { ResolvedOptions } from '../options.js';
import { PhaseClock } from '../phase-clock.js';
import { zscoreRows } from '../preprocess/normalize.js';
import { fitPca, projectPca } from '../preprocess/pca.js';
import type { Trace } from '../types.js';
import { DenseIntersliceDistances, effectiveInterKnn, intersliceEpsilon, unitScales } from './interslice.js';
import { intrasliceBlocks } from './intraslice.js';
import { intersliceWeights, type MultisliceKernel, multisliceKernel } from './multislice.js';

/** The multislice kernel of a trace and the interslice parameters used to build it. */
export interface MultisliceGraph {
  kernel: MultisliceKernel;
  /** The interslice bandwidth epsilon (0 when there is a single slice). */
  epsilon: number;
  /** The interslice k actually used. */
  intersliceKnn: number;
}

/** Normalise, PCA, intraslice, interslice and the multislice kernel (docs/algorithm.md §2-5). */
export async function multisliceGraph(
  trace: Trace,
  o: ResolvedOptions,
  clock = new PhaseClock(o.onProgress),
): Promise<MultisliceGraph> {
  const { epochs: T, units: n, samples: m } = trace;
  const N = T * n;
  let z = await clock.run('normalize', () => zscoreRows(trace.data, N, m));
  let dim = m;
  if (m > o.nPca) {
    const zz = z;
    z = await clock.run('pca', async () => projectPca(zz, N, await fitPca(zz, N, m, o.nPca)));
    dim = o.nPca;
  }
  const zf = z;
  const blocks = await clock.run('intraslice', () =>
    intrasliceBlocks(zf, T, n, dim, o.intrasliceKnn, o.decay, o.thresh, (done) => {
      clock.report('intraslice', done / T);
    }),
  );
  const kPrime = effectiveInterKnn(o.intersliceKnn, T);
  const inter = await clock.run('interslice', async () => {
    if (kPrime === 0) return null;
    const d = await DenseIntersliceDistances.create(zf, T, n, dim);
    const eps = intersliceEpsilon(unitScales(d, kPrime));
    return { eps, weights: intersliceWeights(d, eps, o.thresh) };
  });
  const kernel = await clock.run('kernel', () => multisliceKernel(blocks, inter?.weights ?? null));
  return { kernel, epsilon: inter?.eps ?? 0, intersliceKnn: kPrime };
}
