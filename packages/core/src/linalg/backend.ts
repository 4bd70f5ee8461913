/**
 * tfjs backend selection for the dense products (linalg/matmul.ts).
 *
 * Node: tfjs-node-gpu or tfjs-node when installed (optional, detected at run time), else the
 * wasm backend, else cpu. tfjs-backend-wasm 4.22 disables threads in Node (tfjs issue 3830;
 * forcing WASM_HAS_MULTITHREAD_SUPPORT fails to initialise), so wasm runs single-threaded
 * with SIMD here: ~16 GFLOP/s for a 4000^3 float32 product on this machine.
 * Browser: keep the active backend (webgl/webgpu) if one is registered, else wasm, else cpu.
 */
import * as tf from '@tensorflow/tfjs-core';
import { withPresizedWasmMemory } from './wasm-memory.js';

let active = '';
let pending: Promise<string> | undefined;

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

/** Picks the fastest available tfjs backend once (idempotent); returns its name. */
export function initBackend(): Promise<string> {
  if (active) return Promise.resolve(active);
  pending ??= choose().then((name) => {
    active = name;
    return name;
  });
  return pending;
}

/** The backend chosen by initBackend ('' before it ran). */
export function backendName(): string {
  return active;
}

async function choose(): Promise<string> {
  if (isNode) {
    // Optional native bindings: never a dependency, imported by a computed name so bundlers
    // and the type checker leave them alone.
    for (const name of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
      try {
        await import(/* @vite-ignore */ name);
        // both packages register their backend under the name 'tensorflow'
        if (await trySet('tensorflow')) return 'tensorflow';
      } catch {
        // not installed: try the next one
      }
    }
  } else {
    // In a browser keep what the page already set up (webgl, webgpu) if it works.
    const current = safeGetBackend();
    if (current && current !== 'cpu') return current;
  }
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    // in Node, its memory starts large: a memory that grows slows every typed-array loop (wasm-memory.ts)
    if (await (isNode ? withPresizedWasmMemory(() => trySet('wasm')) : trySet('wasm'))) return 'wasm';
  } catch {
    // wasm unavailable: fall through to cpu
  }
  await import('@tensorflow/tfjs-backend-cpu');
  if (await trySet('cpu')) return 'cpu';
  throw new Error('initBackend: no tfjs backend could be initialised (tried tfjs-node, wasm, cpu)');
}

async function trySet(name: string): Promise<boolean> {
  try {
    if (!tf.findBackendFactory(name)) return false;
    const ok = await tf.setBackend(name);
    await tf.ready();
    return ok && tf.getBackend() === name;
  } catch {
    return false;
  }
}

function safeGetBackend(): string | undefined {
  try {
    return tf.engine().backendName ?? undefined;
  } catch {
    return undefined;
  }
}
