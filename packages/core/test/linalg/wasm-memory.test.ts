import { initBackend, matMul, WASM_INITIAL_PAGES, withInitialMemory } from '@mphate/core/internal';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

/** A module that declares one memory (initial, optional maximum) and exports it as "m". */
function moduleWithMemory(initial: number, maximum?: number): Uint8Array {
  const limits = maximum === undefined ? [0x00, initial] : [0x01, initial, maximum];
  const memory = [0x05, limits.length + 1, 0x01, ...limits];
  const exports = [0x07, 0x05, 0x01, 0x01, 0x6d, 0x02, 0x00];
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...memory, ...exports]);
}

function memoryPages(bytes: Uint8Array): number {
  // the modules here are plain (not shared) bytes
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>));
  return (instance.exports.m as WebAssembly.Memory).buffer.byteLength / 65536;
}

describe("tfjs-wasm's memory, presized so that it never grows (a grow detaches a buffer)", () => {
  it('raises a module’s initial memory, up to its maximum, and keeps the rest of it', () => {
    expect(memoryPages(moduleWithMemory(1, 100))).toBe(1);
    expect(memoryPages(withInitialMemory(moduleWithMemory(1, 100), 40)!)).toBe(40);
    expect(memoryPages(withInitialMemory(moduleWithMemory(1, 100), 400)!)).toBe(100);
    expect(memoryPages(withInitialMemory(moduleWithMemory(1), 50)!)).toBe(50);
    // never below what the module asks for
    expect(memoryPages(withInitialMemory(moduleWithMemory(60, 100), 40)!)).toBe(60);
  });

  it('leaves a module without a memory, or one it cannot read, alone', () => {
    expect(
      withInitialMemory(Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]), 40),
    ).toBeUndefined();
    expect(withInitialMemory(moduleWithMemory(1, 100).subarray(0, 12), 40)).toBeUndefined();
  });

  it("keeps core's wasm backend on one memory buffer through a product larger than tfjs's default 16 MiB", async () => {
    if ((await initBackend()) !== 'wasm') return;
    const heap = (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer;
    expect(heap.byteLength).toBeGreaterThanOrEqual(WASM_INITIAL_PAGES * 65536);
    const n = 2500; // three 25 MB operands
    const a = new Float32Array(n * n).fill(1);
    const out = await matMul(a, a, n, n, n);
    expect(out[0]).toBe(n);
    // a grown memory would have a new buffer and the old one detached (byteLength 0)
    expect((tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer).toBe(heap);
    expect(heap.byteLength).toBeGreaterThan(0);
  });
});
