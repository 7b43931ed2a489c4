// The forecast history of a model's questions: how each question's probability moved from one
// vintage to the next (each update on new observations is a new vintage), and how well each
// vintage scored, over time. A pure function of the vintages and the resolutions; it keeps
// nothing and reads no clock.
//
// Definitions.
// - Order: vintages by their as-of date (vintageAsOf: the vintage's own, or for a format-1
//   vintage its model's asOf), ties by the wall-clock time made, then by id. Whatever order
//   they are given in, the history is in this one.
// - A question's history: one point per vintage that holds the question (a question absent
//   from a vintage, e.g. added to the model later, has no point there), with the vintage's p,
//   its judgment interval [lo, hi] and its Monte Carlo interval [lo, hi] as issued.
// - Scores: each vintage is scored by scoreVintage (vintage.ts) against the same resolutions,
//   so the same rules decide what counts: a resolution dated before the vintage's as-of date is
//   known when it was issued and is not scored for it (it may be scored for an earlier vintage),
//   a "yes" before the question's window opens is not scored, and so on. A point's `brier` is
//   (p − outcome)² when that vintage scored the question, else null; `excluded` says why a
//   resolved question was left out for it (known / before-window).
// - A question's mean Brier across vintages: the mean of its points' Brier scores over the
//   vintages that scored it (null when none did).
// - A vintage's mean Brier: the mean Brier over the questions it scored (scoreVintage's
//   summary.brier; null when it scored none).
// - Summary: the mean Brier across vintages is the plain mean of the vintages' mean Brier
//   scores, over the vintages that scored at least one question (each vintage weighs the same);
//   the mean Brier across questions is the plain mean of the questions' mean Brier across
//   vintages, over the questions scored by at least one vintage (each question weighs the same).
//   The two differ when vintages score different numbers of questions.
import type { Resolution } from "./resolutions.js";
import { type ExclusionCode, scoreVintage, type Vintage, vintageAsOf } from "./vintage.js";

/** One vintage's forecast of one question. */
export interface HistoryPoint {
  vintageId: string;
  /** The vintage's as-of date (YYYY-MM-DD). */
  asOf: string;
  /** When the vintage was made, by the wall clock (ISO 8601 UTC). */
  made: string;
  p: number;
  /** The judgment interval as issued. */
  interval: { lo: number; hi: number };
  /** The Monte Carlo interval as issued. */
  mc: { lo: number; hi: number };
  /** (p − outcome)² when this vintage scored the question; null otherwise. */
  brier: number | null;
  /** Why a resolved question was not scored for this vintage. */
  excluded?: ExclusionCode;
}

export interface QuestionHistory {
  id: string;
  /** The question's text in the latest vintage that holds it. */
  text: string;
  /** One point per vintage holding the question, in as-of order (see the top of this file). */
  points: HistoryPoint[];
  /** The question's resolution, when one is given. */
  resolution: { outcome: 0 | 1; date: string } | null;
  /** How many vintages scored it. */
  scored: number;
  /** Mean Brier over the vintages that scored it; null when none did. */
  meanBrier: number | null;
}

export interface VintageHistoryScore {
  vintageId: string;
  asOf: string;
  made: string;
  /** Questions the vintage holds. */
  questions: number;
  /** Questions it scored. */
  scored: number;
  /** Mean Brier over the questions it scored; null when none. */
  meanBrier: number | null;
  /** The score's warnings (scoreVintage). */
  warnings: string[];
}

export interface ForecastHistory {
  kind: "forecast.history";
  /** The vintages in as-of order, each with its mean Brier. */
  vintages: VintageHistoryScore[];
  /** Questions in the order of the latest vintage, then those only older vintages hold. */
  questions: QuestionHistory[];
  /** Resolutions of questions no vintage holds. */
  unknown: string[];
  summary: {
    /** Vintages that scored at least one question. */
    vintagesScored: number;
    /** Questions scored by at least one vintage. */
    questionsScored: number;
    /** Mean over the scored vintages of their mean Brier; null when none scored. */
    meanBrierAcrossVintages: number | null;
    /** Mean over the scored questions of their mean Brier across vintages; null when none. */
    meanBrierAcrossQuestions: number | null;
  };
}

const mean = (xs: readonly number[]): number | null =>
  xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null;

/** The vintages in as-of order, ties by time made, then id (see the top of this file). */
export function historyOrder<V extends Pick<Vintage, "asOf" | "made" | "model" | "id">>(
  vintages: readonly V[],
): V[] {
  const key = (v: V) => vintageAsOf(v).date;
  return [...vintages].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) return ka < kb ? -1 : 1;
    if (a.made !== b.made) return a.made < b.made ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

/** The forecast history of every question the vintages hold, scored against `resolutions`. */
export function forecastHistory(
  vintages: readonly Vintage[],
  resolutions: readonly Resolution[],
): ForecastHistory {
  const ordered = historyOrder(vintages);
  const resolved = new Map(resolutions.map((r) => [r.question, r]));
  // Question order: the latest vintage's, then questions only older vintages hold.
  const order: string[] = [];
  const text = new Map<string, string>();
  for (let i = ordered.length - 1; i >= 0; i--)
    for (const q of ordered[i].questions)
      if (!text.has(q.id)) {
        text.set(q.id, q.text);
        order.push(q.id);
      }
  const points = new Map<string, HistoryPoint[]>(order.map((id) => [id, []]));
  const perVintage: VintageHistoryScore[] = [];
  for (const v of ordered) {
    const s = scoreVintage(v, [...resolutions]);
    const brier = new Map(s.scored.map((x) => [x.id, x.brier]));
    const excluded = new Map(s.excluded.map((x) => [x.id, x.code]));
    const asOf = s.asOf.date;
    for (const q of v.questions) {
      const code = excluded.get(q.id);
      points.get(q.id)?.push({
        vintageId: v.id,
        asOf,
        made: v.made,
        p: q.p,
        interval: { lo: q.interval.lo, hi: q.interval.hi },
        mc: { lo: q.mc.lo, hi: q.mc.hi },
        brier: brier.get(q.id) ?? null,
        ...(code ? { excluded: code } : {}),
      });
    }
    perVintage.push({
      vintageId: v.id,
      asOf,
      made: v.made,
      questions: v.questions.length,
      scored: s.summary.n,
      meanBrier: s.summary.brier,
      warnings: s.warnings,
    });
  }
  const questions: QuestionHistory[] = order.map((id) => {
    const pts = points.get(id) ?? [];
    const scores = pts.flatMap((x) => (x.brier === null ? [] : [x.brier]));
    const r = resolved.get(id);
    return {
      id,
      text: text.get(id) ?? id,
      points: pts,
      resolution: r ? { outcome: r.outcome, date: r.date } : null,
      scored: scores.length,
      meanBrier: mean(scores),
    };
  });
  const vintageMeans = perVintage.flatMap((v) => (v.meanBrier === null ? [] : [v.meanBrier]));
  const questionMeans = questions.flatMap((q) => (q.meanBrier === null ? [] : [q.meanBrier]));
  return {
    kind: "forecast.history",
    vintages: perVintage,
    questions,
    unknown: resolutions.filter((r) => !text.has(r.question)).map((r) => r.question),
    summary: {
      vintagesScored: vintageMeans.length,
      questionsScored: questionMeans.length,
      meanBrierAcrossVintages: mean(vintageMeans),
      meanBrierAcrossQuestions: mean(questionMeans),
    },
  };
}
