// CIB kernel benchmark: branch and bound (both bounds) vs plain odometer enumeration, same
// run, same machine.
//   npx tsx bench/cib/run.ts [--budget SECONDS] [--enum-limit N] [--skip-enum] [--only SUBSTR]
// For each model and each bound ("basic": the reference bound of cib-method.md, the default;
// "propagate": forward checking + surrogate bound + dynamic order, src/cib/propagate.ts):
// time to the COMPLETE kernel (best of 5 warm runs for fast models, and the cold first run),
// nodes, kernel size, and the enumeration time and ratio (against the faster bound) where
// enumeration is feasible. Each search is stopped after --budget seconds (default 120).
// Also: exact global-succession basins of the 22.7M-scenario cibsa fixture, and judgment
// sensitivity on a random 14×3 model (candidate re-scoring vs a kernel re-run per change).
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { enumerateKernel } from "../../src/cib/enumerate.js";
import { findKernel, type KernelBound } from "../../src/cib/kernel.js";
import { randomModel } from "../../src/cib/random.js";
import { judgmentSensitivity } from "../../src/cib/sensitivity.js";
import { successionBasins } from "../../src/cib/succession.js";
import { type CompiledModel, compileMatrix, spaceSize } from "../../src/model/compiled.js";

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
  "kernel",
  "enum ms",
  "enum/best",
];
const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
/** Time to the complete kernel with one bound: cold run, then best of 5 warm runs if fast. */
const timeBound = (model: CompiledModel, bound: KernelBound) => {
  const t0 = performance.now();
  const stop = () => performance.now() - t0 > budgetMs;
  let r = findKernel(model, { bound, shouldStop: stop });
  const cold = r.elapsedMs;
  let ms = r.elapsedMs;
  if (r.complete && ms < 2000) {
    for (let i = 0; i < 5; i++) {
      const q = findKernel(model, { bound });
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
    done ? done.count : "?",
    enumMs,
    ratio,
  ]);
  console.error(`done: ${name}`);
}
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ");
console.log(line(header));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const r of rows) console.log(line(r));

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
