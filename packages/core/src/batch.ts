import { embedOperator } from './embed/embed-operator.js';
import { multisliceGraph } from './graph/multislice-graph.js';
import type { DiffusionOperator } from './landmarks/diffusion-operator.js';
import { interpolate } from './landmarks/interpolate.js';
import { landmarkLabels } from './landmarks/labels.js';
import { fullOperator, landmarkOperator } from './landmarks/operator.js';
import { initBackend } from './linalg/backend.js';
import type { Csr } from './linalg/csr.js';
import { Random } from './linalg/random.js';
import type { MphateOptions, ResolvedOptions } from './options.js';
import { PhaseClock } from './phase-clock.js';
import type { Embedding, Trace } from './types.js';
import { resolveOptions, validateTrace } from './validate.js';

/** Batch M-PHATE (docs/algorithm.md §1-10): the whole trace in, N x d float32 coordinates out (row epoch * units + unit). */
export async function fitTransform(trace: Trace, options: MphateOptions = {}): Promise<Embedding> {
  validateTrace(trace);
  const o = resolveOptions(options);
  await initBackend();
  const clock = new PhaseClock(o.onProgress);
  const N = trace.epochs * trace.units;
  const built = await diffusionOperator(trace, o, clock);
  const { transitions, landmarks, intersliceKnn } = built;
  const res = await embedOperator(built.operator, {
    t: o.t,
    gamma: o.gamma,
    nComponents: o.nComponents,
    mdsSolver: o.mdsSolver,
    random: new Random(o.seed + 2),
    onProgress: o.onProgress,
    releaseOperator: true,
  });
  Object.assign(clock.timings, res.timings);
  const d = o.nComponents;
  const coords = await clock.run('interpolate', () =>
    transitions ? interpolate(transitions, res.coordinates, d) : res.coordinates,
  );
  return {
    coordinates: Float32Array.from(coords),
    points: N,
    nComponents: d,
    t: res.t,
    landmarks,
    intersliceKnn,
    timings: clock.timings,
  };
}

/**
 * The graph stages and the operator to diffuse on (landmarks when N > nLandmark). The graph is
 * not returned: once the operator and the landmark transitions are built it is garbage (the
 * kernel's blocks, ~60 MB at (100, 384, 100)), before the dense stages' peak.
 */
async function diffusionOperator(
  trace: Trace,
  o: ResolvedOptions,
  clock: PhaseClock,
): Promise<{
  operator: DiffusionOperator;
  transitions: Csr | null;
  landmarks: number;
  intersliceKnn: number;
}> {
  const g = await multisliceGraph(trace, o, clock);
  let op: DiffusionOperator;
  let transitions: Csr | null = null;
  let landmarks = 0;
  if (trace.epochs * trace.units > o.nLandmark) {
    const built = await clock.run('landmarks', async () => {
      const { labels, clusters } = await landmarkLabels(g.kernel, o.nLandmark, o.nSvd, o.seed);
      return { clusters, ...(await landmarkOperator(g.kernel, labels, clusters)) };
    });
    op = built.operator;
    transitions = built.transitions;
    landmarks = built.clusters;
  } else {
    op = fullOperator(g.kernel);
  }
  return { operator: op, transitions, landmarks, intersliceKnn: g.intersliceKnn };
}
