// Probability engine benchmark on the seed model: trajectories × steps per second (one thread,
// two worker threads), the time to the exact long-run distribution, and what the engine says
// about the articles' questions (12 monthly steps from the current situation).
//   ./node_modules/.bin/tsx bench/prob/run.ts [--runs N] [--skip-simulate] [--skip-stationary]
//     [--tolerance R] [--gs-sweeps N]
import { compileModel } from "../../src/model/compile.js";
import { loadModelOrThrow } from "../../src/model/load-file.js";
import { simulate } from "../../src/prob/simulate.js";
import { parseCondition } from "../../src/prob/spec.js";
import { stationary } from "../../src/prob/stationary.js";
import { createPool } from "../../src/workers/pool.js";

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const runs = arg("--runs", 1_000_000);
const { model } = loadModelOrThrow(new URL("../../models/oman-2025.yaml", import.meta.url).pathname);
const cm = compileModel(model);
const pct = (p: number) => `${(100 * p).toFixed(2)}%`;

const conds = [parseCondition(cm, "region=multi-front-war")];
for (const threads of process.argv.includes("--skip-simulate") ? [] : [0, 2]) {
  const pool = threads ? createPool(threads) : undefined;
  if (pool) await simulate(cm, { steps: 1, runs: 8, seed: 0, chunkSize: 4 }, { pool }); // warm the workers
  const t = performance.now();
  const { result } = await simulate(cm, { steps: 24, runs, seed: 1, conditions: conds }, { pool });
  const s = (performance.now() - t) / 1000;
  console.log(
    `${threads ? `${threads} workers` : "1 thread "}: ${runs} runs × 24 steps in ${s.toFixed(2)} s = ${((runs * 24) / s / 1e6).toFixed(2)} M steps/s (P(war by 24) ${pct(result.conditions[0].byStep[24].p)})`,
  );
  await pool?.close();
}

// The articles' questions: the three trajectories as conditions on key factors, 12 steps.
const questions: [string, string][] = [
  ["breakthrough (Shafaq 1)", "talks=breakthrough,enrichment=capped,region=de-escalation"],
  ["protracted (Dawat)", "talks=protracted,us-focus=diverted,russia-leverage=stronger"],
  ["breakdown and escalation (Shafaq 2)", "talks=breakdown,region=multi-front-war"],
  ["multi-front war", "region=multi-front-war"],
];
if (!process.argv.includes("--skip-simulate")) {
  const pool = createPool(2);
  const { result } = await simulate(
    cm,
    { steps: 12, runs: 200_000, seed: 2025, conditions: questions.map(([, q]) => parseCondition(cm, q)) },
    { pool },
  );
  console.log(
    `\nSeed model, 12 monthly steps from the current situation, β = ${result.beta.talks}, ${result.runs} runs:`,
  );
  result.conditions.forEach((c, i) => {
    const e = c.byStep[12];
    const at = c.atStep[12];
    console.log(
      `  ${questions[i][0]} [${c.condition}]: reached by step 12 ${pct(e.p)} (${pct(e.lo)}–${pct(e.hi)}); holds at step 12 ${pct(at.p)}`,
    );
  });
  const war = result.conditions[3];
  console.log("  main paths to region=multi-front-war (loop-erased changes, share of all runs):");
  for (const p of war.paths.slice(0, 6))
    console.log(`    ${pct(p.p)}  ${p.changes.map((c) => `${c.factor}=${c.state}`).join(" → ")}`);
  const { result: fail } = await simulate(
    cm,
    {
      steps: 6,
      runs: 200_000,
      seed: 2025,
      given: new Map([[0, 2]]),
      conditions: [parseCondition(cm, "region=multi-front-war")],
    },
    { pool },
  );
  console.log(
    `  given talks=breakdown at step 0: P(multi-front war within 6 steps) ${pct(fail.conditions[0].byStep[6].p)}`,
  );
  for (const p of fail.conditions[0].paths.slice(0, 3))
    console.log(`    ${pct(p.p)}  ${p.changes.map((c) => `${c.factor}=${c.state}`).join(" → ")}`);
  await pool.close();
}

if (!process.argv.includes("--skip-stationary")) {
  // Exact long-run distribution, each solver; Gauss–Seidel capped (it stalls on the basins).
  const mb = (b: number) => `${(b / 1e6).toFixed(0)} MB`;
  for (const [solver, maxIterations] of [
    ["iad", 500],
    ["gmres", 2000],
    ["gauss-seidel", arg("--gs-sweeps", 100)],
  ] as const) {
    const t = performance.now();
    const st = stationary(cm, { solver, tolerance: arg("--tolerance", 1e-12), maxIterations });
    const s = (performance.now() - t) / 1000;
    const e = st.exact;
    if (!e) continue;
    console.log(
      `\nExact long-run distribution, ${solver} (${e.states} scenarios): ${s.toFixed(1)} s (matrix ${(e.buildMs / 1000).toFixed(1)} s), ${e.iterations} iterations / ${e.sweeps} passes, residual ‖πP − π‖₁ ${e.residual.toExponential(2)}${e.converged ? "" : " (NOT converged)"}, ${mb(e.bytes)} arrays, rss ${mb(process.memoryUsage().rss)}`,
    );
    for (const b of e.basins)
      console.log(
        `  basin of ${Object.values(b.attractor).join(" ")}${b.cycle > 1 ? ` (cycle ${b.cycle})` : ""}: ${b.size} scenarios, p = ${b.p.toExponential(4)}`,
      );
    for (const x of st.scenarios.slice(0, 3))
      console.log(
        `  top ${pct(x.p)}: ${Object.entries(x.states)
          .map(([f, v]) => `${f}=${v}`)
          .join(" ")}`,
      );
    for (const f of st.factors.filter((x) => ["talks", "region"].includes(x.id)))
      console.log(`  ${f.id}: ${f.states.map((x) => `${x.id} ${pct(x.p)}`).join(", ")}`);
  }
}
