// Models in and out as files over HTTP (routes/model-io.ts): every ScenarioWizard fixture
// imported through POST /api/model-imports gives the kernel its .sl solution list records;
// exports (scw, csv, yaml, json) imported again give the same model; the seed's YAML export is
// its stored text byte for byte; bad files, ids and formats are 4xx and write nothing.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSolutionList } from "../../src/cib/sl.js";
import { compileModel } from "../../src/model/compile.js";
import { today } from "../../src/model/file.js";
import { parseModelText } from "../../src/model/load.js";
import { exportScw, parseScw, slugify } from "../../src/model/scw.js";
import type { Model } from "../../src/model/types.js";
import { scenariosReport } from "../../src/runs/scenarios.js";
import { createApp } from "../../src/server/app.js";
import { MODEL_BODY_LIMIT } from "../../src/server/http.js";
import { JobQueue } from "../../src/server/jobs.js";
import {
  getModelVersion,
  openStore,
  type Store,
  seedIfEmpty,
  validateModelText,
} from "../../src/store/index.js";
import { haveShared, scwDir, seedModelPath } from "../helpers/paths.js";

const seedText = readFileSync(seedModelPath, "utf8");
const scwFiles = haveShared ? readdirSync(scwDir).filter((f) => f.endsWith(".scw")) : [];
let dir: string;
let store: Store;
let queue: JobQueue;
let app: ReturnType<typeof createApp>;

const post = (body: unknown) =>
  app.request("/api/model-imports", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
const get = (path: string) => app.request(path);
// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
const j = async (r: Response): Promise<any> => r.json();
const ids = async () => (await j(await get("/api/models"))).map((m: { id: string }) => m.id);

/** The stored model (latest version), normalised. */
async function stored(id: string): Promise<Model> {
  return validateModelText((await getModelVersion(store, id)).text).model;
}
const matrixOf = (m: Model) => Array.from(compileModel(m).matrix);

/** Imports a file through the route; expects 201 and returns the answer. */
async function importOk(
  body: Record<string, unknown>,
): Promise<{ id: string; version: number; hash: string }> {
  const r = await post(body);
  const answer = await j(r);
  expect(r.status, JSON.stringify(answer)).toBe(201);
  expect(Object.keys(answer).sort()).toEqual(["hash", "id", "version"]);
  expect(answer.version).toBe(1);
  return answer;
}

async function exported(id: string, format: string, query = "") {
  const r = await get(`/api/models/${id}/export?format=${format}${query}`);
  expect(r.status).toBe(200);
  return {
    text: await r.text(),
    type: r.headers.get("content-type"),
    disposition: r.headers.get("content-disposition"),
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "muscat-model-io-"));
  store = (await openStore(dir))!;
  queue = new JobQueue(store, {});
  await seedIfEmpty(store, seedText);
  app = createApp({ store, queue, version: "test" });
});

afterAll(async () => {
  await queue.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.runIf(haveShared)("ScenarioWizard fixtures through POST /api/model-imports", () => {
  it("finds the fixtures", () => {
    expect(scwFiles.length).toBe(5);
  });

  for (const f of scwFiles) {
    const id = slugify(f.replace(/\.scw$/, ""), "imported");
    it(`${f}: imported with the id from its name, the file's matrix, and the kernel of its .sl`, async () => {
      const text = readFileSync(join(scwDir, f), "utf8");
      const before = today();
      const saved = await importOk({ text, fileName: f });
      expect(saved.id).toBe(id);
      const model = await stored(id);
      expect([before, today()]).toContain(model.asOf);
      expect(saved.hash).toBe(compileModel(model).hash);
      expect((await getModelVersion(store, id)).message).toBe(`imported from ${f}`);
      const scw = parseScw(text, f);
      expect(model.factors.map((x) => [x.name, x.states.map((s) => s.label)])).toEqual(
        scw.descriptors.map((d) => [d.name, d.variants.map((v) => v.name)]),
      );
      expect(matrixOf(model)).toEqual(scw.rows.flat());

      const slFile = join(scwDir, f.replace(/\.scw$/, ".sl"));
      if (!existsSync(slFile)) return; // CIB_nested_simplified_nonstandard has no solution list
      const sl = parseSolutionList(readFileSync(slFile, "utf8"));
      const report = scenariosReport(model, {});
      expect(report.complete).toBe(true);
      const index = (states: Record<string, string>) =>
        model.factors.map((x) => x.states.findIndex((s) => s.id === states[x.id])).join(",");
      const kernel = new Map(report.scenarios.map((s) => [index(s.states), s]));
      expect(kernel.size).toBe(sl.count);
      expect([...kernel.keys()].sort()).toEqual(sl.entries.map((e) => e.states.join(",")).sort());
      for (const e of sl.entries) {
        const s = kernel.get(e.states.join(","))!;
        expect([s.tis, s.consistencyValue]).toEqual([e.tis, e.cv]);
      }
    }, 60_000);

    it(`${f}: exported as scw and imported under another id, it is the same model`, async () => {
      const out = await exported(id, "scw");
      expect(out.type).toMatch(/^text\/plain/);
      expect(out.disposition).toBe(`attachment; filename="${id}.scw"`);
      await importOk({ text: out.text, fileName: `${id}.scw`, id: `${id}-again`, asOf: "2025-01-01" });
      const [a, b] = [await stored(id), await stored(`${id}-again`)];
      expect(b.asOf).toBe("2025-01-01");
      expect(b.title).toBe(a.title);
      expect(b.factors).toEqual(a.factors);
      expect(matrixOf(b)).toEqual(matrixOf(a));
      expect(exportScw(b)).toBe(exportScw(a));
      expect((await exported(`${id}-again`, "scw")).text).toBe(out.text);
    });

    it(`${f}: exported as csv and imported again, it has the same matrix`, async () => {
      const out = await exported(id, "csv");
      expect(out.type).toMatch(/^text\/csv/);
      expect(out.disposition).toBe(`attachment; filename="${id}.csv"`);
      await importOk({ text: out.text, fileName: `${id}.csv`, id: `${id}-csv`, title: "From CSV" });
      const [a, b] = [await stored(id), await stored(`${id}-csv`)];
      expect(b.title).toBe("From CSV");
      expect(b.factors.map((x) => [x.id, x.states.map((s) => s.id)])).toEqual(
        a.factors.map((x) => [x.id, x.states.map((s) => s.id)]),
      );
      expect(matrixOf(b)).toEqual(matrixOf(a));
    });
  }
});

describe("Muscat models in and out", () => {
  it("exports the seed as YAML byte for byte, and as JSON that reads as the same model", async () => {
    const yaml = await exported("oman-2025", "yaml");
    expect(yaml.text).toBe(seedText);
    expect(yaml.type).toMatch(/^text\/yaml/);
    expect(yaml.disposition).toBe('attachment; filename="oman-2025.yaml"');
    // yaml is the default format
    expect(await (await get("/api/models/oman-2025/export")).text()).toBe(seedText);

    const json = await exported("oman-2025", "json");
    expect(json.type).toMatch(/^application\/json/);
    expect(json.disposition).toBe('attachment; filename="oman-2025.json"');
    const reread = parseModelText(json.text, { file: "oman-2025.json" });
    expect(reread.model).toEqual(validateModelText(seedText).model);
    expect(JSON.parse(json.text).id).toBe("oman-2025");
  });

  it("imports YAML as sent (comments kept), with only a given id and title written in", async () => {
    await importOk({ text: seedText, fileName: "oman-2025.yaml", id: "oman-copy", title: "Oman: a copy" });
    const text = (await getModelVersion(store, "oman-copy")).text;
    expect(text).toContain("#");
    const diff = text.split("\n").filter((l, i) => l !== seedText.split("\n")[i]);
    expect(diff).toEqual(["id: oman-copy", 'title: "Oman: a copy"']);
    const [a, b] = [await stored("oman-2025"), await stored("oman-copy")];
    expect({ ...b, id: a.id, title: a.title }).toEqual(a);
    expect((await exported("oman-copy", "yaml")).text).toBe(text);
  });

  it("imports JSON as sent and exports it as it was stored", async () => {
    const json = (await exported("oman-2025", "json")).text;
    await importOk({ text: json, fileName: "oman.json", id: "oman-json" });
    const text = (await getModelVersion(store, "oman-json")).text;
    expect(text).toBe(json.replace('"id": "oman-2025"', '"id": "oman-json"'));
    expect((await exported("oman-json", "json")).text).toBe(text);
    // its YAML export is written from the model (the stored text is JSON)
    const yaml = (await exported("oman-json", "yaml")).text;
    expect(parseModelText(yaml).model).toEqual(await stored("oman-json"));
    expect(yaml.trimStart().startsWith("{")).toBe(false);
  });

  it("exports a given version", async () => {
    const m = await j(await get("/api/models/oman-copy"));
    const r = await app.request("/api/models/oman-copy", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        text: m.text.replace(/^title: .*$/m, "title: Renamed"),
        baseVersion: m.version,
      }),
    });
    expect(r.status).toBe(200);
    expect((await exported("oman-copy", "yaml")).text).toMatch(/^title: Renamed$/m);
    expect((await exported("oman-copy", "yaml", "&version=1")).text).toBe(m.text);
    expect((await get("/api/models/oman-copy/export?version=9")).status).toBe(404);
  });

  it("imports a CSV of the seed's matrix", async () => {
    const csv = (await exported("oman-2025", "csv")).text;
    await importOk({ text: csv, fileName: "Oman matrix.csv", asOf: "2025-06-01" });
    const m = await stored("oman-matrix");
    expect(m.title).toBe("Oman matrix");
    expect(m.asOf).toBe("2025-06-01");
    expect(matrixOf(m)).toEqual(matrixOf(await stored("oman-2025")));
  });
});

describe("errors write nothing", () => {
  it("answers 400, 409, 413 and 422 naming the file, and the store is unchanged", async () => {
    const before = await ids();
    const hashes = await j(await get("/api/models"));
    const cases: [Record<string, unknown> | string, number, RegExp][] = [
      [{ text: "just some words\n", fileName: "notes.txt" }, 400, /^notes\.txt:1:1: not a model file/],
      [{ text: "%PDF-1.4\n\u0000\u0001binary", fileName: "paper.pdf" }, 400, /^paper\.pdf/],
      [
        { text: "id: [never closed\n", fileName: "broken.yaml" },
        400,
        /^broken\.yaml:\d+:\d+: cannot read the file/,
      ],
      [{ text: '{"id": "x",', fileName: "broken.json" }, 400, /^broken\.json:\d+:\d+: /],
      [{ text: "garbage", fileName: "garbage.scw" }, 400, /^garbage\.scw:1: not a ScenarioWizard file/],
      [
        { text: "$ ScenarioWizard 4.0\np\n&A\n -x\n -y\n#\n#\n#\n#\n#\n1,2\n", fileName: "short.scw" },
        400,
        /^short\.scw:12: matrix row 2 has 0 cells, expected 2/,
      ],
      [
        { text: ",a=x,a=y\na=x,0,1\na=y,1,oops\n", fileName: "m.csv" },
        400,
        /^m\.csv:3: .*'oops' is not an integer/,
      ],
      [{ text: "id: x\ntitle: y\n", fileName: "small.yaml" }, 422, /^small\.yaml: the model is invalid/],
      [{ text: seedText, fileName: "oman.yaml" }, 409, /exists already: give another id/],
      [{ text: seedText, fileName: "oman.yaml", id: "Bad Id" }, 400, /body\.id/],
      [{ text: seedText, fileName: "oman.yaml", asOf: "2025-02-30" }, 400, /asOf/],
      [{ text: "", fileName: "empty.yaml" }, 400, /body\.text/],
      [{ text: seedText }, 400, /body\.fileName/],
      [
        { text: seedText, fileName: "a\nb.yaml" },
        400,
        /body\.fileName: expected a file name without control/,
      ],
      [{ text: seedText, fileName: "oman.yaml", extra: 1 }, 400, /extra/],
      ["{not json", 400, /JSON/],
    ];
    for (const [body, status, message] of cases) {
      const r = await post(body);
      const answer = await j(r);
      expect(r.status, JSON.stringify(answer)).toBe(status);
      expect(answer.error).toMatch(message);
    }
    // problems carry the line of a parse error
    const broken = await j(await post({ text: "a: 1\nid: [never closed\n", fileName: "broken.yaml" }));
    expect(broken.problems[0]).toMatchObject({ code: "syntax", line: expect.any(Number) });
    const csv = await j(await post({ text: ",a=x\nb=x,1\n", fileName: "m.csv" }));
    expect(csv.problems[0]).toMatchObject({ path: "body.text", line: 2 });
    // the body limit of model texts
    const big = await post({ text: `# ${"x".repeat(MODEL_BODY_LIMIT)}\n${seedText}`, fileName: "big.yaml" });
    expect(big.status).toBe(413);
    expect(await ids()).toEqual(before);
    expect(await j(await get("/api/models"))).toEqual(hashes);
  });

  it("export: unknown model 404, bad format or parameter 400", async () => {
    expect((await get("/api/models/no-such-model/export?format=scw")).status).toBe(404);
    for (const q of ["format=xml", "format=", "version=0", "version=x", "other=1"]) {
      const r = await get(`/api/models/oman-2025/export?${q}`);
      expect(r.status, q).toBe(400);
      expect((await j(r)).error).toMatch(/invalid request/);
    }
    expect((await get("/api/models/..%2Fetc/export")).status).toBe(400);
  });

  it("the OpenAPI document declares both routes", async () => {
    const doc = await j(await get("/api/openapi.json"));
    expect(doc.paths["/api/model-imports"].post.responses["201"].content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/Saved",
    });
    expect(Object.keys(doc.paths["/api/models/{id}/export"].get.responses["200"].content).sort()).toEqual([
      "application/json",
      "text/csv",
      "text/plain",
      "text/yaml",
    ]);
  });
});
