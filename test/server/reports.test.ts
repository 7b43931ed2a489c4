// GET /api/runs/{runId}/report: a finished analyze run rendered as the report (HTML, PDF).
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPORT_SECTIONS } from "../../src/report/index.js";
import { createApp } from "../../src/server/app.js";
import { JobQueue } from "../../src/server/jobs.js";
import { openStore, type Store, seedIfEmpty } from "../../src/store/index.js";
import { seedModelPath } from "../helpers/paths.js";

let dir: string;
let store: Store;
let queue: JobQueue;
let app: ReturnType<typeof createApp>;
const req = (method: string, path: string, body?: unknown) =>
  app.request(path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function finished(engine: string, options: Record<string, unknown>): Promise<number> {
  const r = await req("POST", "/api/models/oman-2025/runs", { engine, options });
  const { runId } = (await r.json()) as { runId: number };
  for (let i = 0; i < 1200; i++) {
    const run = (await (await req("GET", `/api/runs/${runId}`)).json()) as { status: string };
    if (run.status === "done") return runId;
    if (run.status !== "queued" && run.status !== "running") throw new Error(`run ${runId} ${run.status}`);
    await new Promise((s) => setTimeout(s, 100));
  }
  throw new Error("run did not finish");
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "muscat-report-"));
  store = (await openStore(dir))!;
  queue = new JobQueue(store, { progressEveryMs: 50 });
  await seedIfEmpty(store, readFileSync(seedModelPath, "utf8"));
  app = createApp({ store, queue, version: "test" });
});
afterAll(async () => {
  await queue.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("report of an analyze run", () => {
  it("renders the run's analysis as the HTML report: every section, the model hash, the same page twice", async () => {
    const runId = await finished("analyze", { runs: 500, stakesRuns: 200, forecastRuns: 300, seed: 3 });
    const r = await req("GET", `/api/runs/${runId}/report`);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await r.text();
    for (const s of REPORT_SECTIONS) expect(html).toContain(`id="${s}"`);
    const run = (await (await req("GET", `/api/runs/${runId}`)).json()) as { modelHash: string };
    expect(html).toContain(run.modelHash.slice(0, 12));
    expect(await (await req("GET", `/api/runs/${runId}/report`)).text()).toBe(html);
  }, 120_000);

  it("refuses another engine's run, an unknown run and a bad format", async () => {
    const other = await finished("scenarios", {});
    expect((await req("GET", `/api/runs/${other}/report`)).status).toBe(400);
    expect((await req("GET", "/api/runs/99999/report")).status).toBe(404);
    expect((await req("GET", `/api/runs/${other}/report?format=doc`)).status).toBe(400);
  }, 60_000);

  it.runIf(existsSync(process.env.MUSCAT_CHROMIUM ?? "/usr/bin/chromium"))(
    "prints it as a PDF with Chromium",
    async () => {
      const runId = await finished("analyze", { runs: 300, stakesRuns: 100, forecastRuns: 200 });
      const r = await req("GET", `/api/runs/${runId}/report?format=pdf`);
      expect(r.status).toBe(200);
      expect(r.headers.get("content-type")).toBe("application/pdf");
      const bytes = Buffer.from(await r.arrayBuffer());
      expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
      expect(bytes.length).toBeGreaterThan(10_000);
    },
    120_000,
  );
});
