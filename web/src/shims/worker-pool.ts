// The worker-thread pool (src/workers/pool.ts) for the browser build: the app's kernel worker
// reaches runs/scenarios.ts, whose parallel search loads the pool lazily and only when asked for
// more than one worker thread, which the app never does. This stand-in keeps piscina and Node's
// modules out of the bundle, and says so if it is ever called. Aliased in web/vite.config.ts.
export type { Pool } from "../../../src/workers/pool.js";

export function createPool(): never {
  throw new Error("worker threads are not available in the browser: run with workers 0 or 1");
}

export function workerLocation(): never {
  throw new Error("worker threads are not available in the browser");
}
