/**
 * Shared by the dashboard's browser tests and bench/dashboard.ts: Debian's chromium through
 * playwright-core, snapshot files built from the fixtures (or synthetic), and pixel counts of
 * what the page really shows (a screenshot decoded in the page, not the DOM).
 */

import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  decodeNpy,
  type EpochRecord,
  encodeSnapshot,
  type SessionHeader,
  type SliceMeta,
} from '@mphate/protocol';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser } from './helpers/browser.ts';

export { launchBrowser };

export const ROOT = new URL('..', import.meta.url).pathname;
export const ARTIFACTS = join(ROOT, 'test-results', 'dashboard');

/** A page that fails the test on any uncaught page error and records console errors. */
export async function openPage(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  // The page must not reach anything but its own server.
  const origin = new URL(url).origin;
  await page.route('**/*', (route) => {
    const target = route.request().url();
    if (target.startsWith(origin) || target.startsWith('data:') || target.startsWith('blob:'))
      return route.continue();
    errors.push(`external request: ${target}`);
    return route.abort();
  });
  await page.goto(url);
  return { page, errors };
}

export async function screenshot(page: Page, name: string, target?: Locator): Promise<Buffer> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return (target ?? page).screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

/**
 * Pixels of a screenshot (PNG) that differ from the background colour: decoded in the page,
 * so this counts what was really rendered on screen. Also returns the distinct colours (binned).
 */
export async function inkPixels(
  page: Page,
  png: Buffer,
  background = [20, 22, 26],
): Promise<{ ink: number; colors: number }> {
  return page.evaluate(
    async ({ b64, bg }) => {
      const blob = await (await fetch(`data:image/png;base64,${b64}`)).blob();
      const bitmap = await createImageBitmap(blob);
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
      let ink = 0;
      const colors = new Set<number>();
      for (let i = 0; i < data.length; i += 4) {
        const d =
          Math.abs(data[i]! - bg[0]!) + Math.abs(data[i + 1]! - bg[1]!) + Math.abs(data[i + 2]! - bg[2]!);
        if (d > 40) {
          ink++;
          colors.add(((data[i]! >> 4) << 8) | ((data[i + 1]! >> 4) << 4) | (data[i + 2]! >> 4));
        }
      }
      return { ink, colors: colors.size };
    },
    { b64: png.toString('base64'), bg: background },
  );
}

/** Pixels drawn on the main scatter canvas, from a real screenshot of it. */
export async function scatterInk(
  page: Page,
  name: string,
  selector = '#scatter canvas',
): Promise<{ ink: number; colors: number }> {
  const png = await screenshot(page, name, page.locator(selector).first());
  return inkPixels(page, png);
}

export interface SnapshotSpec {
  name: string;
  /** slices x units x samples */
  trace: Float32Array;
  slices: number;
  layers: { name: string; units: number }[];
  samples: number;
  /** slices x units x 2, when the session should already carry a (final) embedding. */
  coordinates?: Float32Array;
  logs?: (slice: number) => Record<string, number>;
  epochLogs?: (slice: number) => Record<string, number>;
  probeLabels?: number[];
  classNames?: string[];
  task?: (slice: number) => string | null;
}

export async function snapshotBytes(spec: SnapshotSpec): Promise<Uint8Array> {
  const units = spec.layers.reduce((s, l) => s + l.units, 0);
  const session: SessionHeader = {
    id: randomUUID(),
    name: spec.name,
    createdAt: Date.now(),
    units,
    samples: spec.samples,
    layers: spec.layers.map((l) => ({
      name: l.name,
      className: 'Dense',
      units: l.units,
      totalUnits: l.units,
    })),
    every: 'epoch',
    mphate: { seed: 42 },
    source: 'snapshot',
    ...(spec.probeLabels ? { probeLabels: spec.probeLabels } : {}),
    ...(spec.classNames ? { classNames: spec.classNames } : {}),
  };
  const t0 = Date.now() - spec.slices * 1000;
  const slices: SliceMeta[] = Array.from({ length: spec.slices }, (_, s) => ({
    slice: s,
    epoch: s,
    batch: null,
    step: s * 10,
    task: spec.task?.(s) ?? null,
    time: t0 + s * 1000,
    logs: spec.logs?.(s) ?? {},
  }));
  const epochs: EpochRecord[] = Array.from({ length: spec.slices }, (_, s) => ({
    index: s,
    epoch: s,
    task: spec.task?.(s) ?? null,
    time: t0 + s * 1000,
    logs: { ...(spec.logs?.(s) ?? {}), ...(spec.epochLogs?.(s) ?? {}) },
  }));
  return encodeSnapshot({
    header: {
      format: 'mphate-snapshot',
      version: 1,
      exportedAt: Date.now(),
      session,
      status: 'finished',
      slices,
      epochs,
      ...(spec.coordinates
        ? {
            embedding: {
              slices: spec.slices,
              nComponents: 2,
              t: 10,
              landmarks: 0,
              final: true,
              mphate: { seed: 42 },
            },
          }
        : {}),
    },
    trace: spec.trace,
    ...(spec.coordinates ? { coordinates: spec.coordinates } : {}),
  });
}

/** The MNIST MLP fixture (60 epochs x 96 units x 100 probes) with the Python reference's coordinates. */
export function mlpSpec(
  name = 'mlp vanilla',
  options: { slices?: number; jitter?: number; task?: (slice: number) => string | null } = {},
): SnapshotSpec {
  const fixtures = join(ROOT, 'test', 'fixtures');
  const trace = decodeNpy(new Uint8Array(readFileSync(join(fixtures, 'mlp-3x32.npy'))));
  const ref = decodeNpy(new Uint8Array(readFileSync(join(fixtures, 'mlp-3x32.ref.npy'))));
  const meta = JSON.parse(readFileSync(join(fixtures, 'mlp-3x32.meta.json'), 'utf8')) as {
    loss: number[];
    val_loss: number[];
    acc: number[];
    val_acc: number[];
    digit: number[];
  };
  const slices = options.slices ?? 60;
  const units = 96;
  const coordinates = Float32Array.from(ref.data.subarray(0, slices * units * 2) as ArrayLike<number>);
  if (options.jitter) {
    // A second, visibly different run: the same picture squeezed along y and shifted.
    for (let i = 0; i < coordinates.length; i += 2) coordinates[i + 1] = coordinates[i + 1]! * options.jitter;
  }
  return {
    name,
    trace: Float32Array.from(trace.data.subarray(0, slices * units * 100) as ArrayLike<number>),
    slices,
    samples: 100,
    layers: [
      { name: 'dense_1', units: 32 },
      { name: 'dense_2', units: 32 },
      { name: 'dense_3', units: 32 },
    ],
    coordinates,
    probeLabels: meta.digit,
    classNames: Array.from({ length: 10 }, (_, i) => `digit ${i}`),
    logs: (s) => ({ loss: meta.loss[s]!, acc: meta.acc[s]! }),
    epochLogs: (s) => ({
      val_loss: meta.val_loss[s]! * (options.jitter ? 1.2 : 1),
      val_acc: meta.val_acc[s]!,
    }),
    ...(options.task ? { task: options.task } : {}),
  };
}

/** POSTs a file to /api/snapshots and returns the new session id. */
export async function importFile(baseUrl: string, bytes: Uint8Array, token?: string): Promise<string> {
  const response = await fetch(new URL('/api/snapshots', baseUrl), {
    method: 'POST',
    body: bytes as Uint8Array<ArrayBuffer>,
    headers: {
      'Content-Type': 'application/octet-stream',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
  });
  if (!response.ok) throw new Error(`import failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

/** Polls a page expression until it is truthy (bounded). */
export async function until<T>(page: Page, fn: () => T, what: string, timeoutMs = 60_000): Promise<T> {
  const handle = await page
    .waitForFunction(fn, undefined, { timeout: timeoutMs, polling: 100 })
    .catch((e: Error) => {
      throw new Error(`timed out waiting for ${what}: ${e.message.split('\n')[0]}`);
    });
  return (await handle.jsonValue()) as T;
}
