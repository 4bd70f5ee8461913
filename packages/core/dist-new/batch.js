import { embedOperator } from './embed/embed-operator.js';
import { multisliceGraph } from './graph/multislice-graph.js';
import { interpolate } from './landmarks/interpolate.js';
import { landmarkLabels } from './landmarks/labels.js';
import { fullOperator, landmarkOperator } from './landmarks/operator.js';
import { initBackend } from './linalg/backend.js';
import { Random } from './linalg/random.js';
import { PhaseClock } from './phase-clock.js';
import { resolveOptions, validateTrace } from './validate.js';
/** Batch M-PHATE (docs/algorithm.md §1-10): the whole trace in, N x d float32 coordinates out (row epoch * units + unit). */
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
//# sourceMappingURL=batch.js.map