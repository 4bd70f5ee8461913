/**
 * tfjs for the examples: the native backend (tfjs-node-gpu, tfjs-node) when the user has one
 * installed, else WebAssembly (fast on CPU, ~35x the plain JS backend), else plain JS.
 */
import * as tf from '@tensorflow/tfjs';

export { tf };

let chosen: Promise<string> | undefined;

/** Selects the backend once and returns its name ('tensorflow', 'wasm' or 'cpu'). */
export function setupBackend(): Promise<string> {
  chosen ??= choose();
  return chosen;
}

async function choose(): Promise<string> {
  // Optional native bindings, never a dependency: imported by a computed name.
  for (const name of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      await import(/* @vite-ignore */ name);
      if (await trySet('tensorflow')) return 'tensorflow';
    } catch {
      // not installed
    }
  }
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    if (await trySet('wasm')) {
      transposeBeforeMatMul('wasm');
      return 'wasm';
    }
  } catch {
    // fall through to cpu
  }
  await trySet('cpu');
  return tf.getBackend();
}

async function trySet(name: string): Promise<boolean> {
  try {
    if (!tf.findBackendFactory(name)) return false;
    return (await tf.setBackend(name)) && tf.getBackend() === name;
  } catch {
    return false;
  }
}

/**
 * tfjs-backend-wasm 4.22 multiplies a transposed operand ~8x slower than a plain one
 * (measured here: 256x784 by 256x128 with transposeA, 45-60 ms; transpose then multiply,
 * 6-7 ms). Backpropagation through every Dense layer asks for exactly those products
 * (dW = x^T g, dx = g W^T), so training spends most of its time there. This re-registers the
 * backend's BatchMatMul to transpose explicitly first: same results, ~3x faster training
 * (mnist-mlp: 1.7 s of CPU per epoch instead of 5.2 s).
 */
function transposeBeforeMatMul(backendName: string): void {
  const matMul = tf.getKernel('BatchMatMul', backendName);
  const transpose = tf.getKernel('Transpose', backendName);
  if (!matMul || !transpose) return;
  tf.unregisterKernel('BatchMatMul', backendName);
  tf.registerKernel({
    ...matMul,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
      if (!transposeA && !transposeB) return matMul.kernelFunc({ inputs, backend, attrs });
      const swapLast = (x: tf.TensorInfo): tf.TensorInfo => {
        const perm = x.shape.map((_, i) => i);
        [perm[perm.length - 1], perm[perm.length - 2]] = [perm[perm.length - 2]!, perm[perm.length - 1]!];
        return transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm } }) as tf.TensorInfo;
      };
      const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      const a2 = transposeA ? swapLast(a) : a;
      const b2 = transposeB ? swapLast(b) : b;
      const out = matMul.kernelFunc({
        inputs: { a: a2, b: b2 },
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      });
      const data = backend as unknown as { disposeData(id: unknown): void };
      if (a2 !== a) data.disposeData(a2.dataId);
      if (b2 !== b) data.disposeData(b2.dataId);
      return out;
    },
  });
}
