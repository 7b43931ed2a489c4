// `muscat worker`: takes parts from the Redis queue (queue.ts) and runs each on a thread of a
// local worker-thread pool (pool.ts: the same entry, worker.ts, as a local run), so the event
// loop stays free to renew the jobs' locks while the engines compute.
//
// - A part of another make (another Muscat version, or another Node major: the structured-clone
//   format) is refused with an UnrecoverableError: no retry, and the run fails with the reason.
// - A cancel message (`muscat.cancel` on the Relay) for a run stops that run's parts here: a part
//   with a `stop` flag (a kernel box) sees the flag and returns what it has; any other part's
//   thread is aborted and the part fails as cancelled (the caller has stopped waiting for it).
// - Progress: a part's `progress` counter is read every 250 ms and posted as the job's progress.
import type { Job, Relay, Worker } from "bullmq";
import { decodeTask, encodeResult, type PartData } from "./part.js";
import { CANCEL_TOPIC, cancelKey, PREFIX, partMake, QUEUE_NAME, safeUrl } from "./queue.js";

export interface QueueWorkerOptions {
  url: string;
  /** Parts run at once (threads). Default 1. */
  concurrency?: number;
  /** How long a part's lock lasts without renewal (ms): a dead worker's part is retried after it. */
  lockMs?: number;
  onEvent?: (e: {
    kind: "start" | "done" | "failed" | "refused" | "cancelled";
    id: string;
    detail?: string;
  }) => void;
}

export interface QueueWorkerHandle {
  close(): Promise<void>;
  /** Parts finished by this worker. */
  done(): number;
}

interface Active {
  run: string;
  stop?: Int32Array;
  abort: AbortController;
}

export async function startQueueWorker(opts: QueueWorkerOptions): Promise<QueueWorkerHandle> {
  const { Worker, Relay, UnrecoverableError } = await import("bullmq");
  const { Piscina } = await import("piscina");
  const { workerLocation } = await import("./pool.js");
  const concurrency = opts.concurrency ?? 1;
  const make = partMake();
  const { filename, execArgv } = workerLocation();
  const threads = new Piscina({ filename, execArgv, minThreads: concurrency, maxThreads: concurrency });
  const active = new Map<string, Active>();
  let done = 0;
  const connection = { url: opts.url, maxRetriesPerRequest: null };
  const { Redis } = await import("ioredis");
  const redis = new Redis(opts.url, { maxRetriesPerRequest: null });
  redis.on("error", () => {});

  const processor = async (job: Job<PartData>, _token?: string, signal?: AbortSignal) => {
    const d = job.data;
    if (d.make !== make) {
      opts.onEvent?.({ kind: "refused", id: job.id ?? "?", detail: d.make });
      throw new UnrecoverableError(
        `this part was made by ${d.make}, and the worker is ${make}: run workers of the same Muscat version (and Node major) as the command`,
      );
    }
    const task = decodeTask(d);
    const abort = new AbortController();
    signal?.addEventListener("abort", () => abort.abort(), { once: true });
    const stop = task.stop instanceof SharedArrayBuffer ? new Int32Array(task.stop) : undefined;
    const progress =
      task.progress instanceof SharedArrayBuffer ? new BigInt64Array(task.progress) : undefined;
    const id = job.id ?? "?";
    // A part of a run cancelled before it started: a kernel box stops at once (its engine wants
    // a result, even an empty stopped one); any other part is not run.
    if ((await redis.exists(cancelKey(d.run)).catch(() => 0)) === 1) {
      opts.onEvent?.({ kind: "cancelled", id });
      if (!stop) throw new UnrecoverableError("cancelled: the run was cancelled");
      Atomics.store(stop, 0, 1);
    }
    active.set(id, { run: d.run, stop, abort });
    opts.onEvent?.({ kind: "start", id });
    let last = 0;
    const ticker = progress
      ? setInterval(() => {
          const n = Number(Atomics.load(progress, 0));
          if (n !== last) {
            last = n;
            void job.updateProgress(n).catch(() => {});
          }
        }, 250)
      : undefined;
    try {
      const result = await threads.run(task, stop ? {} : { signal: abort.signal });
      if (progress) {
        const n = Number(Atomics.load(progress, 0));
        if (n !== last) await job.updateProgress(n).catch(() => {});
      }
      done++;
      opts.onEvent?.({ kind: "done", id });
      return encodeResult(result);
    } catch (e) {
      if (abort.signal.aborted) {
        opts.onEvent?.({ kind: "cancelled", id });
        throw new UnrecoverableError("cancelled: the run was cancelled");
      }
      opts.onEvent?.({ kind: "failed", id, detail: (e as Error).message });
      throw e;
    } finally {
      if (ticker) clearInterval(ticker);
      active.delete(id);
    }
  };

  const worker: Worker<PartData> = new Worker<PartData>(QUEUE_NAME, processor, {
    connection,
    prefix: PREFIX,
    concurrency,
    lockDuration: opts.lockMs ?? 30_000,
    stalledInterval: Math.max(1000, Math.floor((opts.lockMs ?? 30_000) / 2)),
    maxStalledCount: 3,
  });
  worker.on("error", () => {
    // ioredis reconnects by itself; the worker resumes when Redis is back.
  });
  const relay: Relay = new Relay({ connection });
  await relay.subscribe<{ run?: string }>(CANCEL_TOPIC, (m) => {
    const run = m.data?.run;
    for (const [id, a] of active)
      if (a.run === run) {
        if (a.stop) Atomics.store(a.stop, 0, 1);
        else a.abort.abort();
        opts.onEvent?.({ kind: "cancelled", id });
      }
  });
  try {
    await worker.waitUntilReady();
  } catch (e) {
    await Promise.allSettled([worker.close(true), relay.close(), threads.destroy(), redis.quit()]);
    throw new Error(`cannot reach Redis at ${safeUrl(opts.url)}: ${(e as Error).message}`);
  }
  return {
    done: () => done,
    close: async () => {
      await worker.close();
      await relay.close();
      await threads.destroy();
      await redis.quit().catch(() => {});
    },
  };
}
