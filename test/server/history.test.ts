// GET /api/models/{id}/history: the forecast history of the seed model's questions across two
// vintages saved through the API (as of the model's date and as of a later one), scored
// against resolutions recorded through the API. The outcomes below are MADE UP FOR THIS TEST
// (the project ships no resolutions).
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_SCHEMA_PATH } from "../../scripts/api-schema.js";
import { forecastHistory } from "../../src/forecast/history.js";
import type { Vintage } from "../../src/forecast/index.js";
import { startTestServer, type TestServer } from "./harness.js";

let s: TestServer;
const FAST = { runs: 300, drivers: false, uncertainty: false };
const ids: string[] = [];
let questions: string[] = [];

beforeAll(async () => {
  s = await startTestServer("muscat-history-");
  // Two forecasts (different seeds, so different probabilities), saved as of two dates.
  for (const [seed, asOf] of [
    [7, "2025-04-15"],
    [8, "2025-06-01"],
  ] as const) {
    const { run } = await s.finished({ engine: "forecast", options: { ...FAST, seed } });
    const saved = await s.req("POST", "/api/models/oman-2025/vintages", { runId: run.runId, asOf });
    expect(saved.status).toBe(201);
    ids.push(saved.data.id);
    questions = run.result.questions.map((q: { id: string }) => q.id);
  }
}, 120_000);

afterAll(async () => s?.close());

describe("GET /api/models/{id}/history (made-up outcomes, for this test only)", () => {
  it("is declared in the OpenAPI document with its response shape", async () => {
    const { data: doc } = await s.req("GET", "/api/openapi.json");
    const get = doc.paths["/api/models/{id}/history"]?.get;
    expect(get).toBeDefined();
    expect(get.responses["200"].content["application/json"].schema.$ref).toBe(
      "#/components/schemas/ForecastHistoryRecord",
    );
    expect(Object.keys(get.responses)).toEqual(expect.arrayContaining(["200", "404"]));
  });

  it("without resolutions: every question's p by vintage in as-of order, nothing scored", async () => {
    const { status, data } = await s.req("GET", "/api/models/oman-2025/history");
    expect(status).toBe(200);
    expect(data.modelId).toBe("oman-2025");
    expect(data.vintages.map((v: { vintageId: string }) => v.vintageId)).toEqual(ids);
    expect(data.vintages.map((v: { asOf: string }) => v.asOf)).toEqual(["2025-04-15", "2025-06-01"]);
    expect(data.questions.map((q: { id: string }) => q.id)).toEqual(questions);
    for (const q of data.questions) {
      expect(q.points).toHaveLength(2);
      expect(q.meanBrier).toBeNull();
    }
    expect(data.summary.meanBrierAcrossVintages).toBeNull();
  });

  it("scores each vintage by the score's rules: an outcome known before the later vintage is scored for the earlier only", async () => {
    const [qa, qb] = questions;
    // MADE UP: qa resolved yes on 2025-05-01 (after the first vintage's as-of date, before the
    // second's: known for it); qb resolved no on 2025-07-01 (scored for both).
    const put = await s.req("PUT", "/api/models/oman-2025/resolutions", {
      resolutions: [
        { question: qa, outcome: "yes", date: "2025-05-01", source: "made up for this test" },
        { question: qb, outcome: "no", date: "2025-07-01", source: "made up for this test" },
      ],
    });
    expect(put.status).toBe(200);
    const { status, data } = await s.req("GET", "/api/models/oman-2025/history");
    expect(status).toBe(200);
    const p = async (vid: string, q: string) =>
      ((await s.req("GET", `/api/vintages/${vid}`)).data.vintage as Vintage).questions.find(
        (x) => x.id === q,
      )!.p;
    const [a1, a2, b1, b2] = [
      await p(ids[0], qa),
      await p(ids[1], qa),
      await p(ids[0], qb),
      await p(ids[1], qb),
    ];
    const hqa = data.questions.find((q: { id: string }) => q.id === qa);
    expect(hqa.points.map((x: { p: number }) => x.p)).toEqual([a1, a2]);
    expect(hqa.points[0].brier).toBeCloseTo((a1 - 1) ** 2, 12);
    expect(hqa.points[1].brier).toBeNull();
    expect(hqa.points[1].excluded).toBe("known");
    expect(hqa.meanBrier).toBeCloseTo((a1 - 1) ** 2, 12);
    const hqb = data.questions.find((q: { id: string }) => q.id === qb);
    expect(hqb.points.map((x: { brier: number }) => x.brier)).toEqual([
      expect.closeTo(b1 ** 2, 12),
      expect.closeTo(b2 ** 2, 12),
    ]);
    expect(hqb.meanBrier).toBeCloseTo((b1 ** 2 + b2 ** 2) / 2, 12);
    // per vintage: the first scored qa and qb, the second qb only
    expect(data.vintages.map((v: { scored: number }) => v.scored)).toEqual([2, 1]);
    const v1 = ((a1 - 1) ** 2 + b1 ** 2) / 2;
    const v2 = b2 ** 2;
    expect(data.vintages[0].meanBrier).toBeCloseTo(v1, 12);
    expect(data.vintages[1].meanBrier).toBeCloseTo(v2, 12);
    expect(data.summary.meanBrierAcrossVintages).toBeCloseTo((v1 + v2) / 2, 12);
    expect(data.summary.meanBrierAcrossQuestions).toBeCloseTo(
      ((a1 - 1) ** 2 + (b1 ** 2 + b2 ** 2) / 2) / 2,
      12,
    );
    // the vintage scores agree with each vintage's own score
    for (const [i, vid] of ids.entries()) {
      const sc = await s.req("GET", `/api/vintages/${vid}/score`);
      expect(data.vintages[i].meanBrier).toBe(sc.data.summary.brier);
    }
    // and the whole answer is forecastHistory's on the stored vintages, with the model id
    const vintages = await Promise.all(
      ids.map(async (vid) => (await s.req("GET", `/api/vintages/${vid}`)).data.vintage as Vintage),
    );
    const { data: res } = await s.req("GET", "/api/models/oman-2025/resolutions");
    const expected = forecastHistory(
      vintages,
      res.resolutions.map((r: { question: string; outcome: string; date: string; source?: string }) => ({
        question: r.question,
        outcome: r.outcome === "yes" ? 1 : 0,
        date: r.date,
        source: r.source ?? "",
      })),
    );
    expect(data).toEqual({ modelId: "oman-2025", ...expected });
    // it matches its declared shape (schema/api.schema.json)
    const schema = JSON.parse(readFileSync(API_SCHEMA_PATH, "utf8"));
    const validate = new Ajv({ strict: false }).compile({
      $ref: "#/components/schemas/ForecastHistoryRecord",
      components: schema.components,
    });
    expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
  });

  it("404s an unknown model and rejects a malformed id", async () => {
    const r = await s.req("GET", "/api/models/no-such-model/history");
    expect(r.status).toBe(404);
    expect(r.data.error).toMatch(/no-such-model/);
    expect((await s.req("GET", "/api/models/Bad%20Id/history")).status).toBe(400);
  });
});
