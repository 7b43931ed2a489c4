import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { defineConfig } from "tsup";

/** A hash of everything that decides what the build does: the sources and the lockfile. */
function buildId(): string {
  const h = createHash("sha256");
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else h.update(`${p}\0`).update(readFileSync(p));
    }
  };
  walk("src");
  for (const f of ["package.json", "package-lock.json"]) h.update(`${f}\0`).update(readFileSync(f));
  return h.digest("hex").slice(0, 16);
}

export default defineConfig({
  entry: {
    cli: "src/cli/main.ts",
    index: "src/index.ts",
    "server-worker": "src/server/job-worker.ts",
    "pool-worker": "src/workers/worker.ts",
    "model-worker": "src/server/model-worker.ts",
  },
  format: ["esm"],
  target: "node20",
  platform: "node",
  sourcemap: true,
  clean: true,
  dts: false,
  splitting: true,
  // The model cache (src/model/cache.ts) keys its entries by this build.
  define: { __MUSCAT_BUILD_ID__: JSON.stringify(buildId()) },
});
