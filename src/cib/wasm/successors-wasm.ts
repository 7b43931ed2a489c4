// The WebAssembly loops of exact global-succession basins (successors.as, embedded as base64 in
// successors-wasm-bytes.ts, which scripts/build-wasm.sh regenerates): the loader, and the block
// of memory that successors.ts (globalSuccessors) works in. As for the kernel search's module
// (kernel-wasm.ts), the bytes are in the bundle, the module is compiled synchronously on first
// use and once per thread, and where WebAssembly (with SIMD) is missing or fails to load,
// `successorsWasm` returns undefined and successors.ts runs its TypeScript loops.

import { decodeWasm, growTo, instantiateWasm, type WasmMemory } from "./instantiate.js";
import { SUCCESSORS_WASM_BASE64 } from "./successors-wasm-bytes.js";

/** The module's exports (successors.as). Addresses are byte offsets in its memory. */
interface SuccessorsExports {
  memory: WasmMemory;
  heapBase(): number;
  setup(bp: number, cols: number, cur: number, base: number, acc: number, plan: number): void;
  clear(): void;
  answer(a: number, cf: number, current: number, q: number, dst: number, stride: number): void;
  accumulate(h: number): void;
}

export const SUCCESSORS_WASM_EXPORTS = [
  "memory",
  "heapBase",
  "setup",
  "clear",
  "answer",
  "accumulate",
] as const;

export const successorsWasmBytes = (): Uint8Array => decodeWasm(SUCCESSORS_WASM_BASE64);

let loaded: SuccessorsExports | null | undefined;

function load(): SuccessorsExports | undefined {
  if (loaded === undefined)
    loaded = instantiateWasm<SuccessorsExports>(SUCCESSORS_WASM_BASE64, SUCCESSORS_WASM_EXPORTS) ?? null;
  return loaded ?? undefined;
}

/** One block sweep's memory in the module: typed views on its tables, and its functions. */
export interface SuccessorsBlock {
  /** Starts per inner block, rounded up to 16 (the tables' row length). */
  bp: number;
  /** cols[(a + l)·bp + t]: the inner block's combined rows by column. */
  cols: Int32Array;
  /** cur[q·bp + t]: inner factor q's state at start t. */
  cur: Int32Array;
  /** The outer factors' rows summed (the host updates it in place). */
  base: Int32Array;
  /** The successors' indices of the block's starts (after clear, answer, accumulate). */
  acc: Int32Array;
  /** (arena address, stride) pairs for accumulate. */
  plan: Int32Array;
  /** Byte address of the arena and its size: memoised answers, bp bytes each. */
  arena: number;
  arenaBytes: number;
  clear(): void;
  answer(a: number, cf: number, current: number, q: number, dst: number, stride: number): void;
  accumulate(h: number): void;
}

let busy = false;

/**
 * The module's memory laid out for one sweep (m columns, k inner factors, n factors, an arena
 * of up to `arenaBytes`), or undefined: no WebAssembly, no memory for it, or the module already
 * in use on this thread. Call `release` when the sweep ends.
 */
export function successorsWasm(
  m: number,
  bsize: number,
  k: number,
  n: number,
  arenaBytes: number,
): { block: SuccessorsBlock; release(): void } | undefined {
  if (busy) return undefined;
  const w = load();
  if (!w) return undefined;
  const bp = Math.ceil(bsize / 16) * 16;
  let at = Math.ceil(w.heapBase() / 16) * 16;
  const place = (bytes: number) => {
    const ptr = at;
    at += Math.ceil(bytes / 16) * 16 + 16;
    return ptr;
  };
  const cols = place(m * bp * 4);
  const cur = place(k * bp * 4);
  const base = place(m * 4);
  const acc = place(bp * 4);
  const plan = place(2 * n * 4);
  const arena = place(arenaBytes);
  if (at > 2 ** 31 || !growTo(w.memory, at)) return undefined;
  w.setup(bp, cols, cur, base, acc, plan);
  const buf = w.memory.buffer;
  new Uint8Array(buf, cols, arena - cols).fill(0); // the arena is written before it is read
  busy = true;
  return {
    block: {
      bp,
      cols: new Int32Array(buf, cols, m * bp),
      cur: new Int32Array(buf, cur, k * bp),
      base: new Int32Array(buf, base, m),
      acc: new Int32Array(buf, acc, bp),
      plan: new Int32Array(buf, plan, 2 * n),
      arena,
      arenaBytes,
      clear: w.clear,
      answer: w.answer,
      accumulate: w.accumulate,
    },
    release: () => {
      busy = false;
    },
  };
}
