// The worker-thread side of run-thread.ts: the runs the CLI may move off the main thread, and
// the thread's entry (threadMain) that runs one with a stop flag shared with the main thread.
// Errors cross back as plain data and are rebuilt with their class (a user error stays one).
import { parentPort, workerData } from "node:worker_threads";
import { BargainInputError } from "../bargain/types.js";
import { InputError } from "../errors.js";
import type { Model } from "../model/types.js";
import { analysisRun } from "../runs/analysis.js";
import { bargainRun } from "../runs/bargain.js";
import { basinsRun, sensitivityRun } from "../runs/cib.js";
import { type RunControl, RunStopped } from "../runs/control.js";
import { stationaryRun } from "../runs/prob.js";
import { type ScenariosOptions, type ScenariosReport, scenariosReportAsync } from "../runs/scenarios.js";
import { stakesRun } from "../runs/stakes.js";
import { createExecutor } from "../workers/executor.js";

/** What the CLI adds to a run's options: threads, or the Redis queue, to put its parts on. */
interface Executor {
  workers?: number;
  redis?: string;
}

/**
 * Runs `run` with its parts on the Redis queue when the command has --redis, else on `workers`
 * local threads (the pool starts with the first part: a run that finishes on its probe pays
 * nothing). The executor lives in this thread, beside the run.
 */
async function onExecutor<O, R>(
  o: O & Executor,
  c: RunControl,
  run: (options: O, control: RunControl) => Promise<R>,
): Promise<R> {
  const { redis, workers, ...options } = o;
  const threads = workers ?? 2;
  const pool = await createExecutor({
    redis,
    threads: threads > 1 ? threads : 0,
    parts: Math.max(2, threads),
    signal: c.signal,
  });
  try {
    return await run(options as O, { ...c, pool });
  } finally {
    await pool?.close();
  }
}

/**
 * `scenarios`: without --redis the search makes its own threads (`workers`); with it, its prefix
 * boxes go to the queue, cut as for `workers` threads.
 */
const scenarios = (m: Model, o: ScenariosOptions & Executor, c: RunControl): Promise<ScenariosReport> =>
  o.redis
    ? onExecutor(o, c, (options, ctl) => scenariosReportAsync(m, { ...options, workers: o.workers }, ctl))
    : scenariosReportAsync(m, o, c);

// biome-ignore lint/suspicious/noExplicitAny: each run checks its own options
type AnyRun = (model: Model, options: any, control: RunControl) => unknown;

/** The runs that may go to a worker thread: the synchronous (or partly synchronous) ones. */
export const THREAD_RUNS = {
  scenarios: (m, o, c) => scenarios(m, o, c),
  basins: (m, o, c) => onExecutor(o, c, (options, ctl) => basinsRun(m, options, ctl)),
  sensitivity: (m, o, c) => onExecutor(o, c, (options, ctl) => sensitivityRun(m, options, ctl)),
  stationary: (m, o, c) => stationaryRun(m, o, c),
  stakes: (m, o, c) => stakesRun(m, o, c),
  bargain: (m, o, c) => bargainRun(m, o, c),
  analyze: (m, o, c) => analysisRun(m, o, c),
} satisfies Record<string, AnyRun>;

export type ThreadRunName = keyof typeof THREAD_RUNS;

export type ThreadMessage =
  | { type: "progress"; progress: { done: number; total?: number } }
  | { type: "result"; result: unknown }
  | { type: "error"; name: string; message: string; stack?: string; code?: string; path?: string };

/** An error posted by the thread, as the class it was thrown as. */
export function threadError(m: Extract<ThreadMessage, { type: "error" }>): Error {
  if (m.name === "RunStopped") {
    const e = new RunStopped("");
    e.message = m.message;
    return e;
  }
  if (m.name === "BargainInputError" && m.path !== undefined)
    return new BargainInputError(m.message.slice(m.path.length + 2), m.path);
  if (m.code !== undefined || m.name === "InputError" || m.name === "CliError")
    return new InputError(m.message, { code: m.code, path: m.path });
  const e = new Error(m.message);
  e.stack = m.stack;
  return e;
}

/** The thread's entry: runs workerData's run and posts progress, then the result or the error. */
export async function threadMain(): Promise<void> {
  const data = workerData as {
    name: ThreadRunName;
    model: Model;
    options: unknown;
    cancel: SharedArrayBuffer;
  };
  const flag = new Int32Array(data.cancel);
  const controller = new AbortController();
  const shouldStop = () => {
    if (Atomics.load(flag, 0) === 0) return false;
    if (!controller.signal.aborted) controller.abort();
    return true;
  };
  const timer = setInterval(shouldStop, 20);
  const post = (m: ThreadMessage) => parentPort?.postMessage(m);
  let lastProgress = 0;
  try {
    const run = THREAD_RUNS[data.name] as AnyRun;
    const result = await run(data.model, data.options, {
      signal: controller.signal,
      shouldStop,
      onProgress: (p) => {
        shouldStop();
        const now = Date.now();
        if (now - lastProgress < 100) return; // a bar needs no more
        lastProgress = now;
        post({ type: "progress", progress: { done: p.done, total: p.total } });
      },
    });
    post({ type: "result", result });
  } catch (e) {
    const err = e as Error & { code?: string; path?: string };
    post({
      type: "error",
      name: err.name ?? "Error",
      message: err.message ?? String(e),
      stack: err.stack,
      ...(e instanceof InputError ? { code: err.code ?? "input", path: err.path } : {}),
    });
  } finally {
    clearInterval(timer);
  }
}
