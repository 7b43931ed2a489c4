// The --redis option end to end: the real command-line process (its run on a worker thread,
// the executor beside it) with a `muscat worker` taking the parts gives the same JSON as the
// same command on local threads — for sensitivity (cells past the 1 s probe) and exact basins
// (blocks of 2^22 starts and more).
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modelToYaml } from "../../src/model/serialize.js";
import { repoRoot } from "../helpers/paths.js";
import { haveRedis, startRedis, startWorker, type TestRedis, type TestWorker } from "../helpers/redis.js";
import { randomCibModel } from "../runs/cancel-models.js";

const run = promisify(execFile);
const muscat = async (args: string[]) =>
  (
    await run(process.execPath, ["--import", "tsx", join(repoRoot, "src", "cli", "main.ts"), ...args], {
      cwd: repoRoot,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, MUSCAT_REDIS: "" },
    })
  ).stdout;
/** The JSON without its wall-clock field. */
const content = (out: string) =>
  JSON.stringify(JSON.parse(out), (k, v) => (k === "elapsedMs" ? undefined : v));

describe.runIf(haveRedis)("--redis on the command line", () => {
  let redis: TestRedis;
  let worker: TestWorker;
  const dir = mkdtempSync(join(tmpdir(), "muscat-queue-cli-"));
  const sens = join(dir, "sens.yaml");
  const basins = join(dir, "basins.yaml");

  beforeAll(async () => {
    // 22 factors: about 4 s of cells on one thread, well past the 1 s probe on any machine (the
    // 20-factor model finished within the probe on a fast one, and the worker got no part)
    writeFileSync(sens, modelToYaml(randomCibModel(22, 2, 31, { lo: -2, hi: 2 })));
    writeFileSync(basins, modelToYaml(randomCibModel(22, 2, 32, { lo: -3, hi: 3 })));
    redis = await startRedis();
    worker = await startWorker(redis.url, { concurrency: 2 });
  }, 120_000);

  afterAll(async () => {
    await worker?.kill("SIGKILL");
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("sensitivity --method rerun and succession --basins: the same JSON on the queue as on threads", async () => {
    for (const args of [
      ["sensitivity", sens, "--method", "rerun", "--format", "json", "-q"],
      ["succession", basins, "--basins", "--method", "exact", "--format", "json", "-q"],
    ]) {
      const local = await muscat([...args, "--workers", "2"]);
      const before = (worker.log().match(/ done/g) ?? []).length;
      const queued = await muscat([...args, "--redis", redis.url]);
      expect(content(queued)).toBe(content(local));
      expect(JSON.parse(queued).complete).toBe(true);
      // parts of it ran on the worker (its log line can reach us just after the result does)
      const doneLines = () => (worker.log().match(/ done/g) ?? []).length;
      for (const t0 = Date.now(); doneLines() <= before && Date.now() - t0 < 5000; )
        await new Promise((r) => setTimeout(r, 50));
      expect(doneLines(), `parts finished on the worker after ${args[0]}`).toBeGreaterThan(before);
    }
  }, 300_000);
});
