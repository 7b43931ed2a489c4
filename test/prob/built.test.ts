// The worker pool in the BUILT CLI: tsup must emit the pool-worker entry next to the code that
// creates the pool, and the pool must find it. Builds the current sources into a scratch
// directory inside the repository (so node_modules resolves), then runs the built CLI with 1
// and 2 workers; when dist/ exists (npm ci / npm install run `prepare` = tsup), also runs
// bin/muscat.js, which executes dist/cli.js.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const outDir = join(root, ".scratch", `prob-build-${process.pid}`);
const args = [
  "simulate",
  "--runs",
  "20000",
  "--steps",
  "6",
  "--seed",
  "3",
  "--query",
  "region=multi-front-war",
];

function runBuilt(cli: string, extra: string[]): unknown {
  const script = `const { main } = await import(${JSON.stringify(pathToFileURL(cli).href)}); process.exitCode = await main(process.argv);`;
  const out = execFileSync(
    process.execPath,
    ["--input-type=module", "-e", script, "muscat", ...args, ...extra],
    {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 1 << 26,
    },
  );
  return JSON.parse(out);
}

describe("the built CLI's worker pool", () => {
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it("tsup emits pool-worker.js; --workers 2 equals --workers 1", () => {
    mkdirSync(outDir, { recursive: true });
    execFileSync(
      join(root, "node_modules", ".bin", "tsup"),
      ["--out-dir", outDir, "--silent", "--no-sourcemap"],
      {
        cwd: root,
        stdio: "pipe",
      },
    );
    expect(existsSync(join(outDir, "pool-worker.js"))).toBe(true);
    const cli = join(outDir, "cli.js");
    const w2 = runBuilt(cli, ["--workers", "2", "--format", "json"]) as { runs: number; engine: unknown };
    const w1 = runBuilt(cli, ["--workers", "1", "--format", "json"]);
    expect(w2.runs).toBe(20000);
    expect(JSON.stringify(w2)).toBe(JSON.stringify(w1));
  }, 120_000);

  it.skipIf(!existsSync(join(root, "dist", "cli.js")))(
    "bin/muscat.js (dist/cli.js) with 2 workers equals 1 worker [skipped when dist/ is absent: run `npm run build`]",
    () => {
      const run = (w: string) =>
        execFileSync(
          process.execPath,
          [join(root, "bin", "muscat.js"), ...args, "--workers", w, "--format", "json"],
          {
            cwd: root,
            encoding: "utf8",
            maxBuffer: 1 << 26,
          },
        );
      const a = run("2");
      expect(JSON.parse(a).runs).toBe(20000);
      expect(a).toBe(run("1"));
    },
    120_000,
  );
});
