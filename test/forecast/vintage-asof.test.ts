// Hindcasts and exact windows, on a HAND-MADE vintage: the forecast below is written out by
// hand (made-up probabilities, no engine run) and the resolutions are MADE UP FOR THIS TEST
// (the project ships no outcomes). Every score is checked against a computation by hand.
//
// Boundary rules, decided here and documented in docs/forecast.md:
// - a resolution dated BEFORE the vintage's as-of date is known when it was issued: excluded;
// - a resolution dated ON the as-of date is scored (the forecast speaks from that day on);
// - a "yes" dated ON the question's window end (the horizon date as given) is inside the
//   window: scored, no warning; one day AFTER: scored as recorded, with a warning;
// - a "yes" dated before a window start later than the model's date does not count as yes
//   within the window: excluded, with why; a "no" there is scored, with a warning.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  asOfProblem,
  checkVintage,
  type ForecastResult,
  makeVintage,
  parseVintage,
  type QuestionForecast,
  questionWindow,
  type Resolution,
  scoreVintage,
  VINTAGE_FORMAT,
  type Vintage,
  VintageError,
  vintageAsOf,
  vintageJson,
} from "../../src/forecast/index.js";

/** A question's forecast written by hand: only what scoring reads is meaningful. */
function q(id: string, p: number, given: number | string, steps: number, date: string): QuestionForecast {
  return {
    id,
    text: `Made-up question ${id}?`,
    condition: "a=y",
    mode: "by",
    horizon: { given, steps, date },
    given: [],
    p,
    interval: { lo: p, hi: p, level: 0.9, sd: 0 },
    mc: { lo: p, hi: p },
  };
}

/**
 * A forecast of a model dated 2025-04-15 with a monthly step. Horizons (steps and step dates
 * worked out by hand: 15 Apr + k months):
 * - qa: "2025-06-30" → 2 whole steps (2025-06-15); its true window ends 2025-06-30.
 * - qb: 3 steps → 2025-07-15.
 * - qc: "2025-10-15" → exactly step 6.
 * - qd: "2025-12-31" → 8 steps (2025-12-15); the window ends 2025-12-31.
 * - qe: "2025-09-15" → step 5.
 */
const RESULT: ForecastResult = {
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
  questions: [
    q("qa", 0.8, "2025-06-30", 2, "2025-06-15"),
    q("qb", 0.3, 3, 3, "2025-07-15"),
    q("qc", 0.6, "2025-10-15", 6, "2025-10-15"),
    q("qd", 0.1, "2025-12-31", 8, "2025-12-15"),
    q("qe", 0.5, "2025-09-15", 5, "2025-09-15"),
  ],
};

const MADE = new Date("2026-03-01T12:00:00Z"); // the wall clock, long after the model's date
const res = (question: string, outcome: 0 | 1, date: string): Resolution => ({
  question,
  outcome,
  date,
  source: "MADE UP FOR THIS TEST",
});

/** MADE-UP outcomes (test data only). */
const OUTCOMES: Resolution[] = [
  res("qa", 1, "2025-06-30"), // on the true window end (after the rounded step date 2025-06-15)
  res("qb", 0, "2025-07-16"), // a "no" one day after the window end: nothing to flag
  res("qc", 1, "2025-05-01"), // on the as-of date of the hindcast below
  res("qd", 1, "2026-01-01"), // a "yes" one day after the window end (2025-12-31)
  res("qe", 1, "2025-04-30"), // the day before the hindcast's as-of date
];

describe("the as-of date of a vintage", () => {
  it("defaults to the model's asOf; `made` keeps the wall-clock time apart", () => {
    const v = makeVintage(RESULT, { made: MADE });
    expect(v.format).toBe(2);
    expect(VINTAGE_FORMAT).toBe(2);
    expect(v.asOf).toBe("2025-04-15");
    expect(v.made).toBe("2026-03-01T12:00:00.000Z");
    expect(v.id).toMatch(/^toy-20260301T120000Z-[0-9a-f]{8}$/);
    expect(vintageAsOf(v)).toMatchObject({ date: "2025-04-15", from: "vintage" });
    // the file round-trips, its id checked against its content
    expect(parseVintage(vintageJson(v), "v.json")).toEqual(JSON.parse(vintageJson(v)));
  });

  it("a later as-of is recorded; an earlier one, or a bad date, is refused with why", () => {
    const later = makeVintage(RESULT, { made: MADE, asOf: "2025-05-01" });
    expect(later.asOf).toBe("2025-05-01");
    expect(later.model.asOf).toBe("2025-04-15");
    // the as-of date is part of the content: another as-of, another hash
    expect(later.id).not.toBe(makeVintage(RESULT, { made: MADE }).id);
    expect(later.id.slice(0, -8)).toBe(makeVintage(RESULT, { made: MADE }).id.slice(0, -8));
    // the model's own date is allowed (the boundary)
    expect(makeVintage(RESULT, { made: MADE, asOf: "2025-04-15" }).asOf).toBe("2025-04-15");
    expect(() => makeVintage(RESULT, { made: MADE, asOf: "2025-04-14" })).toThrow(
      /as-of date 2025-04-14 is before the model's date \(asOf 2025-04-15\): the model holds knowledge as of its own date/,
    );
    for (const bad of ["2025-02-30", "15/05/2025", "2025-5-1", ""]) {
      const e = (() => {
        try {
          makeVintage(RESULT, { asOf: bad });
        } catch (x) {
          return x as VintageError;
        }
      })();
      expect(e, bad).toBeInstanceOf(VintageError);
      expect(e?.code).toBe("invalid-as-of");
      expect(e?.message).toMatch(/real date YYYY-MM-DD/);
    }
    expect(asOfProblem("2025-04-14", "2025-04-15")?.code).toBe("before-model");
    expect(asOfProblem("2025-04-15", "2025-04-15")).toBeUndefined();
  });

  it("a forecast conditioned on observations is issued only as of a date after each of them", () => {
    // Made-up observations the forecast would have been conditioned on (hand-made result).
    const observed = {
      ...RESULT,
      observations: {
        used: [
          { state: "a=y", date: "2025-05-10" },
          { state: "a=x", date: "2025-04-20" },
        ],
        error: 0.02,
        perQuestion: [],
      },
    };
    // the default (the model's date) and the day of the last observation are refused...
    for (const asOf of [undefined, "2025-05-01", "2025-05-10"]) {
      const e = (() => {
        try {
          makeVintage(observed, { made: MADE, asOf });
        } catch (x) {
          return x as VintageError;
        }
      })();
      expect(e, asOf).toBeInstanceOf(VintageError);
      expect(e?.message).toMatch(
        /the forecast is conditioned on .* not yet known as of that date: issue it as of 2025-05-11 or later/,
      );
    }
    expect(asOfProblem("2025-05-01", "2025-04-15", observed.observations.used)?.message).toMatch(
      /an observation dated on or after the as-of date 2025-05-01 \(a=y on 2025-05-10\).*observed until 2025-04-30/,
    );
    // ...the day after it is the first date allowed
    expect(makeVintage(observed, { made: MADE, asOf: "2025-05-11" }).asOf).toBe("2025-05-11");
  });

  it("checkVintage: format 2 needs an as-of date on or after the model's", () => {
    const v = JSON.parse(vintageJson(makeVintage(RESULT, { made: MADE, asOf: "2025-05-01" })));
    const problemsOf = (x: unknown) => {
      try {
        checkVintage(x, "v");
        return [];
      } catch (e) {
        return (e as VintageError).problems.map((p) => `${p.path}: ${p.message}`);
      }
    };
    expect(problemsOf(v)).toEqual([]);
    expect(problemsOf({ ...v, asOf: undefined })).toEqual([
      "asOf: missing (expected the as-of date YYYY-MM-DD)",
    ]);
    expect(problemsOf({ ...v, asOf: "2025-02-30" })[0]).toMatch(/^asOf: expected the as-of date/);
    expect(problemsOf({ ...v, asOf: "2025-04-01" })).toEqual([
      "asOf: the as-of date 2025-04-01 is before the model's asOf 2025-04-15",
    ]);
    // an edited as-of date no longer matches the id's hash
    expect(problemsOf({ ...v, asOf: "2025-06-01" })[0]).toMatch(/^id: the content does not match the id/);
  });
});

describe("questionWindow: the true window in dates", () => {
  const model = { asOf: "2025-04-15", step: "P1M" };
  it("ends on a date horizon as given, or on the date of a horizon in steps", () => {
    // by hand: the date itself; 15 Apr 2025 + 3 months = 15 Jul 2025
    expect(questionWindow(model, { horizon: "2025-06-30" })).toEqual({
      from: "2025-04-15",
      to: "2025-06-30",
    });
    expect(questionWindow(model, { horizon: 3 })).toEqual({ from: "2025-04-15", to: "2025-07-15" });
    // a vintage's question: the horizon as given, not the rounded step date
    expect(questionWindow(model, RESULT.questions[0])).toEqual({ from: "2025-04-15", to: "2025-06-30" });
    expect(questionWindow(model, RESULT.questions[1])).toEqual({ from: "2025-04-15", to: "2025-07-15" });
    // month ends clamp: 31 Jan + 1 month = 28 Feb 2025 (not a leap year)
    expect(questionWindow({ asOf: "2025-01-31", step: "P1M" }, { horizon: 1 }).to).toBe("2025-02-28");
    // weeks: 15 Apr + 2 × 2 weeks = 13 May
    expect(questionWindow({ asOf: "2025-04-15", step: "P2W" }, { horizon: 2 }).to).toBe("2025-05-13");
  });

  it("honours a window start later than the model's date, never an earlier one", () => {
    // a model question's `from` (a date on or after asOf)
    expect(questionWindow(model, { horizon: "2025-09-30", from: "2025-06-01" })).toEqual({
      from: "2025-06-01",
      to: "2025-09-30",
    });
    expect(questionWindow(model, { horizon: 6, from: "2025-01-01" }).from).toBe("2025-04-15");
    // a window [from, to]; its ends dates, or steps (15 Apr + 2 months = 15 Jun; + 5 = 15 Sep)
    expect(questionWindow(model, { horizon: 6, window: ["2025-06-01", "2025-09-30"] })).toEqual({
      from: "2025-06-01",
      to: "2025-09-30",
    });
    expect(questionWindow(model, { horizon: 6, window: { from: 2, to: 5 } })).toEqual({
      from: "2025-06-15",
      to: "2025-09-15",
    });
  });
});

describe("scoring as of the vintage's as-of date (a hindcast)", () => {
  it("a vintage issued as of a past date scores the outcomes after it and excludes the one before", () => {
    // Issued now (2026) as of 2025-05-01: every outcome is in the past of the wall clock.
    const v = makeVintage(RESULT, { made: MADE, asOf: "2025-05-01" });
    const s = scoreVintage(v, OUTCOMES);
    expect(s.asOf).toMatchObject({ date: "2025-05-01", from: "vintage" });
    expect(s.asOf.note).toMatch(
      /as of 2025-05-01, the vintage's as-of date \(its model's asOf is 2025-04-15\)/,
    );
    expect(s.vintage).toMatchObject({ asOf: "2025-05-01", made: "2026-03-01T12:00:00.000Z" });
    // qe (2025-04-30) is known; qc on the as-of date itself is scored
    expect(s.excluded).toEqual([
      {
        id: "qe",
        code: "known",
        reason:
          "resolved yes on 2025-04-30, before the vintage's as-of date 2025-05-01: known when it was issued",
        date: "2025-04-30",
        window: { from: "2025-04-15", to: "2025-09-15" },
      },
    ]);
    expect(s.scored.map((x) => x.id)).toEqual(["qa", "qb", "qc", "qd"]);
    // qa's yes on 2025-06-30 is inside its window (it ends 2025-06-30, not at the step 2025-06-15)
    expect(s.scored[0].window).toEqual({ from: "2025-04-15", to: "2025-06-30" });
    // only qd's yes, one day after its window end, is flagged
    expect(s.warnings).toEqual([
      "qd: resolved yes on 2026-01-01, after the end of the question's window 2025-12-31 (check the resolution; scored as yes)",
    ]);
    // By hand: (0.8 − 1)² + (0.3 − 0)² + (0.6 − 1)² + (0.1 − 1)² = 0.04 + 0.09 + 0.16 + 0.81 = 1.10; / 4
    expect(s.summary.n).toBe(4);
    expect(s.summary.yes).toBe(3);
    expect(s.summary.brier).toBeCloseTo(0.275, 12);
    // ln 0.8 + ln 0.7 + ln 0.6 + ln 0.1 = −0.2231436 − 0.3566749 − 0.5108256 − 2.3025851 = −3.3932292
    expect(s.summary.log).toBeCloseTo(-3.3932292 / 4, 6);
    expect(s.scored.map((x) => x.brier)).toEqual(
      [0.8, 0.3, 0.6, 0.1].map((p, i) => (p - [1, 0, 1, 1][i]) ** 2),
    );
  });

  it("as of the model's date (the default), the same outcomes are all scored", () => {
    const s = scoreVintage(makeVintage(RESULT, { made: MADE }), OUTCOMES);
    expect(s.asOf.date).toBe("2025-04-15");
    expect(s.excluded).toEqual([]);
    expect(s.scored.map((x) => x.id)).toEqual(["qa", "qb", "qc", "qd", "qe"]);
    // By hand: 1.10 + (0.5 − 1)² = 1.35; / 5
    expect(s.summary.brier).toBeCloseTo(0.27, 12);
  });

  it("the wall-clock time made does not decide what is known", () => {
    // The same as-of date, made a year apart: the same score.
    const a = scoreVintage(makeVintage(RESULT, { made: MADE, asOf: "2025-05-01" }), OUTCOMES);
    const b = scoreVintage(
      makeVintage(RESULT, { made: new Date("2027-03-01T00:00:00Z"), asOf: "2025-05-01" }),
      OUTCOMES,
    );
    expect(b.summary).toEqual(a.summary);
    expect(b.excluded).toEqual(a.excluded);
  });

  it("a yes before a later window start does not count as yes within the window", () => {
    // Questions whose window opens after the model's date, as the model's questions give it
    // (`from`): makeVintage records the start in the vintage, so the vintage alone says it.
    const questions = [
      q("qw", 0.4, "2025-09-30", 5, "2025-09-15"),
      q("qv", 0.2, "2025-09-30", 5, "2025-09-15"),
      q("qn", 0.2, "2025-09-30", 5, "2025-09-15"),
    ];
    const model = {
      questions: [
        { id: "qw", from: "2025-06-01" },
        { id: "qv", from: "2025-06-01" },
        { id: "qn" }, // no window start: its window opens on the model's date
      ],
    };
    const v = makeVintage({ ...RESULT, questions }, { made: MADE, asOf: "2025-05-01", model });
    expect(v.questions.map((x) => x.from)).toEqual(["2025-06-01", "2025-06-01", undefined]);
    expect(parseVintage(vintageJson(v), "v.json").questions[0].from).toBe("2025-06-01");
    const s = scoreVintage(v, [
      res("qw", 1, "2025-05-20"), // after the as-of date, before the window opens
      res("qv", 0, "2025-05-20"), // a "no" before the window opens: scored, flagged
      res("qn", 1, "2025-05-20"),
    ]);
    expect(s.excluded).toEqual([
      {
        id: "qw",
        code: "before-window",
        reason:
          "resolved yes on 2025-05-20, before the question's window opens on 2025-06-01 (window 2025-06-01 to 2025-09-30): a yes before the window does not count as yes within it; record the outcome within the window",
        date: "2025-05-20",
        window: { from: "2025-06-01", to: "2025-09-30" },
      },
    ]);
    expect(s.scored.map((x) => x.id)).toEqual(["qv", "qn"]);
    expect(s.warnings).toEqual([
      "qv: resolved no on 2025-05-20, before the question's window opens on 2025-06-01 (check the resolution; scored as no)",
    ]);
    // By hand: (0.2 − 0)² + (0.2 − 1)² = 0.04 + 0.64 = 0.68; / 2
    expect(s.summary.brier).toBeCloseTo(0.34, 12);
    // on the window's first day a yes counts
    expect(scoreVintage(v, [res("qw", 1, "2025-06-01")]).scored.map((x) => x.id)).toEqual(["qw"]);
    // a resolution before the as-of date is "known" first, whatever the window
    const t = scoreVintage(v, [res("qw", 1, "2025-04-20")]);
    expect(t.excluded.map((x) => x.code)).toEqual(["known"]);
  });
});

describe("a vintage made before vintages carried an as-of date (format 1)", () => {
  /** A format-1 vintage as the earlier makeVintage wrote it: no asOf; id hashed over the rest. */
  function legacy(result: ForecastResult, made: string): Vintage {
    const { kind: _k, ...rest } = result;
    const body = { kind: "forecast.vintage", format: 1, made, ...rest };
    const digest = createHash("sha256").update(JSON.stringify(body)).digest("hex").slice(0, 8);
    const stamp = made.replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
    return { ...body, id: `${result.model.id}-${stamp}-${digest}` } as Vintage;
  }

  it("still loads; its model's asOf stands for its as-of date, and the score says so", () => {
    const old = legacy(RESULT, "2025-05-20T08:00:00.000Z");
    const v = parseVintage(JSON.stringify(old), "old.json");
    expect(v.asOf).toBeUndefined();
    const a = vintageAsOf(v);
    expect(a).toMatchObject({ date: "2025-04-15", from: "model" });
    expect(a.note).toMatch(
      /its model's asOf: the vintage was made \(2025-05-20\) before vintages carried an as-of date/,
    );
    const s = scoreVintage(v, OUTCOMES);
    expect(s.asOf.from).toBe("model");
    expect(s.vintage.asOf).toBe("2025-04-15");
    // every outcome is on or after 2025-04-15: all scored (as the default vintage above: 0.27)
    expect(s.excluded).toEqual([]);
    expect(s.summary.brier).toBeCloseTo(0.27, 12);
    // a format-1 vintage carrying an as-of date is not one muscat wrote
    expect(() => checkVintage({ ...old, asOf: "2025-05-01" }, "x")).toThrow(
      /asOf: a format-1 vintage has no as-of date/,
    );
  });
});
