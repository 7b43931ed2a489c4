// Jobs: engine runs off the request path. Each run executes in its own worker thread (so a
// long synchronous search never blocks the server), at most `concurrency` at a time, the rest
// queued in order. Progress is written to the run's row (throttled); a cancel sets a shared flag
// the engine polls, and a worker that has not stopped within a grace period is terminated. The
// outcome (result JSON, error, or cancelled with the partial result) is stored with the run.
// A run that reaches its engine's time limit (limits.ts) is stopped the same way; it fails,
// naming the limit, and keeps its partial result. The queue also counts the jobs each model has
// queued or running, for the caps the API checks at submission.
// When a queue starts, runs that a killed server left queued or running are marked failed.
import type { Worker } from "node:worker_threads";
import type { Store } from "../store/index.js";
import {
  failInterruptedRuns,
  finishRun,
  getRun,
  markRunning,
  type RunProgress,
  setProgress,
} from "../store/runs.js";
import type { EngineName } from "./engines.js";
import { type JobOutcome, runJobThread } from "./job-thread.js";
import type { JobWorkerData } from "./job-worker.js";
import { DEFAULT_LIMITS, type JobLimits, runLimitMs } from "./limits.js";

export interface JobSpec {
  runId: number;
  /** The model the run belongs to (for the per-model cap). */
  modelId?: string;
  engine: EngineName;
  text: string;
  options: unknown;
  corpus?: unknown;
}

interface Active {
  spec: JobSpec;
  worker?: Worker;
  cancel: Int32Array;
  cancelRequested: boolean;
  killTimer?: NodeJS.Timeout;
  /** Set when the run was stopped by its time limit (not by a cancel). */
  timedOut?: number;
  limitTimer?: NodeJS.Timeout;
}

export interface JobQueueOptions {
  /** Runs executing at once (default 1: the machine's cores are shared). */
  concurrency?: number;
  /** How long a cancelled worker may take to stop before it is terminated (ms, default 3000). */
  cancelGraceMs?: number;
  /** Least interval between progress writes of one run (ms, default 250). */
  progressEveryMs?: number;
  /** Time limits and caps (default DEFAULT_LIMITS). */
  limits?: JobLimits;
}

export { jobWorkerLocation } from "./job-thread.js";

/**
 * What the routes need of the jobs, whatever runs them: this file's in-process queue (the
 * default), or the Redis queue of `muscat serve --redis` (queue-jobs.ts).
 */
export interface Jobs {
  readonly limits: JobLimits;
  readonly size: { queued: number; running: number };
  activeFor(modelId: string): number;
  enqueue(spec: JobSpec): void;
  cancel(runId: number): Promise<boolean>;
  idle(): Promise<void>;
  close(): Promise<void>;
  /** Settles the runs a stopped server left; returns how many were marked failed. */
  recover(): Promise<number>;
}

export class JobQueue implements Jobs {
  private readonly waiting: Active[] = [];
  private readonly running = new Map<number, Active>();
  private readonly idleWaiters: (() => void)[] = [];
  private closed = false;
  readonly concurrency: number;
  private readonly graceMs: number;
  private readonly progressEveryMs: number;
  readonly limits: JobLimits;

  constructor(
    private readonly store: Store,
    opts: JobQueueOptions = {},
  ) {
    this.concurrency = Math.max(1, opts.concurrency ?? 1);
    this.graceMs = opts.cancelGraceMs ?? 3000;
    this.progressEveryMs = opts.progressEveryMs ?? 250;
    this.limits = opts.limits ?? DEFAULT_LIMITS;
  }

  /** Marks runs left over by a killed server as failed; call once before taking jobs. */
  async recover(): Promise<number> {
    return failInterruptedRuns(this.store);
  }

  enqueue(spec: JobSpec): void {
    if (this.closed) throw new Error("the job queue is closed");
    this.waiting.push({ spec, cancel: new Int32Array(new SharedArrayBuffer(4)), cancelRequested: false });
    this.pump();
  }

  /** Requests cancellation; returns false if the run is not queued or running here. */
  async cancel(runId: number): Promise<boolean> {
    const qi = this.waiting.findIndex((a) => a.spec.runId === runId);
    if (qi >= 0) {
      this.waiting.splice(qi, 1);
      await finishRun(this.store, runId, {
        status: "cancelled",
        elapsedMs: null,
        error: "cancelled before it started",
      });
      this.notifyIdle();
      return true;
    }
    const a = this.running.get(runId);
    if (!a) return false;
    a.cancelRequested = true;
    Atomics.store(a.cancel, 0, 1);
    a.killTimer ??= setTimeout(() => {
      if (this.running.get(runId) === a) void a.worker?.terminate();
    }, this.graceMs);
    return true;
  }

  get size(): { queued: number; running: number } {
    return { queued: this.waiting.length, running: this.running.size };
  }

  /** Jobs of one model queued or running here. */
  activeFor(modelId: string): number {
    let n = 0;
    for (const a of this.waiting) if (a.spec.modelId === modelId) n++;
    for (const a of this.running.values()) if (a.spec.modelId === modelId) n++;
    return n;
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (this.waiting.length === 0 && this.running.size === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /** Stops taking jobs; cancels running ones (their runs end as cancelled). */
  async close(): Promise<void> {
    this.closed = true;
    for (const a of this.waiting.splice(0))
      await finishRun(this.store, a.spec.runId, {
        status: "cancelled",
        elapsedMs: null,
        error: "server stopped",
      });
    await Promise.all([...this.running.keys()].map((id) => this.cancel(id)));
    await this.idle();
  }

  private notifyIdle(): void {
    if (this.waiting.length === 0 && this.running.size === 0) for (const r of this.idleWaiters.splice(0)) r();
  }

  private pump(): void {
    while (this.running.size < this.concurrency && this.waiting.length > 0) {
      const a = this.waiting.shift()!;
      this.running.set(a.spec.runId, a);
      void this.execute(a);
    }
  }

  private async execute(a: Active): Promise<void> {
    const { runId } = a.spec;
    const t0 = performance.now();
    let outcome: { status: "done" | "failed" | "cancelled"; result?: unknown; error?: string } | undefined;
    const limitMs = runLimitMs(this.limits, a.spec.engine);
    a.limitTimer = setTimeout(
      () => {
        a.timedOut = limitMs;
        void this.cancel(runId);
      },
      Math.min(limitMs, 2 ** 31 - 1),
    ); // setTimeout's longest delay is ~24.8 days
    try {
      await markRunning(this.store, runId);
      outcome = await this.runWorker(a);
    } catch (e) {
      outcome = { status: "failed", error: (e as Error).message };
    }
    clearTimeout(a.limitTimer);
    if (a.killTimer) clearTimeout(a.killTimer);
    if (a.timedOut !== undefined && outcome.status === "cancelled") {
      const minutes = a.timedOut / 60_000;
      outcome = {
        status: "failed",
        result: outcome.result,
        error: `stopped at the time limit of ${minutes} min for ${a.spec.engine} runs (raise it with \`muscat serve --limit runMinutes.${a.spec.engine}=M\`)${outcome.result === undefined ? "" : "; the result covers the work done before the limit"}`,
      };
    }
    try {
      await finishRun(this.store, runId, { ...outcome, elapsedMs: Math.round(performance.now() - t0) });
    } finally {
      this.running.delete(runId);
      this.pump();
      this.notifyIdle();
    }
  }

  private async runWorker(a: Active): Promise<JobOutcome> {
    const data: JobWorkerData = {
      engine: a.spec.engine,
      text: a.spec.text,
      options: a.spec.options,
      cancel: a.cancel.buffer as SharedArrayBuffer,
      corpus: a.spec.corpus,
    };
    // Progress goes to the run's row at most every progressEveryMs; the last one is written
    // when the job ends.
    let lastWrite = 0;
    let pending: RunProgress | undefined;
    const write = (p: RunProgress) => void setProgress(this.store, a.spec.runId, p).catch(() => {});
    const outcome = await runJobThread(data, {
      cancelRequested: () => a.cancelRequested,
      onThread: (w) => {
        a.worker = w;
      },
      onProgress: (m) => {
        pending = { done: m.done, total: m.total ?? null, message: m.message ?? null };
        const now = Date.now();
        if (now - lastWrite >= this.progressEveryMs) {
          lastWrite = now;
          write(pending);
          pending = undefined;
        }
      },
    });
    if (pending) write(pending);
    return outcome;
  }
}

/** The run as stored, for convenience in tests and the API. */
export { getRun };
