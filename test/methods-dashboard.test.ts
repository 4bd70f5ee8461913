/**
 * The dashboard's comparison methods in a real browser against a real server on loopback:
 * picking a method under a session re-embeds it on the server and shows a second panel with
 * the method's picture (pixels on its WebGL canvas) and its four scores.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, testServer } from '../packages/server/test/helpers/server.ts';
import {
  importFile,
  launchBrowser,
  mlpSpec,
  openPage,
  ROOT,
  scatterInk,
  snapshotBytes,
  until,
} from './dashboard-helpers.ts';

type Hook = { methods: { methods: string[] }; sessionId: string | null };
declare const window: { __mphate: Hook };

describe('dashboard: comparison methods (chromium, real server)', () => {
  let ts: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    const dist = join(ROOT, 'packages', 'dashboard', 'dist', 'index.html');
    if (!existsSync(dist)) throw new Error(`${dist} is missing: build the dashboard first (pnpm build)`);
    ts = await testServer();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await ts?.stop();
  });

  it('a re-embed with another method shows a second panel with its scores', async () => {
    const id = await importFile(ts.url, await snapshotBytes(mlpSpec('mlp methods', { slices: 10 })));
    const { page, errors } = await openPage(browser, `${ts.url}#session=${id}`);
    await until(page, () => window.__mphate?.sessionId !== null, 'the session to open', 20_000);
    await page.selectOption('#methods-panel .method-select', 'pca');
    await page.click('#methods-panel .method-embed');
    await until(page, () => window.__mphate.methods.methods.includes('pca'), 'the pca panel', 90_000);
    const panel = page.locator('#methods-panel [data-method="pca"]');
    expect(await panel.locator('.compare-name').textContent()).toBe('PCA');
    const terms = await panel.locator('.compare-summary dt').allTextContents();
    const values = await panel.locator('.compare-summary dd').allTextContents();
    expect(terms.slice(0, 4)).toEqual([
      'intraslice k=10',
      'interslice k=10',
      'intraslice k=40',
      'interslice k=40',
    ]);
    for (const v of values.slice(0, 4)) expect(v).toMatch(/^[01]\.\d{3}$/);
    // the picture: the panel's canvas has ink next to the session's own scatter
    await page.waitForTimeout(500);
    const ink = await scatterInk(page, 'methods-pca', '#methods-panel [data-method="pca"] canvas');
    expect(ink.ink).toBeGreaterThan(200);
    expect(errors).toEqual([]);
    await page.close();
  });
});
