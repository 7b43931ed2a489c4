// CIB kernel benchmark: branch and bound (both bounds, and the basic bound on worker threads)
// vs plain odometer enumeration and vs a plain C branch and bound (yardstick.c: the same bound
// in natural order, built with the system's cc), same run, same machine. "engine/C" is the
// faster bound's time over the C time. The engine runs as users get it: the basic bound's loop
// on the WebAssembly kernel (src/cib/wasm/, the default engine "auto"); --engine ts times the
// TypeScript loop instead.
//   npx tsx bench/cib/run.ts [--budget SECONDS] [--enum-limit N] [--skip-enum] [--only SUBSTR]
//                            [--bound basic|propagate|both] [--workers N] [--no-growth]
//                            [--engine auto|wasm|ts]
// For each model and each bound ("basic": the reference bound of cib-method.md, the default for
// dense matrices; "propagate": forward checking + dom/wdeg order, src/cib/propagate.ts):
// time to the COMPLETE kernel (best of 5 warm runs for fast models, and the cold first run),
// nodes, kernel size, and the enumeration time and ratio (against the faster bound) where
// enumeration is feasible. Each search is stopped after --budget seconds (default 120).
// Models the basic bound does not finish within 1 s also run with findKernelParallel on
// --workers threads (default 2; src/cib/parallel.ts), same budget.
// Growth: the basic bound on dense random models of growing size (3 seeds each), the
// least-squares slope of log2(nodes) per factor, and — labelled as a projection, never as a
// measurement — the nodes and time that slope implies for the sizes that do not finish.
// Also: exact global-succession basins of the 22.7M-scenario cibsa fixture, and judgment
// sensitivity on a random 14×3 model (candidate re-scoring vs a kernel re-run per change).
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { successionBasins } from "../../src/cib/basins.js";
import { enumerateKernel } from "../../src/cib/enumerate.js";
import { findKernel, type KernelBound, type KernelEngine, type KernelResult } from "../../src/cib/kernel.js";
import { findKernelParallel } from "../../src/cib/parallel.js";
import { randomModel } from "../../src/cib/random.js";
import { judgmentSensitivity } from "../../src/cib/sensitivity.js";
import { type CompiledModel, compileMatrix, spaceSize } from "../../src/model/compiled.js";
import { yardstick } from "./yardstick.js";

const args = process.argv.slice(2);
const opt = (name: string, def: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const budgetMs = opt("--budget", 120) * 1000;
const enumLimit = opt("--enum-limit", 1e9);
const skipEnum = args.includes("--skip-enum");
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;
// --bound basic|propagate runs one bound only (the other column says "not run"): for long
// budgets on the big random models, e.g. `--bound basic --budget 3600 --only random`.
const boundArg = args.includes("--bound") ? args[args.indexOf("--bound") + 1] : "both";
if (!["basic", "propagate", "both"].includes(boundArg))
  throw new Error(`--bound: basic, propagate or both; got ${boundArg}`);
const workers = opt("--workers", 2);
const growth = !args.includes("--no-growth");
const engine = (args.includes("--engine") ? args[args.indexOf("--engine") + 1] : "auto") as KernelEngine;
if (!["auto", "wasm", "ts"].includes(engine)) throw new Error(`--engine: auto, wasm or ts; got ${engine}`);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const cases = JSON.parse(readFileSync(path.resolve(root, "../shared/fixtures/cib/cases.json"), "utf8")).cases;
const fromCase = (id: string): CompiledModel => {
  const c = cases.find((x: { id: string }) => x.id === id);
  return compileMatrix(c.descriptors, c.matrix, { hash: id });
};

const models: [string, CompiledModel][] = [
  ["iain_bench_50x50", fromCase("iain_bench_50x50")],
  ["cibsa_CIB_nested", fromCase("cibsa_CIB_nested")],
  ["random 20×3 (seed 1)", randomModel(new Array(20).fill(3), 1)],
  ["random 25×3 (seed 1)", randomModel(new Array(25).fill(3), 1)],
  ["random 30×3 (seed 1)", randomModel(new Array(30).fill(3), 1)],
  ["random 60×2 (seed 1)", randomModel(new Array(60).fill(2), 1)],
];

const rows: string[][] = [];
const header = [
  "model",
  "space",
  "basic ms",
  "basic nodes",
  "propagate ms",
  "propagate nodes",
  `${workers} workers ms`,
  `${workers} workers nodes`,
  "kernel",
  "enum ms",
  "enum/best",
  "C ms (natural)",
  "C nodes",
  "engine/C",
];
const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const fmtDuration = (ms: number) =>
  ms < 120_000
    ? `${fmt(ms / 1000)} s`
    : ms < 7_200_000
      ? `${fmt(ms / 60_000)} min`
      : ms < 172_800_000
        ? `${fmt(ms / 3_600_000)} h`
        : `${fmt(ms / 86_400_000)} days`;
/** Time to the complete kernel with one bound: cold run, then best of 5 warm runs if fast. */
const timeBound = (model: CompiledModel, bound: KernelBound) => {
  const t0 = performance.now();
  const stop = () => performance.now() - t0 > budgetMs;
  let r = findKernel(model, { bound, engine, shouldStop: stop });
  const cold = r.elapsedMs;
  let ms = r.elapsedMs;
  if (r.complete && ms < 2000) {
    for (let i = 0; i < 5; i++) {
      const q = findKernel(model, { bound, engine });
      if (q.elapsedMs < ms) {
        ms = q.elapsedMs;
        r = q;
      }
    }
  }
  return { r, ms, cold };
};
for (const [name, model] of models.filter(([n]) => only === undefined || n.includes(only))) {
  const space = spaceSize(model.counts);
  const notRun = { r: { complete: false, elapsedMs: 0, nodes: 0, count: "" }, ms: 0, cold: 0, skipped: true };
  const basic = boundArg === "propagate" ? notRun : { ...timeBound(model, "basic"), skipped: false };
  const prop = boundArg === "basic" ? notRun : { ...timeBound(model, "propagate"), skipped: false };
  if (basic.r.complete && prop.r.complete && basic.r.count !== prop.r.count)
    throw new Error(`${name}: basic found ${basic.r.count}, propagate ${prop.r.count}`);
  const done = basic.r.complete ? basic.r : prop.r.complete ? prop.r : undefined;
  const bestMs = Math.min(
    basic.r.complete ? basic.ms : Number.POSITIVE_INFINITY,
    prop.r.complete ? prop.ms : Number.POSITIVE_INFINITY,
  );
  // the parallel search for what one thread does not finish within a second
  let par: KernelResult | undefined;
  if (workers > 1 && boundArg !== "propagate" && !(basic.r.complete && basic.ms < 1000)) {
    const t0 = performance.now();
    par = await findKernelParallel(model, {
      workers,
      engine,
      probeMs: 0,
      shouldStop: () => performance.now() - t0 > budgetMs,
    });
    if (par.complete && done && par.count !== done.count)
      throw new Error(`${name}: parallel found ${par.count}, one thread ${done.count}`);
  }
  const doneAny = done ?? (par?.complete ? par : undefined);
  let enumMs = "";
  let ratio = "";
  if (skipEnum) enumMs = "skipped";
  else if (space > BigInt(enumLimit)) enumMs = "infeasible";
  else {
    const e = enumerateKernel(model);
    enumMs = fmt(e.elapsedMs);
    if (done && e.count !== done.count)
      throw new Error(`${name}: enumeration found ${e.count}, B&B ${done.count}`);
    if (Number.isFinite(bestMs)) ratio = `${fmt(e.elapsedMs / bestMs)}×`;
  }
  // the C yardstick: plain branch and bound, same bound, natural order, same budget
  const y = yardstick(model, { timeoutMs: budgetMs });
  const yCells =
    y === undefined
      ? ["no cc", "", ""]
      : "stopped" in y
        ? [`>${fmt(budgetMs)} (stopped)`, "", ""]
        : [fmt(y.ms), String(y.nodes), Number.isFinite(bestMs) ? `${(bestMs / y.ms).toFixed(2)}×` : ""];
  if (y && !("stopped" in y) && done && String(y.count) !== done.count)
    throw new Error(`${name}: the C yardstick found ${y.count}, the engine ${done.count}`);
  const cell = (x: {
    r: { complete: boolean; elapsedMs: number };
    ms: number;
    cold: number;
    skipped: boolean;
  }) =>
    x.skipped
      ? "not run"
      : x.r.complete
        ? `${fmt(x.ms)} (cold ${fmt(x.cold)})`
        : `>${fmt(x.r.elapsedMs)} (stopped)`;
  rows.push([
    name,
    space.toString(),
    cell(basic),
    String(basic.r.nodes),
    cell(prop),
    String(prop.r.nodes),
    par ? (par.complete ? fmt(par.elapsedMs) : `>${fmt(par.elapsedMs)} (stopped)`) : "not needed",
    par ? String(par.nodes) : "",
    doneAny ? doneAny.count : "?",
    enumMs,
    ratio,
    ...yCells,
  ]);
  console.error(`done: ${name}`);
}
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ");
console.log(
  `engine: ${engine} (the basic bound's loop${engine === "ts" ? ": TypeScript" : ": WebAssembly where it loads"})`,
);
console.log(line(header));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const r of rows) console.log(line(r));

// growth of the exact search on dense random models, and what it implies for the big rows
if (growth && (only === undefined || "growth".includes(only))) {
  const series: [number, number[], number[]][] = [
    [2, [24, 28, 32, 36, 40], [60]],
    [3, [14, 16, 18, 20, 22], [25, 30]],
  ];
  console.log("\ngrowth of the basic bound on dense random models (3 seeds per size, one thread):");
  for (const [k, sizes, targets] of series) {
    const xs: number[] = [];
    const ys: number[] = [];
    let lastRate = 0;
    const parts: string[] = [];
    for (const n of sizes) {
      let logSum = 0;
      let nodes = 0;
      let ms = 0;
      for (const seed of [1, 2, 3]) {
        const r = findKernel(randomModel(new Array(n).fill(k), seed), { engine });
        logSum += Math.log2(r.nodes);
        nodes += r.nodes;
        ms += r.elapsedMs;
      }
      xs.push(n);
      ys.push(logSum / 3);
      lastRate = nodes / ms; // nodes per ms at the largest size measured
      parts.push(`${n}: 2^${(logSum / 3).toFixed(1)} nodes, ${fmt(ms / 3)} ms`);
    }
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const my = ys.reduce((a, b) => a + b, 0) / ys.length;
    let sxy = 0;
    let sxx = 0;
    for (let i = 0; i < xs.length; i++) {
      sxy += (xs[i] - mx) * (ys[i] - my);
      sxx += (xs[i] - mx) ** 2;
    }
    const slope = sxy / sxx;
    console.log(`  ${k} states, measured (mean per size): ${parts.join("; ")}`);
    console.log(`    log2(nodes) grows by ${slope.toFixed(2)} per factor (least squares)`);
    const nMax = xs[xs.length - 1];
    for (const t of targets) {
      const log2Nodes = my + slope * (t - mx);
      // per-node cost grows about linearly with the number of factors (the gap updates)
      const ms = 2 ** log2Nodes / (lastRate * (nMax / t));
      console.log(
        `    PROJECTED, not measured: ${t}×${k} ≈ 2^${log2Nodes.toFixed(1)} nodes ≈ ${fmtDuration(ms)} on one thread`,
      );
    }
  }
}

// basins
{
  const model = fromCase("cibsa_CIB_nested_simplified_standardized");
  const b = successionBasins(model, { method: "exact" });
  console.log(
    `\nglobal-succession basins, cibsa_CIB_nested_simplified_standardized (${b.spaceSize} starts): ${fmt(b.elapsedMs)} ms, ${b.attractors.length} attractors, ${b.cycleStarts} cycle starts`,
  );
}
// sensitivity
{
  const model = randomModel(new Array(14).fill(3), 2);
  const a = judgmentSensitivity(model);
  const t = performance.now();
  const b = judgmentSensitivity(model, { method: "rerun" });
  const rerunMs = performance.now() - t;
  console.log(
    `judgment sensitivity, random 14×3 (seed 2): ${a.changesTested} changes, ${a.changes.length} alter the kernel; candidates ${fmt(a.elapsedMs)} ms (${a.candidates} candidates), re-run ${fmt(rerunMs)} ms; agree: ${JSON.stringify(a.changes) === JSON.stringify(b.changes)}`,
  );
}
