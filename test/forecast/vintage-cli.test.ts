// Vintages re-score identically after the model changes; they are kept in the store and move
// between stores as checked JSON files; resolutions files; the CLI on the seed model lists
// every question with a probability, interval and drivers.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  FORECAST_ENGINE_VERSION,
  forecastQuestions,
  makeVintage,
  parseResolutions,
  parseVintage,
  ResolutionError,
  scoreVintage,
  VintageError,
  vintageJson,
} from "../../src/forecast/index.js";
import { compileModel } from "../../src/model/compile.js";
import { parseModelText } from "../../src/model/load.js";
import { findStoredVintage, listStoredVintages, saveVintage } from "../../src/store/forecasts.js";
import { openStore } from "../../src/store/index.js";
import { runCli } from "../helpers/cli.js";
import { seedModelPath } from "../helpers/paths.js";

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
  - { id: q1, text: Will B be y by 2025-07-15?, condition: b=y, horizon: 2025-07-15 }
  - { id: q2, text: Will A be y by 2025-06-15?, condition: a=y, horizon: 2 }
  - { id: q3, text: Will both be y by 2025-09-15?, condition: { all: [a=y, b=y] }, horizon: 2025-09-15 }
`;

const RES_YAML = `resolutions:
  - { question: q1, outcome: yes, date: 2025-06-01, source: https://example.org/1 }
  - { question: q2, outcome: no, date: 2025-06-15, source: an official statement }
  - { question: zz, outcome: no, date: 2025-06-15, source: nowhere }
`;

function load(text: string) {
  const r = parseModelText(text);
  if (!r.model) throw new Error(JSON.stringify(r.problems));
  return r.model;
}

const run = runCli;

describe("vintages", () => {
  it("save in the store, list, find, and re-score identically after the model changes", async () => {
    const store = (await openStore(mkdtempSync(join(tmpdir(), "muscat-vintages-"))))!;
    const model = load(TOY);
    const r = await forecastQuestions(model, compileModel(model), { runs: 1000, seed: 2, driverRuns: 200 });
    const v = makeVintage(r, { made: new Date("2025-04-16T10:00:00Z") });
    expect(v.id).toMatch(/^toy-20250416T100000Z-[0-9a-f]{8}$/);
    const saved = await saveVintage(store, v);
    // the model is not in this store: the vintage is kept under its id, with no stored version
    expect(saved).toMatchObject({
      id: v.id,
      modelId: "toy",
      modelVersion: null,
      engineVersion: `forecast/${FORECAST_ENGINE_VERSION}`,
    });
    await expect(saveVintage(store, v)).rejects.toThrow(/in the store already/);
    expect((await listStoredVintages(store)).map((x) => x.id)).toEqual([v.id]);
    expect((await findStoredVintage(store, "latest")).vintage).toEqual(
      (await findStoredVintage(store, v.id.slice(0, 12))).vintage,
    );
    expect((await findStoredVintage(store, v.id)).vintage).toEqual(JSON.parse(JSON.stringify(v)));
    await expect(findStoredVintage(store, "nope")).rejects.toThrow(/no vintage 'nope'.*vintages: toy-/);

    const res = parseResolutions(RES_YAML, "yaml");
    const stored = async () => (await findStoredVintage(store, v.id)).vintage;
    const before = scoreVintage(await stored(), res);
    expect(before.scored.map((s) => s.id)).toEqual(["q1", "q2"]);
    expect(before.unresolved).toEqual(["q3"]);
    expect(before.unknown).toEqual(["zz"]);
    const [p1, p2] = [r.questions[0].p, r.questions[1].p];
    expect(before.summary.brier).toBeCloseTo(((p1 - 1) ** 2 + p2 ** 2) / 2, 12);

    // Change the model: another judgment, a question dropped, a new one. The vintage holds.
    const changed = load(
      TOY.replace("strength: 2, confidence: 3", "strength: -1, confidence: 3").replace(
        / {2}- \{ id: q1.*\n/,
        "",
      ),
    );
    const r2 = await forecastQuestions(changed, compileModel(changed), {
      runs: 1000,
      seed: 2,
      drivers: false,
    });
    expect(r2.model.hash).not.toBe(r.model.hash);
    expect(r2.questions[0].p).not.toBe(r.questions[1].p);
    const after = scoreVintage(await stored(), res);
    expect(JSON.stringify(after)).toBe(JSON.stringify(before));
    await store.close();
  });

  it("a vintage file is checked whole: every problem with its path; an edited file is refused", async () => {
    const model = load(TOY);
    const r = await forecastQuestions(model, compileModel(model), { runs: 200, drivers: false });
    const v = makeVintage(r, { made: new Date("2025-05-01T00:00:00Z") });
    const text = vintageJson(v);
    expect(parseVintage(text, "v.json")).toEqual(JSON.parse(text));
    const bad = (f: (x: Record<string, unknown>) => void) => {
      const x = JSON.parse(text);
      f(x);
      return JSON.stringify(x);
    };
    const problems = (t: string) => {
      try {
        parseVintage(t, "v.json");
      } catch (e) {
        expect(e).toBeInstanceOf(VintageError);
        return e as VintageError;
      }
      throw new Error("accepted");
    };
    let e = problems('{\n  "kind": "forecast.vintage",\n}');
    expect(e.message).toMatch(/^v\.json is not JSON \(line 3, column 1\)/);
    e = problems(bad((x) => Object.assign(x, { kind: "forecast" })));
    expect(e.message).toMatch(/v\.json is not a valid vintage: kind: expected "forecast\.vintage"/);
    e = problems(
      bad((x) => {
        (x.questions as { p: number }[])[1].p = 1.5;
        delete (x.questions as { mode?: string }[])[2].mode;
        x.seed = -1;
      }),
    );
    expect(e.problems.map((p) => p.path)).toEqual(["seed", "questions.1.p", "questions.2.mode"]);
    expect(e.message).toMatch(/questions\.1\.p: expected a probability in \[0, 1\], got 1\.5/);
    expect(e.message).toMatch(/questions\.2\.mode: missing/);
    // a valid-looking edit of a probability: the content no longer matches the id's hash
    e = problems(bad((x) => Object.assign((x.questions as { p: number }[])[0], { p: 0.5 })));
    expect(e.problems.map((p) => p.path)).toEqual(["id"]);
    expect(e.message).toMatch(/the content does not match the id/);
    e = problems(bad((x) => Object.assign(x, { format: 99 })));
    expect(e.message).toMatch(/vintage format 99; this muscat reads up to 2/);
  });

  it("excludes resolutions dated before the vintage's as-of date; warns on a yes after the window", async () => {
    // MADE-UP outcomes (test data only). Boundaries: test/forecast/vintage-asof.test.ts.
    const model = load(TOY);
    const r = await forecastQuestions(model, compileModel(model), { runs: 200, drivers: false });
    const v = makeVintage(r, { made: new Date("2026-05-01T00:00:00Z"), asOf: "2025-05-01" });
    const s = scoreVintage(v, [
      { question: "q1", outcome: 1, date: "2025-04-20", source: "x" },
      { question: "q2", outcome: 1, date: "2025-09-01", source: "y" },
    ]);
    expect(s.excluded.map((x) => x.id)).toEqual(["q1"]);
    expect(s.scored.map((x) => x.id)).toEqual(["q2"]);
    expect(s.warnings.join()).toMatch(
      /q2: resolved yes on 2025-09-01, after the end of the question's window 2025-06-15/,
    );
    // the made time (2026) decides nothing: as of the model's date q1 counts
    const d = scoreVintage(makeVintage(r, { made: new Date("2026-05-01T00:00:00Z") }), [
      { question: "q1", outcome: 1, date: "2025-04-20", source: "x" },
    ]);
    expect(d.scored.map((x) => x.id)).toEqual(["q1"]);
  });

  it("reads CSV resolutions and reports every bad row", () => {
    const ok = parseResolutions(
      'question,outcome,date,source\nq1,yes,2025-06-01,"Reuters, 1 June"\nq2,No,2025-06-15,https://example.org\n',
      "csv",
    );
    expect(ok).toEqual([
      { question: "q1", outcome: 1, date: "2025-06-01", source: "Reuters, 1 June" },
      { question: "q2", outcome: 0, date: "2025-06-15", source: "https://example.org" },
    ]);
    try {
      parseResolutions(
        "question,outcome,date,source\nq1,maybe,2025-06-01,x\nq2,yes,2025-13-01,x\nq3,no,2025-01-01,x\nq3,no,2025-01-01,x\n",
        "csv",
        "r.csv",
      );
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ResolutionError);
      const p = (e as ResolutionError).problems;
      expect(p).toHaveLength(3);
      expect(p[0]).toMatch(/row 2: outcome must be yes or no/);
      expect(p[1]).toMatch(/row 3: date must be YYYY-MM-DD/);
      expect(p[2]).toMatch(/row 5: question 'q3' is resolved twice/);
    }
  });
});

describe("muscat forecast | score | vintages", () => {
  it("forecast on the seed model lists every question with a probability, interval and drivers", async () => {
    const data = mkdtempSync(join(tmpdir(), "muscat-data-"));
    const r = await run(
      "forecast",
      seedModelPath,
      "--format",
      "json",
      "--runs",
      "600",
      "--driver-runs",
      "200",
      "--indicator-runs",
      "300",
      "--save",
      "--data",
      data,
    );
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    const seed = parseModelText(readFileSync(seedModelPath, "utf8")).model!;
    expect(seed.questions!.length).toBeGreaterThanOrEqual(10);
    expect(seed.questions!.length).toBeLessThanOrEqual(20);
    expect(j.questions.map((q: { id: string }) => q.id)).toEqual(seed.questions!.map((q) => q.id));
    for (const q of j.questions) {
      expect(q.p).toBeGreaterThanOrEqual(0);
      expect(q.p).toBeLessThanOrEqual(1);
      expect(q.interval.lo).toBeLessThanOrEqual(q.p);
      expect(q.interval.hi).toBeGreaterThanOrEqual(q.p);
      expect(q.drivers.length, q.id).toBeGreaterThan(0);
      expect(q.horizon.date <= "2026-10-15").toBe(true);
      expect(q.horizon.date > seed.asOf).toBe(true);
    }
    expect(j.vintage.id).toMatch(/^oman-2025-/);

    // Score the saved vintage against made-up outcomes (tests only; the project ships none).
    const resFile = join(data, "res.csv");
    writeFileSync(
      resFile,
      `question,outcome,date,source\n${j.questions
        .map((q: { id: string }, i: number) => `${q.id},${i % 3 === 0 ? "yes" : "no"},2099-01-01,test`)
        .join("\n")}\n`,
    );
    const chart = join(data, "rel.svg");
    const s = await run(
      "score",
      "--vintage",
      "latest",
      "--resolutions",
      resFile,
      "--data",
      data,
      "--chart",
      chart,
      "--format",
      "json",
    );
    expect(s.code, s.err).toBe(0);
    const sj = JSON.parse(s.out);
    expect(sj.summary.n).toBe(j.questions.length);
    expect(sj.summary.decomposition).not.toBeNull();
    const svg = readFileSync(chart, "utf8");
    expect(svg).toMatch(/^<svg [\s\S]*<\/svg>\n$/);
    expect(svg).toContain(`Reliability: ${j.vintage.id}`);
    expect(svg).toContain(`Brier ${sj.summary.brier.toFixed(3)}`);
    const t = await run("score", "--vintage", j.vintage.id, "--resolutions", resFile, "--data", data);
    expect(t.out).toMatch(/Brier/);
    expect(t.out).toMatch(/always 0\.5/);
    const l = await run("vintages", "--data", data, "--format", "json");
    expect(JSON.parse(l.out).vintages).toHaveLength(1);
    expect(JSON.parse(l.out).store).toBe(join(data, "muscat.db"));
    expect((await run("vintages", "list", "--data", data)).out).toContain(j.vintage.id);
    // --chart does not overwrite without --force
    const again = await run(
      "score",
      "--vintage",
      "latest",
      "--resolutions",
      resFile,
      "--data",
      data,
      "--chart",
      chart,
    );
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/exists \(use --force/);
  });

  it("vintage files left by earlier versions: a note, and import reads the folder", async () => {
    const data = mkdtempSync(join(tmpdir(), "muscat-data-"));
    const model = load(TOY);
    const r = await forecastQuestions(model, compileModel(model), { runs: 200, drivers: false });
    const v = makeVintage(r, { made: new Date("2025-05-01T00:00:00Z") });
    mkdirSync(join(data, "vintages"));
    writeFileSync(join(data, "vintages", `${v.id}.json`), vintageJson(v));
    const l = await run("vintages", "--data", data);
    expect(l.code).toBe(0);
    expect(l.out).toMatch(/no vintages/);
    expect(l.err).toMatch(
      /1 vintage file in .*vintages .* not read any more: import it .*muscat vintages import/,
    );
    const s = await run("score", "--vintage", "latest", "--resolutions", "x.csv", "--data", data);
    expect(s.code).toBe(1);
    const i = await run("vintages", "import", join(data, "vintages"), "--data", data);
    expect(i.code, i.err).toBe(0);
    expect(i.out).toMatch(new RegExp(`imported +${v.id}`));
    // importing again changes nothing
    const i2 = await run("vintages", "import", join(data, "vintages"), "--data", data, "--format", "json");
    expect(JSON.parse(i2.out).vintages.map((x: { status: string }) => x.status)).toEqual(["unchanged"]);
    // and a vintage file is still accepted by score --vintage
    const res = join(data, "res.yaml");
    writeFileSync(res, RES_YAML);
    const f = await run(
      "score",
      "--vintage",
      join(data, "vintages", `${v.id}.json`),
      "--resolutions",
      res,
      "--format",
      "json",
    );
    expect(f.code, f.err).toBe(0);
    expect(JSON.parse(f.out).scored.map((x: { id: string }) => x.id)).toEqual(["q1", "q2"]);
  });

  it("import checks every file first: one bad file imports nothing, and says what and where", async () => {
    const data = mkdtempSync(join(tmpdir(), "muscat-data-"));
    const model = load(TOY);
    const r = await forecastQuestions(model, compileModel(model), { runs: 200, drivers: false });
    const good = makeVintage(r, { made: new Date("2025-05-01T00:00:00Z") });
    const other = makeVintage(r, { made: new Date("2025-05-02T00:00:00Z") });
    const goodFile = join(data, "good.json");
    const badFile = join(data, "bad.json");
    writeFileSync(goodFile, vintageJson(good));
    const broken = JSON.parse(vintageJson(other));
    broken.questions[0].horizon.date = "soon";
    writeFileSync(badFile, JSON.stringify(broken));
    const i = await run("vintages", "import", goodFile, badFile, "--data", data);
    expect(i.code).toBe(1);
    expect(i.err).toMatch(/nothing imported: 1 of 2 files is not a valid vintage/);
    expect(i.err).toContain(
      `${badFile} is not a valid vintage: questions.0.horizon.date: expected a date YYYY-MM-DD, got "soon"`,
    );
    expect(existsSync(join(data, "muscat.db"))).toBe(false);
    const l = await run("vintages", "--data", data, "--format", "json");
    expect(JSON.parse(l.out).vintages).toEqual([]);
    expect((await run("vintages", "import", join(data, "nope.json"), "--data", data)).code).toBe(1);
    expect((await run("vintages", "export", "latest", "--data", data)).code).toBe(1);
  });

  it("exit codes: 2 on usage errors, 1 on a missing vintage or bad resolutions", async () => {
    expect((await run("forecast", "--runs", "0")).code).toBe(2);
    const data = mkdtempSync(join(tmpdir(), "muscat-data-"));
    expect((await run("score", "--vintage", "nope", "--resolutions", "x.csv", "--data", data)).code).toBe(1);
    expect((await run("score", "--resolutions", "x.csv")).code).toBe(2);
    const h = await run("forecast", "--help");
    expect(h.code).toBe(0);
    expect(h.out).toMatch(/Example:/);
  });
});
