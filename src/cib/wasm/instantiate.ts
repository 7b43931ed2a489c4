// What the WebAssembly modules of the CIB engine share (kernel-wasm.ts, successors-wasm.ts):
// decoding the embedded base64, a synchronous compile and instantiation that never throws, and
// growing a module's memory to the tables a host lays out. The engine's tsconfig has no
// WebAssembly or DOM types: the parts used are declared here.

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

/** A module's memory, as its exports give it. */
export interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** The bytes of a module embedded as base64. */
export function decodeWasm(base64: string): Uint8Array {
  const text = (globalThis as unknown as { atob(s: string): string }).atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/**
 * The module's exports, or undefined when WebAssembly is missing, the module does not compile
 * here (a runtime without one of its features, such as SIMD), or an export is missing.
 */
export function instantiateWasm<T>(base64: string, exported: readonly string[]): T | undefined {
  try {
    const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
    if (!api) return undefined;
    const exports = new api.Instance(new api.Module(decodeWasm(base64)), {}).exports as object;
    return exported.every((name) => name in exports) ? (exports as T) : undefined;
  } catch {
    return undefined;
  }
}

/** Grows the memory to at least `bytes`; false when it cannot (the caller falls back). */
export function growTo(memory: WasmMemory, bytes: number): boolean {
  const need = bytes - memory.buffer.byteLength;
  if (need <= 0) return true;
  try {
    memory.grow(Math.ceil(need / 65536));
    return true;
  } catch {
    return false;
  }
}
