// The app's jobs on Redis (`muscat serve --redis URL`): each run is a BullMQ job on the queue
// `muscat-jobs`, taken by any `muscat worker` (queue-job-runner.ts), so several run at once and
// they outlive the server. The server keeps the runs' rows as the in-process queue does
// (jobs.ts): running when a worker takes the job, progress, then the outcome.
//
// - Job ids are `<server>-<run>`: `<server>` is the data directory's id (DATA/server-id), so
//   servers with their own stores can share one Redis.
// - Restart: at start the server looks up its unfinished runs in Redis: a job still waiting or
//   running is followed again, a finished one is recorded, a vanished one is marked failed.
// - Limits: the caps (maxQueued, maxQueuedPerModel) count this server's unfinished jobs, sizes
//   are checked at submission as before, and the time limit travels with the job: the worker
//   stops the engine at it and the run fails naming the limit, keeping its partial result.
// - Cancel: a waiting job is removed; a running one is told over BullMQ's Relay.
// - Completion comes from QueueEvents, and a watchdog reads the jobs' states every second.
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Queue, QueueEvents, Relay } from "bullmq";
import type { Store } from "../store/index.js";
import { finishRun, markRunning, setProgress, unfinishedRuns } from "../store/runs.js";
import { PREFIX, partMake, readyWithin, safeUrl } from "../workers/queue.js";
import type { JobSpec, Jobs } from "./jobs.js";
import { DEFAULT_LIMITS, type JobLimits, runLimitMs } from "./limits.js";

export const JOBS_QUEUE = "muscat-jobs";
export const JOB_CANCEL_TOPIC = "muscat.job.cancel";

/** What a job carries to its worker. */
export interface QueueJobData {
  make: string;
  server: string;
  runId: number;
  engine: JobSpec["engine"];
  text: string;
  options: unknown;
  corpus?: unknown;
  /** The engine's time limit (ms). */
  limitMs: number;
}

/** How a job ended, as its worker returns it. */
export interface QueueJobOutcome {
  status: "done" | "failed" | "cancelled";
  result?: unknown;
  error?: string;
  elapsedMs: number;
}

/** The data directory's id (made on first use). */
export function serverId(dataDir: string): string {
  const f = join(dataDir, "server-id");
  if (existsSync(f)) {
    const id = readFileSync(f, "utf8").trim();
    if (/^[0-9a-f-]{36}$/.test(id)) return id;
  }
  const id = randomUUID();
  writeFileSync(f, `${id}\n`);
  return id;
}

interface Tracked {
  modelId?: string;
  running: boolean;
}

export class QueueJobs implements Jobs {
  readonly limits: JobLimits;
  private readonly tracked = new Map<number, Tracked>();
  private readonly idleWaiters: (() => void)[] = [];
  private conn?: { queue: Queue; events: QueueEvents; relay: Relay };
  private watchdog?: NodeJS.Timeout;

  constructor(
    private readonly store: Store,
    private readonly opts: { url: string; server: string; limits?: JobLimits },
  ) {
    this.limits = opts.limits ?? DEFAULT_LIMITS;
  }

  private jobId = (runId: number) => `${this.opts.server}-${runId}`;
  private runOf = (jobId: string) =>
    jobId.startsWith(`${this.opts.server}-`) ? Number(jobId.slice(this.opts.server.length + 1)) : Number.NaN;

  /** Connects to Redis (within 10 s) and follows the queue's events. */
  async start(): Promise<void> {
    const { Queue, QueueEvents, Relay } = await import("bullmq");
    const connection = { url: this.opts.url, maxRetriesPerRequest: null };
    const queue = new Queue(JOBS_QUEUE, { connection, prefix: PREFIX });
    const events = new QueueEvents(JOBS_QUEUE, { connection, prefix: PREFIX });
    const relay = new Relay({ connection });
    queue.on("error", () => {});
    events.on("error", () => {});
    await readyWithin(this.opts.url, [queue, events], () => [queue.close(), events.close(), relay.close()]);
    this.conn = { queue, events, relay };
    events.on("active", ({ jobId }) => {
      const runId = this.runOf(jobId);
      const t = this.tracked.get(runId);
      if (!t) return;
      t.running = true;
      void markRunning(this.store, runId).catch(() => {});
    });
    events.on("progress", ({ jobId, data }) => {
      const runId = this.runOf(jobId);
      if (!this.tracked.has(runId) || typeof data !== "object" || data === null) return;
      const p = data as { done?: number; total?: number | null; message?: string | null };
      void setProgress(this.store, runId, {
        done: Number(p.done ?? 0),
        total: p.total ?? null,
        message: p.message ?? null,
      }).catch(() => {});
    });
    events.on("completed", ({ jobId, returnvalue }) => {
      void this.finish(this.runOf(jobId), returnvalue as unknown as QueueJobOutcome);
    });
    events.on("failed", async ({ jobId, failedReason }) => {
      const runId = this.runOf(jobId);
      if (!this.tracked.has(runId)) return;
      if ((await queue.getJobState(jobId).catch(() => "unknown")) === "failed")
        void this.finish(runId, { status: "failed", error: failedReason, elapsedMs: 0 });
    });
    this.watchdog = setInterval(() => void this.check(), 1000);
  }

  /** Reads each followed job's state from Redis (events may be lost while it is away). */
  private async check(): Promise<void> {
    const queue = this.conn?.queue;
    if (!queue) return;
    for (const runId of [...this.tracked.keys()]) {
      try {
        const id = this.jobId(runId);
        const state = await queue.getJobState(id);
        if (state === "completed") {
          const job = await queue.getJob(id);
          if (job) await this.finish(runId, job.returnvalue as QueueJobOutcome);
        } else if (state === "failed") {
          const job = await queue.getJob(id);
          await this.finish(runId, { status: "failed", error: job?.failedReason ?? "failed", elapsedMs: 0 });
        } else if (state === "unknown")
          await this.finish(runId, {
            status: "failed",
            error: `the job is no longer in Redis at ${safeUrl(this.opts.url)} (was Redis restarted without persistence?)`,
            elapsedMs: 0,
          });
        else if (state === "active" && !this.tracked.get(runId)?.running) {
          this.tracked.get(runId)!.running = true;
          await markRunning(this.store, runId);
        }
      } catch {
        // Redis away: try again on the next tick
      }
    }
  }

  private async finish(runId: number, o: QueueJobOutcome | undefined): Promise<void> {
    if (!this.tracked.has(runId)) return;
    this.tracked.delete(runId);
    const out = o ?? { status: "failed" as const, error: "the job ended without an outcome", elapsedMs: 0 };
    await markRunning(this.store, runId).catch(() => {});
    await finishRun(this.store, runId, {
      status: out.status,
      result: out.result,
      error: out.error,
      elapsedMs: out.elapsedMs || null,
    }).catch(() => {});
    this.notifyIdle();
  }

  get size(): { queued: number; running: number } {
    let running = 0;
    for (const t of this.tracked.values()) if (t.running) running++;
    return { queued: this.tracked.size - running, running };
  }

  activeFor(modelId: string): number {
    let n = 0;
    for (const t of this.tracked.values()) if (t.modelId === modelId) n++;
    return n;
  }

  enqueue(spec: JobSpec): void {
    if (!this.conn) throw new Error("the Redis job queue is not started");
    this.tracked.set(spec.runId, { modelId: spec.modelId, running: false });
    const data: QueueJobData = {
      make: partMake(),
      server: this.opts.server,
      runId: spec.runId,
      engine: spec.engine,
      text: spec.text,
      options: spec.options,
      corpus: spec.corpus,
      limitMs: runLimitMs(this.limits, spec.engine),
    };
    void this.conn.queue
      .add("run", data, {
        jobId: this.jobId(spec.runId),
        attempts: 2,
        backoff: { type: "fixed", delay: 1000 },
        removeOnComplete: { age: 24 * 3600 },
        removeOnFail: { age: 7 * 24 * 3600 },
      })
      .catch((e: Error) =>
        this.finish(spec.runId, {
          status: "failed",
          error: `could not queue the run: ${e.message}`,
          elapsedMs: 0,
        }),
      );
  }

  async cancel(runId: number): Promise<boolean> {
    const t = this.tracked.get(runId);
    if (!t || !this.conn) return false;
    const id = this.jobId(runId);
    if ((await this.conn.queue.remove(id).catch(() => 0)) === 1) {
      await this.finish(runId, { status: "cancelled", error: "cancelled before it started", elapsedMs: 0 });
      return true;
    }
    await this.conn.relay.publish(JOB_CANCEL_TOPIC, { id }).catch(() => {});
    return true;
  }

  idle(): Promise<void> {
    if (this.tracked.size === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private notifyIdle(): void {
    if (this.tracked.size === 0) for (const r of this.idleWaiters.splice(0)) r();
  }

  /** Stops following the jobs; they go on on the workers, and a restarted server follows them again. */
  async close(): Promise<void> {
    if (this.watchdog) clearInterval(this.watchdog);
    for (const r of this.idleWaiters.splice(0)) r();
    const c = this.conn;
    this.conn = undefined;
    if (c) await Promise.allSettled([c.queue.close(), c.events.close(), c.relay.close()]);
  }

  async recover(): Promise<number> {
    const queue = this.conn?.queue;
    let failed = 0;
    for (const r of await unfinishedRuns(this.store)) {
      const state = queue ? await queue.getJobState(this.jobId(r.runId)).catch(() => "unknown") : "unknown";
      if (state === "unknown") {
        await finishRun(this.store, r.runId, {
          status: "failed",
          error: "interrupted: the server stopped and the run's job is no longer in Redis",
          elapsedMs: null,
        });
        failed++;
      } else this.tracked.set(r.runId, { modelId: r.modelId, running: state === "active" });
    }
    await this.check();
    return failed;
  }
}
