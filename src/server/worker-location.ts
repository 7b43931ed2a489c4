// How to start a worker thread from the server, whether the server runs from the built dist/
// or from the TypeScript sources (tests, tsx). Built: the worker's own entry file next to the
// calling chunk (tsup puts every entry and chunk in dist/). Sources: a small ESM bootstrap that
// registers tsx in the worker and imports the .ts entry (Node 20 does not honour `--import tsx`
// in a worker's execArgv). The same approach as the job workers (jobs.ts).
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

export interface WorkerLocation {
  script: string | URL;
  eval: boolean;
}

/**
 * Where a worker's code is. `here` is the caller's import.meta.url; `built` the worker's file
 * name in dist/ (e.g. "model-worker.js"); `source` its .ts file relative to the caller.
 */
export function workerLocation(here: string, built: string, source: string): WorkerLocation {
  if (!here.endsWith(".ts")) return { script: new URL(`./${built}`, here), eval: false };
  const req = createRequire(here);
  const api = pathToFileURL(req.resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
  const entry = new URL(source, here).href;
  return {
    script: `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`,
    eval: true,
  };
}
