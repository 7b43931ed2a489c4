// Fits the drafts' confidence (src/evidence/confidence.ts) to the hand labels: each draft of the
// chosen sets is a row of its signals and whether a label accepts it (score.ts), and an
// L2-regularised logistic regression (logistic.ts) gives the weights. The penalty λ is chosen by
// cross-validation grouped by article (no article on both sides), on log-loss. Writes
// src/evidence/confidence-fit.json unless --check, with the scale on unseen text set again for the
// new weights (shift.ts).
//
//   npx tsx bench/ingest/fit-confidence.ts                   # fit on dev + heldout, write
//   npx tsx bench/ingest/fit-confidence.ts --check           # print only
//   npx tsx bench/ingest/fit-confidence.ts --sets dev        # fit on some sets
//   npx tsx bench/ingest/fit-confidence.ts --score heldout2  # the shipped fit on another set
//
// Prints, per λ, the grouped-CV log-loss; then for the chosen fit the log-loss, Brier score and
// AUC against the base rate, in sample and cross-validated, and the weights.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type ConfidenceFit, FIT, SIGNALS } from "../../src/evidence/confidence.js";
import { auc, brier, fitLogistic, logLoss, predict } from "./logistic.js";
import { scoreArticle } from "./score.js";
import { loadSet, root, seedModel } from "./sets.js";
import { readFirstLooks, unseenBlock } from "./shift.js";

const args = process.argv.slice(2);
const opt = (name: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const check = args.includes("--check");
const scoreOnly = opt("--score");
const sets = (scoreOnly ?? opt("--sets") ?? "dev,heldout").split(",");
const LAMBDAS = [0.01, 0.1, 0.3, 1, 3, 10];
const FOLDS = 5;

function fail(problems: string[]): never {
  for (const p of problems) console.error(`error: ${p}`);
  process.exit(1);
}

interface Row {
  group: string;
  x: number[];
  y: number;
}
const seed = seedModel();
if (!seed.model) fail(seed.problems);
const rows: Row[] = [];
for (const name of sets) {
  const loaded = loadSet(name, seed.model);
  if (!loaded.set) fail(loaded.problems);
  for (const file of loaded.set.files) {
    const out = loaded.set.ingest(file);
    const verdicts = scoreArticle(loaded.set.byFile.get(file)!, out).verdicts;
    out.raw.drafts.forEach((d, i) => {
      if (!d.signals) return;
      rows.push({
        group: `${name}/${file}`,
        x: SIGNALS.map((k) => d.signals![k]),
        y: verdicts[i] >= 0 ? 1 : 0,
      });
    });
  }
}
if (rows.length === 0) fail(["no drafts to fit"]);
const ys = rows.map((r) => r.y);
const rate = ys.reduce((s, v) => s + v, 0) / ys.length;
const f3 = (v: number) => v.toFixed(3);

function report(label: string, p: number[], y: number[]) {
  const base = y.map(() => rate);
  console.log(
    `${label.padEnd(26)} log-loss ${f3(logLoss(p, y))} (base rate ${f3(logLoss(base, y))}) · Brier ${f3(brier(p, y))} (${f3(brier(base, y))}) · AUC ${f3(auc(p, y))}`,
  );
}

console.log(
  `${rows.length} drafts from ${sets.join(" + ")}, ${ys.filter(Boolean).length} accepted (${f3(rate)})`,
);

if (scoreOnly) {
  const fit = { intercept: FIT.intercept, weights: SIGNALS.map((k) => FIT.weights[k]), iterations: 0 };
  report(
    `shipped fit (${FIT.trainedOn.join(" + ") || "none"})`,
    rows.map((r) => predict(fit, r.x)),
    ys,
  );
  process.exit(0);
}

// Folds by article, assigned in a fixed order (sorted group names, round robin).
const groups = [...new Set(rows.map((r) => r.group))].sort();
const foldOf = new Map(groups.map((g, i) => [g, i % FOLDS]));

function cv(lambda: number): number[] {
  const p = new Array<number>(rows.length).fill(rate);
  for (let k = 0; k < FOLDS; k++) {
    const train = rows.filter((r) => foldOf.get(r.group) !== k);
    const fit = fitLogistic(
      train.map((r) => r.x),
      train.map((r) => r.y),
      lambda,
    );
    rows.forEach((r, i) => {
      if (foldOf.get(r.group) === k) p[i] = predict(fit, r.x);
    });
  }
  return p;
}

let best = { lambda: LAMBDAS[0], loss: Number.POSITIVE_INFINITY, p: [] as number[] };
for (const lambda of LAMBDAS) {
  const p = cv(lambda);
  const loss = logLoss(p, ys);
  console.log(`λ ${String(lambda).padEnd(5)} grouped ${FOLDS}-fold CV log-loss ${f3(loss)}`);
  if (loss < best.loss) best = { lambda, loss, p };
}
const fit = fitLogistic(
  rows.map((r) => r.x),
  ys,
  best.lambda,
);
console.log(`chosen λ = ${best.lambda}`);
report(
  "in sample",
  rows.map((r) => predict(fit, r.x)),
  ys,
);
report("grouped CV", best.p, ys);
const old = { intercept: FIT.intercept, weights: SIGNALS.map((k) => FIT.weights[k]), iterations: 0 };
report(
  "shipped fit, in sample",
  rows.map((r) => predict(old, r.x)),
  ys,
);
console.log(
  `intercept ${fit.intercept.toFixed(3)} · ${SIGNALS.map((k, i) => `${k} ${fit.weights[i].toFixed(3)}`).join(" · ")}`,
);

if (!check) {
  const out: ConfidenceFit = {
    about:
      "Weights of the drafts' confidence (src/evidence/confidence.ts): an L2-regularised logistic regression of whether a hand label accepts a draft, on its signals. Written by bench/ingest/fit-confidence.ts.",
    trainedOn: sets,
    drafts: rows.length,
    accepted: ys.filter(Boolean).length,
    lambda: best.lambda,
    intercept: Math.round(fit.intercept * 1e4) / 1e4,
    weights: Object.fromEntries(
      SIGNALS.map((k, i) => [k, Math.round(fit.weights[i] * 1e4) / 1e4]),
    ) as ConfidenceFit["weights"],
  };
  // The scale on unseen text depends on the weights: set it again for the new ones (shift.ts).
  out.unseen = unseenBlock(out, readFirstLooks());
  console.log(`unseen shift ${out.unseen.shift} from ${out.unseen.drafts} first-look drafts`);
  const path = join(root, "src", "evidence", "confidence-fit.json");
  writeFileSync(path, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`wrote ${path}`);
}
