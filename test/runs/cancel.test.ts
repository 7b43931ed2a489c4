// Cancel for every engine of the registry: each run is started on a model and options that keep
// it busy far longer than the test, asked to stop after 200 ms (the server's way: a shouldStop
// poll plus an aborted signal), and must return — or reject with a clean stop error — within
// 1.5 s of the request. Where the engine has a partial result it must say so, and its content
// must be consistent: partial kernels are subsets of the full kernel, partial counts are at most
// what was asked, frequencies sum to one.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findKernel } from "../../src/cib/kernel.js";
import { findKernelParallel } from "../../src/cib/parallel.js";
import { compileModel } from "../../src/model/compile.js";
import { parseModelText } from "../../src/model/load.js";
import type { Model } from "../../src/model/types.js";
import { RunStopped } from "../../src/runs/control.js";
import type { EngineName } from "../../src/runs/options.js";
import { ENGINES, runEngine } from "../../src/runs/registry.js";
import { createPool, type Pool } from "../../src/workers/pool.js";
import { repoRoot } from "../helpers/paths.js";
import { randomCibModel } from "./cancel-models.js";

const STOP_MS = 200;
const BOUND_MS = 1500;
const oman = parseModelText(readFileSync(join(repoRoot, "models", "oman-2025.yaml"), "utf8"), {
  file: "oman-2025.yaml",
}).model as Model;
// A random 36×2 model whose tolerance-1 kernel (322 scenarios) takes ~4 s to find on one thread
// and ~3 s on the pool of 2 (the 34×2 one, since the SIMD kernel, finished on a fast machine's
// pool before the stop at 600 ms), and a 30×2 one whose single kernel search takes ~0.3 s
// (sensitivity reruns one per change).
const random = randomCibModel(36, 2, 2, { lo: -1, hi: 1 });
const random30 = randomCibModel(30, 2, 2, { lo: -1, hi: 1 });

/** Runs an engine, asking it to stop after STOP_MS; its outcome and how long the stop took. */
async function stopped(engine: EngineName, model: Model, options: unknown, stopMs = STOP_MS) {
  const ac = new AbortController();
  const t0 = performance.now();
  const shouldStop = () => {
    if (performance.now() - t0 > stopMs) ac.abort();
    return ac.signal.aborted;
  };
  const timer = setTimeout(() => ac.abort(), stopMs);
  let result: unknown;
  let error: unknown;
  try {
    result = await runEngine(engine, model, options, { signal: ac.signal, shouldStop });
  } catch (e) {
    error = e;
  } finally {
    clearTimeout(timer);
  }
  const lateMs = performance.now() - t0 - stopMs;
  console.log(
    `${engine} ${JSON.stringify(options)}: ${error ? "rejected" : "returned"} ${Math.round(lateMs)} ms after the stop`,
  );
  // biome-ignore lint/suspicious/noExplicitAny: results are checked field by field
  return { result: result as any, error, lateMs };
}

/** A stop error: the engine keeps no partial result. */
const isStop = (e: unknown) =>
  e instanceof RunStopped ||
  (e instanceof Error && e.name === "ForecastError" && e.message === "interrupted");

let fullKernel: Set<string>;
let pool: Pool;
beforeAll(async () => {
  const k = findKernel(compileModel(random), { tolerance: 1 });
  expect(k.complete).toBe(true);
  fullKernel = new Set(k.scenarios.map((s) => s.states.join(",")));
  pool = createPool(2);
  // start the pool's threads (a small search forced onto them), so the stop below times the search
  const warm = await findKernelParallel(compileModel(randomCibModel(8, 2, 1)), {
    pool,
    minSpace: 0n,
    probeMs: 0,
  });
  expect(warm.complete).toBe(true);
}, 60_000);
afterAll(() => pool.close());

describe("every engine stops within 1.5 s of a cancel", () => {
  it("covers every engine of the registry", () => {
    const tested = ["scenarios", "succession", "explain", "sensitivity", "simulate", "beliefs", "stationary"];
    tested.push("robust", "stakes", "bargain", "forecast", "outlook", "evidence", "analyze");
    expect(Object.keys(ENGINES).sort()).toEqual(tested.sort());
  });

  it("scenarios: the scenarios found so far, a subset of the full kernel", async () => {
    const { result: r, lateMs } = await stopped("scenarios", random, { maxInconsistency: 1 }, 600);
    console.log(`scenarios: ${r.scenarios.length} of ${fullKernel.size} found`);
    expect(r.scenarios.length).toBeGreaterThan(0);
    expect(lateMs).toBeLessThan(BOUND_MS);
    expect(r.complete).toBe(false);
    expect(r.covered).toBeGreaterThan(0);
    expect(r.covered).toBeLessThan(1);
    expect(Number(r.count)).toBe(r.scenarios.length);
    expect(r.scenarios.length).toBeLessThan(fullKernel.size);
    const cm = compileModel(random);
    for (const s of r.scenarios) {
      const key = cm.factorIds.map((id, f) => cm.stateIds[f].indexOf(s.states[id])).join(",");
      expect(fullKernel.has(key)).toBe(true);
    }
  });

  it("scenarios on the worker pool: the boxes' finds so far, a subset of the full kernel", async () => {
    const t0 = performance.now();
    const k = await findKernelParallel(compileModel(random), {
      tolerance: 1,
      pool,
      minSpace: 0n,
      probeMs: 0,
      shouldStop: () => performance.now() - t0 > 600,
    });
    const lateMs = performance.now() - t0 - 600;
    console.log(
      `scenarios on the pool: ${k.scenarios.length} of ${fullKernel.size} found, ${Math.round(lateMs)} ms after the stop`,
    );
    expect(lateMs).toBeLessThan(BOUND_MS);
    expect(k.complete).toBe(false);
    expect(k.scenarios.length).toBeLessThan(fullKernel.size);
    expect(k.scenarios.length).toBeGreaterThan(0);
    expect(Number(k.count)).toBe(k.scenarios.length);
    for (const s of k.scenarios) expect(fullKernel.has(s.states.join(","))).toBe(true);
    expect(k.covered).toBeGreaterThanOrEqual(0);
    expect(k.covered).toBeLessThan(1);
  });

  it("succession --basins (exact and sampled): incomplete, the starts processed", async () => {
    // 3^16 = 43 million starts: about 2 s of exact basins (3^15 took 0.6 s once pass 1 ran in
    // WebAssembly, too close to the stop on a fast machine)
    const starts = randomCibModel(16, 3, 1);
    for (const options of [
      { basins: true, method: "exact" },
      { basins: true, method: "sample", samples: 10_000_000 },
    ]) {
      const { result: r, lateMs } = await stopped("succession", starts, options);
      expect(lateMs).toBeLessThan(BOUND_MS);
      expect(r.complete).toBe(false);
      const weights = r.attractors.reduce((s: number, a: { weight: number }) => s + a.weight, 0);
      expect(weights + r.cycleStarts).toBeLessThanOrEqual(r.starts);
    }
  });

  it("succession (a path) and explain: fast, no partial, they just finish", async () => {
    for (const [engine, options] of [
      ["succession", {}],
      ["explain", {}],
    ] as const) {
      const { result: r, lateMs } = await stopped(engine, oman, options);
      expect(lateMs).toBeLessThan(BOUND_MS);
      expect(r.engine).toBe("cib");
    }
  });

  it("sensitivity: the cells decided so far, each change as the full run gives it", async () => {
    // rerun: a full search per change (~0.3 s each here); stopped after a few cells
    const full = await runEngine("sensitivity", random30, {});
    const { result: r, lateMs } = await stopped("sensitivity", random30, { method: "rerun" }, 1500);
    console.log(`sensitivity: ${r.cellsTested} cells decided, ${r.changes.length} changes`);
    expect(r.cellsTested).toBeGreaterThan(0);
    expect(lateMs).toBeLessThan(BOUND_MS);
    expect(r.complete).toBe(false);
    expect(r.cellsTested).toBeLessThan((full as { cellsTested: number }).cellsTested);
    const byCell = new Map(
      (full as { changes: { cell: string; delta: number }[] }).changes.map((c) => [
        `${c.cell}|${c.delta}`,
        c,
      ]),
    );
    for (const c of r.changes)
      expect(byCell.get(`${c.cell}|${c.delta}`)).toEqual({ ...c, impacts: c.impacts });
  });

  it("simulate, beliefs, robust: partial, fewer runs than asked", async () => {
    const sim = await stopped("simulate", oman, { runs: 2_000_000, steps: 100 });
    expect(sim.lateMs).toBeLessThan(BOUND_MS);
    expect(sim.result.partial).toBe(true);
    expect(sim.result.runs).toBeLessThan(sim.result.runsRequested);
    const bel = await stopped("beliefs", oman, { runs: 1_000_000 });
    expect(bel.lateMs).toBeLessThan(BOUND_MS);
    expect(bel.result.partial).toBe(true);
    expect(bel.result.runs).toBeLessThan(bel.result.runsRequested);
    const rob = await stopped("robust", oman, { samples: 100_000 });
    expect(rob.lateMs).toBeLessThan(BOUND_MS);
    expect(rob.result.partial).toBe(true);
    expect(rob.result.samples).toBeLessThan(rob.result.requested);
  });

  it("stationary (MCMC and exact): partial; MCMC frequencies over the samples taken", async () => {
    const mc = await stopped("stationary", oman, { method: "mcmc", samples: 5_000_000 });
    expect(mc.lateMs).toBeLessThan(BOUND_MS);
    expect(mc.result.partial).toBe(true);
    expect(mc.result.mcmc.requested).toBe(5_000_000);
    expect(mc.result.mcmc.samples).toBeLessThan(5_000_000);
    for (const f of mc.result.factors)
      expect(f.states.reduce((s: number, x: { p: number }) => s + x.p, 0)).toBeCloseTo(1, 9);
    const ex = await stopped("stationary", oman, { method: "exact" });
    expect(ex.lateMs).toBeLessThan(BOUND_MS);
    expect(ex.result.partial).toBe(true);
    expect(ex.result.exact.converged).toBe(false);
  });

  it("stakes, bargain, forecast, outlook: no partial, a clean stop error", async () => {
    for (const [engine, options] of [
      ["stakes", { runs: 20_000, steps: 50 }],
      ["bargain", { runs: 1000 }],
      ["forecast", { runs: 1_000_000 }],
      ["outlook", { runs: 1_000_000, condition: "region=multi-front-war" }],
    ] as const) {
      const { error, lateMs } = await stopped(engine, oman, options);
      expect(lateMs).toBeLessThan(BOUND_MS);
      expect(isStop(error)).toBe(true);
    }
  });

  it("evidence: fast, no partial, it just finishes", async () => {
    const { result: r, lateMs } = await stopped("evidence", oman, {});
    expect(lateMs).toBeLessThan(BOUND_MS);
    expect(r.counts).toBeDefined();
  });

  it("analyze: the parts done, flagged partial", async () => {
    const { result: r, lateMs } = await stopped("analyze", oman, { runs: 5_000_000 });
    expect(lateMs).toBeLessThan(BOUND_MS);
    expect(r.partial).toBe(true);
    expect(r.scenarios).toBeDefined();
    expect(r.forecast).toBeUndefined(); // the last part is never reached
  });
});
