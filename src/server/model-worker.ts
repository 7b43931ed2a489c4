// Worker-thread entry of the model pool (model-pool.ts): runs each task it is sent (model-work.ts)
// in order and posts back the result, or the error with what the main thread needs to raise it
// again (its name, message, and a model's problems). Serialised answers are transferred, not
// copied.
import { parentPort } from "node:worker_threads";
import { InputError } from "../errors.js";
import { ModelInvalidError } from "../store/models.js";
import { type ModelTask, runModelTask } from "./model-work.js";

export interface ModelTaskRequest {
  id: number;
  task: ModelTask;
}

export type ModelTaskReply =
  | { id: number; ok: true; result: unknown }
  | {
      id: number;
      ok: false;
      error: {
        name: string;
        message: string;
        input: boolean;
        code?: string;
        path?: string;
        problems?: ModelInvalidError["problems"];
      };
    };

parentPort?.on("message", ({ id, task }: ModelTaskRequest) => {
  try {
    const result = runModelTask(task);
    const transfer: ArrayBuffer[] = [];
    if (result instanceof Uint8Array) transfer.push(result.buffer as ArrayBuffer);
    else if (typeof result === "object" && "record" in result)
      transfer.push(result.record.buffer as ArrayBuffer);
    parentPort?.postMessage({ id, ok: true, result } satisfies ModelTaskReply, transfer);
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    parentPort?.postMessage({
      id,
      ok: false,
      error: {
        name: err.name,
        message: err.message,
        input: err instanceof InputError,
        ...(err instanceof InputError ? { code: err.code, path: err.path } : {}),
        ...(err instanceof ModelInvalidError ? { problems: err.problems } : {}),
      },
    } satisfies ModelTaskReply);
  }
});
