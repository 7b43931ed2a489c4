// A part of a run as it travels through Redis: the same task the worker-thread pool takes
// (worker.ts: a chunk of succession runs, a batch of kernel samples, a prefix box of a kernel
// search), serialised with V8's structured clone (the format worker threads use, so typed
// arrays, Maps and BigInts come back as they went), base64 in a JSON job.
//
// A SharedArrayBuffer cannot leave its machine. The engines use two kinds, by field name:
// `stop` (an Int32 flag the part polls) and `progress` (a BigInt64 counter the part adds to).
// They travel as their byte length; the worker gives the part fresh local ones, sets `stop` when
// the run is cancelled, and reports `progress` as the job's progress, which the executor adds
// to the caller's counter (queue.ts).
import { deserialize, serialize } from "node:v8";

/** What a part's job carries. */
export interface PartData {
  /** Muscat's version and the engines' versions: a worker refuses a part of another make. */
  make: string;
  /** The run this part belongs to (cancel messages name it). */
  run: string;
  /** The part's index in its run. */
  index: number;
  /** The task, structured-clone serialised, base64. */
  task: string;
  /** Fields of the task that held a SharedArrayBuffer: name → byte length. */
  shared: Record<string, number>;
}

/** Splits the shared buffers off a task and serialises the rest. */
export function encodeTask(task: object): { task: string; shared: Record<string, number> } {
  const shared: Record<string, number> = {};
  const plain: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(task)) {
    if (v instanceof SharedArrayBuffer) shared[k] = v.byteLength;
    else plain[k] = v;
  }
  return { task: serialize(plain).toString("base64"), shared };
}

/** The task of a part, with fresh local shared buffers in place of the caller's. */
export function decodeTask(data: Pick<PartData, "task" | "shared">): Record<string, unknown> {
  const task = deserialize(Buffer.from(data.task, "base64")) as Record<string, unknown>;
  for (const [k, n] of Object.entries(data.shared)) task[k] = new SharedArrayBuffer(n);
  return task;
}

export const encodeResult = (r: unknown): string => serialize(r).toString("base64");
export const decodeResult = <T>(s: string): T => deserialize(Buffer.from(s, "base64")) as T;
