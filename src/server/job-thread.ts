// One job on a worker thread (job-worker.ts), for both the server's own queue (jobs.ts) and a
// `muscat worker` taking the app's jobs from Redis (queue-job-runner.ts): starts the thread,
// passes its progress on, and resolves with how the job ended — done with its result, cancelled
// (with the partial result when the engine returned one) or failed with the reason.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { JobMessage, JobWorkerData } from "./job-worker.js";

/**
 * How to start a job worker: the built file next to this one (dist/server-worker.js), or, from
 * the TypeScript sources (tests, tsx), a small ESM bootstrap that registers tsx in the worker
 * and imports job-worker.ts (Node 20 does not honour `--import tsx` in a worker's execArgv).
 */
export function jobWorkerLocation(): { script: string | URL; eval: boolean } {
  const here = import.meta.url;
  if (!here.endsWith(".ts")) return { script: new URL("./server-worker.js", here), eval: false };
  const req = createRequire(here);
  const api = pathToFileURL(req.resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
  const entry = new URL("./job-worker.ts", here).href;
  return {
    script: `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`,
    eval: true,
  };
}

export interface JobOutcome {
  status: "done" | "failed" | "cancelled";
  result?: unknown;
  error?: string;
}

export interface JobThreadHooks {
  /** Whether a cancel was asked for (the thread's end then counts as cancelled). */
  cancelRequested: () => boolean;
  /** The thread, once started (to terminate it after a grace period). */
  onThread?: (w: Worker) => void;
  onProgress?: (p: Extract<JobMessage, { type: "progress" }>) => void;
}

export function runJobThread(data: JobWorkerData, hooks: JobThreadHooks): Promise<JobOutcome> {
  const loc = jobWorkerLocation();
  return new Promise((resolve) => {
    const worker = new Worker(loc.script, { workerData: data, eval: loc.eval });
    hooks.onThread?.(worker);
    let settled = false;
    const settle = (v: JobOutcome) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      resolve(v);
    };
    const ended = (error: string): JobOutcome => ({
      status: hooks.cancelRequested() ? "cancelled" : "failed",
      error,
    });
    worker.on("message", (m: JobMessage) => {
      if (m.type === "progress") hooks.onProgress?.(m);
      else if (m.type === "result")
        settle(
          hooks.cancelRequested() || m.cancelled
            ? {
                status: "cancelled",
                result: m.result,
                error: "cancelled: the result covers the work done before the cancel",
              }
            : { status: "done", result: m.result },
        );
      else settle(ended(m.message));
    });
    worker.on("error", (e) => settle(ended(e.message)));
    worker.on("exit", (code) =>
      settle(
        hooks.cancelRequested()
          ? { status: "cancelled", error: "cancelled (the engine was stopped)" }
          : { status: "failed", error: `the job's worker exited (code ${code}) without a result` },
      ),
    );
  });
}
