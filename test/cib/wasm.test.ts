// The basic bound on the WebAssembly kernel (src/cib/wasm/) gives exactly what the TypeScript
// loop gives: the same scenarios in the same order with the same IC / TIS / CV, the same node
// counts and poll points, with tolerance, filters, interventions, independent groups, both
// orders, the parallel search's prefix boxes, and a stop; brute force agrees on small models.
// The embedded module is valid, and the TypeScript loop runs when the loader finds none.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { prepare } from "../../src/cib/core.js";
import {
  buildSpec,
  findKernel,
  type KernelOptions,
  newCounter,
  planComponents,
  searchComponent,
} from "../../src/cib/kernel.js";
import { findKernelParallel } from "../../src/cib/parallel.js";
import { randomModel } from "../../src/cib/random.js";
import { KERNEL_WASM_EXPORTS, kernelWasmBytes } from "../../src/cib/wasm/kernel-wasm.js";
import {
  SUCCESSORS_WASM_EXPORTS,
  successorsWasm,
  successorsWasmBytes,
} from "../../src/cib/wasm/successors-wasm.js";
import { InputError } from "../../src/errors.js";
import type { CompiledModel } from "../../src/model/compiled.js";
import { createPool, type Pool } from "../../src/workers/pool.js";
import { arbitraryModel, bruteForce, build } from "./helpers.js";

// the loader, switchable off (the fallback test)
const loader = vi.hoisted(() => ({ off: false }));
vi.mock("../../src/cib/wasm/kernel-wasm.js", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../src/cib/wasm/kernel-wasm.js")>();
  return { ...actual, loadKernelWasm: () => (loader.off ? undefined : actual.loadKernelWasm()) };
});

/** The result without the wall-clock field. */
const bytes = (r: unknown) => JSON.stringify(r, (k, v) => (k === "elapsedMs" ? undefined : v));

/** Each component's raw solutions (in the order found) and the node count, on one engine. */
function raw(model: CompiledModel, opts: KernelOptions, engine: "ts" | "wasm") {
  const p = prepare(model, opts);
  const spec = buildSpec(p, { ...opts, bound: "basic", engine });
  const counter = newCounter();
  const out = planComponents(p, spec).map((c) => {
    const r = searchComponent(p, spec, c, {}, counter);
    return [c, Array.from(r.states), Array.from(r.ic), Array.from(r.tis), Array.from(r.cv)];
  });
  return { out, nodes: counter.nodes };
}

/** findKernel on both engines (basic bound) and the raw solutions: all equal. */
function expectSame(model: CompiledModel, opts: KernelOptions) {
  const ts = findKernel(model, { ...opts, bound: "basic", engine: "ts" });
  const wasm = findKernel(model, { ...opts, bound: "basic", engine: "wasm" });
  expect(bytes(wasm)).toBe(bytes(ts));
  expect(raw(model, opts, "wasm")).toEqual(raw(model, opts, "ts"));
  return ts;
}

/** A model of independent groups: random blocks on the diagonal, zeros between them. */
function islands(groups: number[][], seed: number): CompiledModel {
  const counts = groups.flat();
  const m = counts.reduce((a, b) => a + b, 0);
  const rows = Array.from({ length: m }, () => new Array(m).fill(0));
  let at = 0;
  groups.forEach((g, i) => {
    const block = randomModel(g, seed + i);
    const bm = block.size;
    for (let r = 0; r < bm; r++) for (let c = 0; c < bm; c++) rows[at + r][at + c] = block.matrix[r * bm + c];
    at += bm;
  });
  return build(counts, rows);
}

describe("the WebAssembly kernel of the basic bound", () => {
  it("the embedded bytes are valid modules exporting the kernels' functions (search, basins)", () => {
    // the WebAssembly API (no WebAssembly types in the tsconfig: the parts used)
    const WA = (
      globalThis as unknown as {
        WebAssembly: {
          Module: (new (
            bytes: Uint8Array,
          ) => object) & {
            exports(m: object): { name: string }[];
            imports(m: object): unknown[];
          };
        };
      }
    ).WebAssembly;
    for (const [bytes, exported] of [
      [kernelWasmBytes(), KERNEL_WASM_EXPORTS],
      [successorsWasmBytes(), SUCCESSORS_WASM_EXPORTS],
    ] as const) {
      const mod = new WA.Module(bytes);
      const names = WA.Module.exports(mod).map((e) => e.name);
      for (const name of exported) expect(names).toContain(name);
      expect(WA.Module.imports(mod)).toEqual([]);
    }
    // the basins' module loads here (its SIMD included), so the property tests run it
    const basins = successorsWasm(4, 9, 2, 3, 64);
    expect(basins).toBeDefined();
    basins?.release();
  });

  // The kernel's vectors take 4 states (2 and 3 leave spill lanes), a factor of 5 the scalar loop.
  it("equals the TypeScript loop on random models: 6–16 factors of 2–5 states, several seeds", () => {
    let found = 0;
    for (const seed of [1, 2, 3, 4]) {
      for (const counts of [
        new Array(6).fill(4),
        [2, 3, 4, 2, 3, 4, 2, 3, 4, 2],
        [5, 2, 3, 5, 4, 2, 5, 3],
        new Array(12).fill(3),
        new Array(16).fill(2),
      ]) {
        const model = randomModel(counts, seed);
        for (const opts of [
          {},
          { order: "natural" as const },
          { tolerance: 2 },
          { tolerance: 1, order: "natural" as const },
          { ignoreSelfImpacts: true, tolerance: 1 },
          { require: [{ factor: 2, states: [0, 1] }], forbid: [{ factor: 0, states: [1] }], tolerance: 1 },
          { fix: [{ factor: 3, state: 1 }], tolerance: 2 },
          { order: [...counts.keys()].reverse() },
        ] as KernelOptions[]) {
          const r = expectSame(model, opts);
          found += Number(r.count);
        }
      }
    }
    expect(found).toBeGreaterThan(100);
  });

  it("independent groups: each component searched on the kernel, the product the same", () => {
    for (const seed of [1, 5, 9]) {
      const model = islands(
        [
          [3, 3, 2, 3],
          [2, 4, 3],
          [3, 2, 2, 3, 2],
        ],
        seed,
      );
      for (const opts of [{}, { tolerance: 2 }, { order: "natural" as const, tolerance: 1 }]) {
        const r = expectSame(model, opts);
        expect(r.components.length).toBe(3);
      }
    }
  });

  it("agrees with brute force on small models (tolerance, self-impacts)", () => {
    const samples = fc.sample(fc.tuple(arbitraryModel(7, 301), fc.integer({ min: 0, max: 3 })), {
      numRuns: 60,
      seed: 19,
    });
    for (const [mdl, T] of samples) {
      const model = build(mdl.counts, mdl.rows);
      const r = findKernel(model, { tolerance: T, bound: "basic", engine: "wasm" });
      const bf = bruteForce(mdl.counts, mdl.rows.flat(), { tolerance: T });
      const tuples = (xs: { states: number[]; tis: number; cv: number }[], ic: (x: never) => number) =>
        xs.map((s) => `${s.states.join(",")}|${ic(s as never)}|${s.tis}|${s.cv}`).sort();
      expect(tuples(r.scenarios, (s: { inconsistency: number }) => s.inconsistency)).toEqual(
        tuples(bf, (s: { ic: number }) => s.ic),
      );
      expect(r.count).toBe(String(bf.length));
      expect(bytes(r)).toBe(bytes(findKernel(model, { tolerance: T, bound: "basic", engine: "ts" })));
    }
  });

  it("more scenarios than the kernel's buffer holds: copied out in order, none lost", () => {
    // 10 × 3 with a wide tolerance: all 59,049 scenarios, several buffers' worth
    const model = randomModel(new Array(10).fill(3), 2);
    const r = expectSame(model, { tolerance: 1000, maxScenarios: 0 });
    expect(r.count).toBe("59049");
  });

  it("the same progress reports and poll points; a stop at the same poll gives the same result", () => {
    const model = randomModel(new Array(16).fill(3), 3);
    const run = (engine: "ts" | "wasm", stopAt: number) => {
      const reports: unknown[] = [];
      const r = findKernel(model, {
        bound: "basic",
        engine,
        onProgress: ({ done, covered }) => reports.push([done, covered]),
        shouldStop: () => reports.length >= stopAt,
      });
      return { r: bytes(r), reports, complete: r.complete, nodes: r.nodes };
    };
    const full = run("wasm", Number.POSITIVE_INFINITY);
    expect(full).toEqual(run("ts", Number.POSITIVE_INFINITY));
    expect(full.complete).toBe(true);
    expect(full.reports.length).toBeGreaterThan(2);
    const stopped = run("wasm", 2);
    expect(stopped).toEqual(run("ts", 2));
    expect(stopped.complete).toBe(false);
    expect(stopped.nodes).toBeLessThan(full.nodes);
  });

  it("a stop request interrupts a long search", () => {
    // 26 × 3: far longer than a second on either engine
    const model = randomModel(new Array(26).fill(3), 4);
    const t0 = performance.now();
    const r = findKernel(model, {
      bound: "basic",
      engine: "wasm",
      shouldStop: () => performance.now() - t0 > 200,
    });
    expect(r.complete).toBe(false);
    expect(r.covered).toBeGreaterThan(0);
    expect(r.covered).toBeLessThan(1);
    expect(performance.now() - t0).toBeLessThan(5000);
    const ac = new AbortController();
    ac.abort();
    const a = findKernel(model, { bound: "basic", engine: "wasm", signal: ac.signal });
    expect(a.complete).toBe(false);
  });

  it("a search started from another's progress callback runs (the kernel is busy: TypeScript)", () => {
    const model = randomModel(new Array(16).fill(3), 3);
    const small = randomModel(new Array(8).fill(3), 1);
    const inner: string[] = [];
    const r = findKernel(model, {
      bound: "basic",
      engine: "wasm",
      onProgress: () => {
        inner.push(bytes(findKernel(small, { bound: "basic" })));
      },
    });
    expect(bytes(r)).toBe(bytes(findKernel(model, { bound: "basic", engine: "ts" })));
    expect(inner.length).toBeGreaterThan(0);
    const want = bytes(findKernel(small, { bound: "basic", engine: "ts" }));
    for (const x of inner) expect(x).toBe(want);
  });

  it("the default engine is the kernel on the basic bound; propagate is unchanged", () => {
    const model = randomModel(new Array(12).fill(3), 7);
    expect(bytes(findKernel(model, { bound: "basic" }))).toBe(
      bytes(findKernel(model, { bound: "basic", engine: "wasm" })),
    );
    expect(bytes(findKernel(model, { bound: "propagate", engine: "wasm" }))).toBe(
      bytes(findKernel(model, { bound: "propagate", engine: "ts" })),
    );
    expect(() => findKernel(model, { engine: "c" as never })).toThrow(InputError);
  });

  it("falls back to the TypeScript loop when the loader finds no WebAssembly", () => {
    const model = randomModel(new Array(12).fill(3), 2);
    const ts = bytes(findKernel(model, { bound: "basic", engine: "ts", tolerance: 1 }));
    loader.off = true;
    try {
      expect(bytes(findKernel(model, { bound: "basic", tolerance: 1 }))).toBe(ts);
      expect(() => findKernel(model, { bound: "basic", engine: "wasm" })).toThrow(/not available/);
    } finally {
      loader.off = false;
    }
  });
});

describe("the kernel in the parallel search (prefix boxes on worker threads)", () => {
  let pool: Pool;
  beforeAll(() => {
    pool = createPool(2);
  });
  afterAll(async () => {
    await pool.close();
  });

  it("the same kernel as one thread on either engine, with filters and tolerance", async () => {
    for (const [counts, seed] of [
      [new Array(14).fill(3), 5],
      [[2, 3, 4, 2, 3, 4, 2, 3, 4, 2, 3], 8],
    ] as const) {
      const model = randomModel([...counts], seed);
      for (const opts of [
        {},
        { tolerance: 2, order: "natural" as const },
        { require: [{ factor: 2, states: [0, 2] }], forbid: [{ factor: 0, states: [1] }], tolerance: 1 },
      ] as KernelOptions[]) {
        const one = findKernel(model, { ...opts, bound: "basic", engine: "ts" });
        const nodes: number[] = [];
        for (const engine of ["wasm", "ts"] as const) {
          const par = await findKernelParallel(model, {
            ...opts,
            bound: "basic",
            engine,
            pool,
            minSpace: 0n,
            probeMs: 0,
          });
          expect(par.scenarios).toEqual(one.scenarios);
          expect(par.groups).toEqual(one.groups);
          expect(par.count).toBe(one.count);
          expect(par.complete).toBe(true);
          nodes.push(par.nodes);
        }
        // the boxes' node sums agree between the engines
        expect(nodes[0]).toBe(nodes[1]);
      }
    }
  }, 120_000);
});
