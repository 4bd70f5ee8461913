import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { type RunningServer, startServer } from '@mphate/server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../../test/helpers/browser.js';
// @ts-expect-error: a plain .mjs build script without types
import { buildBrowser } from '../build-browser.mjs';
import { getSession, tempDir } from './helpers.js';

const tfMinJs = createRequire(import.meta.url).resolve('@tensorflow/tfjs/dist/tf.min.js');

/** A page that loads the page's tfjs as the global `tf`, then the server's /callback.js, and trains. */
const PAGE = `<!doctype html><meta charset="utf-8"><title>callback test</title>
<script src="/tf.min.js"></script>
<script type="module">
  import { mphateCallback } from '/callback.js';
  const server = new URLSearchParams(location.search).get('server');
  try {
    await tf.setBackend('cpu');
    const model = tf.sequential();
    model.add(tf.layers.dense({ inputShape: [4], units: 12, activation: 'relu', name: 'h' }));
    model.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
    model.compile({
      optimizer: 'adam',
      loss: 'categoricalCrossentropy',
      metrics: ['accuracy', 'categoricalCrossentropy'],
    });
    const xs = tf.randomNormal([40, 4], 0, 1, 'float32', 1);
    const ys = tf.oneHot(tf.tensor1d(Array.from({ length: 40 }, (_, i) => i % 2), 'int32'), 2).toFloat();
    const callback = mphateCallback({ probe: xs.slice(0, 10), server, session: 'in the browser' });
    await model.fit(xs, ys, { epochs: 3, batchSize: 10, validationSplit: 0.25, callbacks: [callback] });
    const delivered = await callback.flush({ timeoutMs: 20000 });
    window.__result = { id: callback.sessionId, delivered, backend: tf.getBackend() };
  } catch (error) {
    window.__result = { error: String(error && error.stack || error) };
  }
</script>`;

/**
 * The user's page on its own loopback web server (as in development), delivering to the M-PHATE
 * server on another port. It serves the page, the page's tfjs, and the bundle exactly as the M-PHATE
 * server serves it at /callback.js. (A page fulfilled by playwright's page.route would not do:
 * Chromium's Local Network Access checks block such a page from opening sockets to 127.0.0.1.)
 */
async function startPageServer(callbackJs: string): Promise<{ server: Server; url: string }> {
  const tfSource = await readFile(tfMinJs);
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const body =
      path === '/page.html'
        ? PAGE
        : path === '/tf.min.js'
          ? tfSource
          : path === '/callback.js'
            ? callbackJs
            : null;
    if (body === null) {
      res.writeHead(404).end();
      return;
    }
    res
      .writeHead(200, { 'content-type': path.endsWith('.html') ? 'text/html' : 'text/javascript' })
      .end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
}

describe('the browser bundle in headless Chromium', () => {
  let server: RunningServer;
  let pages: { server: Server; url: string };
  let browser: Browser;
  const data = tempDir('mphate-cb-browser-');
  beforeAll(async () => {
    await buildBrowser(); // the bundle the server serves at /callback.js
    server = await startServer({ port: 0, host: '127.0.0.1', dataDir: data.dir, workers: 1 });
    const served = await fetch(new URL('/callback.js', server.url));
    expect(served.status).toBe(200);
    pages = await startPageServer(await served.text());
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => pages?.server.close(r));
    await server?.close();
    data.remove();
  });

  it("trains a tiny model with the page's tfjs and delivers every epoch to the server", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const consoleLines: string[] = [];
    page.on('console', (m) => consoleLines.push(m.text()));
    await page.goto(`${pages.url}/page.html?server=${encodeURIComponent(server.url)}`);
    await page.waitForFunction(
      () => (window as unknown as { __result?: unknown }).__result !== undefined,
      null,
      {
        timeout: 60_000,
      },
    );
    const result = (await page.evaluate(() => (window as unknown as { __result: unknown }).__result)) as {
      id?: string;
      delivered?: boolean;
      backend?: string;
      error?: string;
    };
    expect(result.error, consoleLines.join('\n')).toBeUndefined();
    expect(consoleLines.filter((l) => l.includes('[mphate]'))).toEqual([]);
    expect(errors).toEqual([]);
    expect(result.delivered).toBe(true);
    expect(result.backend).toBe('cpu');
    const session = await getSession(server.url, result.id!);
    expect(session.name).toBe('in the browser');
    expect(session.status).toBe('finished');
    expect(session.layers.map((l) => [l.name, l.units])).toEqual([['h', 12]]);
    expect(session.logs.map((r) => r.slice)).toEqual([0, 1, 2]);
    expect(session.samples).toBe(10);
    await page.close();
  });
});
