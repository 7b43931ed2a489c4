// muscat forecast --as-of and muscat score on hindcasts, through the CLI (in process). The
// resolutions are MADE UP FOR THIS TEST (the project ships no outcomes); the scores are checked
// against a computation by hand from the vintage's own probabilities.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type ForecastResult, makeVintage, vintageJson } from "../../src/forecast/index.js";
import { runCli as run } from "../helpers/cli.js";

const TOY = `id: toy
title: Toy
asOf: 2025-04-15
factors:
  - { id: a, name: A, current: x, states: [{ id: x, label: X }, { id: y, label: Y }] }
  - { id: b, name: B, current: x, states: [{ id: x, label: X }, { id: y, label: Y }] }
impacts:
  - { from: a=x, to: b=y, strength: 2, confidence: 3 }
  - { from: b=y, to: a=y, strength: 1 }
questions:
  - { id: q1, text: Will B be y by 2025-06-30?, condition: b=y, horizon: 2025-06-30 }
  - { id: q2, text: Will A be y within 3 months?, condition: a=y, horizon: 3 }
  - { id: q3, text: Will both be y by 2025-09-15?, condition: { all: [a=y, b=y] }, horizon: 2025-09-15 }
`;

const tmp = mkdtempSync(join(tmpdir(), "muscat-asof-"));
const toy = join(tmp, "toy.yaml");
writeFileSync(toy, TOY);

/** MADE-UP resolutions (test data only). */
const RES = `question,outcome,date,source
q1,yes,2025-06-30,MADE UP FOR THIS TEST
q2,no,2025-05-01,MADE UP FOR THIS TEST
q3,yes,2025-04-30,MADE UP FOR THIS TEST
`;
const resFile = join(tmp, "res.csv");
writeFileSync(resFile, RES);

describe("muscat forecast --as-of", () => {
  it("refuses a bad date (usage, 2) and a date before the model's (invalid, 1), saving nothing", async () => {
    const data = join(tmp, "refused");
    for (const bad of ["2025-02-30", "soon", "2025-4-15"]) {
      const r = await run("forecast", toy, "--as-of", bad, "--runs", "50", "--save", "--data", data);
      expect(r.code, bad).toBe(2);
      expect(r.err).toMatch(/--as-of must be a real date YYYY-MM-DD/);
    }
    const r = await run("forecast", toy, "--as-of", "2025-04-14", "--runs", "50", "--save", "--data", data);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /--as-of: the as-of date 2025-04-14 is before the model's date \(asOf 2025-04-15\): the model holds knowledge as of its own date/,
    );
    const l = await run("vintages", "--data", data, "--format", "json");
    expect(JSON.parse(l.out).vintages).toEqual([]);
  });

  it("defaults to the model's asOf, and says which date in the table and the JSON", async () => {
    const data = join(tmp, "default");
    const r = await run("forecast", toy, "--runs", "200", "--no-drivers", "--save", "--data", data);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(
      /issued as of 2025-04-15, the model's asOf: it uses what was known before that date, the model; scoring counts resolutions dated before 2025-04-15 as known/,
    );
    const j = await run(
      "forecast",
      toy,
      "--runs",
      "200",
      "--no-drivers",
      "--as-of",
      "2025-05-01",
      "--format",
      "json",
    );
    expect(j.code, j.err).toBe(0);
    expect(JSON.parse(j.out).asOf).toBe("2025-05-01");
    const t = await run("forecast", toy, "--runs", "200", "--no-drivers", "--as-of", "2025-05-01");
    expect(t.out).toMatch(/issued as of 2025-05-01 \(the model's asOf is 2025-04-15\)/);
    // a forecast that is not issued (no --as-of, no --save) says nothing about an as-of date
    const plain = await run("forecast", toy, "--runs", "200", "--no-drivers");
    expect(plain.out).not.toMatch(/issued as of/);
  });

  it("an issued forecast uses only the observations dated before its as-of date", async () => {
    // MADE-UP observation (test data only): A was y on 2025-05-10.
    const observed = join(tmp, "observed.yaml");
    writeFileSync(
      observed,
      `${TOY}observations:\n  - { state: a=y, date: 2025-05-10, evidence: [], note: MADE UP FOR THIS TEST }\n`,
    );
    const data = join(tmp, "observed");
    const used = async (...args: string[]) => {
      const r = await run("forecast", observed, "--runs", "200", "--no-drivers", "--format", "json", ...args);
      expect(r.code, r.err).toBe(0);
      return JSON.parse(r.out).observations?.used ?? [];
    };
    // not issued: the engine's default, every observation
    expect(await used()).toEqual([{ state: "a=y", date: "2025-05-10" }]);
    // saved as of the model's date, or issued as of the observation's day: not known yet, unused
    expect(await used("--save", "--data", data)).toEqual([]);
    expect(await used("--as-of", "2025-05-10")).toEqual([]);
    // as of the day after: used
    expect(await used("--as-of", "2025-05-11", "--save", "--data", data)).toEqual([
      { state: "a=y", date: "2025-05-10" },
    ]);
    const l = JSON.parse((await run("vintages", "--data", data, "--format", "json")).out).vintages;
    expect(l.map((v: { asOf: string }) => v.asOf)).toEqual(["2025-04-15", "2025-05-11"]);
    // asking for observations the as-of date does not know yet is refused
    const bad = await run("forecast", observed, "--as-of", "2025-05-10", "--observed-until", "2025-05-10");
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(
      /--observed-until 2025-05-10 is on or after the as-of date 2025-05-10: a forecast issued as of 2025-05-10 uses only the observations dated before it \(--observed-until 2025-05-09 at the latest/,
    );
  }, 60_000);

  it("a hindcast: saved as of a past date, scored on the outcomes after it, the one before excluded", async () => {
    const data = join(tmp, "hindcast");
    const f = await run(
      "forecast",
      toy,
      "--as-of",
      "2025-05-01",
      "--runs",
      "400",
      "--no-drivers",
      "--save",
      "--data",
      data,
      "--format",
      "json",
    );
    expect(f.code, f.err).toBe(0);
    const out = JSON.parse(f.out);
    expect(out.vintage).toMatchObject({ asOf: "2025-05-01", asOfFrom: "vintage" });
    // `made` is the wall clock (within the last minute), not the as-of date
    expect(Date.now() - Date.parse(out.vintage.made)).toBeLessThan(60_000);
    const l = await run("vintages", "--data", data);
    expect(l.out).toMatch(new RegExp(`${out.vintage.id} +as of 2025-05-01  made `));

    const s = await run(
      "score",
      "--vintage",
      "latest",
      "--resolutions",
      resFile,
      "--data",
      data,
      "--format",
      "json",
    );
    expect(s.code, s.err).toBe(0);
    const sj = JSON.parse(s.out);
    expect(sj.asOf).toMatchObject({ date: "2025-05-01", from: "vintage" });
    // q3 (2025-04-30) was known; q2 on the as-of date and q1 on its window end are scored
    expect(sj.excluded.map((x: { id: string; code: string }) => [x.id, x.code])).toEqual([["q3", "known"]]);
    expect(sj.scored.map((x: { id: string }) => x.id)).toEqual(["q1", "q2"]);
    expect(sj.warnings).toEqual([]); // q1's yes on 2025-06-30 is inside its window (not after step 2, 2025-06-15)
    expect(sj.scored[0].window).toEqual({ from: "2025-04-15", to: "2025-06-30" });
    // By hand, from the vintage's probabilities: ((p1 − 1)² + (p2 − 0)²) / 2
    const [p1, p2] = [out.questions[0].p, out.questions[1].p];
    expect(sj.summary.brier).toBeCloseTo(((p1 - 1) ** 2 + p2 ** 2) / 2, 12);

    const t = await run("score", "--vintage", out.vintage.id, "--resolutions", resFile, "--data", data);
    expect(t.code, t.err).toBe(0);
    expect(t.out).toMatch(
      /scored as of 2025-05-01, the vintage's as-of date \(its model's asOf is 2025-04-15\)/,
    );
    expect(t.out).toMatch(
      /excluded: q3: resolved yes on 2025-04-30, before the vintage's as-of date 2025-05-01: known when it was issued/,
    );
  }, 60_000);

  it("a question whose window opens later: the vintage records the start; a yes before it does not count", async () => {
    const data = join(tmp, "window");
    const model = join(tmp, "windowed.yaml");
    writeFileSync(
      model,
      TOY.replace(
        "  - { id: q3, text: Will both be y by 2025-09-15?, condition: { all: [a=y, b=y] }, horizon: 2025-09-15 }",
        "  - { id: q3, text: Will both be y between 2025-06-01 and 2025-09-15?, condition: { all: [a=y, b=y] }, window: [2025-06-01, 2025-09-15] }",
      ),
    );
    const f = await run(
      "forecast",
      model,
      "--runs",
      "200",
      "--no-drivers",
      "--save",
      "--data",
      data,
      "--format",
      "json",
    );
    expect(f.code, f.err).toBe(0);
    const id = JSON.parse(f.out).vintage.id;
    const e = await run("vintages", "export", id, "--data", data);
    expect(JSON.parse(e.out).questions.find((x: { id: string }) => x.id === "q3").from).toBe("2025-06-01");
    // MADE-UP: q3 resolved yes on 2025-05-20, after the as-of date but before its window opens
    const res = join(tmp, "window-res.csv");
    writeFileSync(res, "question,outcome,date,source\nq3,yes,2025-05-20,MADE UP FOR THIS TEST\n");
    const s = await run("score", "--vintage", id, "--resolutions", res, "--data", data);
    expect(s.code, s.err).toBe(0);
    expect(s.out).toMatch(
      /excluded: q3: resolved yes on 2025-05-20, before the question's window opens on 2025-06-01 \(window 2025-06-01 to 2025-09-15\): a yes before the window does not count as yes within it/,
    );
    expect(s.out).toMatch(/0 resolved \(0 yes\)/);
  }, 60_000);

  it("score: an unknown vintage is an error (1); a vintage file with --resolutions needs no store", async () => {
    const data = join(tmp, "empty");
    const u = await run(
      "score",
      "--vintage",
      "toy-20250101T000000Z-00000000",
      "--resolutions",
      resFile,
      "--data",
      data,
    );
    expect(u.code).toBe(1);
    expect(u.err).toMatch(/no store .* so no vintage/);
    // A hand-made vintage (made-up probabilities, no engine run): Brier by hand.
    const result: ForecastResult = {
      kind: "forecast",
      engine: { name: "muscat-forecast", version: "1.0.0", prob: "1.0.0" },
      model: { id: "toy", title: "Toy", hash: "0".repeat(64), asOf: "2025-04-15", step: "P1M" },
      seed: 1,
      runs: 100,
      runsPerMatrix: 50,
      uncertainty: false,
      driverRuns: null,
      indicatorRuns: null,
      interval: "none",
      start: { states: {}, inferred: [] },
      questions: (
        [
          ["q1", 0.7, "2025-06-30", 2, "2025-06-15"],
          ["q2", 0.2, 3, 3, "2025-07-15"],
          ["q3", 0.4, "2025-09-15", 5, "2025-09-15"],
        ] as const
      ).map(([id, p, given, steps, date]) => ({
        id,
        text: id,
        condition: "a=y",
        mode: "by" as const,
        horizon: { given, steps, date },
        given: [],
        p,
        interval: { lo: p, hi: p, level: 0.9, sd: 0 },
        mc: { lo: p, hi: p },
      })),
    };
    const file = join(tmp, "hand.json");
    writeFileSync(file, vintageJson(makeVintage(result, { made: new Date("2026-01-01T00:00:00Z") })));
    const s = await run("score", "--vintage", file, "--resolutions", resFile, "--format", "json");
    expect(s.code, s.err).toBe(0);
    const sj = JSON.parse(s.out);
    // as of the model's date 2025-04-15: all three count.
    // By hand: (0.7 − 1)² + (0.2 − 0)² + (0.4 − 1)² = 0.09 + 0.04 + 0.36 = 0.49; / 3
    expect(sj.asOf.date).toBe("2025-04-15");
    expect(sj.excluded).toEqual([]);
    expect(sj.summary.brier).toBeCloseTo(0.49 / 3, 12);
    expect(readFileSync(file, "utf8")).toMatch(/"asOf": "2025-04-15"/);
  });
});
