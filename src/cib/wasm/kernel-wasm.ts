// The WebAssembly kernel of the basic bound (kernel.as, embedded as base64 in
// kernel-wasm-bytes.ts, which scripts/build-wasm.sh regenerates): its loader. The bytes are in the
// bundle, so the CLI, the library, the pool's worker threads and the browser's web worker all get
// them without loading a file. The module is compiled and instantiated synchronously, lazily (on
// the first search that uses it, never at startup) and once per thread (each worker thread
// loads its own). Where WebAssembly is missing or the module fails to load, loadKernelWasm
// returns undefined and the search runs in TypeScript (kernel.ts, searchComponent).

import { KERNEL_WASM_BASE64 } from "./kernel-wasm-bytes.js";

/** Status of run(): the search is over; paused at the node limit; the scenario buffer is full. */
export const WASM_DONE = 0;
export const WASM_PAUSED = 1;
export const WASM_FULL = 2;

/** The module's exports (kernel.as). Addresses and counts are i32; node counts travel as f64. */
export interface KernelWasm {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  heapBase(): number;
  setup(...args: number[]): void;
  run(limit: number): number;
  nodes(): number;
  found(): number;
  drained(): void;
  currentDepth(): number;
}

/** The functions a valid module exports (the test checks the embedded bytes against this). */
export const KERNEL_WASM_EXPORTS = [
  "memory",
  "heapBase",
  "setup",
  "run",
  "nodes",
  "found",
  "drained",
  "currentDepth",
] as const;

// The WebAssembly API (the engine's tsconfig has no WebAssembly or DOM types: the parts used).
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

/** The embedded module's bytes. */
export function kernelWasmBytes(): Uint8Array {
  const text = (globalThis as unknown as { atob(s: string): string }).atob(KERNEL_WASM_BASE64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

let loaded: KernelWasm | null | undefined;

/** This thread's instance of the kernel, or undefined when WebAssembly is unavailable. */
export function loadKernelWasm(): KernelWasm | undefined {
  if (loaded === undefined) {
    loaded = null;
    try {
      const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
      if (api) {
        const exports = new api.Instance(new api.Module(kernelWasmBytes()), {}).exports as KernelWasm;
        if (KERNEL_WASM_EXPORTS.every((name) => name in (exports as object))) loaded = exports;
      }
    } catch {
      loaded = null;
    }
  }
  return loaded ?? undefined;
}
