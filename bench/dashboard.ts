/**
 * Dashboard responsiveness at 150,000 points (1,500 units x 100 slices): a real server on
 * loopback holds a session imported from a snapshot with a precomputed embedding; Debian's
 * headless chromium opens it. Measured: time to first draw, frame times (requestAnimationFrame
 * intervals) while the view is panned by mouse drag and zoomed by wheel, and how long a scrub
 * step and a colour change take to redraw. Headless chromium renders WebGL in software
 * (SwiftShader) here, so these are upper bounds of what a laptop with a GPU does.
 *
 *   npx tsx bench/dashboard.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startServer } from '@mphate/server';
import type { Page } from 'playwright-core';
import { importFile, launchBrowser, openPage, screenshot, snapshotBytes } from '../test/dashboard-helpers.ts';
import { stats } from './stats.ts';

/** Units (a multiple of 3); BENCH_UNITS=150 gives 15,000 points for comparison. */
const UNITS = Number(process.env.BENCH_UNITS ?? 1500);
const SLICES = 100;
const SAMPLES = 3;

declare const window: {
  __mphate: {
    scatter: { pointsDrawn: number; draws: number; renders: number };
    scrubber: { set(s: number): void; mode$: { next(m: string): void } };
    setColorMode(m: string): void;
  };
};

/** Units drifting as 2-D random walks from spread-out starts: an embedding-like cloud with trajectories. */
function syntheticCoordinates(seed = 5): Float32Array {
  let s = seed;
  const random = (): number => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const out = new Float32Array(SLICES * UNITS * 2);
  for (let u = 0; u < UNITS; u++) {
    let x = (random() - 0.5) * 20;
    let y = (random() - 0.5) * 20;
    for (let t = 0; t < SLICES; t++) {
      x += (random() - 0.5) * 0.6;
      y += (random() - 0.5) * 0.6;
      out[(t * UNITS + u) * 2] = x;
      out[(t * UNITS + u) * 2 + 1] = y;
    }
  }
  return out;
}

/** rAF intervals (ms) while `action` runs. */
async function frameTimes(page: Page, action: () => Promise<void>): Promise<number[]> {
  // A string, not a function: tsx would wrap named inner functions with a helper the page lacks.
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__recording = true;
    let last = performance.now();
    const tick = (now) => {
      window.__frames.push(now - last);
      last = now;
      if (window.__recording) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  await action();
  return page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __recording: boolean };
    w.__recording = false;
    return w.__frames.slice(1);
  });
}

async function timeRedraw(page: Page, change: string): Promise<number> {
  return page.evaluate(async (code) => {
    const hook = window.__mphate;
    const before = hook.scatter.draws;
    const t0 = performance.now();
    new Function('hook', code)(hook);
    while (hook.scatter.draws === before) await new Promise((r) => requestAnimationFrame(r));
    return performance.now() - t0;
  }, change);
}

export async function run(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mphate-bench-dashboard-'));
  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir, workers: 1 });
  const browser = await launchBrowser();
  try {
    const trace = new Float32Array(SLICES * UNITS * SAMPLES);
    for (let i = 0; i < trace.length; i++) trace[i] = Math.sin(i * 0.37);
    const id = await importFile(
      server.url,
      await snapshotBytes({
        name: `${UNITS * SLICES} points`,
        trace,
        slices: SLICES,
        samples: SAMPLES,
        layers: [
          { name: 'dense_1', units: UNITS / 3 },
          { name: 'dense_2', units: UNITS / 3 },
          { name: 'dense_3', units: UNITS - (2 * UNITS) / 3 },
        ],
        coordinates: syntheticCoordinates(),
        logs: (s) => ({ loss: 2 / (s + 1) }),
      }),
    );
    const t0 = Date.now();
    const { page, errors } = await openPage(browser, `${server.url}#session=${id}`);
    await page.waitForFunction((n) => window.__mphate?.scatter.pointsDrawn === n, UNITS * SLICES, {
      timeout: 120_000,
      polling: 50,
    });
    const firstDraw = Date.now() - t0;
    await page.waitForTimeout(500);
    const idle = stats(await frameTimes(page, () => page.waitForTimeout(1000)));

    const box = (await page.locator('#scatter canvas').boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const renders0 = await page.evaluate(() => window.__mphate.scatter.renders);
    const panStart = Date.now();
    const pan = stats(
      await frameTimes(page, async () => {
        await page.mouse.move(cx, cy);
        await page.mouse.down();
        for (let i = 0; i < 120; i++) {
          const a = (i / 120) * Math.PI * 4;
          await page.mouse.move(cx + Math.cos(a) * box.width * 0.25, cy + Math.sin(a) * box.height * 0.25);
        }
        await page.mouse.up();
      }),
    );
    const panMs = Date.now() - panStart;
    const panRenders = (await page.evaluate(() => window.__mphate.scatter.renders)) - renders0;
    const zoom = stats(
      await frameTimes(page, async () => {
        await page.mouse.move(cx, cy);
        for (let i = 0; i < 30; i++) await page.mouse.wheel(0, i < 15 ? -120 : 120);
        await page.waitForTimeout(200);
      }),
    );
    const scrub: number[] = [];
    await timeRedraw(page, "hook.scrubber.mode$.next('only')");
    for (let s = 10; s < 90; s += 10) scrub.push(await timeRedraw(page, `hook.scrubber.set(${s})`));
    await timeRedraw(page, "hook.scrubber.mode$.next('all')");
    const colour: number[] = [];
    for (const mode of ['layer', 'unit', 'epoch', 'slice'])
      colour.push(await timeRedraw(page, `hook.setColorMode('${mode}')`));
    await screenshot(page, 'bench-150k');
    await page.close();

    const row = (name: string, s: ReturnType<typeof stats>): string =>
      `| ${name} | ${s.n} | ${s.median.toFixed(1)} | ${s.p95.toFixed(1)} | ${s.max.toFixed(1)} | ${(1000 / s.mean).toFixed(1)} |`;
    const scrubS = stats(scrub);
    const colourS = stats(colour);
    console.log(
      `dashboard, ${(UNITS * SLICES).toLocaleString('en')} points (${UNITS} units x ${SLICES} slices), headless chromium, software WebGL`,
    );
    console.log(
      `time to first draw (navigation -> all points drawn): ${firstDraw} ms; load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${cpus().length} cores\n`,
    );
    console.log('| frames during | frames | median ms | p95 ms | max ms | fps |');
    console.log('|---|---|---|---|---|---|');
    console.log(row('idle (1 s)', idle));
    console.log(row('pan (mouse drag, 120 moves)', pan));
    console.log(row('zoom (30 wheel steps)', zoom));
    console.log(
      `\npan: ${panRenders} frames rendered in ${panMs} ms = ${((panRenders * 1000) / panMs).toFixed(1)} renders/s, ${(panMs / Math.max(1, panRenders)).toFixed(0)} ms per rendered frame (upper bound)`,
    );
    console.log('');
    console.log('| redraw after | n | median ms | max ms |');
    console.log('|---|---|---|---|');
    console.log(
      `| scrub step (only slice s, trail 6) | ${scrubS.n} | ${scrubS.median.toFixed(0)} | ${scrubS.max.toFixed(0)} |`,
    );
    console.log(
      `| colour mode change | ${colourS.n} | ${colourS.median.toFixed(0)} | ${colourS.max.toFixed(0)} |`,
    );
    if (errors.length) console.log(`page errors: ${errors.join('; ')}`);
  } finally {
    await browser.close();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
