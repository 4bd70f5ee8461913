/**
 * The import direction inside packages/core/src (docs/architecture.md, "Inside core"):
 *
 *   foundation (options, errors, types, validate, phase-clock) <- linalg <- preprocess, metrics
 *   <- graph <- landmarks <- diffusion <- embed <- live, batch <- index, internal
 *
 * A file may import files of its own folder and of lower ranks, never of a higher rank or of
 * another folder of the same rank. metrics/heterogeneity.ts imports nothing (the dashboard
 * bundles it alone). Outside the package, src may import only tfjs and @mphate/protocol/options.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../src/', import.meta.url));

const RANKS: Record<string, number> = {
  foundation: 0,
  linalg: 1,
  preprocess: 2,
  metrics: 2,
  graph: 3,
  landmarks: 4,
  diffusion: 5,
  embed: 6,
  live: 7,
  batch: 7,
  entry: 8,
};
const TOP: Record<string, string> = {
  'options.ts': 'foundation',
  'errors.ts': 'foundation',
  'types.ts': 'foundation',
  'validate.ts': 'foundation',
  'phase-clock.ts': 'foundation',
  'batch.ts': 'batch',
  'index.ts': 'entry',
  'internal.ts': 'entry',
  'thread-tasks.ts': 'entry',
  'thread-worker.ts': 'entry',
};
const PACKAGES = [/^@tensorflow\/tfjs-(core|backend-wasm|backend-cpu)$/, /^@mphate\/protocol\/options$/];
/** Node's threads, only where core starts and runs its worker threads. */
const THREAD_FILES = new Set(['linalg/thread-pool.ts', 'thread-worker.ts']);
const THREAD_PACKAGES = /^node:(os|worker_threads)$/;

/** The layer of a file (path relative to src), or undefined when the rule does not know it. */
export function layerOf(file: string): string | undefined {
  const [head, ...rest] = file.split('/');
  return rest.length === 0 ? TOP[head!] : head! in RANKS ? head : undefined;
}

/** What is wrong with `from` importing `spec`, or undefined when the import runs the right way. */
export function importProblem(from: string, spec: string): string | undefined {
  if (from === 'metrics/heterogeneity.ts') return `${from} must import nothing, imports '${spec}'`;
  if (THREAD_FILES.has(from) && THREAD_PACKAGES.test(spec)) return undefined;
  if (!spec.startsWith('.'))
    return PACKAGES.some((p) => p.test(spec)) ? undefined : `${from} imports the package '${spec}'`;
  const target = join(from, '..', spec).replace(/\.js$/, '.ts');
  const a = layerOf(from);
  const b = layerOf(target);
  if (!a || !b) return `${from} -> ${target}: a file outside the known layers`;
  if (a === b) return undefined;
  if (RANKS[b]! < RANKS[a]!) return undefined;
  return `${from} (${a}) imports ${target} (${b}) against the direction`;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

function importsOf(text: string): string[] {
  return [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s+['"]([^'"]+)['"]/gm)]
    .concat([...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)])
    .map((m) => m[1]!);
}

describe('core layering', () => {
  it('every import in src runs down the pipeline', () => {
    const problems: string[] = [];
    const files = sources(src);
    expect(files.length).toBeGreaterThan(30);
    for (const path of files) {
      const from = relative(src, path);
      for (const spec of importsOf(readFileSync(path, 'utf8'))) {
        const problem = importProblem(from, spec);
        if (problem) problems.push(problem);
      }
    }
    expect(problems).toEqual([]);
  });

  it('refuses imports against the direction', () => {
    expect(importProblem('linalg/eigen.ts', '../graph/distances.js')).toMatch(/against the direction/);
    expect(importProblem('graph/distances.ts', '../preprocess/pca.js')).toBeUndefined();
    expect(importProblem('preprocess/pca.ts', '../metrics/quality.js')).toMatch(/against the direction/);
    expect(importProblem('embed/procrustes.ts', '../live/alignment.js')).toMatch(/against the direction/);
    expect(importProblem('options.ts', './batch.js')).toMatch(/against the direction/);
    expect(importProblem('metrics/heterogeneity.ts', '../linalg/random.js')).toMatch(/import nothing/);
    expect(importProblem('graph/intraslice.ts', 'node:fs')).toMatch(/package 'node:fs'/);
    expect(importProblem('embed/mds/sgd.ts', 'node:worker_threads')).toMatch(/package/);
    expect(importProblem('linalg/thread-pool.ts', 'node:worker_threads')).toBeUndefined();
  });
});
