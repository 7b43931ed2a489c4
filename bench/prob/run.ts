// Probability engine benchmark on the seed model: trajectories × steps per second (one thread,
// two worker threads), the time to the exact long-run distribution, and what the engine says
// about the articles' questions (12 monthly steps from the current situation).
//   ./node_modules/.bin/tsx bench/prob/run.ts [--runs N] [--skip-stationary]
import { compileModel } from "../../src/model/compile.js";
import { loadModelOrThrow } from "../../src/model/load.js";
import { createPool } from "../../src/prob/pool.js";
import { simulate } from "../../src/prob/simulate.js";
import { parseCondition } from "../../src/prob/spec.js";
import { stationary } from "../../src/prob/stationary.js";

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const runs = arg("--runs", 1_000_000);
const { model } = loadModelOrThrow(new URL("../../models/oman-2025.yaml", import.meta.url).pathname);
const cm = compileModel(model);
const pct = (p: number) => `${(100 * p).toFixed(2)}%`;

const conds = [parseCondition(cm, "region=multi-front-war")];
for (const threads of [0, 2]) {
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

if (!process.argv.includes("--skip-stationary")) {
  const t = performance.now();
  const st = stationary(cm, { tolerance: 1e-6, maxSweeps: arg("--sweeps", 3000) });
  const s = (performance.now() - t) / 1000;
  console.log(
    `\nExact long-run distribution (${st.exact?.states} scenarios): ${s.toFixed(1)} s, ${st.exact?.sweeps} sweeps, residual ${st.exact?.residual.toExponential(2)}${st.exact?.converged ? "" : " (NOT converged)"}, ${((st.exact?.bytes ?? 0) / 1e6).toFixed(0)} MB arrays, rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`,
  );
  for (const f of st.factors.filter((x) => ["talks", "region"].includes(x.id)))
    console.log(`  ${f.id}: ${f.states.map((x) => `${x.id} ${pct(x.p)}`).join(", ")}`);
}
