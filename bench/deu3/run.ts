/**
 * DEU III benchmark: accuracy of every method on 353 EU legislative negotiations with known outcomes.
 * Run: npx tsx bench/deu3/run.ts
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { CombineMethod, SelectionRule } from "../../src/bargain/combine.js";
import { readDeu3File } from "../../src/bargain/csv.js";
import {
  closedForm,
  type ErrorStats,
  evaluate,
  type IssueCase,
  issueSets,
  ktabForecasts,
  scholzForecast,
} from "./evaluate.js";
import {
  candidates,
  deu3StackRows,
  FIT_METHODS,
  groupBootstrap,
  nestedCv,
  reportCombination,
  SELECTION_RULE,
} from "./stack.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const data = readDeu3File(path.resolve(root, "../shared/fixtures/bargaining/deu3/deu3.csv"));
const { all, three, ktabRuns } = issueSets(data);

console.log("DEU III (Arregui & Perarnaud 2021) — mean absolute error on the 0–100 outcome scale");
console.log("Rules: issues with a coded outcome; actors = Commission, EP and member states with a position;");
console.log("       salience missing or coded 0 → 50; clout = GDP row × salience (Commission, EP: 4.1);");
console.log(
  `       sets: ${all.length} issues (≥2 actors), ${three.length} (≥3 actors), ${ktabRuns.length} (≥3 actors,`,
);
console.log(
  "       not every position at 0 or 100 = where KTAB's smpc runs). Scholz EUM: 10 rounds, weighted mean.",
);
console.log(
  "       KTAB: defaults, forecast = probability-weighted final position (also compromise of final, mode).",
);

const row = (name: string, s: ErrorStats) =>
  console.log(
    `${name.padEnd(52)} n=${String(s.n).padStart(3)}  MAE ${s.mae.toFixed(2).padStart(6)}  median ${s.median
      .toFixed(2)
      .padStart(6)}  within 10: ${(100 * s.within10).toFixed(1).padStart(5)}%`,
  );

for (const [label, set] of [
  [`${all.length} issues`, all],
  [`${ktabRuns.length} issues (KTAB runs)`, ktabRuns],
] as [string, IssueCase[]][]) {
  console.log(`\n— ${label}`);
  for (const [name, f] of Object.entries(closedForm)) row(name, evaluate(set, f));
  if (set !== all) {
    const t0 = performance.now();
    row("Scholz EUM (10 rounds, mean)", evaluate(set, scholzForecast));
    const ktab = set.map((c) => ({ c, k: ktabForecasts(c) }));
    row(
      "KTAB SMP (probability-weighted final)",
      evaluate(set, (c) => ktab.find((x) => x.c === c)?.k.probabilityWeighted ?? null),
    );
    row(
      "KTAB SMP (compromise of final positions)",
      evaluate(set, (c) => ktab.find((x) => x.c === c)?.k.compromiseOfFinal ?? null),
    );
    row(
      "KTAB SMP (most likely final position)",
      evaluate(set, (c) => ktab.find((x) => x.c === c)?.k.mostLikely ?? null),
    );
    console.log(
      `  (dynamic models on ${set.length} issues took ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    );
  }
}
console.log(`\n— ${three.length} issues (≥3 actors)`);
row("compromise (GDP×salience)", evaluate(three, closedForm["compromise (GDP×salience)"]));
row("Scholz EUM (10 rounds, mean)", evaluate(three, scholzForecast));
console.log(
  "\nReference (cases.json, DEU3-aggregate): 253 issues — compromise 20.69, Scholz EUM 22.50, KTAB prob-weighted 23.87.",
);

console.log("\n— Combined forecast (src/bargain/combine.ts): nested grouped cross-validation");
{
  const t0 = performance.now();
  const all = [...FIT_METHODS, "xm"] as CombineMethod[];
  const rows = deu3StackRows(data, all);
  console.log(
    `Candidates: ${candidates(FIT_METHODS).length} (feature sets × squared/absolute loss × λ); the shipped procedure picks by the ${SELECTION_RULE === "1se" ? "one-standard-error rule" : "lowest inner-CV MAE"}.`,
  );
  const shipped = nestedCv(rows, FIT_METHODS);
  for (const line of reportCombination(rows, all, shipped)) console.log(line);
  console.log("\nOther procedures tried (same outer folds; MAE, difference to compromise, 90 % coverage):");
  const cmErr = rows.map((r) => Math.abs(r.outcome - r.raw.cm));
  const groups = rows.map((r) => r.proposal);
  for (const [label, pool, rule] of [
    ["5 methods, lowest inner-CV MAE", FIT_METHODS, "min"],
    ["6 methods (+ exchange model), one-SE rule", all, "1se"],
    ["6 methods (+ exchange model), lowest inner-CV MAE", all, "min"],
  ] as [string, CombineMethod[], SelectionRule][]) {
    const n = nestedCv(rows, pool, 0.9, rule);
    const e = rows.map((r, i) => Math.abs(r.outcome - n.combined[i]));
    const b = groupBootstrap(groups, [e, e.map((x, i) => x - cmErr[i])]);
    const cover = rows.filter((r, i) => r.outcome >= n.lo[i] - 1e-9 && r.outcome <= n.hi[i] + 1e-9).length;
    const xmFolds = n.chosen.filter((c) => c.includes("+xm")).length;
    console.log(
      `  ${label.padEnd(52)} MAE ${b.mean[0].toFixed(2)} [${b.lo[0].toFixed(2)}, ${b.hi[0].toFixed(2)}]  diff ${b.mean[1] >= 0 ? "+" : "−"}${Math.abs(b.mean[1]).toFixed(2)} [${b.lo[1].toFixed(2)}, ${b.hi[1].toFixed(2)}]  coverage ${((100 * cover) / rows.length).toFixed(1)}%${pool.includes("xm") ? `  (xm chosen in ${xmFolds}/${n.chosen.length} folds)` : ""}`,
    );
  }
  console.log(`  (combination, ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}
