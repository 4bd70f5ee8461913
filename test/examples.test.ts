/**
 * Smoke tests of the examples: each trains for one epoch (on a few hundred digits) into a real
 * server on a loopback port, and the session it produced has the expected layers, units and
 * epochs (GET /api/sessions/:id). Embedding is off on this server: the examples are under test
 * here, not the maths, and the 2 cores are better spent training.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSnapshot } from '@mphate/protocol';
import { type RunningServer, startServer } from '@mphate/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserExample } from '../examples/browser/serve.js';
import { run as runContinual, TASKS, taskLabel } from '../examples/continual-learning/index.js';
import { run as runGeneralization, VARIANTS } from '../examples/generalization/index.js';
import { run as runMlp } from '../examples/mnist-mlp/index.js';
import { scrambledLabels } from '../examples/shared/random.js';
import { launchBrowser } from './helpers/browser.js';

interface SessionDetail {
  id: string;
  name: string;
  status: string;
  slices: number;
  epochs: number;
  units: number;
  layers: { name: string; units: number; totalUnits: number }[];
  tasks: string[];
  logs: { epoch: number | null; task: string | null }[];
  epochLogs: Record<string, number | string | null>[];
}

let server: RunningServer;
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mphate-examples-'));
  server = await startServer({ port: 0, host: '127.0.0.1', dataDir, workers: 1, embedding: false });
});
afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const quiet = () => {};

async function session(id: string | null): Promise<SessionDetail> {
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  const response = await fetch(new URL(`api/sessions/${id}`, server.url));
  expect(response.status).toBe(200);
  return (await response.json()) as SessionDetail;
}

function layerShape(detail: SessionDetail): [string, number, number][] {
  return detail.layers.map((l) => [l.name, l.units, l.totalUnits]);
}

describe('examples stream into a real server', () => {
  it('mnist-mlp: one session, the three hidden Dense layers of 128 units, one slice per epoch', async () => {
    const result = await runMlp({
      epochs: 2,
      server: server.url,
      maxTrain: 600,
      session: 'smoke mlp',
      log: quiet,
    });
    expect(result.sessions).toHaveLength(1);
    expect(result.sessions[0]!.delivered).toBe(true);
    const detail = await session(result.sessions[0]!.id);
    expect(detail.name).toBe('smoke mlp');
    expect(detail.status).toBe('finished');
    expect(layerShape(detail)).toEqual([
      ['dense1', 128, 128],
      ['dense2', 128, 128],
      ['dense3', 128, 128],
    ]);
    expect(detail.units).toBe(384);
    expect(detail.epochs).toBe(2);
    expect(detail.slices).toBe(2);
  });

  it('continual-learning: three sessions, each one keepOpen session over five task fits', async () => {
    const result = await runContinual({
      epochs: 1,
      server: server.url,
      maxTrain: 1500,
      session: 'smoke cl',
      log: quiet,
    });
    expect(result.sessions.map((s) => s.name)).toEqual([
      'smoke cl · adam',
      'smoke cl · adagrad',
      'smoke cl · adam+rehearsal',
    ]);
    const labels = TASKS.map((_, t) => taskLabel(t));
    for (const run of result.sessions) {
      expect(run.delivered).toBe(true);
      const detail = await session(run.id);
      expect(detail.status).toBe('finished');
      // Dense 400 twice; the callback keeps a seeded 256 of each by default.
      expect(layerShape(detail)).toEqual([
        ['dense1', 256, 400],
        ['dense2', 256, 400],
      ]);
      // ~300 digits per task = 3 batches of 128 per fit, a slice every 5 batches: ~3 slices.
      expect(detail.slices).toBeGreaterThanOrEqual(2);
      expect(detail.logs.every((l) => l.task !== null && labels.includes(l.task))).toBe(true);
      // Slices taken in later tasks carry later labels: one session spans the fits.
      const tasksInOrder = detail.logs.map((l) => labels.indexOf(l.task!));
      expect(tasksInOrder).toEqual([...tasksInOrder].sort((a, b) => a - b));
      expect(new Set(tasksInOrder).size).toBeGreaterThan(1);
    }
  }, 300_000);

  it('generalization: one session per variant, and a finite memorization error for each', async () => {
    const result = await runGeneralization({
      epochs: 1,
      server: server.url,
      maxTrain: 400,
      session: 'smoke gen',
      heterogeneityTimeoutMs: 0,
      log: quiet,
    });
    expect(result.runs.map((r) => r.variant)).toEqual(VARIANTS.map((v) => v.name));
    for (const run of result.runs) {
      expect(Number.isFinite(run.memorizationError)).toBe(true);
      expect(Number.isFinite(run.memorizationErrorInference)).toBe(true);
      expect(run.delivered).toBe(true);
      const detail = await session(run.id);
      expect(detail.name).toBe(`smoke gen · ${run.variant}`);
      // The dashboard's two memorization errors come from these logs.
      const last = detail.epochLogs.at(-1)!;
      for (const key of ['categoricalCrossentropy', 'val_categoricalCrossentropy', 'inference_crossentropy'])
        expect(last[key]).toBeTypeOf('number');
      expect(layerShape(detail)).toEqual([
        ['dense1', 128, 128],
        ['dense2', 128, 128],
        ['dense3', 128, 128],
      ]);
      expect(detail.epochs).toBe(1);
    }
  }, 300_000);

  it('browser: the page trains in Chromium and its session arrives with the two Dense layers of 64', async () => {
    const page = await startBrowserExample({
      port: 0,
      server: server.url,
      epochs: 1,
      session: 'smoke browser',
    });
    const browser = await launchBrowser();
    try {
      const tab = await browser.newPage();
      await tab.goto(page.url);
      await tab.waitForFunction(
        () => ['done', 'error', 'undelivered'].includes(document.body.dataset.state ?? ''),
        null,
        { timeout: 100_000 },
      );
      const state = await tab.evaluate(() => ({ ...document.body.dataset }));
      expect(state.state, state.error).toBe('done');
      const detail = await session(state.session ?? null);
      expect(detail.name).toBe('smoke browser');
      expect(layerShape(detail)).toEqual([
        ['dense1', 64, 64],
        ['dense2', 64, 64],
      ]);
      expect(detail.epochs).toBe(1);
    } finally {
      await browser.close();
      await page.close();
    }
  }, 180_000);
});

describe('examples record a snapshot file without a server (how pnpm bench live records its traces)', () => {
  it('mnist-mlp with its learning rate and scrambled labels: one slice per epoch of the 384 units, epoch logs', async () => {
    const file = join(dataDir, 'mlp.mphate');
    const result = await runMlp({
      epochs: 2,
      maxTrain: 300,
      learningRate: 1e-3,
      scrambleLabels: true,
      server: false,
      record: file,
      log: quiet,
    });
    expect(result.sessions[0]!.delivered).toBe(true);
    const { header, trace } = await decodeSnapshot(new Uint8Array(await readFile(file)));
    expect([header.slices.length, header.session.units, header.session.samples]).toEqual([2, 384, 100]);
    expect(trace.length).toBe(2 * 384 * 100);
    expect(header.epochs.map((e) => typeof e.logs.loss)).toEqual(['number', 'number']);
  });

  it('scrambled labels are a fixed permutation of the labels, not the labels', () => {
    const labels = Int32Array.from({ length: 500 }, (_, i) => i % 10);
    const scrambled = scrambledLabels(labels);
    expect([...scrambled].sort()).toEqual([...labels].sort());
    expect(scrambled.filter((l, i) => l === labels[i]).length).toBeLessThan(100);
    expect(scrambledLabels(labels)).toEqual(scrambled);
  });

  it('continual-learning: one chosen scheme, every unit and the chosen trace interval; record refuses several schemes', async () => {
    const file = join(dataDir, 'continual.mphate');
    await runContinual({
      epochs: 1,
      maxTrain: 1500,
      schemes: ['adam'],
      traceEvery: 2,
      unitsPerLayer: 400,
      server: false,
      record: file,
      log: quiet,
    });
    const { header } = await decodeSnapshot(new Uint8Array(await readFile(file)));
    expect(header.session.layers.map((l) => l.units)).toEqual([400, 400]);
    // a slice every 2 batches: within a task's fit, consecutive slices are 2 batches apart
    const gaps = header.slices.slice(1).flatMap((s, i) => {
      const before = header.slices[i]!;
      return s.task === before.task && s.epoch === before.epoch ? [s.batch! - before.batch!] : [];
    });
    expect(gaps.length).toBeGreaterThan(0);
    expect(new Set(gaps)).toEqual(new Set([2]));
    await expect(runContinual({ server: false, record: file, log: quiet })).rejects.toThrow(/one scheme/);
  }, 120_000);
});
