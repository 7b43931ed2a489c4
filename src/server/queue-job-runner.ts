// The worker side of the app's jobs on Redis (queue-jobs.ts): `muscat worker` takes jobs from
// `muscat-jobs` and runs each on a worker thread with the same entry as the server's own queue
// (job-worker.ts), posting its progress as the job's progress and returning its outcome. The time
// limit travels with the job; at it, the engine is stopped and the run fails naming the limit,
// keeping its partial result. A cancel (BullMQ's Relay) stops the engine, and a thread that does
// not stop within 3 s is terminated.
import type { Worker as Thread } from "node:worker_threads";
import type { Job, Relay, Worker } from "bullmq";
import { PREFIX, partMake, safeUrl } from "../workers/queue.js";
import { type JobOutcome, runJobThread } from "./job-thread.js";
import type { JobWorkerData } from "./job-worker.js";
import { JOB_CANCEL_TOPIC, JOBS_QUEUE, type QueueJobData, type QueueJobOutcome } from "./queue-jobs.js";

export interface JobRunnerOptions {
  url: string;
  /** Jobs at once. Default 1. */
  concurrency?: number;
  lockMs?: number;
  graceMs?: number;
  onEvent?: (e: {
    kind: "start" | "done" | "failed" | "cancelled" | "refused";
    id: string;
    detail?: string;
  }) => void;
}

export async function startJobRunner(opts: JobRunnerOptions): Promise<{ close(): Promise<void> }> {
  const { Worker, Relay, UnrecoverableError } = await import("bullmq");
  const make = partMake();
  const graceMs = opts.graceMs ?? 3000;
  const active = new Map<string, { cancel: Int32Array; requested: boolean; thread?: Thread }>();
  const connection = { url: opts.url, maxRetriesPerRequest: null };

  const stop = (id: string) => {
    const a = active.get(id);
    if (!a) return;
    a.requested = true;
    Atomics.store(a.cancel, 0, 1);
    setTimeout(() => void a.thread?.terminate(), graceMs).unref();
  };

  const processor = async (job: Job<QueueJobData>): Promise<QueueJobOutcome> => {
    const d = job.data;
    const id = job.id ?? "?";
    if (d.make !== make) {
      opts.onEvent?.({ kind: "refused", id, detail: d.make });
      throw new UnrecoverableError(
        `this job was made by ${d.make}, and the worker is ${make}: run workers of the server's Muscat version (and Node major)`,
      );
    }
    const cancel = new Int32Array(new SharedArrayBuffer(4));
    const entry: { cancel: Int32Array; requested: boolean; thread?: Thread } = { cancel, requested: false };
    active.set(id, entry);
    opts.onEvent?.({ kind: "start", id });
    let timedOut = false;
    const limit = setTimeout(
      () => {
        timedOut = true;
        stop(id);
      },
      Math.min(d.limitMs, 2 ** 31 - 1),
    );
    const t0 = performance.now();
    try {
      const data: JobWorkerData = {
        engine: d.engine,
        text: d.text,
        options: d.options,
        cancel: cancel.buffer as SharedArrayBuffer,
        corpus: d.corpus,
      };
      let last = 0;
      let out: JobOutcome = await runJobThread(data, {
        cancelRequested: () => entry.requested,
        onThread: (t) => {
          entry.thread = t;
        },
        onProgress: (m) => {
          const now = Date.now();
          if (now - last < 250) return;
          last = now;
          void job
            .updateProgress({ done: m.done, total: m.total ?? null, message: m.message ?? null })
            .catch(() => {});
        },
      });
      if (timedOut && out.status === "cancelled")
        out = {
          status: "failed",
          result: out.result,
          error: `stopped at the time limit of ${d.limitMs / 60_000} min for ${d.engine} runs (raise it with \`muscat serve --limit runMinutes.${d.engine}=M\`)${out.result === undefined ? "" : "; the result covers the work done before the limit"}`,
        };
      opts.onEvent?.({
        kind: out.status === "done" ? "done" : out.status === "cancelled" ? "cancelled" : "failed",
        id,
        detail: out.error,
      });
      return { ...out, elapsedMs: Math.round(performance.now() - t0) };
    } finally {
      clearTimeout(limit);
      active.delete(id);
    }
  };

  const worker: Worker<QueueJobData> = new Worker<QueueJobData>(JOBS_QUEUE, processor, {
    connection,
    prefix: PREFIX,
    concurrency: opts.concurrency ?? 1,
    lockDuration: opts.lockMs ?? 30_000,
    stalledInterval: Math.max(1000, Math.floor((opts.lockMs ?? 30_000) / 2)),
  });
  worker.on("error", () => {});
  const relay: Relay = new Relay({ connection });
  await relay.subscribe<{ id?: string }>(JOB_CANCEL_TOPIC, (m) => {
    if (m.data?.id && active.has(m.data.id)) {
      stop(m.data.id);
      opts.onEvent?.({ kind: "cancelled", id: m.data.id });
    }
  });
  try {
    await worker.waitUntilReady();
  } catch (e) {
    await Promise.allSettled([worker.close(true), relay.close()]);
    throw new Error(`cannot reach Redis at ${safeUrl(opts.url)}: ${(e as Error).message}`);
  }
  return {
    close: async () => {
      await worker.close();
      await relay.close();
    },
  };
}
