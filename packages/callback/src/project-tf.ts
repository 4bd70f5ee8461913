import type { Tf } from './tf-types.js';

/**
 * The tfjs the callback uses when not given `{ tf }`: the user's project's `@tensorflow/tfjs`,
 * found from where the program runs, never one of our own. A static `import '@tensorflow/tfjs'`
 * here would resolve from this package's folder: installed from a folder or linked, that is a
 * second copy (its kernels registered twice, and its tf.Callback not the one model.fit checks),
 * so the callback would not see the model. Loaded on first use, through `require` so the copy is
 * the one an ESM `import * as tf from '@tensorflow/tfjs'` in the user's program also gets (tfjs
 * ships CommonJS for Node). In a bundle for the browser, the page's global `tf`.
 */

type NodeProcess = {
  argv: string[];
  cwd(): string;
  versions: { node?: string };
  getBuiltinModule?: (id: string) => unknown;
};
type NodeRequire = { (id: string): unknown; resolve(id: string): string; cache: Record<string, unknown> };
type ModuleApi = { createRequire(from: string): NodeRequire };
type PathApi = { dirname(p: string): string; resolve(...p: string[]): string };

let cached: Tf | null = null;

export function projectTf(): Tf {
  if (cached) return cached;
  const proc = (globalThis as { process?: NodeProcess }).process;
  const global = (globalThis as { tf?: Tf }).tf;
  if (!proc?.versions?.node || !proc.getBuiltinModule) {
    if (global && typeof global.Callback === 'function') return (cached = global);
    throw new Error(
      "mphateCallback found no tfjs: pass your tfjs namespace, mphateCallback({ tf, probe }), or load tfjs as the page's global 'tf'",
    );
  }
  const { createRequire } = proc.getBuiltinModule('node:module') as ModuleApi;
  const path = proc.getBuiltinModule('node:path') as PathApi;
  const tried: string[] = [];
  for (const dir of searchDirs(proc, path)) {
    const require = createRequire(path.resolve(dir, 'noop.js'));
    try {
      const file = require.resolve('@tensorflow/tfjs');
      cached = require(file) as Tf;
      return cached;
    } catch {
      tried.push(dir);
    }
  }
  throw new Error(
    `mphateCallback found no @tensorflow/tfjs from ${tried.join(', ')}: npm install @tensorflow/tfjs in your project, or pass your tfjs (tfjs-node, tfjs-node-gpu) as mphateCallback({ tf, probe })`,
  );
}

/** The running script's folder, then the working directory: where the user's project is. */
function searchDirs(proc: NodeProcess, path: PathApi): string[] {
  const dirs: string[] = [];
  const main = proc.argv[1];
  if (main) dirs.push(path.dirname(path.resolve(main)));
  dirs.push(proc.cwd());
  return [...new Set(dirs)];
}

/**
 * The folders of every @tensorflow/tfjs-layers loaded in this process (Node), for the error
 * that names a second copy. Empty in a browser.
 */
export function loadedTfjsCopies(): string[] {
  const proc = (globalThis as { process?: NodeProcess }).process;
  if (!proc?.getBuiltinModule) return [];
  const { createRequire } = proc.getBuiltinModule('node:module') as ModuleApi;
  const copies = new Set<string>();
  for (const file of Object.keys(createRequire(`${proc.cwd()}/noop.js`).cache)) {
    const at = file.indexOf('/@tensorflow/tfjs-layers/');
    if (at >= 0) copies.add(file.slice(0, at + '/@tensorflow/tfjs-layers'.length));
  }
  return [...copies];
}
