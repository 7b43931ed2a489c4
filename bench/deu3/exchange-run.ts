/**
 * DEU III: the exchange model (src/bargain/exchange.ts) next to the compromise model on the same issues.
 * Exchanges happen between the issues of one proposal: the model runs once per proposal on every issue of it
 * on which some actor has a position (also issues without a coded outcome, which can still be traded), and is
 * scored on the issue sets of evaluate.ts. Issues alone in their proposal reduce to the compromise model.
 * Data rules as in evaluate.ts (DEU3_REFERENCE_RULES).
 * Run: npx tsx bench/deu3/exchange-run.ts
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { compromiseModel } from "../../src/bargain/baselines.js";
import { DEU3_REFERENCE_RULES, deu3IssueActors, readDeu3File } from "../../src/bargain/csv.js";
import { type ExchangeIssue, exchangeModel } from "../../src/bargain/exchange.js";
import { type IssueCase, issueSets, stats } from "./evaluate.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const data = readDeu3File(path.resolve(root, "../shared/fixtures/bargaining/deu3/deu3.csv"));
const sets = issueSets(data);

const byProposal = new Map<string, ExchangeIssue[]>();
for (const issue of data.issues) {
  const actors = deu3IssueActors(issue, DEU3_REFERENCE_RULES);
  if (actors.length === 0) continue;
  byProposal.set(issue.proposal, [...(byProposal.get(issue.proposal) ?? []), { id: issue.id, actors }]);
}

console.log("DEU III — exchange model vs compromise model, MAE on the 0–100 outcome scale");
console.log(
  `Model runs: ${byProposal.size} proposals, ${[...byProposal.values()].flat().length} issues with a position`,
);
for (const perIssue of ["once", "repeat"] as const) {
  const forecast = new Map<string, number>();
  let exchanges = 0;
  for (const issues of byProposal.values()) {
    const r = exchangeModel(issues, { perIssue });
    exchanges += r.exchanges.length;
    for (const o of r.outcomes) forecast.set(o.issue, o.position);
  }
  console.log(`\nperIssue = "${perIssue}": ${exchanges} exchanges`);
  for (const [name, cases] of [
    ["≥2 actors", sets.all],
    ["≥3 actors", sets.three],
    ["KTAB set", sets.ktabRuns],
  ] as const) {
    const mae = (f: (c: IssueCase) => number) => stats(cases.map((c) => Math.abs(f(c) - c.outcome))).mae;
    const comp = mae((c) => compromiseModel(c.actors).position);
    const exch = mae((c) => forecast.get(c.issue.id) as number);
    console.log(
      `  ${name.padEnd(10)} n=${String(cases.length).padStart(3)}  compromise MAE ${comp.toFixed(2)}  exchange MAE ${exch.toFixed(2)}`,
    );
  }
}
