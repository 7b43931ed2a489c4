// Scoring probability forecasts of yes/no questions against their outcomes.
//
// - Brier score (Brier 1950): mean (p − o)², 0 best, 0.25 for always saying 0.5.
// - Log score (Good 1952): mean ln of the probability given to what happened (≤ 0, higher
//   better); probabilities are clipped to [ε, 1 − ε] (ε = 0.001) so a confident miss costs
//   ln ε instead of −∞.
// - Murphy's decomposition (Murphy 1973) over K probability bins:
//     BS = REL − RES + UNC (+ WBV − WBC),
//   REL = Σ n_k (p̄_k − ō_k)² / N (reliability, 0 = calibrated), RES = Σ n_k (ō_k − ō)² / N
//   (resolution, higher = sharper discrimination), UNC = ō (1 − ō) (uncertainty of the
//   outcomes). With forecasts that vary inside a bin the three terms do not add up to BS;
//   the two within-bin terms of Stephenson, Coelho & Jolliffe (2008),
//   WBV = Σ_k Σ_{i∈k} (p_i − p̄_k)² / N and WBC = 2 Σ_k Σ_{i∈k} (p_i − p̄_k)(o_i − ō_k) / N,
//   make the identity exact (they vanish when every forecast in a bin is equal).
// - Baselines: always 0.5, and the questions' base rate ō (known only in hindsight, so a
//   demanding reference); skill = 1 − score / reference score.
// - Calibration table: per bin, the count, mean forecast, observed frequency and its Wilson
//   95 % interval (Wilson 1927).
import { wilson } from "../prob/stats.js";

export interface Outcome {
  id: string;
  /** The forecast probability of "yes". */
  p: number;
  /** 1 = yes, 0 = no. */
  outcome: 0 | 1;
}

export const LOG_EPSILON = 0.001;
/** Fewest scored questions for which the decomposition is reported. */
export const MIN_FOR_DECOMPOSITION = 10;

export function brierScore(items: readonly Outcome[]): number {
  if (items.length === 0) return Number.NaN;
  let s = 0;
  for (const x of items) s += (x.p - x.outcome) ** 2;
  return s / items.length;
}

function clip(p: number, eps: number): number {
  return Math.min(1 - eps, Math.max(eps, p));
}

/** Mean natural log of the probability given to the outcome (≤ 0; higher is better). */
export function logScore(items: readonly Outcome[], eps = LOG_EPSILON): number {
  if (items.length === 0) return Number.NaN;
  let s = 0;
  for (const x of items) {
    const p = clip(x.p, eps);
    s += Math.log(x.outcome === 1 ? p : 1 - p);
  }
  return s / items.length;
}

export interface CalibrationRow {
  /** Bin [from, to) (the last bin includes 1). */
  from: number;
  to: number;
  n: number;
  meanForecast: number | null;
  observed: number | null;
  /** Wilson 95 % interval of the observed frequency. */
  lo: number | null;
  hi: number | null;
}

export interface Decomposition {
  bins: number;
  reliability: number;
  resolution: number;
  uncertainty: number;
  withinBinVariance: number;
  withinBinCovariance: number;
  /** REL − RES + UNC + WBV − WBC: equals the Brier score. */
  brier: number;
}

/** Bin of a probability among `bins` equal bins of [0, 1]. */
export function binOf(p: number, bins: number): number {
  return Math.min(bins - 1, Math.max(0, Math.floor(p * bins)));
}

function grouped(items: readonly Outcome[], bins: number): Outcome[][] {
  const groups: Outcome[][] = Array.from({ length: bins }, () => []);
  for (const x of items) groups[binOf(x.p, bins)].push(x);
  return groups;
}

export function calibrationTable(items: readonly Outcome[], bins = 10): CalibrationRow[] {
  return grouped(items, bins).map((g, k) => {
    const n = g.length;
    const hits = g.reduce((s, x) => s + x.outcome, 0);
    const w = wilson(hits, n);
    return {
      from: k / bins,
      to: (k + 1) / bins,
      n,
      meanForecast: n ? g.reduce((s, x) => s + x.p, 0) / n : null,
      observed: n ? hits / n : null,
      lo: n ? w.lo : null,
      hi: n ? w.hi : null,
    };
  });
}

/** Murphy's decomposition of the Brier score over `bins` equal probability bins. */
export function murphyDecomposition(items: readonly Outcome[], bins = 10): Decomposition {
  const N = items.length;
  const obar = items.reduce((s, x) => s + x.outcome, 0) / N;
  let rel = 0;
  let res = 0;
  let wbv = 0;
  let wbc = 0;
  for (const g of grouped(items, bins)) {
    const n = g.length;
    if (n === 0) continue;
    const pk = g.reduce((s, x) => s + x.p, 0) / n;
    const ok = g.reduce((s, x) => s + x.outcome, 0) / n;
    rel += n * (pk - ok) ** 2;
    res += n * (ok - obar) ** 2;
    for (const x of g) {
      wbv += (x.p - pk) ** 2;
      wbc += 2 * (x.p - pk) * (x.outcome - ok);
    }
  }
  const d = {
    bins,
    reliability: rel / N,
    resolution: res / N,
    uncertainty: obar * (1 - obar),
    withinBinVariance: wbv / N,
    withinBinCovariance: wbc / N,
    brier: 0,
  };
  d.brier = d.reliability - d.resolution + d.uncertainty + d.withinBinVariance - d.withinBinCovariance;
  return d;
}

/**
 * The scores of a set of resolved forecasts. A score that does not exist is null: every score
 * when nothing is resolved, and a skill against a baseline that scores perfectly (all outcomes
 * alike make the base rate perfect), where 1 − score / 0 has no value.
 */
export interface ScoreSummary {
  n: number;
  yes: number;
  brier: number | null;
  log: number | null;
  baselines: {
    half: { p: number; brier: number | null; log: number | null };
    baseRate: { p: number | null; brier: number | null; log: number | null };
  };
  /** Skill against each baseline: 1 − score / baseline (Brier), 1 − log / baseline log. */
  skill: {
    brierVsHalf: number | null;
    brierVsBaseRate: number | null;
    logVsHalf: number | null;
    logVsBaseRate: number | null;
  };
  decomposition: Decomposition | null;
  /** Why the decomposition is missing, when it is. */
  decompositionNote?: string;
  calibration: CalibrationRow[];
  logEpsilon: number;
}

/** 1 − score / ref; 0 when both are perfect; null when only the baseline is, or nothing is scored. */
function skill(score: number, ref: number): number | null {
  if (!Number.isFinite(score) || !Number.isFinite(ref)) return null;
  if (ref === 0) return score === 0 ? 0 : null;
  return 1 - score / ref;
}

/** A score as reported: null when it does not exist (NaN: nothing scored). */
const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** Every score of a set of resolved forecasts, against the baselines. */
export function scoreOutcomes(
  items: readonly Outcome[],
  opts: { bins?: number; minForDecomposition?: number; eps?: number } = {},
): ScoreSummary {
  const bins = opts.bins ?? 10;
  const eps = opts.eps ?? LOG_EPSILON;
  const min = opts.minForDecomposition ?? MIN_FOR_DECOMPOSITION;
  const n = items.length;
  const yes = items.reduce((s, x) => s + x.outcome, 0);
  const rate = n ? yes / n : Number.NaN;
  const brier = brierScore(items);
  const log = logScore(items, eps);
  const withP = (p: number) => items.map((x) => ({ ...x, p }));
  const half = { brier: brierScore(withP(0.5)), log: logScore(withP(0.5), eps) };
  const baseRate = { brier: brierScore(withP(rate)), log: logScore(withP(rate), eps) };
  const out: ScoreSummary = {
    n,
    yes,
    brier: finite(brier),
    log: finite(log),
    baselines: {
      half: { p: 0.5, brier: finite(half.brier), log: finite(half.log) },
      baseRate: { p: finite(rate), brier: finite(baseRate.brier), log: finite(baseRate.log) },
    },
    skill: {
      brierVsHalf: skill(brier, half.brier),
      brierVsBaseRate: skill(brier, baseRate.brier),
      logVsHalf: skill(log, half.log),
      logVsBaseRate: skill(log, baseRate.log),
    },
    decomposition: n >= min && n > 0 ? murphyDecomposition(items, bins) : null,
    calibration: calibrationTable(items, bins),
    logEpsilon: eps,
  };
  if (!out.decomposition)
    out.decompositionNote = `the decomposition needs at least ${min} resolved questions; ${n} so far`;
  return out;
}
