/**
 * The demo path end to end, in a browser: a real server with embedding on, the dashboard open
 * in Chromium before training starts, the mnist-mlp example training a few epochs into the
 * server. The session must appear by itself, live, and the page must show its points (pixels
 * of the WebGL view) and its curves, then the embedding of every epoch.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningServer, startServer } from '@mphate/server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as runMlp } from '../examples/mnist-mlp/index.js';
import { launchBrowser, openPage, scatterInk, screenshot, until } from './dashboard-helpers.ts';

type Hook = {
  scatter: { pointsDrawn: number };
  curves: { pointCounts(): Record<string, number> };
};
declare const window: { __mphate: Hook };

const EPOCHS = 4;
const UNITS = 384;
let server: RunningServer;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mphate-demo-e2e-'));
  server = await startServer({ port: 0, host: '127.0.0.1', dataDir, workers: 1 });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the demo path in a browser', () => {
  it('shows the MNIST session live, with points and curves, until every epoch is embedded', async () => {
    const { page, errors } = await openPage(browser, server.url);
    try {
      const training = runMlp({
        epochs: EPOCHS,
        server: server.url,
        maxTrain: 800,
        session: 'demo e2e',
        log: () => {},
      });

      // The session appears in the list by itself; open it as a user would.
      const item = page.locator('#session-list >> text=demo e2e').first();
      await item.waitFor({ timeout: 120_000 });
      await item.click();
      await until(
        page,
        () => window.__mphate.scatter.pointsDrawn > 0,
        'the first embedding to be drawn',
        240_000,
      );
      expect((await page.evaluate(() => window.__mphate.scatter.pointsDrawn)) % UNITS).toBe(0);
      expect((await scatterInk(page, 'demo-live')).ink).toBeGreaterThan(200);

      const result = await training;
      expect(result.sessions[0]!.delivered).toBe(true);
      await until(
        page,
        () => document.querySelector('#session-status')?.textContent === 'finished',
        'the session to finish',
        120_000,
      );
      await until(page, () => window.__mphate.scatter.pointsDrawn === 4 * 384, 'every epoch drawn', 240_000);
      const curves = await page.evaluate(() => window.__mphate.curves.pointCounts());
      expect(curves.loss).toBe(EPOCHS);
      expect(curves.val_loss).toBe(EPOCHS);
      expect(Number(await page.textContent('#session-epochs'))).toBe(EPOCHS);
      expect((await scatterInk(page, 'demo-final')).ink).toBeGreaterThan(200);
      await screenshot(page, 'demo-final');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 600_000);
});
