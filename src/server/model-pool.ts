// A small pool of worker threads for the heavy model work (model-work.ts), so that parsing,
// validating and compiling a large model never holds the server's main thread. Lazy: no thread
// starts until the first task, so the server's start-up does not grow. An idle thread is
// unref'd (it never keeps the process alive; one with tasks pending does), and a task goes to the thread chosen by its content key,
// so the thread's memo of the last texts serves the follow-up tasks of the same text. A thread
// that dies fails its pending tasks (a server fault) and is started again on the next task.
// Errors come back as the errors they were: a ModelInvalidError with its problems, an
// InputError with its code, anything else as a plain Error (a 500).
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { InputError } from "../errors.js";
import { ModelInvalidError } from "../store/models.js";
import type { ModelTask, ModelTaskResults } from "./model-work.js";
import type { ModelTaskReply, ModelTaskRequest } from "./model-worker.js";
import { workerLocation } from "./worker-location.js";

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

/** Threads of the pool: $MUSCAT_MODEL_THREADS (0 = do all model work inline), else 1 or 2. */
export function defaultThreads(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.MUSCAT_MODEL_THREADS);
  if (env.MUSCAT_MODEL_THREADS !== undefined && env.MUSCAT_MODEL_THREADS !== "" && Number.isInteger(n))
    return Math.max(0, Math.min(n, 4));
  return availableParallelism() > 2 ? 2 : 1;
}

function reviveError(e: Extract<ModelTaskReply, { ok: false }>["error"]): Error {
  if (e.problems) return new ModelInvalidError(e.message, e.problems);
  if (e.input) return new InputError(e.message, { code: e.code, path: e.path });
  const err = new Error(`model worker: ${e.message}`);
  err.name = e.name;
  return err;
}

export class ModelPool {
  private readonly slots: (Slot | undefined)[];
  private nextId = 1;
  private closed = false;

  constructor(readonly threads: number) {
    this.slots = new Array(Math.max(1, threads)).fill(undefined);
  }

  /** Threads running now (0 until the first task). */
  get started(): number {
    return this.slots.filter(Boolean).length;
  }

  run<K extends ModelTask["kind"]>(
    task: Extract<ModelTask, { kind: K }>,
    key: string,
  ): Promise<ModelTaskResults[K]> {
    if (this.closed) return Promise.reject(new Error("the model pool is closed"));
    const slot = this.slot(Number.parseInt(key.slice(0, 8), 16) % this.slots.length || 0);
    const id = this.nextId++;
    return new Promise<ModelTaskResults[K]>((resolve, reject) => {
      if (slot.pending.size === 0) slot.worker.ref();
      slot.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      slot.worker.postMessage({ id, task } satisfies ModelTaskRequest);
    });
  }

  private slot(i: number): Slot {
    const have = this.slots[i];
    if (have) return have;
    const loc = workerLocation(import.meta.url, "model-worker.js", "./model-worker.ts");
    const worker = new Worker(loc.script, { eval: loc.eval });
    const slot: Slot = { worker, pending: new Map() };
    this.slots[i] = slot;
    const fail = (err: Error) => {
      if (this.slots[i] === slot) this.slots[i] = undefined;
      for (const p of slot.pending.values()) p.reject(err);
      slot.pending.clear();
    };
    worker.on("message", (m: ModelTaskReply) => {
      const p = slot.pending.get(m.id);
      if (!p) return;
      slot.pending.delete(m.id);
      if (slot.pending.size === 0) slot.worker.unref();
      if (m.ok) p.resolve(m.result);
      else p.reject(reviveError(m.error));
    });
    worker.on("error", (e) => fail(new Error(`model worker failed: ${e.message}`)));
    worker.on("exit", (code) => fail(new Error(`model worker stopped (exit code ${code})`)));
    // Idle threads never keep the process alive (a busy one does, run() refs it). After the
    // listeners: adding a 'message' listener refs the worker's port again.
    worker.unref();
    return slot;
  }

  /** Stops the threads; pending tasks fail. */
  async close(): Promise<void> {
    this.closed = true;
    const live = this.slots.filter((s): s is Slot => Boolean(s));
    this.slots.fill(undefined);
    await Promise.all(live.map((s) => s.worker.terminate()));
  }
}
