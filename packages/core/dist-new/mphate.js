import { initBackend } from './backend.js';
import { embedOperator } from './embed-operator.js';
import { intrasliceBlocks } from './graph.js';
import { interpolate } from './interpolate.js';
import { DenseIntersliceDistances, effectiveInterKnn, intersliceEpsilon, unitScales } from './interslice.js';
import { kmeans } from './kmeans.js';
import { fullOperator, landmarkOperator } from './landmarks.js';
import { intersliceWeights, multisliceKernel } from './multislice.js';
import { zscoreRows } from './normalize.js';
import { fitPca, projectPca } from './pca.js';
import { Random } from './random.js';
import { spectralFeatures } from './rsvd.js';
import { PhaseClock } from './stages.js';
import { resolveOptions, validateTrace } from './validate.js';
/** Power iterations of the landmark randomized SVD (sklearn uses 7; see docs/mphate.md). */
export const LANDMARK_SVD_POWER_ITERATIONS = 0;
/** Mini-batch k-means steps of 10,000 points (or Lloyd iterations when N <= 10,000). */
export const KMEANS_STEPS = 10;
/** Normalise, PCA, intraslice, interslice and the multislice kernel (spec 2-5). */
export async function multisliceGraph(trace, o, clock = new PhaseClock(o.onProgress)) {
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
    const blocks = await clock.run('intraslice', () => intrasliceBlocks(zf, T, n, dim, o.intrasliceKnn, o.decay, o.thresh, (done) => {
        if (done % 16 === 0)
            clock.report('intraslice', done / T);
    }));
    const kPrime = effectiveInterKnn(o.intersliceKnn, T);
    const inter = await clock.run('interslice', async () => {
        if (kPrime === 0)
            return null;
        const d = await DenseIntersliceDistances.create(zf, T, n, dim);
        const eps = intersliceEpsilon(unitScales(d, kPrime));
        return { eps, weights: intersliceWeights(d, eps, o.thresh) };
    });
    const kernel = await clock.run('kernel', () => multisliceKernel(blocks, inter?.weights ?? null));
    return { kernel, epsilon: inter?.eps ?? 0, intersliceKnn: kPrime };
}
/** Landmark clustering (spec 6.1-6.3): labels of every point and the effective landmark count. */
export async function landmarkLabels(kernel, landmarks, nSvd, seed, powerIterations = LANDMARK_SVD_POWER_ITERATIONS, steps = KMEANS_STEPS) {
    const N = kernel.epochs * kernel.units;
    const f = await spectralFeatures(kernel, { components: nSvd, powerIterations, random: new Random(seed) });
    return kmeans(f.features, N, f.components, {
        clusters: landmarks,
        random: new Random(seed + 1),
        iterations: steps,
    });
}
/** Batch M-PHATE (spec 1-10): the whole trace in, N x d float32 coordinates out (row epoch * units + unit). */
export async function fitTransform(trace, options = {}) {
    validateTrace(trace);
    const o = resolveOptions(options);
    await initBackend();
    const clock = new PhaseClock(o.onProgress);
    const g = await multisliceGraph(trace, o, clock);
    const N = trace.epochs * trace.units;
    let op;
    let transitions = null;
    let landmarks = 0;
    if (N > o.nLandmark) {
        const built = await clock.run('landmarks', async () => {
            const { labels, clusters } = await landmarkLabels(g.kernel, o.nLandmark, o.nSvd, o.seed);
            return { clusters, ...landmarkOperator(g.kernel, labels, clusters) };
        });
        op = built.operator;
        transitions = built.transitions;
        landmarks = built.clusters;
    }
    else {
        op = fullOperator(g.kernel);
    }
    const res = await embedOperator(op, {
        t: o.t,
        gamma: o.gamma,
        nComponents: o.nComponents,
        mdsSolver: o.mdsSolver,
        random: new Random(o.seed + 2),
        onProgress: o.onProgress,
    });
    Object.assign(clock.timings, res.timings);
    const d = o.nComponents;
    const coords = await clock.run('interpolate', () => transitions ? interpolate(transitions, res.coordinates, d) : res.coordinates);
    return {
        coordinates: Float32Array.from(coords),
        points: N,
        nComponents: d,
        t: res.t,
        landmarks,
        intersliceKnn: g.intersliceKnn,
        timings: clock.timings,
    };
}
//# sourceMappingURL=mphate.js.map