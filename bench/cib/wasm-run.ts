// Issue 19 item 6, "WebAssembly only if it wins": the basic-bound branch and bound's hot loop
// compiled to WebAssembly (bench/cib/wasm/kernel.as, AssemblyScript; kernel.wasm is committed,
// so no compiler is needed) against the TypeScript engine (src/cib/kernel.ts, engine "ts"),
// same process. This is the measurement that decided it; the shipped kernel is src/cib/wasm/
// ("gaps", with pauses for polling and the scenarios written out).
//   npx tsx bench/cib/wasm-run.ts [--runs N] [--only SUBSTR] [--no-c]
// For each model, the host builds the search tables exactly as kernel.ts does (prepare,
// buildSpec, planComponents, componentTables, then S and D) and the WASM module runs the search
// loop. Three WASM kernels: "gaps" (kernel.ts's algorithm: a stack of bounded gaps), "theta"
// (yardstick.c's: the θ row per node, every assigned factor and rival checked), "theta SIMD"
// (the θ-row update in i32x4 lanes). Counts must equal the engine's and, with the basic bound
// in the same order, so must the nodes; a mismatch stops the bench.
// Two comparisons per model:
//   natural: TS findKernel {order "natural", bound "basic"} against the three WASM kernels in
//            natural order (same nodes);
//   default: TS findKernel {} (what users get: per-model bound, "auto" order) against WASM
//            "gaps" with the basic bound in "auto" order; and "WASM-backed default", what users
//            would get with the WASM loop behind the basic bound only: the WASM time where the
//            model's default bound is "basic", the unchanged TypeScript time (1×) where it is
//            "propagate".
// Times are wall clock around the whole call (setup included on both sides), alternating the
// configurations --runs times (default 5); the table prints medians. One thread throughout.
// The C yardstick (yardstick.c, cc -O2, natural order) is run 3 times, its own timer, median.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { prepare } from "../../src/cib/core.js";
import { buildSpec, findKernel, type KernelOptions, planComponents } from "../../src/cib/kernel.js";
import { randomModel } from "../../src/cib/random.js";
import { boundTables, componentTables } from "../../src/cib/search-setup.js";
import type { CompiledModel } from "../../src/model/compiled.js";
import { structuredModel } from "./structured.js";
import { yardstick } from "./yardstick.js";

const args = process.argv.slice(2);
const runs = args.includes("--runs") ? Number(args[args.indexOf("--runs") + 1]) : 5;
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;
const withC = !args.includes("--no-c");

interface Exports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  heapBase(): number;
  nodes(): number;
  searchGaps(...a: number[]): number;
  searchTheta(...a: number[]): number;
  searchThetaSimd(...a: number[]): number;
}
// Node's WebAssembly API (tsconfig's lib has no WebAssembly types: the two constructors used)
const WA = (
  globalThis as unknown as {
    WebAssembly: {
      Module: new (bytes: Uint8Array) => object;
      Instance: new (module: object, imports: object) => { exports: unknown };
    };
  }
).WebAssembly;
const wasmFile = path.join(path.dirname(fileURLToPath(import.meta.url)), "wasm", "kernel.wasm");
const instance = new WA.Instance(new WA.Module(readFileSync(wasmFile)), {
  env: {
    abort: () => {
      throw new Error("wasm abort");
    },
  },
});
const wasm = instance.exports as unknown as Exports;

type WasmKernel = "gaps" | "theta" | "simd";

/** The kernel's count and nodes with one WASM kernel and the engine's options (basic bound). */
function wasmKernel(model: CompiledModel, opts: KernelOptions, kernel: WasmKernel) {
  const t0 = performance.now();
  const p = prepare(model, opts);
  const spec = buildSpec(p, { ...opts, bound: "basic" });
  const comps = planComponents(p, spec);
  let total = 1n;
  let nodes = 0;
  for (const factors of comps) {
    const local = componentTables(p, spec, factors);
    const { nf, cnt, lo, ml, lm, checked, pairOff, np } = local;
    // allowed lists, S and D exactly as the engine builds them (search-setup.ts)
    const { allowedStart, allowed, S, D } = boundTables(spec, factors, local);
    if (kernel !== "gaps" && allowed.length !== lo[nf])
      throw new Error("the theta kernels search the whole space (no filters)");
    // the host's arrays, each at a 16-byte aligned offset from heapBase
    let at = (wasm.heapBase() + 15) & ~15;
    const place: [Int32Array, number][] = [];
    const put = (a: Int32Array | Uint8Array | number) => {
      const arr =
        typeof a === "number" ? new Int32Array(a) : a instanceof Uint8Array ? Int32Array.from(a) : a;
      const ptr = at;
      place.push([arr, ptr]);
      at += (arr.length * 4 + 15) & ~15;
      return ptr;
    };
    let count: number;
    const T = spec.tolerance;
    const base = [put(cnt), put(lo), put(checked), put(pairOff)];
    const write = () => {
      const need = at - wasm.memory.buffer.byteLength;
      if (need > 0) wasm.memory.grow(Math.ceil(need / 65536));
      const heap = new Int32Array(wasm.memory.buffer);
      for (const [arr, ptr] of place) heap.set(arr, ptr >> 2);
    };
    if (kernel === "gaps") {
      const ptrs = [
        ...base,
        put(allowedStart),
        put(allowed),
        put(lm),
        put(S),
        put(D),
        put(nf * ml),
        put((nf + 1) * ml),
        put(nf),
        put(nf),
      ];
      write();
      count = wasm.searchGaps(nf, T, ml, np, ...ptrs);
    } else {
      // rows padded to a multiple of 4 columns (zeros) for the i32x4 update
      const w = kernel === "simd" ? (ml + 3) & ~3 : ml;
      const lmw = new Int32Array(ml * w);
      for (let r = 0; r < ml; r++) lmw.set(lm.subarray(r * ml, (r + 1) * ml), r * w);
      const ptrs = [...base, put(lmw), put(S), put((nf + 1) * w), put(nf), put(nf)];
      write();
      count = (kernel === "simd" ? wasm.searchThetaSimd : wasm.searchTheta)(nf, T, w, np, ...ptrs);
    }
    total *= BigInt(count);
    nodes += wasm.nodes();
    if (count === 0) break;
  }
  return { count: total.toString(), nodes, ms: performance.now() - t0 };
}

function tsKernel(model: CompiledModel, opts: KernelOptions) {
  const t0 = performance.now();
  const r = findKernel(model, { ...opts, engine: "ts", maxScenarios: 0 });
  return { count: r.count, nodes: r.nodes, ms: performance.now() - t0 };
}

const models: [string, () => CompiledModel][] = [
  ["random 18×3 (seed 1)", () => randomModel(new Array(18).fill(3), 1)],
  ["random 20×3 (seed 1)", () => randomModel(new Array(20).fill(3), 1)],
  ["random 22×3 (seed 1)", () => randomModel(new Array(22).fill(3), 1)],
  ["random 24×2 (seed 1)", () => randomModel(new Array(24).fill(2), 1)],
  ["random 26×2 (seed 1)", () => randomModel(new Array(26).fill(2), 1)],
  ["random 28×2 (seed 1)", () => randomModel(new Array(28).fill(2), 1)],
  ["random 30×2 (seed 1)", () => randomModel(new Array(30).fill(2), 1)],
  [
    "structured 40×3 d0.3 k4 (seed 1)",
    () => structuredModel({ n: 40, states: 3, density: 0.3, storylines: 4, seed: 1 }).model,
  ],
];

const natural: KernelOptions = { order: "natural", bound: "basic" };
const configs: { name: string; run: (m: CompiledModel) => { count: string; nodes: number; ms: number } }[] = [
  { name: "TS natural", run: (m) => tsKernel(m, natural) },
  { name: "WASM gaps natural", run: (m) => wasmKernel(m, natural, "gaps") },
  { name: "WASM theta natural", run: (m) => wasmKernel(m, natural, "theta") },
  { name: "WASM theta SIMD natural", run: (m) => wasmKernel(m, natural, "simd") },
  { name: "TS default", run: (m) => tsKernel(m, {}) },
  { name: "WASM gaps auto", run: (m) => wasmKernel(m, {}, "gaps") },
];

const median = (xs: number[]) => {
  const s = xs.slice().sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};
const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

const header = [
  "model",
  "kernel",
  "nodes natural",
  "TS natural ms",
  "WASM gaps ms",
  "WASM theta ms",
  "WASM SIMD ms",
  "TS÷best WASM",
  "nodes default",
  "TS default ms",
  "WASM gaps auto ms",
  "TS default÷WASM",
  "default÷WASM-backed",
  "C ms (natural)",
];
const rows: string[][] = [];
const ratiosNatural: number[] = [];
const ratiosDefault: number[] = [];
const ratiosBacked: number[] = [];
for (const [name, make] of models.filter(([n]) => only === undefined || n.includes(only))) {
  const model = make();
  const times = configs.map(() => [] as number[]);
  const first = configs.map(() => ({ count: "", nodes: 0 }));
  for (let i = 0; i < runs; i++)
    configs.forEach((c, j) => {
      const r = c.run(model);
      times[j].push(r.ms);
      if (i === 0) first[j] = r;
      else if (r.count !== first[j].count || r.nodes !== first[j].nodes)
        throw new Error(`${name}, ${c.name}: run ${i} differs from run 0`);
    });
  const [tsN, gN, thN, siN, tsD, gA] = first;
  for (const [j, r] of first.entries())
    if (r.count !== tsN.count)
      throw new Error(`${name}: ${configs[j].name} counts ${r.count}, TS ${tsN.count}`);
  for (const r of [gN, thN, siN])
    if (r.nodes !== tsN.nodes) throw new Error(`${name}: WASM natural ${r.nodes} nodes, TS ${tsN.nodes}`);
  // the default bound is "basic" on dense models: then the default order's nodes must match too
  const defaultIsBasic = (() => {
    const p = prepare(model);
    return buildSpec(p, {}).bound === "basic";
  })();
  if (defaultIsBasic && gA.nodes !== tsD.nodes)
    throw new Error(`${name}: WASM auto ${gA.nodes} nodes, TS default ${tsD.nodes}`);
  const med = times.map(median);
  const bestWasm = Math.min(med[1], med[2], med[3]);
  ratiosNatural.push(med[0] / bestWasm);
  ratiosDefault.push(med[4] / med[5]);
  // what users would get with the WASM loop behind the basic bound: the default bound per
  // model, WASM where it is "basic", the TypeScript propagate search (unchanged) elsewhere
  const backed = defaultIsBasic ? med[4] / med[5] : 1;
  ratiosBacked.push(backed);
  let cCell = "not run";
  if (withC) {
    const cs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const y = yardstick(model, { timeoutMs: 600_000 });
      if (y === undefined) {
        cCell = "no cc";
        break;
      }
      if ("stopped" in y) {
        cCell = "stopped";
        break;
      }
      if (String(y.count) !== tsN.count || y.nodes !== tsN.nodes)
        throw new Error(`${name}: C ${y.count} / ${y.nodes} nodes, TS ${tsN.count} / ${tsN.nodes}`);
      cs.push(y.ms);
    }
    if (cs.length === 3) cCell = fmt(median(cs));
  }
  rows.push([
    name,
    tsN.count,
    String(tsN.nodes),
    fmt(med[0]),
    fmt(med[1]),
    fmt(med[2]),
    fmt(med[3]),
    `${(med[0] / bestWasm).toFixed(2)}×`,
    `${tsD.nodes}${defaultIsBasic ? "" : " (propagate)"} / ${gA.nodes}`,
    fmt(med[4]),
    fmt(med[5]),
    `${(med[4] / med[5]).toFixed(2)}×`,
    defaultIsBasic ? `${backed.toFixed(2)}×` : "1× (propagate)",
    cCell,
  ]);
  console.error(`done: ${name}`);
}
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ");
console.log(`medians of ${runs} alternating runs; one thread; counts and nodes checked\n`);
console.log(line(header));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const r of rows) console.log(line(r));
const geo = (xs: number[]) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
console.log(
  `\ngeometric mean over the set: TS natural ÷ best WASM natural ${geo(ratiosNatural).toFixed(2)}×, TS default ÷ WASM gaps auto ${geo(ratiosDefault).toFixed(2)}×, TS default ÷ WASM-backed default ${geo(ratiosBacked).toFixed(2)}× (ship rule: ≥ 1.5×)`,
);
