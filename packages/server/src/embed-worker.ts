/**
 * Embedding worker thread: runs @mphate/core (tfjs on wasm) off the server's event loop.
 * Keeps one IncrementalMphate per live session assigned to it. Jobs run one at a time, in
 * arrival order (the pool never sends more than one job per session at once); between jobs the
 * live engines get the idle time for their work between frames.
 */
import { parentPort } from 'node:worker_threads';
import { type Embedding, fitTransform, IncrementalMphate, type MphateOptions } from '@mphate/core';
import type { MethodName } from '@mphate/methods/registry';
import type { BatchJob, EmbedResult, LiveJob, WorkerReply, WorkerRequest } from './worker-messages.js';

type LiveJobOptions = LiveJob['options'];

if (!parentPort) throw new Error('embed-worker.js must run in a worker thread');
const port = parentPort;

interface LiveState {
  mphate: IncrementalMphate;
  key: string;
  /** Every slice added, in order: the batch fallback embeds them when the incremental path fails. */
  slices: Float32Array[];
  /** The incremental path failed once for this session: embed the slices in batch from now on. */
  fallback: boolean;
  /** Progress target of the job now running on this state. */
  report: NonNullable<MphateOptions['onProgress']>;
}

const live = new Map<string, LiveState>();

/**
 * Replies are copied, never transferred: a transfer detaches the buffer in this thread, and the
 * first detach slows every typed-array loop of core here from then on (core's linalg/wasm-memory.ts).
 * The coordinates are small (N x 2 float32).
 */
function send(message: WorkerReply): void {
  port.postMessage(message);
}

/** Progress at most every 100 ms per job, plus every phase change. */
function progressReporter(job: number): NonNullable<MphateOptions['onProgress']> {
  let lastPhase = '';
  let lastTime = 0;
  return ({ phase, fraction }) => {
    const now = Date.now();
    if (phase === lastPhase && now - lastTime < 100 && fraction < 1) return;
    lastPhase = phase;
    lastTime = now;
    send({ type: 'progress', job, phase, fraction });
  };
}

function result(embedding: Embedding): EmbedResult {
  return {
    // posting copies them: core may keep its own (to align the next frame)
    coordinates: embedding.coordinates,
    points: embedding.points,
    nComponents: embedding.nComponents,
    t: embedding.t,
    landmarks: embedding.landmarks,
    timings: { ...embedding.timings } as Record<string, number>,
  };
}

/**
 * Incremental embedding of the new slices (from index `added` on). When the incremental path
 * throws, the session falls back to batch fitTransform of all its slices, which gives a correct
 * (if slower, unaligned) live frame; the reason is reported once.
 */
async function liveEmbed(
  state: LiveState,
  added: number,
  units: number,
  samples: number,
  options: LiveJobOptions,
): Promise<Embedding> {
  if (!state.fallback) {
    try {
      for (const slice of state.slices.slice(added)) state.mphate.addSlice(slice);
      return await state.mphate.embed();
    } catch (error) {
      state.fallback = true;
      send({
        type: 'warning',
        message: `incremental M-PHATE failed (${error instanceof Error ? error.message : String(error)}); embedding this session in batch instead`,
      });
    }
  }
  const data = new Float32Array(state.slices.length * units * samples);
  state.slices.forEach((slice, i) => {
    data.set(slice, i * units * samples);
  });
  return fitTransform(
    { epochs: state.slices.length, units, samples, data },
    { ...options, onProgress: (p) => state.report(p) },
  );
}

async function handle(request: WorkerRequest): Promise<void> {
  if (request.type === 'drop') {
    live.delete(request.session);
    return;
  }
  const { job } = request;
  try {
    let embedding: Embedding;
    if (request.type === 'live') {
      const key = `${request.units}x${request.samples}:${JSON.stringify(request.options)}`;
      let state = live.get(request.session);
      const report = progressReporter(job);
      if (request.reset || !state || state.key !== key) {
        const created: LiveState = {
          mphate: undefined as unknown as IncrementalMphate,
          key,
          report,
          slices: [],
          fallback: false,
        };
        created.mphate = new IncrementalMphate(
          { units: request.units, samples: request.samples },
          { ...request.options, onProgress: (p) => created.report(p) },
        );
        state = created;
        live.set(request.session, state);
      } else {
        state.report = report;
      }
      const added = state.slices.length;
      state.slices.push(...request.slices);
      embedding = await liveEmbed(state, added, request.units, request.samples, request.options);
    } else if (request.method) {
      const out = await embedWithMethod(request, request.method.name as MethodName, request.method.seed);
      send({ type: 'done', job, result: out });
      return;
    } else {
      embedding = await fitTransform(
        { epochs: request.epochs, units: request.units, samples: request.samples, data: request.data },
        { ...request.options, onProgress: progressReporter(job) },
      );
    }
    const out = result(embedding);
    send({ type: 'done', job, result: out });
  } catch (error) {
    // A failed live state may be half-updated: start over on the next job.
    if (request.type === 'live') live.delete(request.session);
    send({ type: 'failed', job, error: error instanceof Error ? error.message : String(error) });
  }
}

/** A comparison method's embedding of the whole trace and its four scores. */
async function embedWithMethod(request: BatchJob, name: MethodName, seed: number): Promise<EmbedResult> {
  const { MethodInputs, scoreEmbedding } = await import('@mphate/methods');
  const trace = {
    epochs: request.epochs,
    units: request.units,
    samples: request.samples,
    data: request.data,
  };
  const { coordinates, ms } = await new MethodInputs(trace, seed).embed(name);
  return {
    coordinates: Float32Array.from(coordinates),
    points: trace.epochs * trace.units,
    nComponents: 2,
    t: 0,
    landmarks: 0,
    timings: { [name]: ms },
    scores: scoreEmbedding(trace, coordinates),
  };
}

/**
 * Idle time goes to the live engines' work between frames (IncrementalMphate runBackground:
 * the drifted slices' refresh, new clusters), in slices short enough that a job arriving
 * meanwhile waits little: it runs after the slice in progress (a slice overruns by at most one
 * step of the work, under ~0.8 s at 100,000 points on one thread).
 */
const BACKGROUND_SLICE_MS = 50;
let pumping = false;

function pumpBackground(): void {
  if (pumping) return;
  const state = [...live.values()].find((s) => !s.fallback && s.mphate.hasBackgroundWork);
  if (!state) return;
  pumping = true;
  chain = chain
    .then(() => state.mphate.runBackground(BACKGROUND_SLICE_MS))
    .then(
      () => undefined,
      () => undefined, // a failure surfaces at the session's next frame
    )
    .finally(() => {
      pumping = false;
      setImmediate(pumpBackground);
    });
}

let chain: Promise<void> = Promise.resolve();
port.on('message', (request: WorkerRequest) => {
  chain = chain.then(() => handle(request));
  chain.then(pumpBackground, pumpBackground);
});
send({ type: 'ready' });
