// Orchestration shared by the engine's entry points: run tasks in order, in-process or on a
// worker pool, stop on request, report progress. Results are merged in task order only, and
// only a contiguous prefix of finished tasks is ever merged, so a result never depends on
// which thread finished first.
import type { Pool } from "../workers/pool.js";

export const ENGINE_VERSION = "2.0.0";

export interface Control {
  signal?: AbortSignal;
  /** Called after every finished task. */
  onProgress?: (p: { done: number; total: number }) => void;
  /** A pool to run on; without one, tasks run in this thread. */
  pool?: Pool;
}

/**
 * Runs tasks[from..to) and returns their results in order. Stops dispatching when the signal
 * aborts; tasks already running finish and their results are returned (a prefix).
 */
export async function runTasks<T, R>(
  tasks: T[],
  work: (t: T) => R,
  control: Control,
  progress: { done: number; total: number },
): Promise<R[]> {
  const out: R[] = [];
  if (!control.pool) {
    for (const t of tasks) {
      if (control.signal?.aborted) break;
      // Yield to the event loop so that SIGINT handlers can run between tasks.
      await new Promise((r) => setImmediate(r));
      if (control.signal?.aborted) break;
      out.push(work(t));
      progress.done++;
      control.onProgress?.({ ...progress });
    }
    return out;
  }
  const pool = control.pool;
  const results: (R | undefined)[] = new Array(tasks.length);
  let next = 0;
  const lanes = Math.max(1, pool.threads * 2);
  const lane = async () => {
    while (next < tasks.length && !control.signal?.aborted) {
      const i = next++;
      try {
        results[i] = await pool.run<R>({ ...(tasks[i] as object) });
      } catch (e) {
        // A part cancelled on its way (the queue's workers abort a stopped run's parts) ends
        // the run's prefix there; any other failure is the run's.
        if (control.signal?.aborted) return;
        throw e;
      }
      progress.done++;
      control.onProgress?.({ ...progress });
    }
  };
  await Promise.all(Array.from({ length: Math.min(lanes, tasks.length) }, lane));
  for (let i = 0; i < tasks.length; i++) {
    const r = results[i];
    if (r === undefined) break;
    out.push(r);
  }
  return out;
}
