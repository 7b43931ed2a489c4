// The BullMQ backend of the executor: the same `Pool` interface as the worker-thread pool
// (pool.ts), so the engines split their work exactly as they do locally — chunks of succession
// runs, batches of kernel samples, prefix boxes of a kernel search — and each part becomes a job
// on the Redis queue `muscat-parts`, run by any `muscat worker` (queue-worker.ts) that can reach
// Redis. The engines merge results in part order, never in finishing order, so a run gives the
// same bytes locally and on the queue, with one worker or many.
//
// - A part's job id is `<run>-<index>`: adding it twice adds it once, and a part that ran twice
//   (its worker died after finishing) is still one result.
// - A job is retried (3 attempts) when its worker dies: BullMQ sees the lock lapse (stalled job).
// - Completion comes from QueueEvents; a watchdog also reads the job's state every second, so an
//   event lost while Redis was away is not waited for for ever, and a part that vanished (Redis
//   restarted without persistence) fails the run with a plain message instead of a wrong result.
// - Cancel: on the run's signal, or when a part's own `stop` flag is raised by its engine, the
//   executor removes the run's waiting parts and publishes `muscat.cancel` on BullMQ's Relay;
//   each worker stops its running parts of that run.
// - Progress: a part's `progress` counter (kernel boxes) comes back as job progress and is added
//   to the caller's counter, so the engine's progress bar counts every machine's nodes.
import { randomUUID } from "node:crypto";
import type { Queue, QueueEvents, Relay } from "bullmq";
import type { Redis as RedisClient } from "ioredis";
import { packageVersion } from "../package.js";
import { decodeResult, encodeTask, type PartData } from "./part.js";
import type { Pool } from "./pool.js";

export const QUEUE_NAME = "muscat-parts";
export const PREFIX = "muscat";
export const CANCEL_TOPIC = "muscat.cancel";
/** The Redis key that marks a run as cancelled (for parts that start after the message). */
export const cancelKey = (run: string) => `${PREFIX}:cancelled:${run}`;

/** What a part is made by: a worker refuses a part of another make (part.ts PartData.make). */
export function partMake(): string {
  return `muscat ${packageVersion()} on node ${process.versions.node.split(".")[0]}`;
}

export interface QueueExecutorOptions {
  /** redis://[user:password@]host:port[/db] or rediss:// for TLS. */
  url: string;
  /** Parts in flight at once (the engines dispatch twice this many). Default 16. */
  parts?: number;
  /** Aborts the run: waiting parts are removed, running ones told to stop. */
  signal?: AbortSignal;
  /** Fail when Redis stays unreachable this long (ms). Default 30 000. */
  unreachableMs?: number;
  /** The run's id (parts are `<run>-<index>`). Default: a fresh UUID. */
  run?: string;
}

export interface QueueExecutor extends Pool {
  readonly run_: string;
  /** Parts added, finished, retried (an attempt that failed and was run again). */
  stats(): { added: number; finished: number };
}

interface Pending {
  id: string;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  stop?: Int32Array;
  progress?: BigInt64Array;
  reported: number;
}

export class QueueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "QueueError";
  }
}

/**
 * Waits until BullMQ's objects are connected, at most 10 s; else closes what was opened and
 * throws a QueueError naming the Redis (password hidden).
 */
export async function readyWithin(
  url: string,
  objects: { waitUntilReady(): Promise<unknown> }[],
  closing: () => Promise<unknown>[],
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.all(objects.map((o) => o.waitUntilReady())),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new QueueError(`cannot reach Redis at ${safeUrl(url)} within 10 s`)),
          10_000,
        );
      }),
    ]);
  } catch (e) {
    await Promise.allSettled(closing());
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

/** Redis URL with the password hidden, for messages. */
export const safeUrl = (url: string) => url.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@");

export function createQueueExecutor(opts: QueueExecutorOptions): QueueExecutor {
  const run = opts.run ?? randomUUID();
  const parts = opts.parts ?? 16;
  const unreachableMs = opts.unreachableMs ?? 30_000;
  const make = partMake();
  const pending = new Map<string, Pending>();
  let index = 0;
  let finished = 0;
  let started: Promise<{ queue: Queue; events: QueueEvents; relay: Relay; redis: RedisClient }> | undefined;
  let failure: Error | undefined;
  let downSince: number | undefined;
  let watchdog: NodeJS.Timeout | undefined;
  let stopWatch: NodeJS.Timeout | undefined;
  let cancelled = false;

  const failAll = (e: Error) => {
    failure ??= e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };

  const settle = (id: string, state: "completed" | "failed", value: unknown) => {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    if (state === "completed") {
      finished++;
      try {
        p.resolve(decodeResult(value as string));
      } catch (e) {
        p.reject(new QueueError(`part ${id}: its result could not be read (${(e as Error).message})`));
      }
    } else p.reject(new QueueError(`part ${id} failed on the queue: ${value}`));
  };

  // Cancel: a key that says so (a worker checks it when it starts one of the run's parts), a
  // message to the workers running them, and the waiting parts without a stop flag removed. A
  // part with a stop flag (a kernel box) is left to start and stop at once: its engine expects
  // a result for every box, a stopped one included.
  const cancel = async () => {
    if (cancelled || !started) return;
    cancelled = true;
    const { queue, relay, redis } = await started;
    try {
      await redis.set(cancelKey(run), "1", "EX", 24 * 3600);
    } catch {
      // Redis away: the relay and the removals below may still reach it
    }
    await relay.publish(CANCEL_TOPIC, { run }).catch(() => {});
    await Promise.all(
      [...pending.values()]
        .filter((p) => !p.stop)
        .map(async (p) => {
          if ((await queue.remove(p.id).catch(() => 0)) === 1 && pending.get(p.id) === p) {
            pending.delete(p.id);
            p.reject(new QueueError(`part ${p.id}: cancelled before it started`));
          }
        }),
    );
  };

  const start = () =>
    (started ??= (async () => {
      const { Queue, QueueEvents, Relay } = await import("bullmq");
      const connection = { url: opts.url, maxRetriesPerRequest: null };
      const queue = new Queue(QUEUE_NAME, { connection, prefix: PREFIX });
      const events = new QueueEvents(QUEUE_NAME, { connection, prefix: PREFIX });
      const relay = new Relay({ connection });
      const { Redis } = await import("ioredis");
      const redis = new Redis(opts.url, { maxRetriesPerRequest: null });
      redis.on("error", () => {});
      const onError = (e: Error) => {
        downSince ??= Date.now();
        if (Date.now() - downSince > unreachableMs)
          failAll(
            new QueueError(
              `Redis at ${safeUrl(opts.url)} has been unreachable for ${Math.round(unreachableMs / 1000)} s (${e.message}); the run stops`,
            ),
          );
      };
      queue.on("error", onError);
      events.on("error", onError);
      events.on("completed", ({ jobId, returnvalue }) => {
        if (pending.has(jobId)) settle(jobId, "completed", returnvalue);
      });
      events.on("progress", ({ jobId, data }) => {
        const p = pending.get(jobId);
        if (!p?.progress || typeof data !== "number") return;
        const delta = data - p.reported;
        if (delta > 0) Atomics.add(p.progress, 0, BigInt(delta));
        p.reported = data;
      });
      await readyWithin(opts.url, [queue, events], () => [
        queue.close(),
        events.close(),
        relay.close(),
        redis.quit(),
      ]);
      // The watchdog: every second, the state of each waiting part from Redis itself.
      // A part's own stop flag (a kernel search stopped by its engine) cancels the run's parts.
      stopWatch = setInterval(() => {
        for (const p of pending.values())
          if (p.stop && Atomics.load(p.stop, 0) === 1 && !cancelled) {
            void cancel();
            break;
          }
      }, 200);
      watchdog = setInterval(async () => {
        try {
          for (const id of [...pending.keys()]) {
            const state = await queue.getJobState(id);
            downSince = undefined;
            if (state === "completed") {
              const job = await queue.getJob(id);
              if (job) settle(id, "completed", job.returnvalue);
            } else if (state === "failed") {
              const job = await queue.getJob(id);
              settle(id, "failed", job?.failedReason ?? "unknown reason");
            } else if (state === "unknown" && pending.has(id))
              failAll(
                new QueueError(
                  `part ${id} is no longer in Redis at ${safeUrl(opts.url)} (was Redis restarted without persistence, or the queue emptied?); the run stops rather than give an incomplete result`,
                ),
              );
          }
        } catch (e) {
          onError(e as Error);
        }
      }, 1000);
      opts.signal?.addEventListener("abort", () => void cancel(), { once: true });
      return { queue, events, relay, redis };
    })());

  return {
    threads: parts,
    run_: run,
    stats: () => ({ added: index, finished }),
    run: async <T>(task: unknown): Promise<T> => {
      if (failure) throw failure;
      const { queue } = await start();
      if (failure) throw failure;
      const t = task as Record<string, unknown>;
      const id = `${run}-${index++}`;
      const { task: encoded, shared } = encodeTask(t);
      const data: PartData = { make, run, index: index - 1, task: encoded, shared };
      const result = new Promise<unknown>((resolve, reject) => {
        pending.set(id, {
          id,
          resolve,
          reject,
          reported: 0,
          stop: t.stop instanceof SharedArrayBuffer ? new Int32Array(t.stop) : undefined,
          progress: t.progress instanceof SharedArrayBuffer ? new BigInt64Array(t.progress) : undefined,
        });
      });
      await queue.add("part", data, {
        jobId: id,
        attempts: 3,
        backoff: { type: "fixed", delay: 500 },
        removeOnComplete: { age: 3600 },
        removeOnFail: { age: 7 * 24 * 3600 },
      });
      return (await result) as T;
    },
    close: async () => {
      if (watchdog) clearInterval(watchdog);
      if (stopWatch) clearInterval(stopWatch);
      if (!started) return;
      const s = await started.catch(() => undefined);
      if (!s) return;
      if (pending.size) await cancel();
      await Promise.allSettled([s.queue.close(), s.events.close(), s.relay.close(), s.redis.quit()]);
    },
  };
}
