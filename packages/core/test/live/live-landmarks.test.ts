import {
  DenseIntersliceDistances,
  type IntraBlock,
  interpolate,
  intersliceEpsilon,
  intersliceWeights,
  intrasliceBlock,
  LiveLandmarks,
  labelSlice,
  landmarkOperator,
  multisliceKernel,
  Random,
  unitScales,
  zscoreRows,
} from '@mphate/core/internal';
import { describe, expect, it } from 'vitest';
import { randomWalkTrace } from '../helpers/fixtures.js';
import { forEachInRow } from '../helpers/graph.js';

const T = 12;
const T0 = 5;
const n = 30;
const m = 8;
const L = 24;
const THRESH = 1e-4;

/** A small walk in the engine's form: normalised rows, every slice's block, distances over the first T0 and all slices. */
async function setup() {
  const trace = randomWalkTrace(T, n, m, 5);
  const z = new Float32Array(T * n * m);
  const blocks: IntraBlock[] = [];
  for (let t = 0; t < T; t++) {
    const zt = zscoreRows(trace.data.subarray(t * n * m, (t + 1) * n * m), n, m);
    z.set(zt, t * n * m);
    blocks.push(intrasliceBlock(zt, 0, n, m, 2, 5, THRESH));
  }
  const first = await DenseIntersliceDistances.create(z.subarray(0, T0 * n * m), T0, n, m);
  const all = await DenseIntersliceDistances.create(z, T, n, m);
  const eps = intersliceEpsilon(unitScales(first, 4));
  const kernel0 = multisliceKernel(blocks.slice(0, T0), intersliceWeights(first, eps, THRESH));
  // every cluster used, in no particular order
  const r = new Random(3);
  const labels = Int32Array.from({ length: T0 * n }, (_, a) => (a < L ? a : Math.floor(r.next() * L)));
  // the engine hands over its growing list of blocks
  const live = await LiveLandmarks.start({ ...kernel0, intra: blocks }, labels, L, eps, THRESH);
  return { blocks, all, eps, live, kernel0, labels };
}

/** The label rule applied slice by slice to a whole kernel (a new era that keeps the clusters). */
function labelsOverKernel(kernel: ReturnType<typeof multisliceKernel>, first: Int32Array): Int32Array {
  const labels = new Int32Array(kernel.epochs * n);
  labels.set(first);
  const inter = kernel.inter!;
  const Tk = kernel.epochs;
  for (let tau = first.length / n; tau < Tk; tau++)
    labelSlice(tau, n, labels, (i) => inter.subarray((i * Tk + tau) * Tk), 0);
  return labels;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

describe('LiveLandmarks: the landmark operator updated slice by slice', () => {
  it('with tolerance 0 equals the operator rebuilt from the whole kernel at the era bandwidth', async () => {
    const { blocks, all, eps, live, kernel0, labels } = await setup();
    const started = (await landmarkOperator(kernel0, labels, L)).operator;
    expect(maxDiff(live.operator().symmetric, started.symmetric)).toBeLessThan(1e-5);
    // slices one at a time, then three at once (as frames that come less often than slices)
    for (let s = T0; s < T; s++) {
      live.append(all);
      if (s < T - 3) await live.update(0);
      else if (s < T - 1) expect(() => live.operator()).toThrow(/appended since the last update/);
    }
    await live.update(0);
    expect(live.epochs).toBe(T);
    const kernel = multisliceKernel(blocks, intersliceWeights(all, eps, THRESH));
    const rebuilt = await landmarkOperator(kernel, live.labels, L);
    const op = live.operator();
    expect(maxDiff(op.symmetric, rebuilt.operator.symmetric)).toBeLessThan(1e-5);
    expect(maxDiff(op.sqrtDegree, rebuilt.operator.sqrtDegree)).toBeLessThan(
      1e-5 * Math.max(...op.sqrtDegree),
    );
    const y = Float64Array.from({ length: L * 2 }, (_, i) => Math.sin(i));
    expect(maxDiff(live.interpolate(y, 2), interpolate(rebuilt.transitions, y, 2))).toBeLessThan(1e-5);
  });

  it('labels new points by their kernel mass, the same in an update as over a whole kernel', async () => {
    const { blocks, all, eps, live, labels } = await setup();
    for (let s = T0; s < T; s++) live.append(all);
    const kernel = multisliceKernel(blocks, intersliceWeights(all, eps, THRESH));
    expect(Array.from(labelsOverKernel(kernel, labels))).toEqual(Array.from(live.labels));
    // every new point sits in a cluster its row of K reaches (its unit's past or its slice)
    for (let a = T0 * n; a < T * n; a++) {
      const reached = new Set<number>();
      forEachInRow(kernel, a, (b) => reached.add(live.labels[b]!));
      expect(reached.has(live.labels[a]!)).toBe(true);
    }
  });

  it('with a tolerance, stays symmetric and row-stochastic and close to the exact operator', async () => {
    const exact = await setup();
    const lazy = await setup();
    let all = 0;
    let some = 0;
    for (let s = T0; s < T; s++) {
      exact.live.append(exact.all);
      all += await exact.live.update(0);
      lazy.live.append(lazy.all);
      some += await lazy.live.update(0.2);
    }
    expect(some).toBeLessThan(all); // the tolerance skips work
    const op = lazy.live.operator();
    for (let x = 0; x < L; x++) {
      let row = 0;
      for (let y = 0; y < L; y++) {
        expect(op.symmetric[x * L + y]).toBeCloseTo(op.symmetric[y * L + x]!, 12);
        // Q = D^-1/2 S D^1/2
        row += (op.symmetric[x * L + y]! * op.sqrtDegree[y]!) / op.sqrtDegree[x]!;
      }
      expect(row).toBeCloseTo(1, 10);
    }
    expect(maxDiff(op.symmetric, exact.live.operator().symmetric)).toBeLessThan(0.02);
  });

  it('reweighted to a new bandwidth with tolerance 0, equals the operator rebuilt at that bandwidth', async () => {
    const { blocks, all, eps, live } = await setup();
    for (let s = T0; s < T; s++) {
      live.append(all);
      await live.update(0);
    }
    // epsilon moves as it does between frames of a real training, both ways
    for (const e of [eps * 1.04, eps * 0.9]) {
      await live.reweight(all, e, 0);
      expect(live.epsilon).toBe(e);
      const kernel = multisliceKernel(blocks, intersliceWeights(all, e, THRESH));
      const rebuilt = await landmarkOperator(kernel, live.labels, L);
      const op = live.operator();
      expect(maxDiff(op.symmetric, rebuilt.operator.symmetric)).toBeLessThan(1e-5);
      const y = Float64Array.from({ length: L * 2 }, (_, i) => Math.cos(i));
      expect(maxDiff(live.interpolate(y, 2), interpolate(rebuilt.transitions, y, 2))).toBeLessThan(1e-5);
    }
    // not before every slice is committed
    const other = await setup();
    other.live.append(other.all);
    await expect(other.live.reweight(other.all, eps, 0)).rejects.toThrow(/appended and committed/);
  });
  it('a reweight that leaves its drifted slices for later catches up step by step to the rebuilt operator', async () => {
    const { blocks, all, eps, live } = await setup();
    for (let s = T0; s < T; s++) {
      live.append(all);
      await live.update(0);
    }
    const e = eps * 1.04;
    await live.reweight(all, e, 0, false);
    const kernel = multisliceKernel(blocks, intersliceWeights(all, e, THRESH));
    const rebuilt = (await landmarkOperator(kernel, live.labels, L)).operator;
    const due = live.driftedSlices(0).length;
    expect(due).toBeGreaterThan(4); // more than one step's worth
    // meanwhile a valid operator, not yet the rebuilt one
    expect(maxDiff(live.operator().symmetric, rebuilt.symmetric)).toBeGreaterThan(1e-4);
    // time for one step per call (as idle time cut short), a valid operator after each
    const oneStep = () => {
      let go = true;
      return () => {
        const now = go;
        go = false;
        return now;
      };
    };
    let calls = 1;
    while (await live.refreshDrifted(0, oneStep())) {
      calls++;
      expect(live.operator().symmetric.every(Number.isFinite)).toBe(true);
    }
    expect(calls).toBe(Math.ceil(due / 4));
    expect(live.driftedSlices(0)).toEqual([]);
    expect(maxDiff(live.operator().symmetric, rebuilt.symmetric)).toBeLessThan(1e-5);
    // not while appended slices wait for update()
    const other = await setup();
    other.live.append(other.all);
    await expect(other.live.refreshDrifted(0, () => true)).rejects.toThrow(
      /update\(\) the appended slices first/,
    );
  });
});
