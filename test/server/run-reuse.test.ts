// A run already computed for the same model content, engine version and options comes from
// the store: the same run again, after an edit and its undo (a restore), but not with `fresh`,
// not for the evidence engine (the corpus can change), not with other options.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.js";

let server: TestServer;
const req = (method: string, path: string, body?: unknown) => server.req(method, path, body);
const run = (body: Record<string, unknown>) => server.finished(body);

beforeAll(async () => {
  server = await startTestServer("muscat-reuse-");
});
afterAll(async () => server.close());

describe("runs reused by content hash", () => {
  it("the same run again is the stored one; other options, fresh, or evidence compute", async () => {
    const a = await run({ engine: "scenarios", options: { basins: true } });
    expect(a.status).toBe(202);
    const b = await run({ engine: "scenarios", options: { basins: true } });
    expect(b.status).toBe(200);
    expect(b.data).toEqual({ runId: a.data.runId, status: "done", reused: true });
    expect(b.run.result).toEqual(a.run.result);
    // the same options written with their defaults are the same options
    const c = await run({ engine: "scenarios", options: { basins: true, maxInconsistency: 0 } });
    expect(c.data.runId).toBe(a.data.runId);
    expect((await run({ engine: "scenarios", options: { basins: false } })).status).toBe(202);
    expect((await run({ engine: "scenarios", options: { basins: true }, fresh: true })).status).toBe(202);
    await run({ engine: "evidence", options: {} });
    expect((await run({ engine: "evidence", options: {} })).status).toBe(202);
  }, 60_000);

  it("an edit computes; its undo (a restore of the earlier content) finds the earlier run", async () => {
    const before = await run({ engine: "simulate", options: { runs: 500, steps: 4, seed: 2 } });
    const m = await req("GET", "/api/models/oman-2025");
    const edited = await req("PATCH", "/api/models/oman-2025", {
      baseVersion: m.data.version,
      path: "impacts[0].strength",
      value: 0,
    });
    expect(edited.status).toBe(200);
    const after = await run({ engine: "simulate", options: { runs: 500, steps: 4, seed: 2 } });
    expect(after.status).toBe(202);
    const restored = await req("POST", "/api/models/oman-2025/restore", {
      version: m.data.version,
      baseVersion: edited.data.version,
    });
    expect(restored.data.hash).toBe(m.data.hash);
    const again = await run({ engine: "simulate", options: { runs: 500, steps: 4, seed: 2 } });
    expect(again.status).toBe(200);
    expect(again.data.runId).toBe(before.data.runId);
  }, 60_000);
});
