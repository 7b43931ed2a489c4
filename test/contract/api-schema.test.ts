// The API's response shapes (src/contract/api.ts) are published as JSON Schema
// (schema/api.schema.json). This test fails when the file is stale, and checks real answers
// against it: every engine's result on the seed model, and every GET the app makes, through the
// server's own OpenAPI document (so a route that declares one shape and answers another fails).
// The generated schemas forbid properties they do not declare.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_SCHEMA_PATH, apiSchemaText } from "../../scripts/api-schema.js";
import { parseModelText } from "../../src/model/load.js";
import { ENGINE_NAMES } from "../../src/runs/options.js";
import { runEngine } from "../../src/runs/registry.js";
import { createApp } from "../../src/server/app.js";
import { JobQueue } from "../../src/server/jobs.js";
import { openStore, type Store, seedIfEmpty } from "../../src/store/index.js";
import { haveShared, seedModelPath, seedsDir } from "../helpers/paths.js";

const seedText = readFileSync(seedModelPath, "utf8");
const schema = JSON.parse(readFileSync(API_SCHEMA_PATH, "utf8"));

/** A validator of one component of `root` (a schema document with components.schemas). */
function validator(root: { components: unknown }, ref: string) {
  const ajv = new Ajv({ strict: false, allErrors: false });
  return ajv.compile({ $ref: ref, components: root.components });
}
const explain = (v: { errors?: unknown }) => JSON.stringify(v.errors, null, 1)?.slice(0, 1500);

describe("schema/api.schema.json", () => {
  it("is what the types in src/contract/api.ts generate (run `npm run schema:api` when not)", () => {
    expect(readFileSync(API_SCHEMA_PATH, "utf8")).toBe(apiSchemaText());
  }, 60_000);

  it("every engine's result on the seed model matches its declared shape", async () => {
    const model = parseModelText(seedText).model!;
    const fast: Record<string, Record<string, unknown>> = {
      simulate: { runs: 500, steps: 6, query: ["region=multi-front-war"] },
      beliefs: { runs: 500, steps: 6 },
      stationary: { method: "mcmc", samples: 2000, chains: 2 },
      robust: { samples: 20 },
      stakes: { runs: 500 },
      bargain: { runs: 20 },
      forecast: { runs: 500 },
      outlook: { condition: "region=multi-front-war", horizon: "6", runs: 200, longRun: 2 },
      analyze: { runs: 500, stakesRuns: 200, forecastRuns: 300 },
      scenarios: { basins: true, fix: "talks=breakdown", compare: true },
    };
    for (const engine of ENGINE_NAMES) {
      const result = JSON.parse(JSON.stringify(await runEngine(engine, model, fast[engine] ?? {})));
      const v = validator(schema, `#/components/schemas/EngineResults/properties/${engine}`);
      expect(v(result), `${engine}: ${explain(v)}`).toBe(true);
    }
    // succession's other form: the basins.
    const basins = JSON.parse(JSON.stringify(await runEngine("succession", model, { basins: true })));
    const v = validator(schema, "#/components/schemas/EngineResults/properties/succession");
    expect(v(basins), explain(v)).toBe(true);
  }, 120_000);

  it("a result with a field the contract does not declare fails (the check can fail)", () => {
    const v = validator(schema, "#/components/schemas/Saved");
    expect(v({ id: "x", version: 1, hash: "h" })).toBe(true);
    expect(v({ id: "x", version: 1, hash: "h", extra: 1 })).toBe(false);
    expect(v({ id: "x", version: "1", hash: "h" })).toBe(false);
  });
});

describe("the server answers with the shapes its OpenAPI document declares", () => {
  let dir: string;
  let store: Store;
  let queue: JobQueue;
  let app: ReturnType<typeof createApp>;
  // biome-ignore lint/suspicious/noExplicitAny: the OpenAPI document
  let doc: any;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "muscat-shapes-"));
    store = (await openStore(dir))!;
    queue = new JobQueue(store, { progressEveryMs: 50 });
    await seedIfEmpty(store, seedText);
    app = createApp({ store, queue, version: "test" });
    doc = await (await app.request("/api/openapi.json")).json();
  });
  afterAll(async () => {
    await queue.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // biome-ignore lint/suspicious/noExplicitAny: answers are checked against the schema here
  async function check(method: string, route: string, path: string, body?: unknown): Promise<any> {
    const r = await app.request(path, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const status = String(r.status);
    expect(r.status, `${method} ${path}`).toBeLessThan(300);
    const declared = doc.paths[route]?.[method.toLowerCase()]?.responses?.[status];
    expect(declared, `${method} ${route} ${status} is declared`).toBeDefined();
    const json = await r.json();
    const v = new Ajv({ strict: false }).compile({
      ...declared.content["application/json"].schema,
      components: doc.components,
    });
    expect(v(json), `${method} ${path}: ${explain(v)}`).toBe(true);
    return json;
  }

  it("models, versions, matrix, evidence, diff, runs", async () => {
    await check("GET", "/api/models", "/api/models");
    const m = await check("GET", "/api/models/{id}", "/api/models/oman-2025");
    await check("GET", "/api/models/{id}/versions", "/api/models/oman-2025/versions");
    await check("GET", "/api/models/{id}/matrix", "/api/models/oman-2025/matrix");
    await check("GET", "/api/models/{id}/evidence", "/api/models/oman-2025/evidence");
    await check("PUT", "/api/models/{id}", "/api/models/oman-2025", {
      text: m.text.replace(/^title: .*$/m, "title: Renamed"),
      baseVersion: m.version,
    });
    await check("GET", "/api/models/{id}/diff", "/api/models/oman-2025/diff?from=1&to=2");
    for (const [engine, options] of [
      ["scenarios", { compare: true, fix: "talks=breakdown" }],
      ["forecast", { runs: 300 }],
    ] as const) {
      const { runId } = await check("POST", "/api/models/{id}/runs", "/api/models/oman-2025/runs", {
        engine,
        options,
      });
      let run: { status: string };
      do {
        await new Promise((s) => setTimeout(s, 50));
        run = await check("GET", "/api/runs/{runId}", `/api/runs/${runId}`);
      } while (run.status === "queued" || run.status === "running");
      expect(run.status).toBe("done");
      if (engine === "forecast") {
        // as of a date after the model's (a hindcast's as-of date is part of the summary)
        const saved = await check("POST", "/api/models/{id}/vintages", "/api/models/oman-2025/vintages", {
          runId,
          asOf: "2025-05-01",
        });
        expect(saved.asOf).toBe("2025-05-01");
        await check("GET", "/api/models/{id}/vintages", "/api/models/oman-2025/vintages");
        await check("GET", "/api/vintages/{vid}", `/api/vintages/${saved.id}`);
        await check("GET", "/api/vintages/{vid}/export", `/api/vintages/${saved.id}/export`);
        // MADE-UP outcomes (test data only): one known at the as-of date (excluded), one scored
        const [qa, qb] = m.model.questions.map((q: { id: string }) => q.id);
        await check("PUT", "/api/models/{id}/resolutions", "/api/models/oman-2025/resolutions", {
          resolutions: [
            { question: qa, outcome: "yes", date: "2025-04-20", source: "made up for this test" },
            { question: qb, outcome: "no", date: "2025-06-01", source: "made up for this test" },
          ],
        });
        const score = await check("GET", "/api/vintages/{vid}/score", `/api/vintages/${saved.id}/score`);
        expect(score.excluded.map((x: { code: string }) => x.code)).toEqual(["known"]);
        expect(score.scored).toHaveLength(1);
      }
    }
    await check("GET", "/api/models/{id}/runs", "/api/models/oman-2025/runs");
    await check("GET", "/api/models/{id}/resolutions", "/api/models/oman-2025/resolutions");
  }, 120_000);

  it.runIf(haveShared)("documents", async () => {
    const file = readdirSync(seedsDir).find((f) => f.endsWith(".txt"))!;
    const text = readFileSync(join(seedsDir, file), "utf8");
    const added = await check("POST", "/api/documents", "/api/documents", { text, fileName: "a.txt" });
    await check("GET", "/api/documents", "/api/documents");
    await check("GET", "/api/documents/{docId}", `/api/documents/${added.id}`);
  });
});
