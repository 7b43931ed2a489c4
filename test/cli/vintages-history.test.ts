// `muscat vintages history`: each question's p by as-of date across a model's vintages in the
// store, and the Brier score over time. The vintages are HAND-MADE (made-up probabilities, no
// engine run) and the resolutions MADE UP FOR THIS TEST (the project ships no outcomes); the
// numbers are worked out by hand beside the checks.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type ForecastResult, makeVintage, type QuestionForecast } from "../../src/forecast/index.js";
import { replaceResolutions, saveVintage } from "../../src/store/forecasts.js";
import { openStore, seedIfEmpty } from "../../src/store/index.js";
import { runCli } from "../helpers/cli.js";

function q(id: string, p: number): QuestionForecast {
  return {
    id,
    text: `Made-up question ${id}?`,
    condition: "a=y",
    mode: "by",
    horizon: { given: "2025-12-31", steps: 8, date: "2025-12-15" },
    given: [],
    p,
    interval: { lo: p - 0.1, hi: p + 0.1, level: 0.9, sd: 0.05 },
    mc: { lo: p - 0.02, hi: p + 0.02 },
  };
}

const result = (modelId: string, questions: QuestionForecast[]): ForecastResult => ({
  kind: "forecast",
  engine: { name: "muscat-forecast", version: "1.0.0", prob: "1.0.0" },
  model: { id: modelId, title: "Toy", hash: "f".repeat(64), asOf: "2025-04-15", step: "P1M" },
  seed: 1,
  runs: 1000,
  runsPerMatrix: 50,
  uncertainty: false,
  driverRuns: null,
  indicatorRuns: null,
  interval: "none",
  start: { states: { a: "x" }, inferred: [] },
  questions,
});

// V1 as of the model's date; V2 as of 2025-06-01, with a question (qc) V1 does not hold.
const V1 = makeVintage(result("toy", [q("qa", 0.8), q("qb", 0.3)]), {
  asOf: "2025-04-15",
  made: new Date("2025-04-16T10:00:00Z"),
});
const V2 = makeVintage(result("toy", [q("qa", 0.6), q("qb", 0.1), q("qc", 0.5)]), {
  asOf: "2025-06-01",
  made: new Date("2025-06-01T08:00:00Z"),
});

/** A made-up model with the questions' ids, so that the store can record their resolutions. */
const TOY = `id: toy
title: Toy
asOf: 2025-04-15
factors:
  - { id: a, name: A, current: x, states: [{ id: x, label: X }, { id: y, label: Y }] }
  - { id: b, name: B, current: x, states: [{ id: x, label: X }, { id: y, label: Y }] }
impacts:
  - { from: a=x, to: b=y, strength: 2, confidence: 3 }
questions:
  - { id: qa, text: Made-up question qa?, condition: a=y, horizon: 2025-12-31 }
  - { id: qb, text: Made-up question qb?, condition: b=y, horizon: 2025-12-31 }
  - { id: qc, text: Made-up question qc?, condition: b=y, horizon: 2025-12-31 }
`;

let data: string;

beforeAll(async () => {
  data = mkdtempSync(join(tmpdir(), "muscat-history-cli-"));
  const store = (await openStore(data))!;
  await seedIfEmpty(store, TOY);
  // saved newest first: the history is in as-of order whatever the order saved
  await saveVintage(store, V2);
  await saveVintage(store, V1);
  // MADE UP: qa yes on 2025-05-20 (known for V2, as of 2025-06-01); qb no on 2025-07-01.
  await replaceResolutions(store, "toy", [
    { question: "qa", outcome: 1, date: "2025-05-20", source: "made up for this test" },
    { question: "qb", outcome: 0, date: "2025-07-01", source: "made up for this test" },
  ]);
  await store.close();
});

describe("muscat vintages history (made-up vintages and outcomes)", () => {
  it("prints each question's p by as-of date and the Brier over time", async () => {
    const r = await runCli("vintages", "history", "--data", data);
    expect(r.code).toBe(0);
    const out = r.out;
    expect(out).toContain("Forecast history: toy");
    expect(out).toMatch(/2 vintages, as of 2025-04-15 to 2025-06-01/);
    // qa: (0.8 − 1)² = 0.040 as of 2025-04-15; as of 2025-06-01 its outcome was known
    expect(out).toMatch(/qa {2}Made-up question qa\?\n {2}resolved yes on 2025-05-20/);
    expect(out).toMatch(/2025-04-15 +80% +70–90% +0\.040 +toy-/);
    expect(out).toMatch(/2025-06-01 +60% +50–70% +known +toy-/);
    // qb: 0.3² = 0.090, 0.1² = 0.010, mean 0.050
    expect(out).toMatch(/2025-04-15 +30% +20–40% +0\.090/);
    expect(out).toMatch(/2025-06-01 +10% +0–20% +0\.010/);
    expect(out).toContain("mean Brier across vintages: 0.050 (2 vintages)");
    expect(out).toContain("mean Brier across vintages: 0.040 (1 vintage)");
    // qc, unresolved, only in V2
    expect(out).toMatch(
      /qc {2}Made-up question qc\?\n {2}unresolved\n.*\n {2}2025-06-01 +50% +40–60% +— +toy-/,
    );
    // per vintage: V1 (0.04 + 0.09) / 2 = 0.065 on 2 of 2; V2 0.010 on 1 of 3
    expect(out).toMatch(
      /Brier over time\n.*\n {2}2025-04-15 +2\/2 +0\.065 +toy-.*\n {2}2025-06-01 +1\/3 +0\.010/,
    );
    // across vintages (0.065 + 0.010) / 2 = 0.0375; across questions (0.04 + 0.05) / 2 = 0.045
    expect(out).toMatch(/mean Brier across vintages: 0\.037|mean Brier across vintages: 0\.038/);
    expect(out).toContain("mean Brier across questions: 0.045");
    expect(out).toContain("resolutions: those recorded in the store for model 'toy'");
  });

  it("--format json gives the history with exact numbers; --question keeps one question", async () => {
    const r = await runCli("vintages", "history", "--data", data, "--format", "json");
    expect(r.code).toBe(0);
    const h = JSON.parse(r.out);
    expect(h.modelId).toBe("toy");
    expect(h.resolutionsFrom).toBe("store");
    expect(h.vintages.map((v: { vintageId: string }) => v.vintageId)).toEqual([V1.id, V2.id]);
    expect(h.questions.map((x: { id: string }) => x.id)).toEqual(["qa", "qb", "qc"]);
    expect(h.summary.meanBrierAcrossVintages).toBeCloseTo(0.0375, 12);
    expect(h.summary.meanBrierAcrossQuestions).toBeCloseTo(0.045, 12);
    const one = JSON.parse(
      (await runCli("vintages", "history", "--data", data, "--question", "qb", "--format", "json")).out,
    );
    expect(one.questions).toHaveLength(1);
    expect(one.questions[0].points.map((x: { p: number }) => x.p)).toEqual([0.3, 0.1]);
    expect(one.questions[0].meanBrier).toBeCloseTo(0.05, 12);
    const t = await runCli("vintages", "history", "--data", data, "--question", "qb");
    expect(t.out).toContain("qb  Made-up question qb?");
    expect(t.out).not.toContain("qa  Made-up question qa?");
  });

  it("takes resolutions from a file when given one", async () => {
    // MADE UP: qa no on 2025-07-01 (after both as-of dates: scored for both)
    const file = join(data, "res.yaml");
    writeFileSync(file, "- { question: qa, outcome: no, date: 2025-07-01, source: made up }\n");
    const r = await runCli("vintages", "history", "--data", data, "--resolutions", file, "--format", "json");
    expect(r.code).toBe(0);
    const h = JSON.parse(r.out);
    expect(h.resolutionsFrom).toBe(file);
    // qa: 0.8² = 0.64, 0.6² = 0.36 → mean 0.5; qb unresolved here
    expect(h.questions[0].points.map((x: { brier: number }) => x.brier)).toEqual([
      expect.closeTo(0.64, 12),
      expect.closeTo(0.36, 12),
    ]);
    expect(h.questions[0].meanBrier).toBeCloseTo(0.5, 12);
    expect(h.questions[1].meanBrier).toBeNull();
  });

  it("says what is wrong: an unknown question, no store, several models without --model", async () => {
    let r = await runCli("vintages", "history", "--data", data, "--question", "nope");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no vintage of model 'toy' holds question 'nope'; its questions: qa, qb, qc/);
    r = await runCli("vintages", "history", "--data", join(data, "none"));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no store in/);
    r = await runCli("vintages", "history", "--data", data, "--model", "other");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no vintages of model 'other'/);
    const store = (await openStore(data))!;
    await saveVintage(
      store,
      makeVintage(result("toy2", [q("qa", 0.5)]), { made: new Date("2025-04-20T00:00:00Z") }),
    );
    await store.close();
    r = await runCli("vintages", "history", "--data", data);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/vintages of 2 models \(toy, toy2\): choose one with --model/);
    r = await runCli("vintages", "history", "--data", data, "--model", "toy2", "--format", "json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).vintages).toHaveLength(1);
  });
});
