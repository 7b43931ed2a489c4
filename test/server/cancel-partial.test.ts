// Cancel a running stationary MCMC job through the API: the engine sees the cancel (it polls
// the job's stop flag), so the run ends "cancelled" with its partial result — the samples taken
// so far, flagged partial — well within the queue's 3 s grace period, not killed after it.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer("muscat-cancel-partial-"); // the queue's default grace: 3 s
});
afterAll(() => server.close());

// biome-ignore lint/suspicious/noExplicitAny: the run is read field by field
async function waitRun(runId: number, until: (r: any) => boolean): Promise<any> {
  for (let i = 0; i < 1200; i++) {
    const r = (await server.req("GET", `/api/runs/${runId}`)).data;
    if (until(r)) return r;
    await new Promise((s) => setTimeout(s, 25));
  }
  throw new Error(`run ${runId} did not reach the awaited state`);
}

it("a cancelled stationary MCMC job keeps its partial result, well within the grace period", async () => {
  const samples = 50_000_000; // ~2 minutes of sampling if the cancel were ignored
  const posted = await server.req("POST", "/api/models/oman-2025/runs", {
    engine: "stationary",
    options: { method: "mcmc", samples },
  });
  expect(posted.status).toBe(202);
  const { runId } = posted.data;
  await waitRun(runId, (r) => r.status === "running" && r.progress?.done > 0);
  const t0 = performance.now();
  expect((await server.req("POST", `/api/runs/${runId}/cancel`)).status).toBe(202);
  const end = await waitRun(runId, (r) => r.status !== "running");
  const ms = performance.now() - t0;
  console.log(`stationary MCMC job: ${end.status} ${Math.round(ms)} ms after the cancel`);
  expect(end.status).toBe("cancelled");
  expect(ms).toBeLessThan(1500);
  const r = end.result;
  expect(r.partial).toBe(true);
  expect(r.mcmc.requested).toBe(samples);
  expect(r.mcmc.samples).toBeGreaterThan(0);
  expect(r.mcmc.samples).toBeLessThan(samples);
  for (const f of r.factors)
    expect(f.states.reduce((s: number, x: { p: number }) => s + x.p, 0)).toBeCloseTo(1, 9);
}, 60_000);
