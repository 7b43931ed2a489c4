/**
 * One bargaining forecast an analyst can quote: a stacked combination of the methods' forecasts,
 * corrected by features of the issue, with a conformal predictive interval and a check of how far
 * the issue lies from the data the combination learned from. Pure functions, seeded, deterministic.
 *
 * References.
 * - Stacking: D. H. Wolpert (1992), "Stacked generalization", Neural Networks 5, 241–259;
 *   L. Breiman (1996), "Stacked regressions", Machine Learning 24, 49–64.
 * - Ridge regression: A. E. Hoerl & R. W. Kennard (1970), Technometrics 12, 55–67. The absolute-loss
 *   variant is least-absolute-deviation regression with a ridge penalty, solved by iteratively
 *   reweighted least squares (IRLS; Schlossmacher 1973).
 * - Conformal prediction: V. Vovk, A. Gammerman & G. Shafer (2005), "Algorithmic Learning in a Random
 *   World"; split/inductive conformal as in J. Lei, M. G'Sell, A. Rinaldo, R. Tibshirani &
 *   L. Wasserman (2018), JASA 113, 1094–1111; the cross-validation variant used here is the one
 *   studied by R. F. Barber, E. J. Candès, A. Ramdas & R. J. Tibshirani (2021), "Predictive inference
 *   with the jackknife+", Annals of Statistics 49, 486–507 (their "CV" interval; CV+ is its
 *   guaranteed cousin).
 *
 * The model. Everything is on a 0–100 scale (a model's issue is rescaled to it and back). Let cm be
 * the compromise forecast (clout × salience weighted mean). The combination predicts the correction
 * y − cm linearly, with no intercept:
 *
 *     ŷ = clip( cm + Σ_j β_j z_j , 0, 100 ),
 *
 * where the columns z_j are "odd" features – they change sign when the scale is flipped
 * (x → 100 − x): cm − 50, every other method's deviation from cm (f_k − cm), the reversion point's
 * gap to cm (0 when the issue has none) – optionally multiplied by standardised "even" issue
 * features that do not depend on the scale's direction (spread of positions, mean salience, clout
 * concentration HHI, number of actors, whether a reversion point is known). So the forecast is
 * equivariant under flipping the scale: which end of an issue is 0 is a coding choice and must not
 * change the forecast, and a model's issues are coded independently of EU legislation's habits.
 * With β = 0 the combination is the compromise model; the ridge penalty shrinks toward it.
 *
 * Columns are scaled by their root mean square on the training data (not centred: centring needs an
 * intercept, which would break the equivariance). The fit minimises
 *     squared loss:   ½ Σ_i (r_i)² + ½ λ ‖β‖²,  solved by (ZᵀZ + λI) β = Zᵀ(y − cm) (Cholesky);
 *     absolute loss:  Σ_i |r_i| + ½ λ ‖β‖²,  by IRLS: repeat (ZᵀWZ + λI) β = ZᵀW(y − cm) with
 *                     W = diag(1 / max(|r_i|, δ)) – the majoriser |r| ≤ r²/(2|r₀|) + |r₀|/2.
 * The feature set, the loss and λ are hyper-parameters chosen by grouped cross-validation (mean
 * absolute error of the held-out issues).
 *
 * The interval. With the chosen hyper-parameters, every training issue gets an out-of-fold residual
 * R_i = |y_i − ŷ_{−k(i)}(x_i)| (fitted without its fold). For level 1 − α the half-width is
 *     q = the ⌈(n + 1)(1 − α)⌉-th smallest R_i   (∞ if that exceeds n),
 * and the interval is [ŷ − q, ŷ + q] clipped to the scale (clipping changes nothing for outcomes on
 * the scale). Under exchangeability of the issues this is the CV conformal interval of Barber et al.
 *
 * Extrapolation. The fit stores the training data's range, mean and standard deviation of every raw
 * feature; an issue gets its root-mean-square standardised distance and warnings for the number of
 * actors outside the training range, features outside their range and a large distance.
 */
import { makeRng } from "../random.js";
import shippedJson from "./combine-fit.json" with { type: "json" };
import type { IssueActor } from "./types.js";

export const COMBINE_VERSION = "bargain-combine/1.1.0";

/** The methods a combination can use (xm = exchange model, when present). */
export const COMBINE_METHODS = ["cm", "median", "nbs", "eum", "smp", "xm"] as const;
export type CombineMethod = (typeof COMBINE_METHODS)[number];

/** One issue on the 0–100 scale: its actors, its reversion point if known, and the methods' forecasts. */
export interface CombineIssue {
  actors: readonly IssueActor[];
  reversion?: number | null;
  forecasts: Partial<Record<CombineMethod, number | null>>;
}

/** Raw (unstandardised) features of one issue; method forecasts are under their method's name. */
export type RawFeatures = Record<string, number>;

/** The scale-direction-free ("even") issue features. */
export const EVEN_FEATURES = ["spread", "salience", "hhi", "actors", "hasReversion"] as const;

/**
 * Raw features of an issue on 0–100:
 * - `cm`…`xm`: the methods' forecasts (nbs falls back to cm without a reversion point);
 * - `spread`: standard deviation of the actors' positions (unweighted, population);
 * - `salience`: mean salience (0–1);
 * - `hhi`: Herfindahl–Hirschman index of clout shares (1/n … 1);
 * - `actors`: number of actors;
 * - `mean`, `salienceMean`: the unweighted and the salience-weighted mean position;
 * - `q25`, `q75`: the clout × salience weighted quartiles of the positions;
 * - `hasReversion`: 1 if a reversion point is known, else 0; `reversion`: it (cm when unknown);
 * - `reversionGap`: reversion − cm (0 when unknown); `reversionDistance`: |reversionGap|.
 */
export function rawFeatures(issue: CombineIssue, methods: readonly CombineMethod[]): RawFeatures {
  const a = issue.actors;
  const n = a.length;
  const cm = issue.forecasts.cm;
  if (cm === undefined || cm === null || !Number.isFinite(cm))
    throw new Error("rawFeatures: the compromise forecast (cm) is required");
  const out: RawFeatures = {};
  for (const m of methods) {
    const v = issue.forecasts[m];
    if (v !== undefined && v !== null && Number.isFinite(v)) out[m] = v;
    else if (m === "nbs") out[m] = cm;
    else throw new Error(`rawFeatures: the ${m} forecast is missing`);
  }
  const mean = a.reduce((s, x) => s + x.position, 0) / n;
  out.spread = Math.sqrt(a.reduce((s, x) => s + (x.position - mean) ** 2, 0) / n);
  out.salience = a.reduce((s, x) => s + x.salience, 0) / n;
  const clout = a.reduce((s, x) => s + Math.max(0, x.clout), 0);
  out.hhi = clout > 0 ? a.reduce((s, x) => s + (Math.max(0, x.clout) / clout) ** 2, 0) : 1 / n;
  out.actors = n;
  // Other weightings of the positions (odd summaries, used as deviations from cm).
  out.mean = mean;
  const sal = a.reduce((s, x) => s + x.salience, 0);
  out.salienceMean = sal > 0 ? a.reduce((s, x) => s + x.salience * x.position, 0) / sal : mean;
  const sorted = a
    .map((x) => ({ x: x.position, w: Math.max(0, x.clout) * x.salience }))
    .sort((u, v) => u.x - v.x);
  const total = sorted.reduce((s, u) => s + u.w, 0);
  const wq = (p: number): number => {
    if (!(total > 0)) return mean;
    let c = 0;
    for (const u of sorted) {
      c += u.w;
      if (c >= p * total - 1e-12) return u.x;
    }
    return sorted[sorted.length - 1].x;
  };
  out.q25 = wq(0.25);
  out.q75 = wq(0.75);
  const rp = issue.reversion;
  const has = rp !== undefined && rp !== null && Number.isFinite(rp);
  out.hasReversion = has ? 1 : 0;
  out.reversion = has ? (rp as number) : cm;
  out.reversionGap = has ? (rp as number) - cm : 0;
  out.reversionDistance = Math.abs(out.reversionGap);
  return out;
}

/** Which columns a combination uses. */
export interface FeatureSpec {
  /** Methods whose deviation from cm is a column (cm itself enters as cm − 50). */
  methods: CombineMethod[];
  /** Include the reversion gap (reversion − cm) as a column. */
  reversion: boolean;
  /** Other position summaries whose deviation from cm is a column (mean, salienceMean, q25, q75). */
  summaries: string[];
  /** Even features multiplied into the odd columns named in `interactWith`. */
  even: (typeof EVEN_FEATURES)[number][];
  /** Odd columns that get the interactions: "cm" (cm − 50), "reversion", or a method. */
  interactWith: string[];
}

/** Mean and standard deviation of the even features, for standardising them. */
export interface EvenStats {
  mean: Record<string, number>;
  sd: Record<string, number>;
}

export function evenStats(rows: readonly RawFeatures[]): EvenStats {
  const mean: Record<string, number> = {};
  const sd: Record<string, number> = {};
  for (const f of EVEN_FEATURES) {
    const v = rows.map((r) => r[f]);
    const m = v.reduce((s, x) => s + x, 0) / v.length;
    const s = Math.sqrt(v.reduce((t, x) => t + (x - m) ** 2, 0) / v.length);
    mean[f] = m;
    sd[f] = s > 1e-12 ? s : 1;
  }
  return { mean, sd };
}

/** The odd base columns of a spec (name → value). */
function oddColumns(raw: RawFeatures, spec: FeatureSpec): [string, number][] {
  const cm = raw.cm;
  const cols: [string, number][] = [["cm", cm - 50]];
  for (const m of spec.methods) if (m !== "cm") cols.push([m, raw[m] - cm]);
  for (const f of spec.summaries) cols.push([f, raw[f] - cm]);
  if (spec.reversion) cols.push(["reversion", raw.reversionGap]);
  return cols;
}

/** Column names of a spec, in design-row order. */
export function columnNames(spec: FeatureSpec): string[] {
  const odd = [
    "cm",
    ...spec.methods.filter((m) => m !== "cm"),
    ...spec.summaries,
    ...(spec.reversion ? ["reversion"] : []),
  ];
  const names = [...odd];
  for (const o of odd) if (spec.interactWith.includes(o)) for (const e of spec.even) names.push(`${o}×${e}`);
  return names;
}

/** One design row (unscaled): odd columns, then odd × standardised even interactions. */
export function designRow(raw: RawFeatures, spec: FeatureSpec, stats: EvenStats): number[] {
  const odd = oddColumns(raw, spec);
  const row = odd.map(([, v]) => v);
  for (const [name, v] of odd)
    if (spec.interactWith.includes(name))
      for (const e of spec.even) row.push(v * ((raw[e] - stats.mean[e]) / stats.sd[e]));
  return row;
}

// ---------------------------------------------------------------------------------------------
// Linear algebra (small dense systems).

/** Solves A x = b for a symmetric positive definite A by Cholesky (A is not modified). */
export function choleskySolve(A: readonly number[][], b: readonly number[]): number[] {
  const n = b.length;
  const L = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i][j];
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      if (i === j) {
        if (!(s > 0)) throw new Error("choleskySolve: matrix is not positive definite");
        L[i][i] = Math.sqrt(s);
      } else L[i][j] = s / L[j][j];
    }
  }
  const z = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i][k] * z[k];
    z[i] = s / L[i][i];
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < n; k++) s -= L[k][i] * x[k];
    x[i] = s / L[i][i];
  }
  return x;
}

/** Weighted ridge: argmin ½ Σ w_i (y_i − x_iᵀβ)² + ½ λ ‖β‖², by the normal equations. */
export function ridge(
  X: readonly number[][],
  y: readonly number[],
  lambda: number,
  w?: readonly number[],
): number[] {
  const p = X[0]?.length ?? 0;
  const A = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const b = new Array<number>(p).fill(0);
  X.forEach((x, i) => {
    const wi = w ? w[i] : 1;
    for (let j = 0; j < p; j++) {
      b[j] += wi * x[j] * y[i];
      for (let k = 0; k <= j; k++) A[j][k] += wi * x[j] * x[k];
    }
  });
  for (let j = 0; j < p; j++) {
    for (let k = 0; k < j; k++) A[k][j] = A[j][k];
    A[j][j] += lambda + 1e-10;
  }
  return choleskySolve(A, b);
}

/** Ridge-penalised least absolute deviations by IRLS (fixed iteration count: deterministic). */
export function ridgeLad(
  X: readonly number[][],
  y: readonly number[],
  lambda: number,
  options: { iterations?: number; delta?: number } = {},
): number[] {
  const iterations = options.iterations ?? 60;
  const delta = options.delta ?? 1e-3;
  let beta = ridge(X, y, lambda);
  for (let it = 0; it < iterations; it++) {
    const w = X.map((x, i) => 1 / Math.max(Math.abs(y[i] - dot(x, beta)), delta));
    const next = ridge(X, y, lambda, w);
    const change = next.reduce((s, v, j) => Math.max(s, Math.abs(v - beta[j])), 0);
    beta = next;
    if (change < 1e-9) break;
  }
  return beta;
}

export function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

// ---------------------------------------------------------------------------------------------
// Fitting, cross-validation, conformal quantiles.

export type Loss = "squared" | "absolute";

/** A fitted linear correction to the compromise model. */
export interface LinearCombination {
  spec: FeatureSpec;
  loss: Loss;
  lambda: number;
  columns: string[];
  /** Column scales (root mean square on the training data). */
  scale: number[];
  /** Coefficients on the scaled columns. */
  coef: number[];
  stats: EvenStats;
}

export const clip100 = (v: number): number => Math.min(100, Math.max(0, v));

/** Fits the combination on raw feature rows and outcomes (0–100). */
export function fitCombination(
  rows: readonly RawFeatures[],
  outcomes: readonly number[],
  spec: FeatureSpec,
  loss: Loss,
  lambda: number,
): LinearCombination {
  const stats = evenStats(rows);
  const X = rows.map((r) => designRow(r, spec, stats));
  const p = X[0].length;
  const scale = new Array<number>(p).fill(0);
  for (const x of X) for (let j = 0; j < p; j++) scale[j] += x[j] * x[j];
  for (let j = 0; j < p; j++) {
    const s = Math.sqrt(scale[j] / X.length);
    scale[j] = s > 1e-12 ? s : 1;
  }
  const Z = X.map((x) => x.map((v, j) => v / scale[j]));
  const t = rows.map((r, i) => outcomes[i] - r.cm);
  const coef = loss === "squared" ? ridge(Z, t, lambda) : ridgeLad(Z, t, lambda);
  return { spec, loss, lambda, columns: columnNames(spec), scale, coef, stats };
}

/** The combination's forecast (0–100, clipped). */
export function predictCombination(fit: LinearCombination, raw: RawFeatures): number {
  const x = designRow(raw, fit.spec, fit.stats);
  let s = raw.cm;
  for (let j = 0; j < x.length; j++) s += fit.coef[j] * (x[j] / fit.scale[j]);
  return clip100(s);
}

/**
 * Folds grouped by a key (e.g. the legislative proposal): the distinct groups are shuffled with the
 * seed (Fisher–Yates on makeRng(seed)) and each, in that order, goes to the fold with the fewest rows
 * so far (lowest index on ties). Returns the fold (0…k−1) of every row; rows of a group share a fold.
 */
export function groupedFolds(groups: readonly string[], k: number, seed: number): number[] {
  const distinct = [...new Set(groups)].sort();
  if (k < 2 || k > distinct.length) throw new Error(`groupedFolds: need 2 ≤ k ≤ ${distinct.length} groups`);
  const rng = makeRng(seed);
  for (let i = distinct.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [distinct[i], distinct[j]] = [distinct[j], distinct[i]];
  }
  const size = new Map<string, number>();
  for (const g of groups) size.set(g, (size.get(g) ?? 0) + 1);
  const load = new Array<number>(k).fill(0);
  const foldOf = new Map<string, number>();
  for (const g of distinct) {
    let best = 0;
    for (let f = 1; f < k; f++) if (load[f] < load[best]) best = f;
    foldOf.set(g, best);
    load[best] += size.get(g) ?? 0;
  }
  return groups.map((g) => foldOf.get(g) as number);
}

/**
 * Conformal half-width for level 1 − α from absolute held-out residuals: the ⌈(n + 1)(1 − α)⌉-th
 * smallest (Infinity if that rank exceeds n).
 */
export function conformalQuantile(absResiduals: readonly number[], level: number): number {
  if (!(level > 0 && level < 1)) throw new Error("conformalQuantile: level must be in (0, 1)");
  const s = [...absResiduals].sort((a, b) => a - b);
  const rank = Math.ceil((s.length + 1) * level);
  return rank > s.length ? Number.POSITIVE_INFINITY : s[rank - 1];
}

/** One candidate configuration of the combination. */
export interface Candidate {
  name: string;
  spec: FeatureSpec;
  loss: Loss;
  lambda: number;
}

/** Out-of-fold predictions of one candidate over given folds. */
export function outOfFold(
  rows: readonly RawFeatures[],
  outcomes: readonly number[],
  folds: readonly number[],
  c: Candidate,
): number[] {
  const k = Math.max(...folds) + 1;
  const pred = new Array<number>(rows.length).fill(Number.NaN);
  for (let f = 0; f < k; f++) {
    const tr = rows.flatMap((_, i) => (folds[i] === f ? [] : [i]));
    const te = rows.flatMap((_, i) => (folds[i] === f ? [i] : []));
    if (te.length === 0) continue;
    const fit = fitCombination(
      tr.map((i) => rows[i]),
      tr.map((i) => outcomes[i]),
      c.spec,
      c.loss,
      c.lambda,
    );
    for (const i of te) pred[i] = predictCombination(fit, rows[i]);
  }
  return pred;
}

export interface Selection {
  best: Candidate;
  /** Cross-validated MAE of every candidate, in the candidates' order. */
  scores: { name: string; mae: number }[];
  /** Out-of-fold absolute residuals of the best candidate (for the conformal quantile). */
  residuals: number[];
}

/**
 * How a candidate is chosen from its grouped-CV MAE:
 * - "min": the lowest MAE (first on ties);
 * - "1se": the one-standard-error rule (Breiman, Friedman, Olshen & Stone 1984; Hastie, Tibshirani &
 *   Friedman 2009, §7.10): the simplest candidate whose MAE is within one standard error of the
 *   lowest, the standard error being the sd of the lowest candidate's K fold MAEs over √K. Simplest =
 *   fewest columns, then the largest λ (closest to the compromise model), then absolute loss.
 */
export type SelectionRule = "min" | "1se";

/** Chooses a candidate by grouped cross-validation (see SelectionRule). */
export function selectCandidate(
  rows: readonly RawFeatures[],
  outcomes: readonly number[],
  groups: readonly string[],
  candidates: readonly Candidate[],
  k: number,
  seed: number,
  rule: SelectionRule = "min",
): Selection {
  const folds = groupedFolds(groups, k, seed);
  const all = candidates.map((c) => {
    const pred = outOfFold(rows, outcomes, folds, c);
    const res = pred.map((p, i) => Math.abs(outcomes[i] - p));
    const mae = res.reduce((s, v) => s + v, 0) / res.length;
    const foldMae = Array.from({ length: k }, (_, f) => {
      const r = res.filter((_, i) => folds[i] === f);
      return r.reduce((s, v) => s + v, 0) / r.length;
    });
    return { c, mae, res, foldMae };
  });
  let best = 0;
  for (let i = 1; i < all.length; i++) if (all[i].mae < all[best].mae - 1e-12) best = i;
  let chosen = best;
  if (rule === "1se") {
    const fm = all[best].foldMae;
    const m = fm.reduce((s, v) => s + v, 0) / k;
    const se = Math.sqrt(fm.reduce((s, v) => s + (v - m) ** 2, 0) / (k - 1) / k);
    const complexity = (x: (typeof all)[number]) => columnNames(x.c.spec).length;
    for (let i = 0; i < all.length; i++) {
      if (all[i].mae > all[best].mae + se + 1e-12) continue;
      const a = all[i];
      const b = all[chosen];
      const simpler =
        complexity(a) < complexity(b) ||
        (complexity(a) === complexity(b) &&
          (a.c.lambda > b.c.lambda ||
            (a.c.lambda === b.c.lambda && a.c.loss === "absolute" && b.c.loss !== "absolute")));
      if (simpler) chosen = i;
    }
  }
  return {
    best: all[chosen].c,
    scores: all.map((x) => ({ name: x.c.name, mae: x.mae })),
    residuals: all[chosen].res,
  };
}

// ---------------------------------------------------------------------------------------------
// The shipped fit and its use.

/** Range, mean and standard deviation of one raw feature on the training data. */
export interface FeatureRange {
  min: number;
  max: number;
  mean: number;
  sd: number;
}

/** The fitted combination as shipped (src/bargain/combine-fit.json, written by bench/deu3/fit.ts). */
export interface CombineFit extends LinearCombination {
  version: string;
  data: { name: string; rows: number; groups: number };
  seed: number;
  folds: number;
  /** Methods whose forecasts the fit needs. */
  methods: CombineMethod[];
  candidate: string;
  /** Cross-validated MAE of the chosen candidate (same folds) and of the compromise. */
  cv: { mae: number; compromiseMae: number };
  /** Sorted out-of-fold absolute residuals, and the half-widths at the usual levels. */
  conformal: { residuals: number[]; quantiles: Record<string, number> };
  ranges: Record<string, FeatureRange>;
}

/** The raw features checked for extrapolation. */
export const EXTRAPOLATION_FEATURES = ["spread", "salience", "hhi", "actors", "reversionDistance"] as const;

export interface Extrapolation {
  /** Root mean square of the standardised distances of the checked features from the training means. */
  distance: number;
  /** Features outside the training range, with their value and the range. */
  outside: { feature: string; value: number; min: number; max: number }[];
  warnings: string[];
}

const FEATURE_LABEL: Record<string, string> = {
  spread: "spread of positions (sd on 0–100)",
  salience: "mean salience",
  hhi: "clout concentration (HHI)",
  actors: "number of actors",
  reversionDistance: "distance from reversion point to compromise (0–100)",
};

/** The checked values of an issue: the even features, the reversion distance and each method's deviation from cm. */
export function extrapolationValues(raw: RawFeatures, methods: readonly CombineMethod[]): [string, number][] {
  const out: [string, number][] = EXTRAPOLATION_FEATURES.map((f) => [f, raw[f]]);
  for (const m of methods) if (m !== "cm") out.push([`${m}-cm`, raw[m] - raw.cm]);
  return out;
}

/** How far an issue lies from the fit's training data; warns when extrapolating. */
export function extrapolation(fit: CombineFit, raw: RawFeatures): Extrapolation {
  const outside: Extrapolation["outside"] = [];
  let ss = 0;
  let n = 0;
  for (const [f, v] of extrapolationValues(raw, fit.methods)) {
    const r = fit.ranges[f];
    if (!r) continue;
    ss += ((v - r.mean) / (r.sd > 1e-12 ? r.sd : 1)) ** 2;
    n++;
    const tol = 1e-9 * Math.max(1, Math.abs(r.max - r.min));
    if (v < r.min - tol || v > r.max + tol) outside.push({ feature: f, value: v, min: r.min, max: r.max });
  }
  const distance = n ? Math.sqrt(ss / n) : 0;
  const fmt = (v: number) => (Math.abs(v) >= 10 ? v.toFixed(0) : v.toFixed(2));
  const warnings = outside.map((o) => {
    if (o.feature === "actors")
      return `${o.value} actors: the combination learned from issues with ${o.min}–${o.max} actors (${fit.data.name})`;
    const label =
      FEATURE_LABEL[o.feature] ?? `${o.feature.replace(/-cm$/, "")} forecast minus compromise (0–100)`;
    return `${label} ${fmt(o.value)} lies outside the training range ${fmt(o.min)} to ${fmt(o.max)}`;
  });
  if (distance > DISTANCE_WARNING)
    warnings.push(
      `the issue lies far from the training data (standardised distance ${distance.toFixed(1)}, warning above ${DISTANCE_WARNING}): the combination is extrapolating and its interval may not hold`,
    );
  return { distance, outside, warnings };
}

/**
 * Standardised distance (root mean square z) above which an issue is flagged as extrapolating; on
 * DEU III itself the median is 0.9 and 1 issue in 253 lies above it.
 */
export const DISTANCE_WARNING = 2.5;

/** Ranges of the extrapolation values over training rows. */
export function featureRanges(
  rows: readonly RawFeatures[],
  methods: readonly CombineMethod[],
): Record<string, FeatureRange> {
  const vals = rows.map((r) => extrapolationValues(r, methods));
  const out: Record<string, FeatureRange> = {};
  (vals[0] ?? []).forEach(([name], j) => {
    const v = vals.map((x) => x[j][1]);
    const mean = v.reduce((s, x) => s + x, 0) / v.length;
    out[name] = {
      min: Math.min(...v),
      max: Math.max(...v),
      mean,
      sd: Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length),
    };
  });
  return out;
}

export interface CombinedForecast {
  /** Forecast on the 0–100 scale. */
  position: number;
  interval: [number, number];
  level: number;
  extrapolation: Extrapolation;
}

/** Applies a shipped fit to one issue on 0–100 (level: the interval's coverage, default 0.9). */
export function combineIssue(fit: CombineFit, issue: CombineIssue, level = 0.9): CombinedForecast {
  const raw = rawFeatures(issue, fit.methods);
  const lin: LinearCombination = fit;
  const position = predictCombination(lin, raw);
  const q = conformalQuantile(fit.conformal.residuals, level);
  return {
    position,
    interval: [clip100(position - q), clip100(position + q)],
    level,
    extrapolation: extrapolation(fit, raw),
  };
}

/** The fit shipped with the product (fitted on DEU III by bench/deu3/fit.ts). */
export const SHIPPED_FIT: CombineFit = shippedJson as unknown as CombineFit;
