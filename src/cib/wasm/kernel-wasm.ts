// The WebAssembly kernel of the basic bound (kernel.as, embedded as base64 in
// kernel-wasm-bytes.ts, which scripts/build-wasm.sh regenerates): its loader. The bytes are in the
// bundle, so the CLI, the library, the pool's worker threads and the browser's web worker all get
// them without loading a file. The module is compiled and instantiated synchronously, lazily (on
// the first search that uses it, never at startup) and once per thread (each worker thread
// loads its own). Where WebAssembly is missing or the module fails to load, loadKernelWasm
// returns undefined and the search runs in TypeScript (kernel.ts, searchComponent).

import { decodeWasm, instantiateWasm, type WasmMemory } from "./instantiate.js";
import { KERNEL_WASM_BASE64 } from "./kernel-wasm-bytes.js";

/** Status of run(): the search is over; paused at the node limit; the scenario buffer is full. */
export const WASM_DONE = 0;
export const WASM_PAUSED = 1;
export const WASM_FULL = 2;

/** The module's exports (kernel.as). Addresses and counts are i32; node counts travel as f64. */
export interface KernelWasm {
  memory: WasmMemory;
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

/** The embedded module's bytes. */
export const kernelWasmBytes = (): Uint8Array => decodeWasm(KERNEL_WASM_BASE64);

let loaded: KernelWasm | null | undefined;

/** This thread's instance of the kernel, or undefined when WebAssembly is unavailable. */
export function loadKernelWasm(): KernelWasm | undefined {
  if (loaded === undefined)
    loaded = instantiateWasm<KernelWasm>(KERNEL_WASM_BASE64, KERNEL_WASM_EXPORTS) ?? null;
  return loaded ?? undefined;
}
