// Start-up: each command loads only what it uses, and a closed pipe is not a crash. Runs the
// BUILT CLI (the current sources built by tsup into a scratch folder inside the repository, so
// node_modules resolves) with a preload that records every module the process resolves.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const outDir = join(root, ".scratch", `startup-build-${process.pid}`);
const work = mkdtempSync(join(tmpdir(), "muscat-startup-test-"));
const preload = pathToFileURL(join(root, "test", "helpers", "module-list.mjs")).href;

/** The libraries no command may load unless it uses them. */
const HEAVY = [
  "echarts",
  "wink-nlp",
  "wink-eng-lite-web-model",
  "linkedom",
  "@mozilla/readability",
  "hono",
  "@hono/node-server",
  "@hono/zod-openapi",
  "better-sqlite3",
  "kysely",
  "franc",
  "playwright-core",
  "piscina",
  "zod",
  "yaml",
  "cli-progress",
];

/** Packages (node_modules/<name>) that a script run with the built files resolved. */
function packagesLoaded(script: string, args: string[] = [], env: Record<string, string> = {}): Set<string> {
  const list = join(work, `modules-${Math.random().toString(36).slice(2)}.txt`);
  execFileSync(
    process.execPath,
    ["--import", preload, "--input-type=module", "-e", script, "muscat", ...args],
    {
      cwd: root,
      env: { ...process.env, MUSCAT_MODULE_LIST: list, MUSCAT_CACHE: "off", ...env },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  const out = new Set<string>();
  for (const url of readFileSync(list, "utf8").split("\n")) {
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (m) out.add(m[1]);
  }
  return out;
}
const runCli = `const { main } = await import(${JSON.stringify(join(outDir, "cli.js"))}); process.exitCode = await main(process.argv);`;

describe("start-up of the built CLI", () => {
  beforeAll(() => {
    mkdirSync(outDir, { recursive: true });
    execFileSync(
      join(root, "node_modules", ".bin", "tsup"),
      ["--out-dir", outDir, "--silent", "--no-sourcemap"],
      {
        cwd: root,
        stdio: "pipe",
      },
    );
  }, 120_000);
  afterAll(() => {
    rmSync(outDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it("muscat --help loads none of the heavy libraries", () => {
    const loaded = packagesLoaded(runCli, ["--help"]);
    expect(loaded.has("commander")).toBe(true); // the hook sees packages at all
    expect(HEAVY.filter((p) => loaded.has(p))).toEqual([]);
  }, 60_000);

  it("muscat scenarios on the seed model loads the model's parser but no store, server, NLP or charts", () => {
    const loaded = packagesLoaded(runCli, ["scenarios", "--format", "json"]);
    expect(loaded.has("yaml")).toBe(true); // no cache here: the YAML parser must run
    const allowed = new Set(["yaml", "zod"]);
    expect(HEAVY.filter((p) => loaded.has(p) && !allowed.has(p))).toEqual([]);
  }, 60_000);

  it("the commands that need a heavy library load it (the check can fail)", () => {
    const loaded = packagesLoaded(runCli, ["corpus", "list", "--data", join(work, "data")]);
    expect(loaded.has("better-sqlite3")).toBe(true);
    expect(loaded.has("kysely")).toBe(true);
  }, 60_000);

  it("the library entry pulls in neither the server nor the NLP", () => {
    const loaded = packagesLoaded(
      `await import(${JSON.stringify(pathToFileURL(join(outDir, "index.js")).href)});`,
    );
    const server = ["hono", "@hono/node-server", "@hono/zod-openapi", "better-sqlite3", "kysely"];
    const nlp = ["wink-nlp", "wink-eng-lite-web-model", "franc", "linkedom", "@mozilla/readability"];
    expect([...server, ...nlp, "echarts", "playwright-core"].filter((p) => loaded.has(p))).toEqual([]);
  }, 60_000);

  // From the sources (tsx), the module hooks run on a thread of their own, whose output is
  // piped into the process's stdout; a run on a worker thread adds another pipe. Each pipe adds
  // an error listener of its own to stdout, and drops it on the first error.
  const built = ["--input-type=module", "-e", runCli, "muscat"];
  const sources = ["--import", "tsx", join(root, "src", "cli", "main.ts")];
  it.each([
    ["built", "show"],
    ["built", "sensitivity"],
    ["sources", "show"],
    ["sources", "sensitivity"],
  ])(
    "muscat %s %s | (a reader that closes at once): exit 0, no EPIPE crash",
    async (from, command) => {
      const args = [...(from === "built" ? built : sources), command, "--format", "json"];
      const child = spawn(process.execPath, args, {
        cwd: root,
        env: { ...process.env, MUSCAT_CACHE: "off" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      // Close the reading end before the CLI writes anything: every write then meets EPIPE.
      child.stdout.destroy();
      let stderr = "";
      child.stderr.on("data", (d) => {
        stderr += d;
      });
      const code = await new Promise<number | null>((res) => child.on("close", (c) => res(c)));
      expect(stderr).not.toMatch(/EPIPE|Unhandled|Error/);
      expect(code).toBe(0);
    },
    60_000,
  );
});
