// The forecast history of questions across vintages (src/forecast/history.ts), on HAND-MADE
// vintages: the forecasts below are written out by hand (made-up probabilities, no engine run)
// and the resolutions are MADE UP FOR THIS TEST (the project ships no outcomes). Every number
// is checked against a computation by hand, written out beside it.
import { describe, expect, it } from "vitest";
import { forecastHistory, historyOrder } from "../../src/forecast/history.js";
import {
  type ForecastResult,
  makeVintage,
  type QuestionForecast,
  type Resolution,
  scoreVintage,
  type Vintage,
} from "../../src/forecast/index.js";

/** A made-up question's forecast: judgment interval [p − 0.1, p + 0.05], MC interval p ± 0.02. */
function q(id: string, p: number): QuestionForecast {
  return {
    id,
    text: `Made-up question ${id}?`,
    condition: "a=y",
    mode: "by",
    horizon: { given: "2025-12-31", steps: 8, date: "2025-12-15" },
    given: [],
    p,
    interval: { lo: p - 0.1, hi: p + 0.05, level: 0.9, sd: 0.05 },
    mc: { lo: p - 0.02, hi: p + 0.02 },
  };
}

/** A made-up forecast of a model dated 2025-04-15 (monthly step). */
function result(questions: QuestionForecast[]): ForecastResult {
  return {
    kind: "forecast",
    engine: { name: "muscat-forecast", version: "1.0.0", prob: "1.0.0" },
    model: { id: "toy", title: "Toy", hash: "f".repeat(64), asOf: "2025-04-15", step: "P1M" },
    seed: 1,
    runs: 1000,
    runsPerMatrix: 50,
    uncertainty: false,
    driverRuns: null,
    indicatorRuns: null,
    interval: "none",
    start: { states: { a: "x" }, inferred: [] },
    questions,
  };
}

const vintage = (asOf: string, made: string, qs: QuestionForecast[]): Vintage =>
  makeVintage(result(qs), { asOf, made: new Date(made) });

// Four made-up vintages. qc is absent from the oldest (V1). V2 and V3 share an as-of date: V2
// was made first, so it comes first.
const V1 = vintage("2025-04-15", "2025-04-16T10:00:00Z", [q("qa", 0.8), q("qb", 0.3)]);
const V2 = vintage("2025-05-10", "2025-05-10T09:00:00Z", [q("qa", 0.6), q("qb", 0.2), q("qc", 0.5)]);
const V3 = vintage("2025-05-10", "2025-05-11T08:00:00Z", [q("qa", 0.9), q("qb", 0.1), q("qc", 0.4)]);
const V4 = vintage("2025-06-01", "2025-06-01T00:00:00Z", [q("qa", 0.95), q("qb", 0.05), q("qc", 0.3)]);

const res = (question: string, outcome: 0 | 1, date: string): Resolution => ({
  question,
  outcome,
  date,
  source: "made up for this test",
});
// MADE-UP outcomes:
// - qa: yes on 2025-05-20: known before V4's as-of date 2025-06-01 (not scored for V4), scored for V1–V3;
// - qb: no on 2025-07-01: scored for all four;
// - qc: yes on 2025-05-10, V2's and V3's as-of date itself (scored for them), known for V4;
// - qz: a question no vintage holds.
const RESOLUTIONS = [
  res("qa", 1, "2025-05-20"),
  res("qb", 0, "2025-07-01"),
  res("qc", 1, "2025-05-10"),
  res("qz", 0, "2025-07-01"),
];

describe("forecast history (made-up vintages and outcomes)", () => {
  // Given out of order: the history is in as-of order, ties by time made.
  const h = forecastHistory([V4, V3, V1, V2], RESOLUTIONS);
  const byId = (id: string) => h.questions.find((x) => x.id === id)!;

  it("orders the vintages by as-of date, ties by the time made", () => {
    expect(h.vintages.map((v) => v.vintageId)).toEqual([V1.id, V2.id, V3.id, V4.id]);
    expect(historyOrder([V3, V2]).map((v) => v.id)).toEqual([V2.id, V3.id]);
    expect(h.vintages.map((v) => v.asOf)).toEqual(["2025-04-15", "2025-05-10", "2025-05-10", "2025-06-01"]);
  });

  it("gives each question's p and intervals by vintage; a question absent from an older vintage has no point there", () => {
    expect(h.questions.map((x) => x.id)).toEqual(["qa", "qb", "qc"]);
    const qa = byId("qa");
    expect(qa.text).toBe("Made-up question qa?");
    expect(qa.points.map((x) => x.p)).toEqual([0.8, 0.6, 0.9, 0.95]);
    expect(qa.points[0]).toMatchObject({ vintageId: V1.id, asOf: "2025-04-15", made: V1.made });
    expect(qa.points[0].interval.lo).toBeCloseTo(0.7, 12);
    expect(qa.points[0].interval.hi).toBeCloseTo(0.85, 12);
    expect(qa.points[0].mc.lo).toBeCloseTo(0.78, 12);
    expect(qa.points[0].mc.hi).toBeCloseTo(0.82, 12);
    const qc = byId("qc");
    expect(qc.points.map((x) => x.vintageId)).toEqual([V2.id, V3.id, V4.id]);
    expect(qc.points.map((x) => x.p)).toEqual([0.5, 0.4, 0.3]);
  });

  it("scores each vintage by scoreVintage's rules: a resolution known before a vintage's as-of date is left out for it only", () => {
    const qa = byId("qa");
    // (0.8 − 1)² = 0.04, (0.6 − 1)² = 0.16, (0.9 − 1)² = 0.01; V4: resolved 2025-05-20 < 2025-06-01, known.
    expect(qa.points.map((x) => x.brier)).toEqual([
      expect.closeTo(0.04, 12),
      expect.closeTo(0.16, 12),
      expect.closeTo(0.01, 12),
      null,
    ]);
    expect(qa.points[3].excluded).toBe("known");
    expect(qa.points[0].excluded).toBeUndefined();
    expect(qa.scored).toBe(3);
    expect(qa.meanBrier).toBeCloseTo(0.21 / 3, 12); // 0.07
    expect(qa.resolution).toEqual({ outcome: 1, date: "2025-05-20" });
    // qb, no: 0.3² = 0.09, 0.2² = 0.04, 0.1² = 0.01, 0.05² = 0.0025 → mean 0.1425 / 4 = 0.035625
    const qb = byId("qb");
    expect(qb.points.map((x) => x.brier)).toEqual(
      [0.09, 0.04, 0.01, 0.0025].map((x) => expect.closeTo(x, 12)),
    );
    expect(qb.meanBrier).toBeCloseTo(0.035625, 12);
    // qc, yes on V2's and V3's as-of date (scored): 0.5² = 0.25, 0.6² = 0.36; known for V4 → mean 0.305
    const qc = byId("qc");
    expect(qc.points.map((x) => x.brier)).toEqual([expect.closeTo(0.25, 12), expect.closeTo(0.36, 12), null]);
    expect(qc.meanBrier).toBeCloseTo(0.305, 12);
    expect(h.unknown).toEqual(["qz"]);
    // The same numbers as scoring each vintage alone.
    for (const v of [V1, V2, V3, V4]) {
      const s = scoreVintage(v, RESOLUTIONS);
      const row = h.vintages.find((x) => x.vintageId === v.id)!;
      expect(row.meanBrier).toBe(s.summary.brier);
      expect(row.scored).toBe(s.summary.n);
    }
  });

  it("summarises per vintage and across vintages and questions", () => {
    // V1: (0.04 + 0.09) / 2 = 0.065; V2: (0.16 + 0.04 + 0.25) / 3 = 0.15;
    // V3: (0.01 + 0.01 + 0.36) / 3 = 0.12667; V4: 0.0025 / 1 = 0.0025.
    expect(h.vintages.map((v) => v.scored)).toEqual([2, 3, 3, 1]);
    expect(h.vintages.map((v) => v.questions)).toEqual([2, 3, 3, 3]);
    const means = [0.065, 0.15, 0.38 / 3, 0.0025];
    h.vintages.forEach((v, i) => expect(v.meanBrier).toBeCloseTo(means[i], 12));
    // Across vintages: (0.065 + 0.15 + 0.12667 + 0.0025) / 4 = 0.0860417.
    expect(h.summary.meanBrierAcrossVintages).toBeCloseTo((0.065 + 0.15 + 0.38 / 3 + 0.0025) / 4, 12);
    expect(h.summary.meanBrierAcrossVintages).toBeCloseTo(0.0860416667, 9);
    // Across questions: (0.07 + 0.035625 + 0.305) / 3 = 0.136875.
    expect(h.summary.meanBrierAcrossQuestions).toBeCloseTo(0.136875, 12);
    expect(h.summary).toMatchObject({ vintagesScored: 4, questionsScored: 3 });
  });

  it("with no resolutions: the history without scores", () => {
    const none = forecastHistory([V2, V1], []);
    expect(none.vintages.map((v) => v.vintageId)).toEqual([V1.id, V2.id]);
    expect(none.questions.map((x) => x.id)).toEqual(["qa", "qb", "qc"]);
    expect(none.questions.every((x) => x.meanBrier === null && x.resolution === null)).toBe(true);
    expect(none.questions.flatMap((x) => x.points).every((x) => x.brier === null)).toBe(true);
    expect(none.vintages.every((v) => v.meanBrier === null && v.scored === 0)).toBe(true);
    expect(none.summary).toEqual({
      vintagesScored: 0,
      questionsScored: 0,
      meanBrierAcrossVintages: null,
      meanBrierAcrossQuestions: null,
    });
    expect(forecastHistory([], RESOLUTIONS).questions).toEqual([]);
  });
});
