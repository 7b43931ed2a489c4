// Where a run's parts go: the executor a command or the server hands to a run as its pool.
// Two backends with one interface (Pool): worker threads on this machine (pool.ts, the
// default), or the Redis queue served by `muscat worker`s on any machine (queue.ts). The runs
// never choose: they take whichever pool they are given, and give the same result on either.
import { createPool, type Pool } from "./pool.js";

export interface ExecutorChoice {
  /** A Redis URL: the parts go to the queue there. */
  redis?: string;
  /** Otherwise, local worker threads (0: none, the run stays on its own thread). */
  threads: number;
  /** Queue only: parts to cut the work into, as for this many threads (default 2). */
  parts?: number;
  /** Queue only: a cancel of the run reaches every worker. */
  signal?: AbortSignal;
}

/** The pool for a run's parts, or undefined for none. Close it when the run ends. */
export async function createExecutor(c: ExecutorChoice): Promise<Pool | undefined> {
  if (c.redis)
    return (await import("./queue.js")).createQueueExecutor({
      url: c.redis,
      signal: c.signal,
      parts: c.parts,
    });
  return c.threads > 0 ? createPool(c.threads) : undefined;
}
