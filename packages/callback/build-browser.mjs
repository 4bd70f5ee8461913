// Builds dist/browser/mphate-callback.js: the callback for <script type="module"> pages (served by
// the server at /callback.js). ESM; tfjs is NOT bundled (the page's global `tf` is used, see
// src/browser.ts); @mphate/protocol is bundled in; `ws`, node:* and
// @mphate/protocol/node stay external (Node-only paths, loaded with import() there).
import { build } from 'esbuild';

export const outfile = new URL('./dist/browser/mphate-callback.js', import.meta.url).pathname;

export async function buildBrowser() {
  await build({
    entryPoints: [new URL('./src/browser.ts', import.meta.url).pathname],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    external: ['ws', 'node:*', '@mphate/protocol/node'],
    sourcemap: true,
    logLevel: 'warning',
  });
  return outfile;
}

if (import.meta.url === `file://${process.argv[1]}`) await buildBrowser();
