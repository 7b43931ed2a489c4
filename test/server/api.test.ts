// The HTTP API through Hono's app.request (no port): every endpoint, validation errors, size
// limits, unknown ids, path traversal, version conflicts, jobs with progress and cancel, token.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/server/app.js";
import { JobQueue } from "../../src/server/jobs.js";
import { staticFile } from "../../src/server/static.js";
import { openStore, type Store, seedIfEmpty } from "../../src/store/index.js";
import { repoRoot, seedModelPath } from "../helpers/paths.js";

const seedText = readFileSync(seedModelPath, "utf8");
const GIVEN = "talks=breakthrough,us-focus=focused,russia-leverage=weaker,western-unity=cohesive";
let dir: string;
let store: Store;
let queue: JobQueue;
let app: ReturnType<typeof createApp>;

const req = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  app.request(path, {
    method,
    headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
const j = async (r: Response): Promise<any> => r.json();

async function waitRun(runId: number, until: (r: { status: string; progress: { done: number } }) => boolean) {
  for (let i = 0; i < 600; i++) {
    const r = await j(await req("GET", `/api/runs/${runId}`));
    if (until(r)) return r;
    await new Promise((s) => setTimeout(s, 100));
  }
  throw new Error(`run ${runId} did not reach the expected state`);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "muscat-api-"));
  store = (await openStore(dir))!;
  queue = new JobQueue(store, { cancelGraceMs: 1500, progressEveryMs: 50 });
  await seedIfEmpty(store, seedText);
  app = createApp({ store, queue, version: "test" });
});

afterAll(async () => {
  await queue.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("health and docs", () => {
  it("answers health, the OpenAPI 3.1 document and the docs page", async () => {
    expect(await j(await req("GET", "/api/health"))).toEqual({ ok: true, version: "test" });
    const doc = await j(await req("GET", "/api/openapi.json"));
    expect(doc.openapi).toBe("3.1.0");
    for (const p of [
      "/api/models",
      "/api/models/{id}",
      "/api/models/{id}/runs",
      "/api/runs/{runId}/cancel",
      "/api/documents/{docId}",
    ])
      expect(Object.keys(doc.paths)).toContain(p);
    const page = await (await req("GET", "/api/docs")).text();
    expect(page).toContain("/api/models/{id}/diff");
    expect(page).not.toMatch(/<script|https?:\/\/(?!127)/);
  });
  it("404s unknown API paths and sends no CORS headers", async () => {
    const r = await req("GET", "/api/nothing", undefined, { origin: "http://evil.example" });
    expect(r.status).toBe(404);
    expect(r.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("models", () => {
  it("lists the seed model and reads it with its normalised form", async () => {
    const list = await j(await req("GET", "/api/models"));
    expect(list.map((m: { id: string }) => m.id)).toEqual(["oman-2025"]);
    const m = await j(await req("GET", "/api/models/oman-2025"));
    expect(m.version).toBe(1);
    expect(m.text).toBe(seedText);
    expect(m.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(m.model.factors.length).toBe(14);
    expect(Array.isArray(m.problems)).toBe(true);
  });

  it("rejects bad ids, traversal and bad versions with 400, unknown ones with 404", async () => {
    for (const p of [
      "/api/models/..%2F..%2Fetc%2Fpasswd",
      "/api/models/a%2Fb",
      "/api/models/UPPER",
      `/api/models/${"a".repeat(65)}`,
    ]) {
      const r = await req("GET", p);
      expect(r.status, p).toBe(400);
      const b = await j(r);
      expect(b.problems[0].path).toBe("path.id");
    }
    expect((await req("GET", "/api/models/nope")).status).toBe(404);
    for (const v of ["0", "abc", "1.5", "-1", "1;drop"]) {
      const r = await req("GET", `/api/models/oman-2025?version=${encodeURIComponent(v)}`);
      expect(r.status, v).toBe(400);
      expect((await j(r)).problems[0].path).toBe("query.version");
    }
    expect((await req("GET", "/api/models/oman-2025?version=99")).status).toBe(404);
    expect((await req("GET", "/api/models/oman-2025?bogus=1")).status).toBe(400);
  });

  it("validates bodies: not JSON, missing or extra keys, invalid models (422 with problems)", async () => {
    expect((await req("POST", "/api/models", "{not json")).status).toBe(400);
    const missing = await req("POST", "/api/models", {});
    expect(missing.status).toBe(400);
    expect((await j(missing)).problems[0].path).toBe("body.text");
    expect((await req("POST", "/api/models", { text: seedText, extra: 1 })).status).toBe(400);
    const bad = await req("POST", "/api/models", { text: "id: x\ntitle: t\nfactors: 3\n" });
    expect(bad.status).toBe(422);
    const b = await j(bad);
    expect(b.problems.length).toBeGreaterThan(0);
    expect(b.problems[0]).toMatchObject({ severity: "error" });
    expect(typeof b.problems[0].path).toBe("string");
    expect((await req("POST", "/api/models", { text: seedText })).status).toBe(409);
    expect((await req("GET", "/api/models")).status).toBe(200);
  });

  it("refuses oversized bodies with 413", async () => {
    const big = { text: `# ${"x".repeat(2 * 1024 * 1024 + 10)}\n${seedText}` };
    expect((await req("POST", "/api/models", big)).status).toBe(413);
    expect((await req("PUT", "/api/models/oman-2025", { ...big, baseVersion: 1 })).status).toBe(413);
    const doc = { text: "a".repeat(11 * 1024 * 1024 + 10) };
    expect((await req("POST", "/api/documents", doc)).status).toBe(413);
    expect((await req("POST", "/api/runs/1/cancel", { pad: "x".repeat(70 * 1024) })).status).toBe(413);
  });

  it("creates, versions, diffs, restores and deletes a model; concurrent edits conflict", async () => {
    const text = seedText.replace(/^id: oman-2025$/m, "id: copy");
    expect(text).not.toBe(seedText);
    const c = await req("POST", "/api/models", { text });
    expect(c.status).toBe(201);
    expect(await j(c)).toMatchObject({ id: "copy", version: 1 });
    // two edits based on version 1 at once: exactly one wins, the other gets 409
    const a = text.replace(/^title: .*$/m, "title: Edit A");
    const b = text.replace(/^title: .*$/m, "title: Edit B");
    const [ra, rb] = await Promise.all([
      req("PUT", "/api/models/copy", { text: a, baseVersion: 1 }),
      req("PUT", "/api/models/copy", { text: b, baseVersion: 1 }),
    ]);
    expect([ra.status, rb.status].sort()).toEqual([200, 409]);
    const loser = ra.status === 409 ? ra : rb;
    expect((await j(loser)).error).toMatch(/version conflict/);
    const versions = await j(await req("GET", "/api/models/copy/versions"));
    expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    // the loser retries on the latest version: nothing is lost
    const retry = await req("PUT", "/api/models/copy", { text: ra.status === 409 ? a : b, baseVersion: 2 });
    expect(retry.status).toBe(200);
    expect((await j(retry)).version).toBe(3);
    // text id must match
    expect((await req("PUT", "/api/models/copy", { text: seedText, baseVersion: 3 })).status).toBe(422);
    // PATCH one value, comments kept
    const m3 = await j(await req("GET", "/api/models/copy"));
    const strength = m3.model.impacts.findIndex((i: { kind: string }) => i.kind === "cell");
    const old = m3.model.impacts[strength].strength;
    const next = old === 1 ? 2 : 1;
    const p = await req("PATCH", "/api/models/copy", {
      baseVersion: 3,
      path: `impacts[${strength}].strength`,
      value: next,
    });
    expect(p.status).toBe(200);
    const m4 = await j(await req("GET", "/api/models/copy"));
    expect(m4.version).toBe(4);
    expect(m4.model.impacts[strength].strength).toBe(next);
    const comments = (s: string) => s.split("\n").filter((l) => l.trim().startsWith("#")).length;
    expect(comments(m4.text)).toBe(comments(m3.text));
    expect(
      (await req("PATCH", "/api/models/copy", { baseVersion: 3, path: "title", value: "x" })).status,
    ).toBe(409);
    expect(
      (
        await req("PATCH", "/api/models/copy", {
          baseVersion: 4,
          path: `impacts[${strength}].strength`,
          value: 99,
        })
      ).status,
    ).toBe(422);
    expect(
      (await req("PATCH", "/api/models/copy", { baseVersion: 4, path: "no.such[1].place", value: 1 })).status,
    ).toBe(400);
    expect((await req("PATCH", "/api/models/copy", { baseVersion: 4, path: "../x", value: 1 })).status).toBe(
      400,
    );
    expect((await j(await req("GET", "/api/models/copy"))).version).toBe(4);
    // diff
    const d = await j(await req("GET", "/api/models/copy/diff?from=3&to=4"));
    expect(d.changes).toEqual([{ path: `impacts[${strength}].strength`, before: old, after: next }]);
    expect(d.textDiff).toMatch(/^--- copy@3\n\+\+\+ copy@4\n@@ /);
    expect((await req("GET", "/api/models/copy/diff?from=3")).status).toBe(400);
    expect((await req("GET", "/api/models/copy/diff?from=3&to=77")).status).toBe(404);
    // restore
    const r = await req("POST", "/api/models/copy/restore", { version: 1, baseVersion: 4 });
    expect(r.status).toBe(200);
    const m5 = await j(await req("GET", "/api/models/copy"));
    expect(m5.version).toBe(5);
    expect(m5.text).toBe(text);
    expect((await req("POST", "/api/models/copy/restore", { version: 1, baseVersion: 4 })).status).toBe(409);
    // delete
    expect((await req("DELETE", "/api/models/copy")).status).toBe(200);
    expect((await req("GET", "/api/models/copy")).status).toBe(404);
    expect((await req("DELETE", "/api/models/copy")).status).toBe(404);
    expect((await req("GET", "/api/models/copy/versions")).status).toBe(404);
  });

  it("gives the matrix with each judged cell's path, rationale and evidence", async () => {
    const m = await j(await req("GET", "/api/models/oman-2025/matrix"));
    const M = m.labels.length;
    expect(m.rows.length).toBe(M);
    expect(m.rows[0].length).toBe(M);
    expect(m.cells.length).toBeGreaterThan(10);
    // Each cell's value is the sum of the values at its judgments' paths in the model.
    const { model } = await j(await req("GET", "/api/models/oman-2025"));
    const at = (path: string) =>
      path
        .match(/[a-z]+|\d+/g)!
        .reduce(
          (v: Record<string, unknown>, k) => v[k] as Record<string, unknown>,
          model,
        ) as unknown as number;
    for (const c of m.cells) {
      expect(m.rows[c.row][c.column]).toBe(c.strength);
      expect(c.sources.length).toBeGreaterThan(0);
      for (const s of c.sources) expect(s.path).toMatch(new RegExp(`^impacts\\[${s.impact}\\]\\.`));
      expect(c.sources.reduce((t: number, s: { path: string }) => t + at(s.path), 0)).toBe(c.strength);
    }
    // Every non-zero value of the matrix has a judged cell.
    const judged = new Set(m.cells.map((c: { row: number; column: number }) => `${c.row},${c.column}`));
    m.rows.forEach((row: number[], r: number) =>
      row.forEach((v, c) => {
        if (v !== 0) expect(judged.has(`${r},${c}`)).toBe(true);
      }),
    );
  });
});

describe("runs", () => {
  it("runs an engine as a job and stores its result", async () => {
    const r = await req("POST", "/api/models/oman-2025/runs", {
      engine: "scenarios",
      options: { maxInconsistency: 0 },
    });
    expect(r.status).toBe(202);
    const { runId } = await j(r);
    const done = await waitRun(runId, (x) => x.status !== "queued" && x.status !== "running");
    expect(done.status).toBe("done");
    expect(done.engineVersion).toMatch(/^cib\//);
    expect(done.modelHash).toMatch(/^[0-9a-f]{64}$/);
    expect(Number(done.result.count)).toBeGreaterThan(0);
    expect(done.result.scenarios[0].states).toHaveProperty("talks");
    const list = await j(await req("GET", "/api/models/oman-2025/runs"));
    expect(list[0].runId).toBe(runId);
    expect(list[0].result).toBeUndefined();
  });

  it("validates engine, options and version; unknown runs 404", async () => {
    const bad = await req("POST", "/api/models/oman-2025/runs", { engine: "nope" });
    expect(bad.status).toBe(400);
    expect((await j(bad)).problems[0].path).toBe("body.engine");
    const opt = await req("POST", "/api/models/oman-2025/runs", {
      engine: "simulate",
      options: { runs: -5 },
    });
    expect(opt.status).toBe(400);
    expect((await j(opt)).problems[0].path).toBe("body.options.runs");
    const extra = await req("POST", "/api/models/oman-2025/runs", {
      engine: "simulate",
      options: { rnus: 5 },
    });
    expect(extra.status).toBe(400);
    expect(
      (await req("POST", "/api/models/oman-2025/runs", { engine: "scenarios", version: 42 })).status,
    ).toBe(404);
    expect((await req("POST", "/api/models/nope/runs", { engine: "scenarios" })).status).toBe(404);
    expect((await req("GET", "/api/runs/999999")).status).toBe(404);
    expect((await req("GET", "/api/runs/abc")).status).toBe(400);
    expect((await req("GET", "/api/runs/..%2F1")).status).toBe(400);
    expect((await req("POST", "/api/runs/999999/cancel")).status).toBe(404);
  });

  it("refuses at submission an option that does not fit the model (422, with the option's path)", async () => {
    const before = (await j(await req("GET", "/api/models/oman-2025/runs"))).length;
    const r = await req("POST", "/api/models/oman-2025/runs", {
      engine: "explain",
      options: { scenario: "nosuch=x" },
    });
    expect(r.status).toBe(422);
    const data = await j(r);
    expect(data.error).toMatch(/nosuch/);
    expect(data.problems[0].path).toBe("body.options.scenario");
    // Nothing was queued or stored.
    expect((await j(await req("GET", "/api/models/oman-2025/runs"))).length).toBe(before);
  });

  it("reports progress of a long run and honours cancel", async () => {
    const { runId } = await j(
      await req("POST", "/api/models/oman-2025/runs", {
        engine: "simulate",
        options: { runs: 10_000_000, steps: 500, given: [GIVEN], chunkSize: 2000 },
      }),
    );
    const running = await waitRun(runId, (x) => x.status === "running" && x.progress.done > 0);
    expect(running.progress.total).toBeGreaterThan(running.progress.done);
    expect(running.seed).toBe(1);
    const c = await req("POST", `/api/runs/${runId}/cancel`);
    expect(c.status).toBe(202);
    const end = await waitRun(runId, (x) => x.status !== "running");
    expect(end.status).toBe("cancelled");
    expect((await req("POST", `/api/runs/${runId}/cancel`)).status).toBe(409);
  });
});

describe("corpus and evidence", () => {
  it("adds, lists and reads documents; validates ids", async () => {
    const text =
      "# Talks in Muscat\n\nOman hosted indirect talks between Iran and the United States on Saturday.\n";
    const r = await req("POST", "/api/documents", { text, fileName: "talks.md" });
    expect(r.status).toBe(201);
    const added = await j(r);
    expect(added.status).toBe("added");
    expect((await j(await req("POST", "/api/documents", { text, fileName: "talks.md" }))).status).toBe(
      "unchanged",
    );
    const list = await j(await req("GET", "/api/documents"));
    expect(list.map((d: { id: string }) => d.id)).toContain(added.id);
    const d = await j(await req("GET", `/api/documents/${added.id}`));
    expect(d.text).toContain("Oman hosted");
    expect(d.blocks.length).toBeGreaterThan(0);
    expect((await req("GET", `/api/documents/${"0".repeat(64)}`)).status).toBe(404);
    expect((await req("GET", "/api/documents/..%2F..%2Fetc")).status).toBe(400);
    expect((await req("POST", "/api/documents", { text, fileName: "../../evil.md" })).status).toBe(400);
    expect((await req("POST", "/api/documents", { text: "" })).status).toBe(400);
  });

  it("resolves the model's evidence against the corpus", async () => {
    const r = await j(await req("GET", "/api/models/oman-2025/evidence"));
    expect(r.counts.locators).toBeGreaterThan(0);
    expect(r.checks[0]).toHaveProperty("status");
    expect((await req("GET", "/api/models/nope/evidence")).status).toBe(404);
  });
});

describe("token", () => {
  it("requires the Bearer token on every endpoint but health when one is set", async () => {
    const locked = createApp({ store, queue, version: "t", token: "s3cret-token" });
    expect((await locked.request("/api/health")).status).toBe(200);
    expect((await locked.request("/api/models")).status).toBe(401);
    expect((await locked.request("/api/models", { headers: { authorization: "Bearer wrong" } })).status).toBe(
      401,
    );
    expect(
      (await locked.request("/api/models", { headers: { authorization: "Bearer s3cret-token" } })).status,
    ).toBe(200);
  });
});

describe("static files", () => {
  it("never resolves a path outside the UI folder", () => {
    const root = join(repoRoot, "src");
    expect(staticFile(root, "/server/app.ts")).toBe(join(root, "server", "app.ts"));
    for (const p of [
      "/../package.json",
      "/%2e%2e/package.json",
      "/server/../../package.json",
      "/%00",
      "/%E0%A4%A",
    ])
      expect(staticFile(root, p), p).toBeUndefined();
  });
});
