// The basic bound's branch and bound on the WebAssembly kernel (kernel.as): the host side. It
// builds the component's tables exactly as kernel.ts's searchComponentBasic does (the same
// componentTables, allowed lists, suffix bound S and gap deltas D), writes them into the
// module's memory and runs the module's loop, which is kernel.ts's statement for statement. So
// the result is the TypeScript search's, bit for bit: the same scenarios in the same order with
// the same IC / TIS / CV, the same node count, the same poll points. The loop returns to this
// host at each poll point (every POLL nodes, as kernel.ts polls: progress, settled share, stop)
// and whenever its scenario buffer is full (copied out here), then resumes where it was.
// Measured 2–3× faster per node than the TypeScript loop (docs/cib.md, "WebAssembly").
//
// Returns undefined, before touching the counter, when the kernel cannot run this search: no
// WebAssembly, the memory cannot grow to the tables, or the module is already busy on this
// thread (a search started from a progress callback of another). The caller then runs the
// TypeScript loop (kernel.ts, searchComponent: the one place that chooses).

import { nowMs, type Prepared, type RunControl, stopRequested } from "../core.js";
import type { SearchSpec } from "../kernel.js";
import { type ComponentSolutions, type Counter, POLL } from "../propagate.js";
import { boundTables, componentTables } from "../search-setup.js";
import { growTo } from "./instantiate.js";
import { type KernelWasm, loadKernelWasm, WASM_DONE, WASM_PAUSED } from "./kernel-wasm.js";

/** Scenario buffer in the module's memory: about this many i32 (at least 16 scenarios). */
const OUT_INTS = 1 << 18;

let busy = false;

/** The basic search of one component on the WebAssembly kernel, or undefined (see header). */
export function searchComponentWasm(
  p: Prepared,
  spec: SearchSpec,
  factors: number[],
  ctl: RunControl,
  counter: Counter,
): ComponentSolutions | undefined {
  if (busy) return undefined;
  const k = loadKernelWasm();
  if (k === undefined) return undefined;
  busy = true;
  try {
    return search(k, p, spec, factors, ctl, counter);
  } finally {
    busy = false;
  }
}

function search(
  k: KernelWasm,
  p: Prepared,
  spec: SearchSpec,
  factors: number[],
  ctl: RunControl,
  counter: Counter,
): ComponentSolutions | undefined {
  const T = spec.tolerance;
  const local = componentTables(p, spec, factors);
  const { nf, cnt, lo, ml, lm, crossTis, checked, pairOff, np } = local;
  const { allowedStart, allowed, S, D } = boundTables(spec, factors, local);
  // the module's memory: the tables, then the scratch, each 16-byte aligned (byte addresses)
  // and followed by 16 bytes of padding (a vector of the kernel's may read or write 3 entries
  // past a table's end)
  const stride = nf + 3;
  const cap = Math.max(16, Math.floor(OUT_INTS / stride));
  const align = (bytes: number) => Math.ceil(bytes / 16) * 16; // beyond 2^31 too (no bit ops)
  let at = align(k.heapBase());
  const place = (ints: number) => {
    const ptr = at;
    at += align(ints * 4) + 16;
    return ptr;
  };
  const tables: [ArrayLike<number>, number][] = [
    cnt,
    lo,
    checked,
    pairOff,
    allowedStart,
    allowed,
    lm,
    S,
    D,
    crossTis,
  ].map((a) => [a, place(a.length)]);
  const gPtr = place(nf * ml);
  const thPtr = place((nf + 1) * ml);
  const choicePtr = place(nf);
  const chosenPtr = place(nf);
  const outPtr = place(cap * stride);
  // no memory for the tables: the TypeScript loop
  if (at > 2 ** 32 || !growTo(k.memory, at)) return undefined;
  let heap = new Int32Array(k.memory.buffer);
  for (const [a, ptr] of tables) heap.set(a, ptr >>> 2);
  heap.fill(0, gPtr >>> 2, chosenPtr >>> 2); // G and thS zeroed (and choice, set by setup)
  k.setup(
    nf,
    T,
    ml,
    np,
    ...tables.map(([, ptr]) => ptr),
    gPtr,
    thPtr,
    choicePtr,
    chosenPtr,
    outPtr,
    cap,
    counter.nodes,
  );

  let solStates = new Int32Array(Math.max(16, nf * 16));
  let solIc = new Int32Array(16);
  let solTis = new Int32Array(16);
  let solCv = new Int32Array(16);
  let count = 0;
  const drain = () => {
    const f = k.found();
    if (f === 0) return;
    if (count + f > solIc.length) {
      const size = Math.max(2 * solIc.length, count + f);
      const grow = (a: Int32Array, n: number) => {
        const b = new Int32Array(n);
        b.set(a);
        return b;
      };
      solStates = grow(solStates, size * nf);
      solIc = grow(solIc, size);
      solTis = grow(solTis, size);
      solCv = grow(solCv, size);
    }
    heap = new Int32Array(k.memory.buffer);
    const o = outPtr >>> 2;
    for (let i = 0; i < f; i++) {
      const b = o + i * stride;
      solStates.set(heap.subarray(b, b + nf), (count + i) * nf);
      solIc[count + i] = heap[b + nf];
      solTis[count + i] = heap[b + nf + 1];
      solCv[count + i] = heap[b + nf + 2];
    }
    count += f;
    k.drained();
  };
  const checkLiveness =
    ctl.shouldStop !== undefined || ctl.signal !== undefined || ctl.onProgress !== undefined;
  for (;;) {
    const status = k.run(checkLiveness ? counter.nextPoll : Number.MAX_SAFE_INTEGER);
    drain();
    if (status === WASM_DONE) {
      counter.nodes = k.nodes();
      break;
    }
    if (status !== WASM_PAUSED) continue; // the buffer was full: drained, run on
    // kernel.ts's poll, at the node the module paused before (it visits it again on resume)
    const nodes = k.nodes() + 1;
    counter.nextPoll = nodes + POLL;
    heap = new Int32Array(k.memory.buffer);
    const d = k.currentDepth();
    let share = 0;
    let w = 1;
    for (let i = 0; i <= d; i++) {
      w /= allowedStart[i + 1] - allowedStart[i];
      share += (heap[(choicePtr >>> 2) + i] + (i === d ? 1 : 0)) * w;
    }
    const covered = (counter.coveredBase ?? 0) + (counter.coveredSpan ?? 1) * share;
    ctl.onProgress?.({ done: nodes, elapsedMs: nowMs() - counter.start, covered });
    if (stopRequested(ctl)) {
      counter.stopped = true;
      counter.covered = covered;
      counter.nodes = nodes;
      // the node paused before is visited again on resume: its choice is one on
      counter.at = Array.from({ length: d + 1 }, (_, i) => heap[(choicePtr >>> 2) + i] + (i === d ? 1 : 0));
      break;
    }
  }
  return {
    factors,
    states: solStates.subarray(0, count * nf),
    ic: solIc.subarray(0, count),
    tis: solTis.subarray(0, count),
    cv: solCv.subarray(0, count),
    count,
  };
}
