/**
 * The dashboard in a real browser (Debian's chromium via playwright-core) against a real server
 * on loopback. Pixels are checked on screenshots of the WebGL view, not only the DOM; the page's
 * test hook (`window.__mphate`) is used to read what it believes it shows.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { encodeNpy } from '@mphate/protocol';
import { startServer } from '@mphate/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IngestClient,
  sessionHeader,
  sliceMeta,
  sliceOf,
  syntheticTrace,
} from '../packages/server/test/helpers/clients.ts';
import { type TestServer, tempDir, testServer } from '../packages/server/test/helpers/server.ts';
import {
  importFile,
  inkPixels,
  launchBrowser,
  mlpSpec,
  openPage,
  ROOT,
  scatterInk,
  screenshot,
  snapshotBytes,
  until,
} from './dashboard-helpers.ts';

type Hook = {
  store: { get(id: string): { embedding: { slices: number } | null; detail: { epochs: number } | null } };
  scatter: {
    pointsDrawn: number;
    draws: number;
    trajectoryCount: number;
    isDecimated: boolean;
    colorMode: string;
    screenPosition(row: number): [number, number] | null;
    camera(): { target: [number, number]; distance: number };
    viewInData(): { x: number; y: number; halfWidth: number } | null;
  };
  scrubber: { slice$: { value: number }; mode$: { value: string }; playing: boolean; set(s: number): void };
  curves: { pointCounts(): Record<string, number>; marker: number | null };
  compare: {
    ids: string[];
    summaries: {
      name: string;
      memorizationError: number | null;
      lossGap: number | null;
      spread: number[];
      entropyBits: number | null;
    }[];
    scatters: { pointsDrawn: number }[];
    scrubber: { slice$: { value: number } };
  };
  colorMode: string;
  selectedUnits: number[];
  sessionId: string | null;
};
declare const window: { __mphate: Hook; location: Location };

const DIST = join(ROOT, 'packages', 'dashboard', 'dist', 'index.html');

describe('dashboard (chromium, real server)', () => {
  let ts: TestServer;
  let browser: Browser;
  let mlpId: string;

  beforeAll(async () => {
    if (!existsSync(DIST)) throw new Error(`${DIST} is missing: build the dashboard first (pnpm build)`);
    ts = await testServer();
    browser = await launchBrowser();
    mlpId = await importFile(ts.url, await snapshotBytes(mlpSpec('mlp vanilla')));
  });

  afterAll(async () => {
    await browser?.close();
    await ts?.stop();
  });

  async function open(hash: string): Promise<{ page: Page; errors: string[] }> {
    const opened = await openPage(browser, `${ts.url}${hash}`);
    await until(opened.page, () => Boolean(window.__mphate), 'the page to start', 20_000);
    return opened;
  }

  it('follows a session streamed live: pixels, epochs and curves grow, the zoom survives updates', async () => {
    const header = sessionHeader({ name: 'live run', units: 40, samples: 16 });
    const slices = 10;
    const trace = syntheticTrace(slices, header.units, header.samples, 3);
    const client = await IngestClient.connect(ts.url, header);
    const send = async (s: number): Promise<void> => {
      await client.slice(
        sliceMeta(s),
        sliceOf(trace, s, header.units, header.samples),
        header.units,
        header.samples,
      );
      await client.epoch(s, { loss: 1 / (s + 1), val_loss: 1.2 / (s + 1) });
    };
    const { page, errors } = await open(`#session=${header.id}`);
    try {
      for (let s = 0; s < 4; s++) await send(s);
      await until(
        page,
        () => window.__mphate.scatter.pointsDrawn > 0,
        'the first embedding to be drawn',
        90_000,
      );
      const first = await page.evaluate(() => ({
        slices: window.__mphate.store.get(window.__mphate.sessionId!).embedding!.slices,
        curves: window.__mphate.curves.pointCounts(),
      }));
      const epochsBefore = Number(await page.textContent('#session-epochs'));
      expect(epochsBefore).toBeGreaterThanOrEqual(4);
      expect(first.curves.loss).toBeGreaterThanOrEqual(4);
      const inkBefore = await scatterInk(page, 'live-1');
      expect(inkBefore.ink).toBeGreaterThan(50);
      expect(await page.textContent('#connection')).toBe('live');

      // Zoom in with the keyboard once the first four slices are drawn, then let more slices arrive.
      await until(
        page,
        () => window.__mphate.scatter.pointsDrawn === 160,
        'the embedding of slices 0-3',
        90_000,
      );
      const unzoomed = await page.evaluate(() => window.__mphate.scatter.viewInData()!);
      await page.locator('body').press('+');
      await page.locator('body').press('+');
      const viewBefore = await page.evaluate(() => window.__mphate.scatter.viewInData()!);
      expect(unzoomed.halfWidth / viewBefore.halfWidth).toBeCloseTo(1.25 * 1.25, 1);
      for (let s = 4; s < slices; s++) await send(s);
      await until(
        page,
        () =>
          window.__mphate.store.get(window.__mphate.sessionId!).embedding!.slices === 10 &&
          window.__mphate.scatter.pointsDrawn === 400,
        'the embedding of all 10 slices to be drawn',
        90_000,
      );
      expect(first.slices).toBeLessThan(10);
      const viewAfter = await page.evaluate(() => window.__mphate.scatter.viewInData()!);
      // Same data region on screen (the transform may have been refitted; the camera follows it).
      expect(Math.abs(viewAfter.x - viewBefore.x)).toBeLessThan(0.01 * viewBefore.halfWidth);
      expect(Math.abs(viewAfter.y - viewBefore.y)).toBeLessThan(0.01 * viewBefore.halfWidth);
      expect(viewAfter.halfWidth / viewBefore.halfWidth).toBeCloseTo(1, 2);
      await until(page, () => document.querySelector('#session-epochs')?.textContent === '10', '10 epochs');
      await until(
        page,
        () =>
          window.__mphate.curves.pointCounts().loss === 10 &&
          window.__mphate.curves.pointCounts().val_loss === 10,
        'curves of 10 slices',
      );
      expect((await scatterInk(page, 'live-2')).ink).toBeGreaterThan(50);
      await client.end(slices, slices);
      await until(
        page,
        () => document.querySelector('#session-status')?.textContent === 'finished',
        'finished status',
      );
      await screenshot(page, 'live-finished');
      expect(errors).toEqual([]);
    } finally {
      client.close();
      await page.close();
    }
  });

  it('colours by slice, epoch, layer, class, unit and task; scrubs; hovers; selects a unit and draws its trajectory', async () => {
    const { page, errors } = await open(`#session=${mlpId}`);
    try {
      await until(page, () => window.__mphate.scatter.pointsDrawn === 5760, 'all 5,760 points');
      const all = await scatterInk(page, 'view-slice');
      expect(all.ink).toBeGreaterThan(2000);
      const shots = new Map<string, Buffer>();
      // No tasks in this session: `task` is not offered.
      expect(
        await page.$$eval('#color-mode option', (os) =>
          (os as HTMLOptionElement[]).filter((o) => !o.disabled).map((o) => o.value),
        ),
      ).toEqual(['slice', 'epoch', 'layer', 'class', 'unit']);
      for (const mode of ['slice', 'epoch', 'layer', 'class', 'unit']) {
        const draws = await page.evaluate(() => window.__mphate.scatter.draws);
        await page.selectOption('#color-mode', mode);
        await page.waitForFunction(
          ([m, d]) =>
            window.__mphate.scatter.colorMode === m && window.__mphate.scatter.draws > (d as number),
          [mode, draws] as const,
        );
        await page.waitForTimeout(150);
        shots.set(mode, await screenshot(page, `color-${mode}`, page.locator('#scatter canvas')));
      }
      await page.selectOption('#color-mode', 'layer');
      await page.waitForFunction(() => document.querySelector('#legend')!.textContent!.includes('dense_3'));
      await page.selectOption('#color-mode', 'class');
      await page.waitForFunction(() => document.querySelector('#legend')!.textContent!.includes('digit'));
      expect(shots.get('layer')!.equals(shots.get('slice')!)).toBe(false);
      expect(shots.get('class')!.equals(shots.get('layer')!)).toBe(false);
      const layerInk = await inkPixels(page, shots.get('layer')!);
      expect(layerInk.ink).toBeGreaterThan(2000);

      // Scrubber: up to slice 5, then only slice 10 with its trail.
      await page.selectOption('#scrubber select', 'upto');
      const range = page.locator('#scrubber input[type=range]');
      await range.focus();
      await range.press('Home');
      for (let i = 0; i < 5; i++) await range.press('ArrowRight');
      await until(page, () => window.__mphate.scatter.pointsDrawn === 6 * 96, 'slices 0-5 drawn');
      expect(await page.textContent('#scrubber output')).toContain('slice 5 / 59 · epoch 5');
      const upto = await scatterInk(page, 'scrub-upto-5');
      expect(upto.ink).toBeLessThan(all.ink);
      expect(upto.ink).toBeGreaterThan(20);
      expect(await page.evaluate(() => window.__mphate.curves.marker)).toBe(5);
      await page.selectOption('#scrubber select', 'only');
      await range.focus();
      for (let i = 0; i < 5; i++) await range.press('ArrowRight');
      await until(page, () => window.__mphate.scatter.pointsDrawn === 7 * 96, 'slice 10 and a trail of 6');
      await screenshot(page, 'scrub-only-10');
      // Clicking a curve moves the scrubber there.
      const chart = page.locator('.curve canvas').first();
      const box = (await chart.boundingBox())!;
      await chart.click({ position: { x: box.width * 0.8, y: box.height * 0.6 } });
      await until(
        page,
        () => window.__mphate.scrubber.slice$.value > 30,
        'the scrubber to follow a click on the curve',
      );
      // Play replays slices.
      await range.focus();
      await range.press('Home');
      await page.click('#scrubber .play');
      await until(page, () => window.__mphate.scrubber.slice$.value >= 3, 'play to advance');
      await page.click('#scrubber .play');
      expect(await page.evaluate(() => window.__mphate.scrubber.playing)).toBe(false);

      // Back to all slices; hover and click a point.
      await page.selectOption('#scrubber select', 'all');
      await until(page, () => window.__mphate.scatter.pointsDrawn === 5760, 'all points again');
      await page.waitForTimeout(300);
      const row = 59 * 96 + 5;
      const pos = await page.evaluate((r) => window.__mphate.scatter.screenPosition(r), row);
      const canvasBox = (await page.locator('#scatter canvas').boundingBox())!;
      const before = await scatterInk(page, 'select-before');
      await page.mouse.move(canvasBox.x + pos![0], canvasBox.y + pos![1]);
      await until(page, () => !document.querySelector<HTMLElement>('#tooltip')!.hidden, 'the hover tooltip');
      const tip = await page.textContent('#tooltip');
      expect(tip).toMatch(/unit \d+ \(dense_\d #\d+\) · slice \d+ · epoch \d+ · class (digit \d|–)/);
      await page.mouse.click(canvasBox.x + pos![0], canvasBox.y + pos![1]);
      await until(page, () => window.__mphate.selectedUnits.length === 1, 'one unit selected by click');
      const unit = await page.evaluate(() => window.__mphate.selectedUnits[0]!);
      await until(page, () => window.__mphate.scatter.trajectoryCount === 1, 'its trajectory');
      await page.waitForTimeout(300);
      expect(await page.textContent('#selection-list')).toContain(`unit ${unit} · dense_`);
      const after = await scatterInk(page, 'select-trajectory');
      await page.evaluate(() => window.__mphate.scrubber.set(59));
      await page.waitForTimeout(200);
      await page.mouse.move(canvasBox.x + pos![0], canvasBox.y + pos![1] + 1);
      await screenshot(page, 'main-view');
      expect(after.ink).toBeGreaterThan(before.ink);
      // Keyboard: add a unit by number, then Escape clears.
      await page.fill('#select-unit', '70');
      await page.press('#select-unit', 'Enter');
      await until(page, () => window.__mphate.selectedUnits.includes(70), 'unit 70 added');
      expect(await page.textContent('#selection-list')).toContain('unit 70 · dense_3 #6');
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.keyboard.press('Escape');
      await until(page, () => window.__mphate.selectedUnits.length === 0, 'selection cleared');
      // Lasso (shift-drag) around the middle of the view selects the units inside, each with its trajectory.
      const mx = canvasBox.x + canvasBox.width / 2;
      const my = canvasBox.y + canvasBox.height / 2;
      await page.keyboard.down('Shift');
      const corners = [
        [-80, -80],
        [80, -80],
        [80, 80],
        [-80, 80],
        [-80, -80],
      ] as const;
      await page.mouse.move(mx - 80, my - 80);
      await page.mouse.down();
      for (let c = 1; c < corners.length; c++) {
        const [x0, y0] = corners[c - 1]!;
        const [x1, y1] = corners[c]!;
        for (let k = 1; k <= 8; k++) {
          await page.mouse.move(mx + x0 + ((x1 - x0) * k) / 8, my + y0 + ((y1 - y0) * k) / 8);
          await page.waitForTimeout(20);
        }
      }
      await page.mouse.up();
      await page.keyboard.up('Shift');
      await until(page, () => window.__mphate.selectedUnits.length > 1, 'units selected by lasso');
      const lassoed = await page.evaluate(() => window.__mphate.selectedUnits.length);
      await until(
        page,
        () => window.__mphate.scatter.trajectoryCount === window.__mphate.selectedUnits.length,
        'their trajectories',
      );
      expect(await page.locator('#selection-list li').count()).toBe(lassoed);
      await screenshot(page, 'lasso');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('compares two sessions side by side with one scrubber and their summaries', async () => {
    const otherId = await importFile(ts.url, await snapshotBytes(mlpSpec('mlp squeezed', { jitter: 0.5 })));
    const { page, errors } = await open('');
    try {
      await page.waitForSelector(`li[data-id="${otherId}"]`);
      await page.check(`li[data-id="${mlpId}"] .pick`);
      await page.check(`li[data-id="${otherId}"] .pick`);
      await page.click('#compare-button');
      await until(
        page,
        () =>
          window.__mphate.compare.summaries.length === 2 &&
          window.__mphate.compare.summaries.every((s) => s.spread.length === 60) &&
          window.__mphate.compare.scatters.every((s) => s.pointsDrawn === 5760),
        'both sessions drawn with their summaries',
      );
      const summaries = await page.evaluate(() => window.__mphate.compare.summaries);
      for (const s of summaries) {
        // These runs log loss, not a cross-entropy metric: no memorization error, the loss gap beside.
        expect(s.memorizationError).toBeNull();
        expect(s.lossGap).not.toBeNull();
        expect(s.entropyBits).toBeGreaterThan(0);
        expect(s.entropyBits).toBeLessThanOrEqual(Math.log2(100));
      }
      const squeezed = summaries.find((s) => s.name === 'mlp squeezed')!;
      const vanilla = summaries.find((s) => s.name === 'mlp vanilla')!;
      // The squeezed run's validation loss was scaled by 1.2: a larger gap.
      expect(squeezed.lossGap!).toBeGreaterThan(vanilla.lossGap!);
      expect(await page.locator('.compare-summary').first().textContent()).toContain(
        'memorization errorno cross-entropy metric logged',
      );
      for (const [k, panel] of (await page.locator('.compare-scatter canvas').all()).entries()) {
        const png = await screenshot(page, `compare-panel-${k}`, panel);
        expect((await inkPixels(page, png)).ink).toBeGreaterThan(500);
      }
      // One scrubber for both.
      await page.selectOption('#compare-view .scrubber select', 'only');
      const range = page.locator('#compare-view .scrubber input[type=range]');
      await range.focus();
      await range.press('Home');
      await until(
        page,
        () => window.__mphate.compare.scatters.every((s) => s.pointsDrawn === 96),
        'slice 0 in both panels',
      );
      await page.locator('body').press(']');
      await until(
        page,
        () => window.__mphate.compare.scrubber.slice$.value === 1,
        'the shared scrubber to step',
      );
      await page.selectOption('#compare-view .scrubber select', 'all');
      await page.waitForTimeout(300);
      await screenshot(page, 'compare');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('imports a snapshot through the file input, a .npy by dropping it, and refuses other files', async () => {
    const { page, errors } = await open('');
    try {
      const bytes = await snapshotBytes(
        mlpSpec('imported run', { slices: 20, task: (slice) => (slice < 12 ? 'task 1' : 'task 2') }),
      );
      await page.setInputFiles('#import-file', {
        name: 'run.mphate',
        mimeType: 'application/octet-stream',
        buffer: Buffer.from(bytes),
      });
      await until(page, () => window.location.hash.startsWith('#session='), 'the imported session to open');
      await until(
        page,
        () => window.__mphate.scatter.pointsDrawn === 20 * 96,
        'the imported embedding drawn',
      );
      expect(await page.textContent('#session-name')).toBe('imported run');
      await page.waitForSelector('li.session:has-text("imported run")');
      // Its tasks: a boundary on the scrubber and a colour each.
      expect(await page.locator('#scrubber .scrub-task').count()).toBe(1);
      await page.selectOption('#color-mode', 'task');
      await page.waitForFunction(() =>
        /task 1.*task 2/.test(document.querySelector('#legend')!.textContent!),
      );
      await screenshot(page, 'tasks');

      const trace = syntheticTrace(5, 12, 8, 9);
      const npy = encodeNpy({ shape: [5, 12, 8], data: trace });
      const drop = async (name: string, data: Uint8Array): Promise<void> => {
        await page.evaluate(
          async ({ name, b64 }) => {
            const blob = await (await fetch(`data:application/octet-stream;base64,${b64}`)).blob();
            const transfer = new DataTransfer();
            transfer.items.add(new File([blob], name));
            for (const type of ['dragenter', 'dragover', 'drop']) {
              document.body.dispatchEvent(
                new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }),
              );
            }
          },
          { name, b64: Buffer.from(data).toString('base64') },
        );
      };
      const previous = await page.evaluate(() => window.location.hash);
      await drop('trace.npy', npy);
      await until(page, () => window.location.hash !== '' && window.__mphate.sessionId !== null, 'a session');
      await page.waitForFunction((p) => window.location.hash !== p, previous);
      await until(
        page,
        () => document.querySelector('#session-slices')?.textContent === '5',
        'the .npy session (5 slices)',
      );
      expect(await page.textContent('#session-units')).toBe('12');
      // The server embeds the imported trace; the page draws it when it arrives.
      await until(
        page,
        () => window.__mphate.scatter.pointsDrawn === 60,
        'the embedding of the .npy trace',
        90_000,
      );

      await drop('notes.txt', new TextEncoder().encode('hello, not a trace'));
      await until(page, () => !document.querySelector<HTMLElement>('#toast')!.hidden, 'an error toast');
      expect(await page.textContent('#toast')).toContain('neither an M-PHATE snapshot nor a .npy file');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
  it('pans a large session on a subsample and restores every point when the camera rests', async () => {
    const units = 690;
    const slices = 100; // 69,000 points: above the subsampling threshold
    const coordinates = new Float32Array(units * slices * 2);
    for (let i = 0; i < units * slices; i++) {
      coordinates[2 * i] = Math.cos(i * 0.618) * (1 + (i % 97) / 50);
      coordinates[2 * i + 1] = Math.sin(i * 0.618) * (1 + (i % 89) / 50);
    }
    const id = await importFile(
      ts.url,
      await snapshotBytes({
        name: 'large',
        trace: Float32Array.from({ length: units * slices * 3 }, (_, i) => Math.sin(i)),
        slices,
        samples: 3,
        layers: [{ name: 'dense', units }],
        coordinates,
      }),
    );
    const { page, errors } = await open(`#session=${id}`);
    try {
      await until(page, () => window.__mphate.scatter.pointsDrawn === 69_000, 'all 69,000 points');
      await page.waitForTimeout(300);
      // Pixels drawn on the view's canvas, read in the page right after a rendered frame.
      const inkAfterFrame = (zoom: number) =>
        page.evaluate(async (factor) => {
          const scatter = window.__mphate.scatter as unknown as { renders: number; zoom(f: number): void };
          const before = scatter.renders;
          if (factor !== 1) scatter.zoom(factor);
          while (factor !== 1 && scatter.renders < before + 2)
            await new Promise((r) => requestAnimationFrame(r));
          const canvas = document.querySelector<HTMLCanvasElement>('#scatter canvas')!;
          const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
          let ink = 0;
          for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) ink++;
          return {
            ink,
            decimated: (window.__mphate.scatter as unknown as { isDecimated: boolean }).isDecimated,
          };
        }, zoom);
      const moving = await inkAfterFrame(1.02);
      expect(moving.decimated).toBe(true);
      await until(page, () => !window.__mphate.scatter.isDecimated, 'every point back');
      await page.waitForTimeout(400);
      const resting = await inkAfterFrame(1);
      expect(resting.decimated).toBe(false);
      expect(resting.ink).toBeGreaterThan(moving.ink * 1.3);
      await screenshot(page, 'large-resting');
      expect(await page.evaluate(() => window.__mphate.scatter.pointsDrawn)).toBe(69_000);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('renames (a list update while typing keeps the text), exports (snapshot, CSV, PNG) and deletes a session from the list', async () => {
    const id = await importFile(ts.url, await snapshotBytes(mlpSpec('to rename', { slices: 8 })));
    const { page, errors } = await open(`#session=${id}`);
    try {
      const row = page.locator(`li[data-id="${id}"]`);
      await row.locator('.rename').click();
      await page.fill('.rename-input', 'renamed');
      // another session arrives while the name is typed: the server pushes a new list
      const other = await importFile(
        ts.url,
        await snapshotBytes(mlpSpec('arrives meanwhile', { slices: 3 })),
      );
      await page.waitForTimeout(1000);
      expect(await page.inputValue('.rename-input')).toBe('renamed');
      await page.press('.rename-input', 'End');
      await page.keyboard.type(' run');
      await page.press('.rename-input', 'Enter');
      await page.waitForSelector(`li[data-id="${other}"]`);
      await expect
        .poll(async () => (await (await fetch(`${ts.url}api/sessions/${id}`)).json()).name)
        .toBe('renamed run');
      await until(
        page,
        () => document.querySelector('#session-name')?.textContent === 'renamed run',
        'the new name',
      );

      const download = async (click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> => {
        const [d] = await Promise.all([page.waitForEvent('download'), click()]);
        const path = await d.path();
        const { readFileSync } = await import('node:fs');
        return { name: d.suggestedFilename(), bytes: readFileSync(path!) };
      };
      const snap = await download(() => row.locator('.snapshot').click());
      expect(snap.name).toBe('renamed_run.mphate');
      expect([...snap.bytes.subarray(0, 8)]).toEqual([0x89, 0x4d, 0x50, 0x48, 0x41, 0x54, 0x45, 0x0a]);
      const csv = await download(() => page.click('#export-csv'));
      const lines = csv.bytes.toString('utf8').trim().split('\n');
      expect(lines[0]).toBe('slice,epoch,layer,unit,layerUnit,x,y');
      expect(lines).toHaveLength(1 + 8 * 96);
      await until(page, () => window.__mphate.scatter.pointsDrawn === 8 * 96, 'the view drawn');
      const png = await download(() => page.click('#export-png'));
      expect(png.name).toMatch(/\.png$/);
      expect((await inkPixels(page, png.bytes)).ink).toBeGreaterThan(100);

      page.once('dialog', (dialog) => void dialog.accept());
      await row.locator('.delete').click();
      await expect.poll(async () => (await fetch(`${ts.url}api/sessions/${id}`)).status).toBe(404);
      await page.waitForFunction(
        (gone) => !document.querySelector(`li[data-id="${gone}"]`) && window.location.hash === '',
        id,
      );
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe('dashboard with a token', () => {
  it('takes the token from the URL fragment, hides it, and asks for it when missing', async () => {
    const ts = await testServer({ token: 's3cret-token' });
    const browser = await launchBrowser();
    try {
      const { page, errors } = await openPage(browser, `${ts.url}#token=s3cret-token`);
      await until(page, () => document.body.getAttribute('data-sessions') === '0', 'the session list');
      expect(page.url()).not.toContain('s3cret');
      await until(
        page,
        () => document.querySelector('#connection')?.textContent === 'live',
        'the live socket',
      );
      await page.close();
      expect(errors).toEqual([]);

      const asked = await openPage(browser, ts.url);
      await asked.page.waitForSelector('#token-dialog[open]');
      await asked.page.fill('#token-dialog input', 's3cret-token');
      await asked.page.click('#token-dialog button[value=ok]');
      await until(
        asked.page,
        () => document.body.getAttribute('data-sessions') === '0',
        'the list after the token',
      );
      await until(
        asked.page,
        () => document.querySelector('#connection')?.textContent === 'live',
        'the live socket',
      );
      await asked.page.close();
    } finally {
      await browser.close();
      await ts.stop();
    }
  });
});

describe('dashboard reconnecting', () => {
  it('shows the connection drop, reconnects by itself when the server is back, and subscribes again', async () => {
    const dataDir = tempDir('mphate-dashboard-');
    let server = await startServer({ port: 0, host: '127.0.0.1', dataDir, workers: 1 });
    const port = server.port;
    const browser = await launchBrowser();
    try {
      const id = await importFile(server.url, await snapshotBytes(mlpSpec('survivor', { slices: 6 })));
      const { page, errors } = await openPage(browser, `${server.url}#session=${id}`);
      await until(page, () => window.__mphate?.scatter.pointsDrawn === 6 * 96, 'the session drawn');
      await server.close();
      await until(
        page,
        () => /offline/.test(document.querySelector('#connection')!.textContent!),
        'the offline state',
      );
      server = await startServer({ port, host: '127.0.0.1', dataDir, workers: 1 });
      await until(
        page,
        () => document.querySelector('#connection')?.textContent === 'live',
        'the reconnection',
        30_000,
      );
      // Subscribed again: a rename on the server reaches the open page.
      await fetch(`${server.url}api/sessions/${id}`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'survivor, renamed' }),
      });
      await until(
        page,
        () => document.querySelector('#session-name')?.textContent === 'survivor, renamed',
        'the push',
      );
      // Only the expected failures while the server was down (the socket and maybe a list fetch).
      expect(
        errors.filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource/.test(e)),
      ).toEqual([]);
      await page.close();
    } finally {
      await browser.close();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
