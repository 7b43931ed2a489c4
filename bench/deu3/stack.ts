/**
 * The combined bargaining forecast on DEU III: the methods' forecasts per issue, the candidate
 * configurations, nested grouped cross-validation, a proposal bootstrap, and the final fit that
 * bench/deu3/fit.ts writes to src/bargain/combine-fit.json.
 *
 * Protocol (see src/bargain/combine.ts for the model):
 * - issues: the 253 DEU III issues on which every method runs (≥3 actors, not all at 0/100);
 * - outer CV: 10 folds grouped by legislative proposal (prnr), seed OUTER_SEED;
 * - in each outer training set, an inner 5-fold grouped CV (seed INNER_SEED) chooses the feature set,
 *   the loss and λ by mean absolute error; the chosen candidate is refitted on the outer training set
 *   and predicts the outer test fold; the conformal half-width comes from the inner out-of-fold
 *   residuals (training data only);
 * - every method and the combination are scored on the same issues; intervals by a bootstrap over
 *   proposals (BOOT draws, seed BOOT_SEED).
 */
import { compromiseModel, nashBargaining, weightedMedian } from "../../src/bargain/baselines.js";
import {
  type Candidate,
  COMBINE_VERSION,
  type CombineFit,
  type CombineIssue,
  type CombineMethod,
  clip100,
  conformalQuantile,
  type FeatureSpec,
  featureRanges,
  fitCombination,
  groupedFolds,
  predictCombination,
  type RawFeatures,
  rawFeatures,
  type SelectionRule,
  selectCandidate,
} from "../../src/bargain/combine.js";
import { DEU3_REFERENCE_RULES, type Deu3Data, deu3IssueActors } from "../../src/bargain/csv.js";
import { type ExchangeIssue, exchangeModel } from "../../src/bargain/exchange.js";
import { makeRng } from "../../src/random.js";
import { issueSets, ktabForecasts, scholzForecast } from "./evaluate.js";

export const OUTER_SEED = 20;
export const INNER_SEED = 2020;
export const OUTER_FOLDS = 10;
export const INNER_FOLDS = 5;
export const BOOT = 2000;
export const BOOT_SEED = 7;
/** How the inner CV chooses a candidate (see SelectionRule in src/bargain/combine.ts). */
export const SELECTION_RULE: SelectionRule = "1se";
export const DATA_NAME = "DEU III (Arregui & Perarnaud 2021), issues where every method runs";

/**
 * The exchange model's forecast of every DEU III issue: run once per proposal on all issues of it on which
 * some actor has a position (also issues without a coded outcome, which can still be traded), as in
 * bench/deu3/exchange-run.ts; default options (perIssue "once").
 */
export function exchangeForecasts(data: Deu3Data): Map<string, number> {
  const byProposal = new Map<string, ExchangeIssue[]>();
  for (const issue of data.issues) {
    const actors = deu3IssueActors(issue, DEU3_REFERENCE_RULES);
    if (actors.length === 0) continue;
    byProposal.set(issue.proposal, [...(byProposal.get(issue.proposal) ?? []), { id: issue.id, actors }]);
  }
  const out = new Map<string, number>();
  for (const issues of byProposal.values())
    for (const o of exchangeModel(issues).outcomes) out.set(o.issue, o.position);
  return out;
}

export interface StackRow {
  id: string;
  proposal: string;
  outcome: number;
  issue: CombineIssue;
  raw: RawFeatures;
}

/** The five (or more) methods' forecasts on each of the 253 issues, as combination rows. */
export function deu3StackRows(
  data: Deu3Data,
  methods: readonly CombineMethod[] = ["cm", "median", "nbs", "eum", "smp"],
): StackRow[] {
  const { ktabRuns } = issueSets(data);
  const xm = methods.includes("xm") ? exchangeForecasts(data) : undefined;
  return ktabRuns.map((c) => {
    const rp = c.issue.referencePoint;
    const forecasts: CombineIssue["forecasts"] = {
      cm: compromiseModel(c.actors).position,
      median: weightedMedian(c.actors).position,
      nbs: rp === null ? null : nashBargaining(c.actors, { disagreement: rp }).position,
    };
    if (methods.includes("eum")) forecasts.eum = scholzForecast(c);
    if (methods.includes("smp")) forecasts.smp = ktabForecasts(c).probabilityWeighted;
    if (xm) forecasts.xm = xm.get(c.issue.id) ?? null;
    const issue: CombineIssue = { actors: c.actors, reversion: rp, forecasts };
    return {
      id: c.issue.id,
      proposal: c.issue.proposal,
      outcome: c.outcome,
      issue,
      raw: rawFeatures(issue, methods),
    };
  });
}

const LAMBDAS = [0.3, 1, 3, 10, 30, 100, 300, 1000, 10000];

/** The candidate configurations searched by the inner CV (all in the table printed by run.ts). */
export function candidates(methods: readonly CombineMethod[]): Candidate[] {
  const sets: [string, CombineMethod[]][] = [["", methods.filter((m) => m !== "xm")]];
  if (methods.includes("xm")) sets.push(["+xm", [...methods]]);
  const even: FeatureSpec["even"] = ["spread", "salience", "hhi", "actors", "hasReversion"];
  const sums = ["mean", "salienceMean", "q25", "q75"];
  const none: string[] = [];
  const out: Candidate[] = [];
  for (const [tag, ms] of sets) {
    const odd = ["cm", ...ms.filter((m) => m !== "cm"), "reversion"];
    const specs: [string, FeatureSpec][] = [
      ["methods", { methods: ms, summaries: none, reversion: false, even: [], interactWith: [] }],
      ["methods+rp", { methods: ms, summaries: none, reversion: true, even: [], interactWith: [] }],
      [
        "methods+rp+issue×(cm,rp)",
        { methods: ms, summaries: none, reversion: true, even, interactWith: ["cm", "reversion"] },
      ],
      ["methods+rp+issue×all", { methods: ms, summaries: none, reversion: true, even, interactWith: odd }],
      ["methods+summaries+rp", { methods: ms, summaries: sums, reversion: true, even: [], interactWith: [] }],
      [
        "methods+summaries+rp+issue×(cm,rp)",
        { methods: ms, summaries: sums, reversion: true, even, interactWith: ["cm", "reversion"] },
      ],
    ];
    for (const [name, spec] of specs)
      for (const loss of ["squared", "absolute"] as const)
        for (const lambda of LAMBDAS)
          out.push({
            name: `${name.replace("methods", `methods${tag}`)} ${loss} λ=${lambda}`,
            spec,
            loss,
            lambda,
          });
  }
  return out;
}

export interface NestedResult {
  folds: number[];
  /** Combination's out-of-sample forecast per row, and its interval. */
  combined: number[];
  lo: number[];
  hi: number[];
  level: number;
  /** The candidate chosen in each outer fold. */
  chosen: string[];
}

/** Nested grouped CV of the combination (nothing fitted on the outer test fold). */
export function nestedCv(
  rows: readonly StackRow[],
  methods: readonly CombineMethod[],
  level = 0.9,
  rule: SelectionRule = SELECTION_RULE,
  cands: Candidate[] = candidates(methods),
): NestedResult {
  const folds = groupedFolds(
    rows.map((r) => r.proposal),
    OUTER_FOLDS,
    OUTER_SEED,
  );
  const n = rows.length;
  const combined = new Array<number>(n).fill(Number.NaN);
  const lo = [...combined];
  const hi = [...combined];
  const chosen: string[] = [];
  for (let f = 0; f < OUTER_FOLDS; f++) {
    const tr = rows.filter((_, i) => folds[i] !== f);
    const sel = selectCandidate(
      tr.map((r) => r.raw),
      tr.map((r) => r.outcome),
      tr.map((r) => r.proposal),
      cands,
      INNER_FOLDS,
      INNER_SEED,
      rule,
    );
    chosen.push(sel.best.name);
    const fit = fitCombination(
      tr.map((r) => r.raw),
      tr.map((r) => r.outcome),
      sel.best.spec,
      sel.best.loss,
      sel.best.lambda,
    );
    const q = conformalQuantile(sel.residuals, level);
    rows.forEach((r, i) => {
      if (folds[i] !== f) return;
      const p = predictCombination(fit, r.raw);
      combined[i] = p;
      lo[i] = clip100(p - q);
      hi[i] = clip100(p + q);
    });
  }
  return { folds, combined, lo, hi, level, chosen };
}

/** Percentile bootstrap over groups of the mean of per-row values (and of paired differences). */
export function groupBootstrap(
  groups: readonly string[],
  values: readonly number[][],
  draws = BOOT,
  seed = BOOT_SEED,
): { mean: number[]; lo: number[]; hi: number[] } {
  const distinct = [...new Set(groups)].sort();
  const idx = new Map(distinct.map((g) => [g, [] as number[]]));
  groups.forEach((g, i) => idx.get(g)?.push(i));
  const members = distinct.map((g) => idx.get(g) as number[]);
  const rng = makeRng(seed);
  const k = values.length;
  const samples: number[][] = Array.from({ length: k }, () => []);
  for (let b = 0; b < draws; b++) {
    const sum = new Array<number>(k).fill(0);
    let count = 0;
    for (let g = 0; g < members.length; g++) {
      const m = members[rng.int(0, members.length - 1)];
      for (const i of m) for (let j = 0; j < k; j++) sum[j] += values[j][i];
      count += m.length;
    }
    for (let j = 0; j < k; j++) samples[j].push(sum[j] / count);
  }
  const q = (s: number[], p: number) => {
    const t = [...s].sort((a, b) => a - b);
    const h = (t.length - 1) * p;
    const a = Math.floor(h);
    return t[a] + (t[Math.min(a + 1, t.length - 1)] - t[a]) * (h - a);
  };
  return {
    mean: values.map((v) => v.reduce((s, x) => s + x, 0) / v.length),
    lo: samples.map((s) => q(s, 0.025)),
    hi: samples.map((s) => q(s, 0.975)),
  };
}

/** The shipped fit: candidate chosen by 10-fold grouped CV on all rows, refitted on all rows. */
export function fitShipped(rows: readonly StackRow[], methods: readonly CombineMethod[]): CombineFit {
  const raw = rows.map((r) => r.raw);
  const y = rows.map((r) => r.outcome);
  const sel = selectCandidate(
    raw,
    y,
    rows.map((r) => r.proposal),
    candidates(methods),
    OUTER_FOLDS,
    OUTER_SEED,
    SELECTION_RULE,
  );
  const c = sel.best;
  const fit = fitCombination(raw, y, c.spec, c.loss, c.lambda);
  const cmMae = rows.reduce((s, r) => s + Math.abs(r.outcome - r.raw.cm), 0) / rows.length;
  const residuals = [...sel.residuals].sort((a, b) => a - b);
  const quantiles: Record<string, number> = {};
  for (const l of [0.5, 0.8, 0.9, 0.95]) quantiles[String(l)] = conformalQuantile(residuals, l);
  return {
    version: COMBINE_VERSION,
    data: { name: DATA_NAME, rows: rows.length, groups: new Set(rows.map((r) => r.proposal)).size },
    seed: OUTER_SEED,
    folds: OUTER_FOLDS,
    methods: [...methods],
    candidate: c.name,
    spec: c.spec,
    loss: c.loss,
    lambda: c.lambda,
    columns: fit.columns,
    scale: fit.scale,
    coef: fit.coef,
    stats: fit.stats,
    cv: { mae: sel.scores.find((s) => s.name === c.name)?.mae ?? Number.NaN, compromiseMae: cmMae },
    conformal: { residuals, quantiles },
    ranges: featureRanges(raw, methods),
  };
}

const METHOD_LABEL: Record<CombineMethod, string> = {
  cm: "compromise (GDP×salience)",
  median: "weighted median",
  nbs: "Nash bargaining (no rp → compromise)",
  eum: "Scholz EUM (10 rounds, mean)",
  smp: "KTAB SMP (probability-weighted)",
  xm: "exchange model (Stokman)",
};

/** The cross-validated table: every method and the combination on the same issues and folds. */
export function reportCombination(
  rows: readonly StackRow[],
  methods: readonly CombineMethod[],
  nested: NestedResult = nestedCv(rows, methods),
): string[] {
  const lines: string[] = [];
  const groups = rows.map((r) => r.proposal);
  const err = (p: (r: StackRow, i: number) => number) => rows.map((r, i) => Math.abs(r.outcome - p(r, i)));
  const cols: [string, number[]][] = methods.map((m) => [METHOD_LABEL[m], err((r) => r.raw[m])]);
  const comb = err((_, i) => nested.combined[i]);
  cols.push(["combination (stacked, nested CV)", comb]);
  const cm = cols[0][1]; // methods[0] is cm
  const diff = comb.map((e, i) => e - cm[i]);
  const b = groupBootstrap(groups, [...cols.map(([, e]) => e), diff]);
  const nProp = new Set(groups).size;
  lines.push(
    `${rows.length} issues, ${nProp} proposals; ${OUTER_FOLDS} folds grouped by proposal (seed ${OUTER_SEED}); inner ${INNER_FOLDS}-fold grouped CV (seed ${INNER_SEED})`,
    `chooses the feature set, loss and λ; 95 % intervals: percentile bootstrap over proposals (${BOOT} draws, seed ${BOOT_SEED}).`,
  );
  const fmt = (v: number) => v.toFixed(2).padStart(6);
  cols.forEach(([name, e], j) => {
    const within = e.filter((x) => x <= 10 + 1e-9).length / e.length;
    lines.push(
      `${name.padEnd(44)} MAE ${fmt(b.mean[j])}  [${fmt(b.lo[j])}, ${fmt(b.hi[j])}]  within 10: ${(100 * within).toFixed(1).padStart(5)}%`,
    );
  });
  const k = cols.length;
  lines.push(
    `${"difference combination − compromise".padEnd(44)} MAE ${b.mean[k] >= 0 ? "+" : "−"}${Math.abs(b.mean[k]).toFixed(2).padStart(5)}  [${fmt(b.lo[k])}, ${fmt(b.hi[k])}]`,
  );
  const inside = rows.filter((r, i) => r.outcome >= nested.lo[i] - 1e-9 && r.outcome <= nested.hi[i] + 1e-9);
  const width = rows.reduce((s, _, i) => s + nested.hi[i] - nested.lo[i], 0) / rows.length;
  const cov = groupBootstrap(groups, [
    rows.map((r, i) => (r.outcome >= nested.lo[i] - 1e-9 && r.outcome <= nested.hi[i] + 1e-9 ? 1 : 0)),
  ]);
  lines.push(
    `${`${Math.round(nested.level * 100)} % conformal interval: coverage`.padEnd(44)}     ${(100 * (inside.length / rows.length)).toFixed(1).padStart(5)}%  [${(100 * cov.lo[0]).toFixed(1)}, ${(100 * cov.hi[0]).toFixed(1)}]  mean width ${width.toFixed(1)} (clipped to 0–100)`,
  );
  const counts = new Map<string, number>();
  for (const c of nested.chosen) counts.set(c, (counts.get(c) ?? 0) + 1);
  lines.push(
    `chosen per outer fold: ${[...counts.entries()]
      .sort((x, y) => y[1] - x[1])
      .map(([c, n]) => `${c} (${n})`)
      .join("; ")}`,
  );
  return lines;
}

/** The methods the shipped fit uses (chosen by the nested CV in run.ts). */
export const FIT_METHODS: CombineMethod[] = ["cm", "median", "nbs", "eum", "smp"];
