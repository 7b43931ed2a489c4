// The app's jobs on Redis (`muscat serve --redis`, src/server/queue-jobs.ts) with a real
// redis-server and a real `muscat worker` process: several jobs at once with the same results
// as the in-process queue, a job that outlives a server restart, cancel, the per-model cap (429)
// and the time limit enforced on the worker.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseLimits } from "../../src/server/limits.js";
import { type RunningServer, startServer } from "../../src/server/serve.js";
import { seedModelPath } from "../helpers/paths.js";
import { haveRedis, startRedis, startWorker, type TestRedis, type TestWorker } from "../helpers/redis.js";
import { startTestServer, type TestServer } from "./harness.js";

const seedText = readFileSync(seedModelPath, "utf8");
const RUN = (runs: number, seed = 4) => ({ engine: "simulate", options: { steps: 8, runs, seed } });
const noTime = (r: unknown) => JSON.stringify(r, (k, v) => (k === "elapsedMs" ? undefined : v));

async function call(s: RunningServer, method: string, path: string, body?: unknown) {
  const res = await fetch(new URL(path, s.url), {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the API's answers, read field by field
  return { status: res.status, data: (await res.json()) as any };
}

async function until(s: RunningServer, runId: number, ok: (status: string) => boolean, ms = 120_000) {
  const t0 = Date.now();
  for (;;) {
    const r = await call(s, "GET", `/api/runs/${runId}`);
    if (ok(r.data.status)) return r.data;
    if (Date.now() - t0 > ms) throw new Error(`run ${runId} still ${r.data.status} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.runIf(haveRedis)("the app's jobs on a Redis queue", () => {
  let redis: TestRedis;
  let worker: TestWorker;
  let local: TestServer;
  const dataDir = mkdtempSync(join(tmpdir(), "muscat-queue-jobs-"));
  const open = (limits?: string[]) =>
    startServer({
      dataDir,
      port: 0,
      version: "test",
      seedText,
      redis: redis.url,
      limits: parseLimits(limits ?? []),
    });

  beforeAll(async () => {
    redis = await startRedis();
    worker = await startWorker(redis.url, { concurrency: 2 });
    local = await startTestServer("muscat-queue-jobs-local-");
  }, 120_000);

  afterAll(async () => {
    await worker?.kill("SIGKILL");
    await redis?.stop();
  });

  it("runs several jobs at once on the workers, with the in-process queue's results", async () => {
    const s = await open();
    try {
      const a = await call(s, "POST", "/api/models/oman-2025/runs", RUN(20_000, 4));
      const b = await call(s, "POST", "/api/models/oman-2025/runs", { engine: "scenarios", options: {} });
      expect([a.status, b.status]).toEqual([202, 202]);
      const [ra, rb] = await Promise.all([
        until(s, a.data.runId, (x) => x === "done"),
        until(s, b.data.runId, (x) => x === "done"),
      ]);
      const la = await local.finished(RUN(20_000, 4));
      const lb = await local.finished({ engine: "scenarios", options: {} });
      expect(noTime(ra.result)).toBe(noTime(la.run.result));
      expect(noTime(rb.result)).toBe(noTime(lb.run.result));
      expect(worker.log()).toMatch(/job \S+ done/);
    } finally {
      await s.close();
    }
  }, 180_000);

  it("a job outlives a server restart: the new server follows it to its end", async () => {
    let s = await open();
    const posted = await call(s, "POST", "/api/models/oman-2025/runs", RUN(600_000, 5));
    const runId = posted.data.runId as number;
    await until(s, runId, (x) => x === "running");
    await s.close();
    s = await open();
    try {
      expect(s.recovered).toBe(0);
      const done = await until(s, runId, (x) => x !== "queued" && x !== "running", 300_000);
      expect(done.status).toBe("done");
      expect(done.result.runs).toBe(600_000);
    } finally {
      await s.close();
    }
  }, 360_000);

  it("cancel, the per-model cap (429) and the time limit hold on the queue", async () => {
    const s = await open(["maxQueuedPerModel=1", "runMinutes.simulate=0.05"]);
    try {
      const long = await call(s, "POST", "/api/models/oman-2025/runs", RUN(10_000_000, 6));
      expect(long.status).toBe(202);
      const refused = await call(s, "POST", "/api/models/oman-2025/runs", RUN(1000, 7));
      expect(refused.status).toBe(429);
      // the time limit (3 s): the run fails naming it and keeps its partial result
      const timed = await until(s, long.data.runId, (x) => x !== "queued" && x !== "running", 60_000);
      expect(timed.status).toBe("failed");
      expect(timed.error).toMatch(/time limit of 0\.05 min for simulate runs/);
      // cancel a running one
      const next = await call(s, "POST", "/api/models/oman-2025/runs", RUN(10_000_000, 8));
      await until(s, next.data.runId, (x) => x === "running");
      const t0 = Date.now();
      expect((await call(s, "POST", `/api/runs/${next.data.runId}/cancel`, {})).status).toBeLessThan(300);
      const cancelled = await until(s, next.data.runId, (x) => x !== "running", 30_000);
      console.log(`app job cancelled on the queue in ${Date.now() - t0} ms`);
      expect(cancelled.status).toBe("cancelled");
    } finally {
      await s.close();
    }
  }, 180_000);
});
