// GET /api/runs/{runId}/report: a finished analyze run rendered as the report (HTML, PDF).
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPORT_SECTIONS } from "../../src/report/index.js";
import { startTestServer, type TestServer } from "./harness.js";

let server: TestServer;
const req = (method: string, path: string) => server.raw(method, path);
const finished = async (engine: string, options: Record<string, unknown>) =>
  (await server.finished({ engine, options })).data.runId as number;

beforeAll(async () => {
  server = await startTestServer("muscat-report-");
});
afterAll(async () => server.close());

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
