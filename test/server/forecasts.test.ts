// Forecast vintages, resolutions and scores over the HTTP API (app.request, no port): save a
// forecast run as a vintage, record resolutions (validated, all or nothing), score the vintage
// and check the numbers against the forecast module's functions computed here independently.
// Vintages have one home, the store: the CLI, run on the same data directory, sees the app's
// vintages and the app the CLI's; files exported by either import into any store unchanged.
// The outcomes below are MADE UP FOR THIS TEST: the project ships no resolutions.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  brierScore,
  FORECAST_ENGINE_VERSION,
  logScore,
  scoreOutcomes,
  scoreVintage,
  type Vintage,
  vintageJson,
} from "../../src/forecast/index.js";
import { createApp } from "../../src/server/app.js";
import { JobQueue } from "../../src/server/jobs.js";
import { openStore, type Store, seedIfEmpty } from "../../src/store/index.js";
import { runCli } from "../helpers/cli.js";
import { seedModelPath } from "../helpers/paths.js";

const seedText = readFileSync(seedModelPath, "utf8");
let dir: string;
let store: Store;
let queue: JobQueue;
let app: ReturnType<typeof createApp>;

const req = (method: string, path: string, body?: unknown) =>
  app.request(path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
const j = async (r: Response): Promise<any> => r.json();

async function runDone(modelId: string, engine: string, options: Record<string, unknown>) {
  const started = await j(await req("POST", `/api/models/${modelId}/runs`, { engine, options }));
  for (let i = 0; i < 600; i++) {
    const r = await j(await req("GET", `/api/runs/${started.runId}`));
    if (r.status === "done") return r;
    if (r.status === "failed" || r.status === "cancelled") throw new Error(`run failed: ${r.error}`);
    await new Promise((s) => setTimeout(s, 50));
  }
  throw new Error("run did not finish");
}

const FAST = { runs: 300, seed: 7, drivers: false, uncertainty: false };
let forecastRun: { runId: number; result: { questions: { id: string; p: number }[] } };
let questionIds: string[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "muscat-forecasts-"));
  store = (await openStore(dir))!;
  queue = new JobQueue(store, { cancelGraceMs: 1500, progressEveryMs: 50 });
  await seedIfEmpty(store, seedText);
  app = createApp({ store, queue, version: "test" });
  forecastRun = await runDone("oman-2025", "forecast", FAST);
  questionIds = forecastRun.result.questions.map((q) => q.id);
}, 60_000);

afterAll(async () => {
  await queue.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

let vid: string;

describe("vintages", () => {
  it("documents the new endpoints in the OpenAPI document", async () => {
    const doc = await j(await req("GET", "/api/openapi.json"));
    for (const p of [
      "/api/models/{id}/vintages",
      "/api/vintages/{vid}",
      "/api/vintages/{vid}/score",
      "/api/vintages/{vid}/export",
      "/api/vintage-imports",
      "/api/models/{id}/resolutions",
    ])
      expect(Object.keys(doc.paths)).toContain(p);
    expect(Object.keys(doc.paths["/api/models/{id}/resolutions"])).toEqual(
      expect.arrayContaining(["get", "put"]),
    );
  });

  it("saves a finished forecast run as a vintage, exactly as issued", async () => {
    const r = await req("POST", "/api/models/oman-2025/vintages", { runId: forecastRun.runId });
    expect(r.status).toBe(201);
    const s = await j(r);
    vid = s.id;
    const run = await j(await req("GET", `/api/runs/${forecastRun.runId}`));
    expect(s).toMatchObject({
      modelId: "oman-2025",
      modelVersion: run.version,
      modelHash: run.modelHash,
      engineVersion: run.engineVersion,
      seed: 7,
      runs: 300,
      runId: forecastRun.runId,
      questions: questionIds.length,
      made: new Date(run.finishedAt).toISOString(),
      // no asOf in the body: the model's date
      asOf: "2025-04-15",
      asOfFrom: "vintage",
    });
    expect(vid).toMatch(/^oman-2025-\d{8}T\d{6}Z-[0-9a-f]{8}$/);
    const v = await j(await req("GET", `/api/vintages/${vid}`));
    expect(v.vintage.kind).toBe("forecast.vintage");
    expect(v.vintage.id).toBe(vid);
    // every question's forecast as the run issued it
    const { kind: _k, ...issued } = run.result;
    expect(v.vintage).toMatchObject(issued);
    // saving the same run again gives the same vintage (no duplicate)
    const again = await req("POST", "/api/models/oman-2025/vintages", { runId: forecastRun.runId });
    expect(again.status).toBe(200);
    expect((await j(again)).id).toBe(vid);
    const list = await j(await req("GET", "/api/models/oman-2025/vintages"));
    expect(list.map((x: { id: string }) => x.id)).toEqual([vid]);
  });

  it("refuses unknown runs, runs of another engine, unfinished runs and bad bodies", async () => {
    let r = await req("POST", "/api/models/oman-2025/vintages", { runId: 999_999 });
    expect(r.status).toBe(404);
    expect((await j(r)).problems[0].path).toBe("body.runId");
    const other = await runDone("oman-2025", "scenarios", {});
    r = await req("POST", "/api/models/oman-2025/vintages", { runId: other.runId });
    expect(r.status).toBe(400);
    expect((await j(r)).error).toMatch(/'scenarios' run/);
    // a run that is still queued or running
    const slow = await j(
      await req("POST", "/api/models/oman-2025/runs", {
        engine: "forecast",
        options: { runs: 200_000, seed: 2 },
      }),
    );
    r = await req("POST", "/api/models/oman-2025/vintages", { runId: slow.runId });
    expect(r.status).toBe(409);
    await req("POST", `/api/runs/${slow.runId}/cancel`, {});
    await queue.idle();
    for (const bad of [{}, { runId: "1" }, { runId: 0 }, { runId: 1, extra: true }]) {
      r = await req("POST", "/api/models/oman-2025/vintages", bad);
      expect(r.status).toBe(400);
      expect((await j(r)).problems.length).toBeGreaterThan(0);
    }
    r = await req("POST", "/api/models/no-such-model/vintages", { runId: forecastRun.runId });
    expect(r.status).toBe(404);
    r = await req("GET", "/api/models/no-such-model/vintages");
    expect(r.status).toBe(404);
  });

  it("404s unknown vintages and rejects malformed vintage ids", async () => {
    let r = await req("GET", "/api/vintages/oman-2025-20250101T000000Z-00000000");
    expect(r.status).toBe(404);
    expect((await j(r)).error).toMatch(/no vintage/);
    r = await req("GET", "/api/vintages/oman-2025-20250101T000000Z-00000000/score");
    expect(r.status).toBe(404);
    for (const bad of ["..%2F..%2Fetc%2Fpasswd", "NOT-A-VINTAGE", "oman-2025"]) {
      r = await req("GET", `/api/vintages/${bad}`);
      expect(r.status).toBe(400);
    }
  });
});

describe("resolutions and scores (made-up outcomes, for this test only)", () => {
  it("scores with no resolutions: everything unresolved, no chart", async () => {
    const s = await j(await req("GET", `/api/vintages/${vid}/score`));
    expect(s.kind).toBe("forecast.score");
    expect(s.summary.n).toBe(0);
    expect(s.unresolved.sort()).toEqual([...questionIds].sort());
    expect(s.reliabilitySvg).toBeNull();
  });

  it("validates resolutions and saves nothing when any is wrong", async () => {
    const ok = { question: questionIds[0], outcome: "yes", date: "2026-01-15", source: "made up (test)" };
    const cases: [unknown, number, RegExp][] = [
      [{ resolutions: [ok, { ...ok, question: "no-such-question" }] }, 400, /no question 'no-such-question'/],
      [{ resolutions: [ok, { ...ok, question: questionIds[1], date: "2026-02-30" }] }, 400, /date/],
      [{ resolutions: [ok, { ...ok, question: questionIds[1], date: "15/01/2026" }] }, 400, /YYYY-MM-DD/],
      [{ resolutions: [{ ...ok, outcome: "maybe" }] }, 400, /outcome/],
      [{ resolutions: [ok, ok] }, 400, /resolved twice/],
      [{ resolutions: [{ ...ok, extra: 1 }] }, 400, /extra|unrecognized/i],
      [{ resolutions: [{ ...ok, question: "../../x" }] }, 400, /question/],
      [{}, 400, /resolutions/],
    ];
    for (const [body, status, msg] of cases) {
      const r = await req("PUT", "/api/models/oman-2025/resolutions", body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      const e = await j(r);
      expect(e.error).toMatch(msg);
      expect(e.problems.length).toBeGreaterThan(0);
    }
    // all or nothing: the valid row of each refused request was not saved
    expect((await j(await req("GET", "/api/models/oman-2025/resolutions"))).resolutions).toEqual([]);
    expect((await req("PUT", "/api/models/no-such-model/resolutions", { resolutions: [] })).status).toBe(404);
    expect((await req("GET", "/api/models/no-such-model/resolutions")).status).toBe(404);
  });

  it("records resolutions and scores the vintage like the forecast module does", async () => {
    // MADE-UP outcomes for this test (alternating yes/no), dated the day the vintage was made.
    const day = (await j(await req("GET", `/api/vintages/${vid}`))).made.slice(0, 10);
    const made = questionIds.slice(0, 6).map((q, i) => ({
      question: q,
      outcome: i % 2 === 0 ? "yes" : "no",
      date: day,
      ...(i === 0 ? { source: "made up for the test" } : {}),
    }));
    const r = await req("PUT", "/api/models/oman-2025/resolutions", { resolutions: made });
    expect(r.status).toBe(200);
    const saved = await j(r);
    expect(saved.resolutions.map((x: { question: string }) => x.question)).toEqual(
      made.map((m) => m.question).sort(),
    );
    expect(saved.resolutions.find((x: { question: string }) => x.question === made[0].question).source).toBe(
      "made up for the test",
    );
    const s = await j(await req("GET", `/api/vintages/${vid}/score`));
    // independently: the vintage's probabilities and the made-up outcomes
    const v = (await j(await req("GET", `/api/vintages/${vid}`))).vintage as Vintage;
    const items = made.map((m) => ({
      id: m.question,
      p: v.questions.find((q) => q.id === m.question)!.p,
      outcome: (m.outcome === "yes" ? 1 : 0) as 0 | 1,
    }));
    expect(s.summary.n).toBe(6);
    expect(s.summary.brier).toBeCloseTo(brierScore(items), 12);
    expect(s.summary.log).toBeCloseTo(logScore(items), 12);
    const expected = scoreOutcomes(items);
    expect(s.summary.baselines.half.brier).toBeCloseTo(0.25, 12);
    expect(s.summary.baselines.baseRate.brier).toBeCloseTo(expected.baselines.baseRate.brier!, 12);
    expect(s.summary.calibration).toEqual(JSON.parse(JSON.stringify(expected.calibration)));
    expect(s.summary.decomposition).toBeNull(); // fewer than 10 resolved questions
    expect(s.unresolved).toHaveLength(questionIds.length - 6);
    const viaModule = scoreVintage(
      v,
      [...made]
        .sort((a, b) => (a.question < b.question ? -1 : 1))
        .map((m) => ({
          question: m.question,
          outcome: m.outcome === "yes" ? 1 : 0,
          date: m.date,
          source: m.source ?? "",
        })),
    );
    expect(s.scored).toEqual(JSON.parse(JSON.stringify(viaModule.scored)));
    expect(s.reliabilitySvg).toMatch(/^<svg /);
    expect(s.reliabilitySvg).toContain(`Brier ${brierScore(items).toFixed(3)}`);
    expect(s.reliabilitySvg).toContain(`Reliability: ${vid}`);
    expect(s.reliabilitySvg).toMatch(/<\/svg>\n$/);
  });

  it("reports the decomposition with enough resolved questions; PUT replaces the whole set", async () => {
    expect(questionIds.length).toBeGreaterThanOrEqual(10);
    const day = (await j(await req("GET", `/api/vintages/${vid}`))).made.slice(0, 10);
    const all = questionIds.map((q, i) => ({
      question: q,
      outcome: i % 3 === 0 ? "yes" : "no", // MADE UP for the test
      date: day,
    }));
    expect((await req("PUT", "/api/models/oman-2025/resolutions", { resolutions: all })).status).toBe(200);
    let s = await j(await req("GET", `/api/vintages/${vid}/score`));
    expect(s.summary.n).toBe(questionIds.length);
    expect(s.summary.decomposition).not.toBeNull();
    expect(s.summary.decomposition.brier).toBeCloseTo(s.summary.brier, 10);
    // a smaller set replaces it: the rest become unresolved
    expect(
      (await req("PUT", "/api/models/oman-2025/resolutions", { resolutions: all.slice(0, 2) })).status,
    ).toBe(200);
    s = await j(await req("GET", `/api/vintages/${vid}/score`));
    expect(s.summary.n).toBe(2);
  });

  it("deletes vintages and resolutions with their model", async () => {
    const text = seedText.replace(/^id: oman-2025$/m, "id: oman-copy");
    expect(text).not.toBe(seedText);
    expect((await req("POST", "/api/models", { text })).status).toBe(201);
    const run = await runDone("oman-copy", "forecast", FAST);
    // a run of another model is not this model's run
    expect((await req("POST", "/api/models/oman-2025/vintages", { runId: run.runId })).status).toBe(404);
    const v = await j(await req("POST", "/api/models/oman-copy/vintages", { runId: run.runId }));
    expect(
      (
        await req("PUT", "/api/models/oman-copy/resolutions", {
          resolutions: [{ question: questionIds[0], outcome: "no", date: "2026-01-01" }],
        })
      ).status,
    ).toBe(200);
    expect((await req("DELETE", "/api/models/oman-copy")).status).toBe(200);
    expect((await req("GET", `/api/vintages/${v.id}`)).status).toBe(404);
    const left = store.sqlite
      .prepare(
        "select (select count(*) from vintages where model_id = ?) + (select count(*) from resolutions where model_id = ?) as n",
      )
      .get("oman-copy", "oman-copy") as { n: number };
    expect(left.n).toBe(0);
    // the other model's vintage is untouched
    expect((await req("GET", `/api/vintages/${vid}`)).status).toBe(200);
  });
});

describe("one home: the CLI and the API share the store of a data directory", () => {
  const cliForecast = async (data: string) => {
    const r = await runCli(
      "forecast",
      seedModelPath,
      "--runs",
      "300",
      "--no-drivers",
      "--no-uncertainty",
      "--save",
      "--data",
      data,
      "--format",
      "json",
    );
    expect(r.code, r.err).toBe(0);
    return JSON.parse(r.out).vintage as { id: string; modelId: string; modelVersion: number | null };
  };
  let cliVid: string;

  it("a vintage saved by the CLI is listed, shown and scored by the API", async () => {
    const saved = await cliForecast(dir);
    cliVid = saved.id;
    // the seed model file has the content of the store's version 1
    expect(saved).toMatchObject({ modelId: "oman-2025", modelVersion: 1 });
    const list = await j(await req("GET", "/api/models/oman-2025/vintages"));
    expect(list.map((x: { id: string }) => x.id)).toEqual([vid, cliVid]);
    expect(list[1]).toMatchObject({
      id: cliVid,
      modelVersion: 1,
      runId: null,
      engineVersion: `forecast/${FORECAST_ENGINE_VERSION}`,
    });
    const v = await j(await req("GET", `/api/vintages/${cliVid}`));
    expect(v.vintage.file).toMatch(/oman-2025\.yaml$/);
    const s = await j(await req("GET", `/api/vintages/${cliVid}/score`));
    expect(s.vintage.id).toBe(cliVid);
    expect(s.scored.length + s.unresolved.length + s.excluded.length).toBe(questionIds.length);
  });

  it("the CLI lists the app's vintages and scores them with the resolutions recorded in the app", async () => {
    const l = await runCli("vintages", "list", "--model", "oman-2025", "--data", dir, "--format", "json");
    expect(l.code, l.err).toBe(0);
    expect(JSON.parse(l.out).vintages.map((x: { id: string }) => x.id)).toEqual([vid, cliVid]);
    const c = await runCli("score", "--vintage", vid, "--data", dir, "--format", "json");
    expect(c.code, c.err).toBe(0);
    const { reliabilitySvg: _svg, ...api } = await j(await req("GET", `/api/vintages/${vid}/score`));
    expect(api.summary.n).toBeGreaterThan(0);
    expect(JSON.parse(c.out)).toEqual(api);
  });

  it("export → import round-trips byte for byte, through the CLI and the API", async () => {
    const work = mkdtempSync(join(tmpdir(), "muscat-vintage-files-"));
    const f1 = join(work, "one.json");
    const e = await runCli("vintages", "export", cliVid, "-o", f1, "--data", dir);
    expect(e.code, e.err).toBe(0);
    const text = readFileSync(f1, "utf8");
    // the content as stored and as issued
    expect(JSON.parse(text)).toEqual((await j(await req("GET", `/api/vintages/${cliVid}`))).vintage);
    expect(text).toBe(vintageJson(JSON.parse(text)));
    // the API exports the same bytes
    const apiExport = await req("GET", `/api/vintages/${cliVid}/export`);
    expect(apiExport.status).toBe(200);
    expect(apiExport.headers.get("content-disposition")).toContain(`${cliVid}.json`);
    expect(await apiExport.text()).toBe(text);
    // into another store (which has no model 'oman-2025') and out again: the same bytes
    const other = join(work, "data");
    const i = await runCli("vintages", "import", f1, "--data", other, "--format", "json");
    expect(i.code, i.err).toBe(0);
    expect(JSON.parse(i.out).vintages[0]).toMatchObject({ id: cliVid, status: "added", modelVersion: null });
    const f2 = join(work, "two.json");
    expect((await runCli("vintages", "export", "latest", "-o", f2, "--data", other)).code).toBe(0);
    expect(readFileSync(f2, "utf8")).toBe(text);
    // the API imports a file: the same one again changes nothing; a new one is added
    let r = await req("POST", "/api/vintage-imports", text);
    expect(r.status).toBe(200);
    expect((await j(r)).id).toBe(cliVid);
    const fresh = await cliForecast(other);
    const f3 = join(work, "three.json");
    expect((await runCli("vintages", "export", fresh.id, "-o", f3, "--data", other)).code).toBe(0);
    r = await req("POST", "/api/vintage-imports", readFileSync(f3, "utf8"));
    expect(r.status).toBe(201);
    expect(await j(r)).toMatchObject({ id: fresh.id, modelId: "oman-2025", modelVersion: 1, runId: null });
    const exported = await req("GET", `/api/vintages/${fresh.id}/export`);
    expect(await exported.text()).toBe(readFileSync(f3, "utf8"));
    rmSync(work, { recursive: true, force: true });
  }, 60_000);

  it("the API refuses a bad vintage file with every problem and its path, and keeps nothing", async () => {
    const before = await j(await req("GET", "/api/models/oman-2025/vintages"));
    const v = JSON.parse(vintageJson((await j(await req("GET", `/api/vintages/${cliVid}`))).vintage));
    const cases: [unknown, RegExp, string[]][] = [
      [
        { ...v, questions: [{ ...v.questions[0], p: 2 }, ...v.questions.slice(1)] },
        /questions\.0\.p/,
        ["body.questions.0.p"],
      ],
      [{ ...v, kind: "forecast" }, /kind: expected "forecast\.vintage"/, ["body.kind"]],
      [{ ...v, seed: v.seed + 1 }, /does not match the id/, ["body.id"]],
      [[1, 2], /expected a vintage/, ["body"]],
    ];
    for (const [body, msg, paths] of cases) {
      const r = await req("POST", "/api/vintage-imports", body);
      expect(r.status, JSON.stringify(paths)).toBe(400);
      const e = await j(r);
      expect(e.error).toMatch(msg);
      expect(e.problems.map((p: { path: string }) => p.path)).toEqual(paths);
    }
    expect((await req("POST", "/api/vintage-imports", "{not json")).status).toBe(400);
    expect(await j(await req("GET", "/api/models/oman-2025/vintages"))).toEqual(before);
    expect((await req("GET", "/api/vintages/oman-2025-20250101T000000Z-00000000/export")).status).toBe(404);
  });
});

describe("as-of dates: hindcasts saved and scored through the API (made-up outcomes, for this test only)", () => {
  let run: { runId: number; result: { questions: { id: string; p: number }[] } };
  let hid: string;

  it("saves a run as of a later date; refuses a bad date and one before the model's", async () => {
    run = await runDone("oman-2025", "forecast", { ...FAST, seed: 11 });
    const cases: [unknown, RegExp][] = [
      [{ runId: run.runId, asOf: "2025-02-30" }, /real calendar date/],
      [{ runId: run.runId, asOf: "15/05/2025" }, /YYYY-MM-DD/],
      [{ runId: run.runId, asOf: 20250501 }, /string|expected/i],
      [
        { runId: run.runId, asOf: "2025-04-14" },
        /the as-of date 2025-04-14 is before the model's date \(asOf 2025-04-15\): the model holds knowledge as of its own date/,
      ],
    ];
    for (const [body, msg] of cases) {
      const r = await req("POST", "/api/models/oman-2025/vintages", body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      const e = await j(r);
      expect(e.error).toMatch(msg);
      expect([...new Set(e.problems.map((p: { path: string }) => p.path))]).toEqual(["body.asOf"]);
    }
    expect(await vintageOfRunCount(run.runId)).toBe(0);
    const r = await req("POST", "/api/models/oman-2025/vintages", { runId: run.runId, asOf: "2025-05-01" });
    expect(r.status).toBe(201);
    const saved = await j(r);
    hid = saved.id;
    expect(saved).toMatchObject({ runId: run.runId, asOf: "2025-05-01", asOfFrom: "vintage" });
    expect((await j(await req("GET", `/api/vintages/${hid}`))).vintage).toMatchObject({
      asOf: "2025-05-01",
      format: 2,
      model: { asOf: "2025-04-15" },
    });
    // the same run as of the same date: that vintage; as of another date: a conflict
    expect(
      (await req("POST", "/api/models/oman-2025/vintages", { runId: run.runId, asOf: "2025-05-01" })).status,
    ).toBe(200);
    const other = await req("POST", "/api/models/oman-2025/vintages", { runId: run.runId });
    expect(other.status).toBe(409);
    expect((await j(other)).error).toMatch(new RegExp(`saved already, as vintage ${hid} as of 2025-05-01`));
    const listed = (await j(await req("GET", "/api/models/oman-2025/vintages"))).find(
      (x: { id: string }) => x.id === hid,
    );
    expect(listed).toMatchObject({ asOf: "2025-05-01", asOfFrom: "vintage" });
  }, 60_000);

  it("scores as of the vintage's as-of date: says which date, what it excluded and why", async () => {
    const [qa, qb, qc] = questionIds;
    const outcomes = [
      { question: qa, outcome: "yes", date: "2025-05-01", source: "MADE UP FOR THIS TEST" }, // on the as-of date
      { question: qb, outcome: "no", date: "2025-09-01", source: "MADE UP FOR THIS TEST" },
      { question: qc, outcome: "yes", date: "2025-04-30", source: "MADE UP FOR THIS TEST" }, // known
    ];
    expect((await req("PUT", "/api/models/oman-2025/resolutions", { resolutions: outcomes })).status).toBe(
      200,
    );
    const s = await j(await req("GET", `/api/vintages/${hid}/score`));
    expect(s.asOf).toMatchObject({ date: "2025-05-01", from: "vintage" });
    expect(s.asOf.note).toMatch(/as of 2025-05-01, the vintage's as-of date/);
    expect(s.vintage).toMatchObject({ id: hid, asOf: "2025-05-01" });
    expect(s.excluded.map((x: { id: string; code: string }) => [x.id, x.code])).toEqual([[qc, "known"]]);
    expect(s.excluded[0].reason).toMatch(
      /before the vintage's as-of date 2025-05-01: known when it was issued/,
    );
    expect(s.scored.map((x: { id: string }) => x.id).sort()).toEqual([qa, qb].sort());
    // By hand from the run's probabilities: ((p_a − 1)² + (p_b − 0)²) / 2
    const p = (id: string) => run.result.questions.find((q) => q.id === id)!.p;
    expect(s.summary.brier).toBeCloseTo(((p(qa) - 1) ** 2 + p(qb) ** 2) / 2, 12);
    // the vintage saved as of the model's date counts the 2025-04-30 outcome too
    const d = await j(await req("GET", `/api/vintages/${vid}/score`));
    expect(d.asOf.date).toBe("2025-04-15");
    expect(d.excluded).toEqual([]);
    expect(d.summary.n).toBe(3);
  });

  it("a run conditioned on observations is saved only as of a date after each of them", async () => {
    // A copy of the seed model with one MADE-UP observation (test data only).
    const text = `${seedText.replace(/^id: oman-2025$/m, "id: oman-observed")}
observations:
  - { state: talks=breakdown, date: 2025-05-20, evidence: [], note: MADE UP FOR THIS TEST }
`;
    expect((await req("POST", "/api/models", { text })).status).toBe(201);
    const obsRun = await runDone("oman-observed", "forecast", FAST);
    expect(obsRun.result.observations.used).toEqual([{ state: "talks=breakdown", date: "2025-05-20" }]);
    for (const asOf of [undefined, "2025-05-20"]) {
      const r = await req("POST", "/api/models/oman-observed/vintages", { runId: obsRun.runId, asOf });
      expect(r.status, asOf).toBe(400);
      const e = await j(r);
      expect(e.error).toMatch(
        /conditioned on an observation dated on or after the as-of date .* \(talks=breakdown on 2025-05-20\), not yet known as of that date: issue it as of 2025-05-21 or later/,
      );
      expect(e.problems[0]).toMatchObject({ path: "body.asOf", code: "as-of-observed-after" });
    }
    const ok = await req("POST", "/api/models/oman-observed/vintages", {
      runId: obsRun.runId,
      asOf: "2025-05-21",
    });
    expect(ok.status).toBe(201);
    expect(await j(ok)).toMatchObject({ asOf: "2025-05-21", asOfFrom: "vintage" });
    expect((await req("DELETE", "/api/models/oman-observed")).status).toBe(200);
  }, 60_000);

  it("404s the score of an unknown vintage", async () => {
    const r = await req("GET", "/api/vintages/oman-2025-20250101T000000Z-0000abcd/score");
    expect(r.status).toBe(404);
    expect((await j(r)).error).toMatch(/no vintage 'oman-2025-20250101T000000Z-0000abcd'/);
  });
});

async function vintageOfRunCount(runId: number): Promise<number> {
  const r = store.sqlite.prepare("select count(*) as n from vintages where run_id = ?").get(runId) as {
    n: number;
  };
  return r.n;
}
