// The BullMQ backend (src/workers/queue.ts, queue-worker.ts) against a real redis-server and real
// `muscat worker` processes: the same bytes as the local threads with 1 and 2 workers (kernel
// boxes, Monte Carlo chunks, judgment draws, forecast questions, sensitivity cells, basin
// blocks), a worker
// killed with kill -9 mid-part (the part is retried, the result unchanged), Redis restarted mid-
// run (a clear failure, never a wrong result), cancel, and a part of another make refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { successionBasins, successionBasinsAsync } from "../../src/cib/basins.js";
import { findKernelParallel } from "../../src/cib/parallel.js";
import { randomModel } from "../../src/cib/random.js";
import { judgmentSensitivity, judgmentSensitivityAsync } from "../../src/cib/sensitivity.js";
import { compileModel } from "../../src/model/compile.js";
import { loadModelOrThrow } from "../../src/model/load-file.js";
import { checkOptions } from "../../src/runs/fields.js";
import { forecastRun } from "../../src/runs/forecast.js";
import { forecastOptions, robustOptions, simulateOptions } from "../../src/runs/options.js";
import { robustRun, simulateRun } from "../../src/runs/prob.js";
import { createPool, type Pool } from "../../src/workers/pool.js";
import { createQueueExecutor, PREFIX, QUEUE_NAME } from "../../src/workers/queue.js";
import { seedModelPath } from "../helpers/paths.js";
import { haveRedis, startRedis, startWorker, type TestRedis, type TestWorker } from "../helpers/redis.js";
import { randomCibModel } from "../runs/cancel-models.js";

const { model } = loadModelOrThrow(seedModelPath);
// A random 20-factor, 3-state model; its search is split into the same prefix boxes both ways.
const big = randomModel(
  Array.from({ length: 20 }, () => 3),
  2026,
  { lo: -2, hi: 2 },
);

/** JSON without the wall-clock fields (elapsed time is no part of a result's content). */
const bytes = (r: unknown) => JSON.stringify(r, (k, v) => (k === "elapsedMs" ? undefined : v));

const kernelOn = (pool: Pool) => findKernelParallel(big, { tolerance: 0, pool, minSpace: 0n, probeMs: 0 });
/** The options with their defaults filled in, as the CLI and the server pass them. */
function options<S extends Parameters<typeof checkOptions>[0]>(spec: S, o: object) {
  const c = checkOptions(spec, o);
  if (!c.ok) throw new Error(JSON.stringify(c.problems));
  return c.value;
}
const sim = (o: object) => options(simulateOptions, o);
const simOpts = sim({ steps: 6, runs: 6000, seed: 11 });
const robustOpts = options(robustOptions, { samples: 120, seed: 5 });
const forecastOpts = options(forecastOptions, { runs: 1500, seed: 8, driverRuns: 300 });
// Sensitivity and basins: their parts go to the pool however short the run (probeMs 0,
// minSpace 0); the reference is the single-thread run.
const seedCm = compileModel(model);
const basinModel = randomModel(
  Array.from({ length: 12 }, () => 3),
  12,
  { lo: -3, hi: 3 },
);
const sensitivityOn = (pool?: Pool) =>
  Promise.all(
    (["rerun", "candidates"] as const).map((method) =>
      pool
        ? judgmentSensitivityAsync(seedCm, { method, pool, probeMs: 0 })
        : judgmentSensitivity(seedCm, { method }),
    ),
  );
const basinsOn = (pool?: Pool) =>
  pool
    ? successionBasinsAsync(basinModel, { method: "exact", pool, minSpace: 0 })
    : successionBasins(basinModel, { method: "exact" });

describe.runIf(haveRedis)("the BullMQ executor", () => {
  let redis: TestRedis;
  const workers: TestWorker[] = [];
  const local: Record<string, string> = {};

  beforeAll(async () => {
    redis = await startRedis();
    const pool = createPool(2);
    try {
      local.kernel = bytes(await kernelOn(pool));
      local.simulate = bytes(await simulateRun(model, simOpts, { pool }));
      local.robust = bytes(await robustRun(model, robustOpts, { pool }));
      local.forecast = bytes(await forecastRun(model, forecastOpts, {}));
      local.sensitivity = bytes(await sensitivityOn());
      local.basins = bytes(await basinsOn());
    } finally {
      await pool.close();
    }
  }, 240_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill("SIGKILL")));
    await redis?.stop();
  });

  const onQueue = async () => {
    const q = createQueueExecutor({ url: redis.url, parts: 2 });
    try {
      return {
        kernel: bytes(await kernelOn(q)),
        simulate: bytes(await simulateRun(model, simOpts, { pool: q })),
        robust: bytes(await robustRun(model, robustOpts, { pool: q })),
        forecast: bytes(await forecastRun(model, forecastOpts, { pool: q })),
        sensitivity: bytes(await sensitivityOn(q)),
        basins: bytes(await basinsOn(q)),
        stats: q.stats(),
      };
    } finally {
      await q.close();
    }
  };

  it("gives the same bytes as the local threads: scenarios (20×3), simulate, robust, forecast, sensitivity, basins — with 1 worker, then 2", async () => {
    workers.push(await startWorker(redis.url, { concurrency: 2 }));
    const one = await onQueue();
    expect(one.kernel).toBe(local.kernel);
    expect(one.simulate).toBe(local.simulate);
    expect(one.robust).toBe(local.robust);
    expect(one.forecast).toBe(local.forecast);
    expect(one.sensitivity).toBe(local.sensitivity);
    expect(one.basins).toBe(local.basins);
    expect(JSON.parse(one.sensitivity)[0].changes.length).toBeGreaterThan(0);
    expect(one.stats.finished).toBe(one.stats.added);
    expect(JSON.parse(one.kernel).scenarios.length).toBeGreaterThan(0);
    workers.push(await startWorker(redis.url, { concurrency: 2 }));
    const two = await onQueue();
    expect(two.kernel).toBe(local.kernel);
    expect(two.simulate).toBe(local.simulate);
    expect(two.robust).toBe(local.robust);
    expect(two.forecast).toBe(local.forecast);
    expect(two.sensitivity).toBe(local.sensitivity);
    expect(two.basins).toBe(local.basins);
    // both workers took parts
    for (const w of workers) expect(w.log()).toMatch(/part \S+ done/);
  }, 300_000);

  it("a part of another Muscat version is refused, and the run fails saying why", async () => {
    const { Queue } = await import("bullmq");
    const connection = { url: redis.url, maxRetriesPerRequest: null };
    const queue = new Queue(QUEUE_NAME, { connection, prefix: PREFIX });
    try {
      await queue.add(
        "part",
        { make: "muscat 0.0.1 on node 18", run: "old", index: 0, task: "", shared: {} },
        { jobId: "old-0", attempts: 3 },
      );
      // The job's own state in Redis, polled: a QueueEvents stream read from "$" can miss a
      // failure that lands before its first read, on a loaded machine (one CI run waited 90 s
      // for an event that had gone by). Generous: the refusal itself takes milliseconds.
      const t0 = Date.now();
      let state = await queue.getJobState("old-0");
      while (state !== "failed" && state !== "completed" && Date.now() - t0 < 90_000) {
        await new Promise((r) => setTimeout(r, 100));
        state = await queue.getJobState("old-0");
      }
      const counts = await queue.getJobCounts();
      expect(state, `job old-0 still ${state} after 90 s; queue ${JSON.stringify(counts)}`).toBe("failed");
      const job = await queue.getJob("old-0");
      expect(job?.failedReason).toMatch(
        /made by muscat 0\.0\.1 on node 18, and the worker is muscat .* same Muscat version/,
      );
      // refused once, not retried
      expect(job?.attemptsMade).toBe(1);
    } finally {
      await queue.close();
    }
  }, 120_000);

  it("cancel: the run stops, returns its finished prefix, and no part of it is left running", async () => {
    const ac = new AbortController();
    const q = createQueueExecutor({ url: redis.url, parts: 4, signal: ac.signal });
    let done = 0;
    const t0 = Date.now();
    try {
      const r = await simulateRun(model, sim({ steps: 24, runs: 4_000_000, seed: 3 }), {
        pool: q,
        signal: ac.signal,
        onProgress: (p) => {
          done = p.done;
          if (p.done >= 2 && !ac.signal.aborted) ac.abort();
        },
      });
      const stoppedMs = Date.now() - t0;
      expect(r.result.partial).toBe(true);
      expect(done).toBeGreaterThanOrEqual(2);
      console.log(`cancel on the queue: run returned ${stoppedMs} ms after start, ${done} parts merged`);
    } finally {
      await q.close();
    }
    // every worker is idle within a second or two of the cancel
    const { Queue } = await import("bullmq");
    const queue = new Queue(QUEUE_NAME, {
      connection: { url: redis.url, maxRetriesPerRequest: null },
      prefix: PREFIX,
    });
    try {
      const t1 = Date.now();
      while ((await queue.getActiveCount()) > 0 && Date.now() - t1 < 10_000)
        await new Promise((r) => setTimeout(r, 100));
      const idleMs = Date.now() - t1;
      console.log(`cancel on the queue: workers idle ${idleMs} ms after the run returned`);
      expect(await queue.getActiveCount()).toBe(0);
      expect(await queue.getWaitingCount()).toBe(0);
      expect(idleMs).toBeLessThan(2000);
    } finally {
      await queue.close();
    }
  }, 120_000);

  it("cancel of a kernel search on the queue: every box stops within about a second, keeping what it found", async () => {
    const q = createQueueExecutor({ url: redis.url, parts: 2 });
    const t0 = performance.now();
    try {
      // 40 factors (seed 3): 9.4 s on one thread with the SIMD kernel (the 36-factor model took
      // over 8 s before it, 4.2 s after), and 22 scenarios found in its first 1.5 s
      const k = await findKernelParallel(compileModel(randomCibModel(40, 2, 3, { lo: -1, hi: 1 })), {
        tolerance: 1,
        pool: q,
        minSpace: 0n,
        probeMs: 0,
        shouldStop: () => performance.now() - t0 > 1500,
      });
      const lateMs = performance.now() - t0 - 1500;
      console.log(
        `kernel search on the queue: ${k.scenarios.length} found, returned ${Math.round(lateMs)} ms after the stop`,
      );
      expect(k.complete).toBe(false);
      expect(Number(k.count)).toBe(k.scenarios.length);
      expect(lateMs).toBeLessThan(2500);
    } finally {
      await q.close();
    }
  }, 120_000);

  it("a worker killed with kill -9 mid-part: the part is retried elsewhere and the result is the same", async () => {
    for (const w of workers.splice(0)) await w.kill("SIGKILL");
    const victim = await startWorker(redis.url, { concurrency: 1, lockMs: 2000 });
    const q = createQueueExecutor({ url: redis.url, parts: 2 });
    const { Queue } = await import("bullmq");
    const queue = new Queue(QUEUE_NAME, {
      connection: { url: redis.url, maxRetriesPerRequest: null },
      prefix: PREFIX,
    });
    try {
      const running = simulateRun(model, simOpts, { pool: q });
      const t0 = Date.now();
      while ((await queue.getActiveCount()) === 0 && Date.now() - t0 < 60_000)
        await new Promise((r) => setTimeout(r, 20));
      await victim.kill("SIGKILL");
      workers.push(await startWorker(redis.url, { concurrency: 2, lockMs: 2000 }));
      const r = await running;
      expect(bytes(r)).toBe(local.simulate);
      expect(q.stats().finished).toBe(q.stats().added);
    } finally {
      await q.close();
      await queue.close();
    }
  }, 180_000);
});

describe.runIf(haveRedis)("Redis restarted in the middle of a run", () => {
  it("the run fails with a plain message (its parts are gone), never with a wrong result", async () => {
    const redis = await startRedis(true);
    const worker = await startWorker(redis.url, { concurrency: 2, lockMs: 2000 });
    const q = createQueueExecutor({ url: redis.url, parts: 2, unreachableMs: 20_000 });
    try {
      let restarted = false;
      const running = simulateRun(model, sim({ steps: 24, runs: 400_000, seed: 9 }), {
        pool: q,
        onProgress: (p) => {
          if (p.done >= 1 && !restarted) {
            restarted = true;
            void redis.restart(300);
          }
        },
      });
      const outcome = await running.then(
        (r) => ({ ok: true as const, r }),
        (e: Error) => ({ ok: false as const, e }),
      );
      expect(restarted).toBe(true);
      console.log(
        `Redis restarted mid-run: ${outcome.ok ? "the run resumed" : `the run failed: ${outcome.e.message}`}`,
      );
      if (outcome.ok) {
        // Resumed: then it must be the local result exactly.
        const pool = createPool(2);
        try {
          expect(bytes(outcome.r)).toBe(
            bytes(await simulateRun(model, sim({ steps: 24, runs: 400_000, seed: 9 }), { pool })),
          );
        } finally {
          await pool.close();
        }
      } else expect(outcome.e.message).toMatch(/no longer in Redis|unreachable/);
    } finally {
      await q.close();
      await worker.kill("SIGKILL");
      await redis.stop();
    }
  }, 180_000);
});
