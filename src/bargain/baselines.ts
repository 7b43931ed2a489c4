/**
 * Baseline forecasts for one issue, always reported next to any dynamic forecast.
 *
 * - Compromise model (Achen 2006; Stokman, van Assen et al.): x = Σ c_i s_i x_i / Σ c_i s_i.
 * - Weighted median (Black 1948): the actor position that is a Condorcet winner under clout × salience
 *   weighted voting with single-peaked, symmetric preferences.
 * - Nash bargaining solution (Nash 1950): argmax_x Π_i (u_i(x) − u_i(d))^{w_i} over the points every actor
 *   weakly prefers to the disagreement point d, with u_i(x) = −|x − x_i|^k (k = 2 quadratic, k = 1 linear).
 *
 * Deliberately different: when every weight is zero the weights fall back to equal (reported in the result);
 * the NBS returns d itself (feasible = false) when no point is strictly better for every weighted actor.
 */
import { checkIssueActors, type EngineStamp, type IssueActor } from "./types.js";

export const BASELINES_VERSION = "baselines/1.0.0";

export type WeightRule = "clout-x-salience" | "salience" | "clout" | "equal";

export function actorWeight(a: IssueActor, rule: WeightRule): number {
  switch (rule) {
    case "clout-x-salience":
      return a.clout * a.salience;
    case "salience":
      return a.salience;
    case "clout":
      return a.clout;
    case "equal":
      return 1;
  }
}

function weights(actors: readonly IssueActor[], rule: WeightRule): { w: number[]; fallback: boolean } {
  const w = actors.map((a) => actorWeight(a, rule));
  const total = w.reduce((s, v) => s + v, 0);
  if (total > 0) return { w, fallback: false };
  return { w: actors.map(() => 1), fallback: true };
}

export interface CompromiseResult extends EngineStamp {
  method: "compromise";
  weightRule: WeightRule;
  position: number;
  /** True when all weights were zero and equal weights were used instead. */
  equalWeightFallback: boolean;
}

export function compromiseModel(
  actors: readonly IssueActor[],
  options: { weightRule?: WeightRule } = {},
): CompromiseResult {
  checkIssueActors(actors);
  const weightRule = options.weightRule ?? "clout-x-salience";
  const { w, fallback } = weights(actors, weightRule);
  let num = 0;
  let den = 0;
  actors.forEach((a, i) => {
    num += w[i] * a.position;
    den += w[i];
  });
  return {
    engine: "compromise",
    version: BASELINES_VERSION,
    method: "compromise",
    weightRule,
    position: num / den,
    equalWeightFallback: fallback,
  };
}

export type MedianTie = "lower" | "upper" | "midpoint";

export interface WeightedMedianResult extends EngineStamp {
  method: "weighted-median";
  weightRule: WeightRule;
  tie: MedianTie;
  position: number;
  /** Lower and upper end of the interval of medians (equal unless weight splits exactly in half). */
  interval: [number, number];
  equalWeightFallback: boolean;
}

/**
 * Weighted median of the actors' positions. When the cumulative weight reaches exactly one half at a
 * position, every point up to the next position is a median; `tie` picks the lower end (default),
 * the upper end or the midpoint.
 */
export function weightedMedian(
  actors: readonly IssueActor[],
  options: { weightRule?: WeightRule; tie?: MedianTie } = {},
): WeightedMedianResult {
  checkIssueActors(actors);
  const weightRule = options.weightRule ?? "clout-x-salience";
  const tie = options.tie ?? "lower";
  const { w, fallback } = weights(actors, weightRule);
  const order = actors.map((_, i) => i).sort((a, b) => actors[a].position - actors[b].position);
  const total = w.reduce((s, v) => s + v, 0);
  const half = total / 2;
  const rel = 1e-12 * total;
  let cum = 0;
  let lo = actors[order[order.length - 1]].position;
  let hi = lo;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    cum += w[i];
    // skip ahead over equal positions
    if (k + 1 < order.length && actors[order[k + 1]].position === actors[i].position) continue;
    if (cum >= half - rel) {
      lo = actors[i].position;
      hi = lo;
      if (Math.abs(cum - half) <= rel) {
        // exact split: the median interval runs to the next position with positive weight
        for (let m = k + 1; m < order.length; m++) {
          if (w[order[m]] > 0) {
            hi = actors[order[m]].position;
            break;
          }
        }
      }
      break;
    }
  }
  const position = tie === "lower" ? lo : tie === "upper" ? hi : (lo + hi) / 2;
  return {
    engine: "weighted-median",
    version: BASELINES_VERSION,
    method: "weighted-median",
    weightRule,
    tie,
    position,
    interval: [lo, hi],
    equalWeightFallback: fallback,
  };
}

export type NashUtility = "quadratic" | "linear";

export interface NashOptions {
  /** Disagreement point d (e.g. the reversion point / status quo). Required: there is no neutral default. */
  disagreement: number;
  utility?: NashUtility;
  weightRule?: WeightRule;
  /** Golden-section iterations (each shrinks the bracket by 0.618). */
  iterations?: number;
}

export interface NashResult extends EngineStamp {
  method: "nash";
  utility: NashUtility;
  weightRule: WeightRule;
  disagreement: number;
  position: number;
  /** False when no point is strictly better than d for every weighted actor (then position = d). */
  feasible: boolean;
  /** The interval of points every weighted actor weakly prefers to d. */
  bargainingSet: [number, number];
}

/** Nash bargaining solution on one issue (see file comment). */
export function nashBargaining(actors: readonly IssueActor[], options: NashOptions): NashResult {
  checkIssueActors(actors);
  const d = options.disagreement;
  if (!Number.isFinite(d)) throw new Error("nashBargaining: options.disagreement must be a finite number");
  const utility = options.utility ?? "quadratic";
  const weightRule = options.weightRule ?? "clout-x-salience";
  const iterations = options.iterations ?? 200;
  const { w } = weights(actors, weightRule);
  // For both utilities, u_i(x) ≥ u_i(d) ⇔ |x − x_i| ≤ |d − x_i|: the set is an intersection of intervals.
  let lo = Number.NEGATIVE_INFINITY;
  let hi = Number.POSITIVE_INFINITY;
  actors.forEach((a, i) => {
    if (w[i] <= 0) return;
    const r = Math.abs(d - a.position);
    lo = Math.max(lo, a.position - r);
    hi = Math.min(hi, a.position + r);
  });
  const stamp = {
    engine: "nash",
    version: BASELINES_VERSION,
    method: "nash" as const,
    utility,
    weightRule,
    disagreement: d,
  };
  if (!(hi - lo > 1e-12 * Math.max(1, Math.abs(hi) + Math.abs(lo)))) {
    return { ...stamp, position: d, feasible: false, bargainingSet: [d, d] };
  }
  const k = utility === "quadratic" ? 2 : 1;
  const objective = (x: number): number => {
    let s = 0;
    for (let i = 0; i < actors.length; i++) {
      if (w[i] <= 0) continue;
      // log(D − L) = log D + log1p(−L/D); the constant log D is dropped (keeps precision for a far d)
      const D = Math.abs(d - actors[i].position) ** k;
      const ratio = Math.abs(x - actors[i].position) ** k / D;
      if (ratio >= 1) return Number.NEGATIVE_INFINITY;
      s += w[i] * Math.log1p(-ratio);
    }
    return s;
  };
  // The log-objective is concave on (lo, hi): golden-section search.
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = lo;
  let b = hi;
  let x1 = b - phi * (b - a);
  let x2 = a + phi * (b - a);
  let f1 = objective(x1);
  let f2 = objective(x2);
  for (let it = 0; it < iterations && b - a > 1e-13 * Math.max(1, Math.abs(a)); it++) {
    if (f1 < f2) {
      a = x1;
      x1 = x2;
      f1 = f2;
      x2 = a + phi * (b - a);
      f2 = objective(x2);
    } else {
      b = x2;
      x2 = x1;
      f2 = f1;
      x1 = b - phi * (b - a);
      f1 = objective(x1);
    }
  }
  return { ...stamp, position: (a + b) / 2, feasible: true, bargainingSet: [lo, hi] };
}

export interface BaselineSet {
  compromise: CompromiseResult;
  weightedMedian: WeightedMedianResult;
  nash?: NashResult;
}

/** All baselines at once (NBS only when a disagreement point is given). */
export function baselines(
  actors: readonly IssueActor[],
  options: {
    weightRule?: WeightRule;
    tie?: MedianTie;
    disagreement?: number;
    nashUtility?: NashUtility;
  } = {},
): BaselineSet {
  const out: BaselineSet = {
    compromise: compromiseModel(actors, { weightRule: options.weightRule }),
    weightedMedian: weightedMedian(actors, { weightRule: options.weightRule, tie: options.tie }),
  };
  if (options.disagreement !== undefined)
    out.nash = nashBargaining(actors, {
      disagreement: options.disagreement,
      utility: options.nashUtility,
      weightRule: options.weightRule,
    });
  return out;
}
