// Runs a synchronous engine on a worker thread so that Ctrl-C reaches it. A synchronous run
// on the main thread never lets Node deliver SIGINT to its handler until it ends; on a worker
// thread the main thread stays free: Ctrl-C sets a shared stop flag that the run polls (its
// `shouldStop`, as in the server's job worker), and the run returns what it has, flagged
// partial. A second Ctrl-C ends the process at once (the handler is a `once`).
//
// Only the real command-line process does this (`main` turns it on for process I/O); a caller
// of `main` with its own I/O (the tests) runs the same function on its own thread.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { Model } from "../model/types.js";
import type { CliRun } from "./progress.js";
import { THREAD_RUNS, type ThreadMessage, type ThreadRunName, threadError } from "./run-thread-worker.js";

let threaded = false;

/** Turns running on a worker thread on (the CLI process) or off. */
export function runOnThreads(on: boolean): void {
  threaded = on;
}

/**
 * How to start the worker: from the TypeScript sources, a bootstrap that registers tsx and
 * imports run-thread-worker.ts; from the build, the CLI bundle itself (it exports threadMain).
 */
function workerScript(): string {
  const here = import.meta.url;
  if (!here.endsWith(".ts"))
    return `import(${JSON.stringify(new URL("./cli.js", here).href)}).then((m) => m.threadMain())`;
  const api = pathToFileURL(
    createRequire(here)
      .resolve("tsx/esm/api")
      .replace(/\.cjs$/, ".mjs"),
  ).href;
  const entry = new URL("./run-thread-worker.ts", here).href;
  return `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); }).then((m) => m.threadMain())`;
}

/** Runs `name` with `options` on the model: on a worker thread in the CLI process, else here. */
export async function runStoppable<T>(
  name: ThreadRunName,
  model: Model,
  options: unknown,
  run: CliRun,
): Promise<T> {
  if (!threaded) return (await THREAD_RUNS[name](model, options as never, run)) as T;
  const cancel = new SharedArrayBuffer(4);
  const flag = new Int32Array(cancel);
  const onAbort = () => Atomics.store(flag, 0, 1);
  run.signal.addEventListener("abort", onAbort);
  const worker = new Worker(workerScript(), { eval: true, workerData: { name, model, options, cancel } });
  try {
    return await new Promise<T>((resolve, reject) => {
      worker.on("message", (m: ThreadMessage) => {
        if (m.type === "progress") run.onProgress(m.progress);
        else if (m.type === "result") resolve(m.result as T);
        else reject(threadError(m));
      });
      worker.on("error", reject);
      worker.on("exit", (code) =>
        reject(new Error(`the run's worker thread exited (code ${code}) without a result`)),
      );
    });
  } finally {
    run.signal.removeEventListener("abort", onAbort);
    void worker.terminate();
  }
}
