// The worker-thread pool (piscina) that the probability engine and the parallel kernel search
// share, in a folder of its own so that neither engine imports the other for it. From the
// TypeScript sources (tests, tsx) the workers load src/workers/worker.ts through tsx; from the
// built CLI they load dist/pool-worker.js (an extra tsup entry).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Piscina } from "piscina";

export interface Pool {
  run<T>(task: unknown): Promise<T>;
  threads: number;
  close(): Promise<void>;
  /**
   * Starts the threads now, ahead of the first task (they load while this thread works on).
   * After `load`, it starts them at once, even from inside a synchronous loop; before, only
   * when this thread's event loop next turns.
   */
  warm?(): void;
  /** Loads the worker library, so that a later `warm` starts the threads synchronously. */
  load?(): Promise<void>;
  /** True when tasks may share memory with the caller (threads of this process). */
  sharedMemory?: boolean;
}

export function workerLocation(): { filename: string; execArgv: string[] } {
  const here = import.meta.url;
  // tsx / vitest: this file is src/workers/pool.ts, the worker its sibling worker.ts.
  if (here.endsWith(".ts"))
    return { filename: fileURLToPath(new URL("./worker.ts", here)), execArgv: ["--import", "tsx"] };
  // tsup: this code sits in dist/cli.js, dist/index.js or a shared dist/chunk-*.js (all at the
  // top of dist/), next to the pool-worker entry.
  const filename = fileURLToPath(new URL("./pool-worker.js", here));
  if (!existsSync(filename))
    throw new Error(
      `the engines' worker-thread entry is missing (${filename}): rebuild with \`npm run build\` (tsup.config.ts must list src/workers/worker.ts as the pool-worker entry), or use --workers 0`,
    );
  return { filename, execArgv: [] };
}

/**
 * A pool of `threads` worker threads (≥ 1). The worker library loads and the threads start on
 * the first task, so a command that makes a pool but never needs it pays nothing.
 */
export function createPool(threads: number): Pool {
  const { filename, execArgv } = workerLocation();
  let library: typeof Piscina | undefined;
  let piscina: Promise<Piscina> | undefined;
  const make = (P: typeof Piscina) =>
    new P({ filename, execArgv, minThreads: threads, maxThreads: threads, idleTimeout: 60_000 });
  // with the library loaded, the threads are made (and start loading) in this call
  const start = () =>
    (piscina ??= library
      ? Promise.resolve(make(library))
      : import("piscina").then((m) => make((library = m.Piscina))));
  return {
    threads,
    run: async <T>(task: unknown) => (await start()).run(task) as Promise<T>,
    warm: () => void start(),
    load: async () => {
      library ??= (await import("piscina")).Piscina;
    },
    sharedMemory: true,
    close: async () => {
      if (piscina) await (await piscina).destroy();
    },
  };
}
