import { isNode } from './socket.js';

/** The native tfjs backends for Node: optional, never required, detected at run time. */
const NODE_BACKENDS = ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'] as const;

export interface BackendReport {
  /** Each native package: true when it resolves from `from` (installed), false otherwise. */
  installed: Record<(typeof NODE_BACKENDS)[number], boolean>;
  /** tf.getBackend() of the tfjs in use, when given. */
  active?: string;
}

/**
 * Whether `specifier` can be resolved from the directory `from` (default: the current working
 * directory, i.e. the user's project). Resolution only: importing tfjs-node would register its
 * backend as a side effect, which is the user's call, not ours.
 */
export async function isResolvable(specifier: string, from?: string): Promise<boolean> {
  if (!isNode()) return false;
  const { createRequire } = await import('node:module');
  const base = from ?? `${(globalThis as { process?: { cwd(): string } }).process!.cwd()}/`;
  try {
    createRequire(base.endsWith('/') ? base : `${base}/`).resolve(specifier);
    return true;
  } catch {
    return false;
  }
}

/**
 * Which of @tensorflow/tfjs-node and @tensorflow/tfjs-node-gpu are installed where the user runs,
 * plus the backend tfjs is using (`tf.getBackend()`: 'tensorflow' for both native packages,
 * 'wasm', 'cpu', 'webgl', ...). In a browser both are false.
 */
export async function detectNodeBackend(
  options: { from?: string; tf?: { getBackend(): string } } = {},
): Promise<BackendReport> {
  const installed = {} as BackendReport['installed'];
  for (const name of NODE_BACKENDS) installed[name] = await isResolvable(name, options.from);
  const report: BackendReport = { installed };
  if (options.tf) report.active = options.tf.getBackend();
  return report;
}
