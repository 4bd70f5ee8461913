/**
 * Starts tfjs-wasm's memory large enough that it never grows, to keep JavaScript's typed-array
 * loops fast.
 *
 * Growing a WebAssembly memory detaches its old ArrayBuffer. The first ArrayBuffer detached in a
 * V8 isolate invalidates V8's array-buffer-detaching protector, and from then on optimised code
 * checks for a detached buffer on every typed-array access. Measured on this project's SGD sweep
 * (8 M pair updates): 48-52 ms a sweep before any detach, 70-76 ms after. tfjs-wasm's module
 * starts at 16 MiB and grows on its first large tensor, so every process that used it ran all of
 * core's loops (graph, k-means seeding, landmark operator, SGD and its shuffle) at that speed.
 *
 * The memory is declared inside tfjs's .wasm binary, so its initial size is raised there: the
 * bytes are patched while tfjs instantiates the module (`WebAssembly.instantiate` is wrapped for
 * that call only). Pages a process never touches are never made resident, so peak RSS does not
 * change. A binary that cannot be read as expected is left as it is.
 */

/** Initial pages (64 KiB each): 1 GiB; a (100, 384, 100) embed uses ~100 MiB of it per thread. */
export const WASM_INITIAL_PAGES = 16384;

const MEMORY_SECTION = 5;

function readLeb(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  let p = at;
  for (;;) {
    if (p >= bytes.length || shift > 28) throw new Error('bad LEB128');
    const b = bytes[p++]!;
    value |= (b & 0x7f) << shift;
    shift += 7;
    if ((b & 0x80) === 0) return [value >>> 0, p];
  }
}

function leb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

/**
 * The module with its (single, 32-bit) memory's initial size raised to `pages` (never above its
 * maximum), or undefined when it declares no such memory or its sections cannot be read.
 */
export function withInitialMemory(module: Uint8Array, pages: number): Uint8Array | undefined {
  try {
    let p = 8; // magic and version
    while (p < module.length) {
      const id = module[p]!;
      const [size, body] = readLeb(module, p + 1);
      const end = body + size;
      if (id === MEMORY_SECTION) {
        const [count, q] = readLeb(module, body);
        const flags = module[q]!;
        // one memory, 32-bit, not shared (flags 0: no maximum, 1: a maximum)
        if (count !== 1 || (flags !== 0 && flags !== 1)) return undefined;
        const [initial, r] = readLeb(module, q + 1);
        const [maximum, rEnd] = flags === 1 ? readLeb(module, r) : [65536, r];
        if (rEnd !== end) return undefined;
        const want = Math.min(maximum, Math.max(initial, pages));
        if (want === initial) return module;
        const section = [...leb(1), flags, ...leb(want), ...(flags === 1 ? leb(maximum) : [])];
        const head = [MEMORY_SECTION, ...leb(section.length)];
        const out = new Uint8Array(p + head.length + section.length + (module.length - end));
        out.set(module.subarray(0, p));
        out.set(head, p);
        out.set(section, p + head.length);
        out.set(module.subarray(end), p + head.length + section.length);
        return out;
      }
      p = end;
    }
  } catch {
    // not a module this reads: leave it
  }
  return undefined;
}

function bytesOf(source: unknown): Uint8Array | undefined {
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  return undefined;
}

/** The part of the WebAssembly global this uses (core compiles without DOM types). */
type Instantiate = (source: unknown, imports?: unknown) => Promise<unknown>;
const wasm = (globalThis as unknown as { WebAssembly?: { instantiate: Instantiate } }).WebAssembly;

/** Runs `init` (a tfjs-wasm backend's initialisation) with its module's memory presized. */
export async function withPresizedWasmMemory<T>(init: () => Promise<T>): Promise<T> {
  if (!wasm) return init();
  const original = wasm.instantiate;
  // a compiled WebAssembly.Module (not bytes) passes through as it is
  const patched: Instantiate = (source, imports) => {
    const bytes = bytesOf(source);
    return original(bytes ? (withInitialMemory(bytes, WASM_INITIAL_PAGES) ?? source) : source, imports);
  };
  wasm.instantiate = patched;
  try {
    return await init();
  } finally {
    if (wasm.instantiate === patched) wasm.instantiate = original;
  }
}
