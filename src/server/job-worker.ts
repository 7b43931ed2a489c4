// Worker-thread entry of a job: parses the model version's text, runs one engine adapter
// (engines.ts) and posts progress, then the result or the error. Cancellation arrives through a
// shared flag (an Int32Array over a SharedArrayBuffer) that synchronous engines poll through
// `shouldStop` and that aborts the AbortSignal asynchronous engines watch; the parent also
// terminates a worker that does not stop within a grace period.

import { parentPort, workerData } from "node:worker_threads";
import { InputError } from "../errors.js";
import { parseModelText } from "../model/load.js";
import { type EngineName, runEngine } from "./engines.js";

export interface JobWorkerData {
  engine: EngineName;
  text: string;
  options: unknown;
  cancel: SharedArrayBuffer;
  corpus?: unknown;
}

export type JobMessage =
  | { type: "progress"; done: number; total?: number; message?: string }
  | { type: "result"; result: unknown; cancelled: boolean }
  | { type: "error"; message: string; input: boolean };

async function main(): Promise<void> {
  const data = workerData as JobWorkerData;
  const flag = new Int32Array(data.cancel);
  const controller = new AbortController();
  const shouldStop = () => {
    if (Atomics.load(flag, 0) !== 0) {
      if (!controller.signal.aborted) controller.abort();
      return true;
    }
    return false;
  };
  const timer = setInterval(shouldStop, 20);
  const post = (m: JobMessage) => parentPort?.postMessage(m);
  try {
    const parsed = parseModelText(data.text, { file: "<model>" });
    if (!parsed.model) throw new Error("the stored model version no longer validates");
    const result = await runEngine(data.engine, parsed.model, data.options, {
      signal: controller.signal,
      shouldStop,
      onProgress: (p) => {
        shouldStop();
        post({ type: "progress", ...p });
      },
      corpus: data.corpus as never,
    });
    post({ type: "result", result, cancelled: shouldStop() });
  } catch (e) {
    const err = e as Error;
    post({
      type: "error",
      message: err.message ?? String(e),
      input: e instanceof InputError,
    });
  } finally {
    clearInterval(timer);
  }
}

void main();
