// Ctrl-C during a long command: the CLI process (a real child, SIGINT sent to it) stops the
// engine, prints the partial result flagged partial and exits with 130, promptly. The
// synchronous engines run on a worker thread for this (src/cli/run-thread.ts); each run here
// would take far longer than the test if the interrupt were ignored.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findKernel } from "../../src/cib/kernel.js";
import { compileModel } from "../../src/model/compile.js";
import { repoRoot } from "../helpers/paths.js";
import { randomCibModel, randomModelText } from "../runs/cancel-models.js";

const dir = mkdtempSync(join(tmpdir(), "muscat-sigint-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const oman = join(repoRoot, "models", "oman-2025.yaml");
// Dense random 26×3 models: their kernel searches take minutes on one thread. With cells in
// −1..1 and tolerance 2 the search meets scenarios early (hundreds in the first seconds).
const big = join(dir, "random-26x3.yaml");
writeFileSync(big, randomModelText(26, 3, 1, { lo: -2, hi: 2 }));
const flat = join(dir, "random-26x3-flat.yaml");
writeFileSync(flat, randomModelText(26, 3, 1, { lo: -1, hi: 1 }));

/** Starts the CLI, sends SIGINT after `afterMs`, and reports the exit and how long it took. */
function interrupt(args: string[], afterMs: number) {
  const child = spawn(process.execPath, ["--import", "tsx", join(repoRoot, "src/cli/main.ts"), ...args], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => {
    out += d;
  });
  child.stderr.on("data", (d) => {
    err += d;
  });
  let sentAt = 0;
  const timer = setTimeout(() => {
    sentAt = performance.now();
    child.kill("SIGINT");
  }, afterMs);
  return new Promise<{ code: number | null; out: string; err: string; stopMs: number }>((resolve) => {
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out, err, stopMs: sentAt ? performance.now() - sentAt : -1 });
    });
  });
}

describe("Ctrl-C stops a long command with a partial result", () => {
  it("stationary --method mcmc: the samples so far, the same in every chain", async () => {
    const r = await interrupt(
      ["stationary", oman, "--method", "mcmc", "--samples", "50000000", "--format", "json"],
      6000,
    );
    console.log(`stationary mcmc: exit ${r.code} ${Math.round(r.stopMs)} ms after SIGINT`);
    expect(r.stopMs).toBeGreaterThan(0); // still running when interrupted
    expect(r.code).toBe(130);
    expect(r.stopMs).toBeLessThan(2000);
    const j = JSON.parse(r.out);
    expect(j.partial).toBe(true);
    expect(j.mcmc.requested).toBe(50_000_000);
    expect(j.mcmc.samples).toBeGreaterThan(0);
    expect(j.mcmc.samples).toBeLessThan(50_000_000);
    // the frequencies are over the samples taken: each factor's states sum to 1
    for (const f of j.factors)
      expect(f.states.reduce((s: number, x: { p: number }) => s + x.p, 0)).toBeCloseTo(1, 9);
    expect(r.err).toContain("interrupted");
  }, 60_000);

  it("sensitivity: the cells decided before the stop, flagged incomplete", async () => {
    const r = await interrupt(["sensitivity", big, "--format", "json"], 6000);
    console.log(`sensitivity: exit ${r.code} ${Math.round(r.stopMs)} ms after SIGINT`);
    expect(r.stopMs).toBeGreaterThan(0);
    expect(r.code).toBe(130);
    expect(r.stopMs).toBeLessThan(2000);
    const j = JSON.parse(r.out);
    expect(j.complete).toBe(false);
    expect(j.changes).toHaveLength(0); // stopped inside the base search: no cell decided
    expect(j.cellsTested).toBe(0);
  }, 60_000);

  it("scenarios --workers 0: the scenarios found so far, each consistent", async () => {
    const r = await interrupt(["scenarios", flat, "--workers", "0", "-T", "2", "--format", "json"], 6000);
    console.log(`scenarios: exit ${r.code} ${Math.round(r.stopMs)} ms after SIGINT`);
    expect(r.stopMs).toBeGreaterThan(0);
    expect(r.code).toBe(130);
    expect(r.stopMs).toBeLessThan(2000);
    const j = JSON.parse(r.out);
    expect(j.complete).toBe(false);
    expect(j.covered).toBeGreaterThan(0);
    expect(j.covered).toBeLessThan(1);
    expect(Number(j.count)).toBe(j.scenarios.length);
    expect(j.scenarios.length).toBeGreaterThan(0);
    console.log(
      `scenarios: ${j.scenarios.length} found, ${(j.covered * 100).toFixed(2)} % of the space settled`,
    );
    // every scenario listed really has inconsistency ≤ 2 (checked against a search of its box)
    const cm = compileModel(randomCibModel(26, 3, 1, { lo: -1, hi: 1 }));
    for (const s of j.scenarios.slice(0, 20)) {
      const states = cm.factorIds.map((id, f) => cm.stateIds[f].indexOf(s.states[id]));
      const one = findKernel(cm, {
        tolerance: 2,
        require: states.map((k, factor) => ({ factor, states: [k] })),
      });
      expect(one.scenarios.map((x) => x.inconsistency)).toEqual([s.inconsistency]);
    }
  }, 60_000);
});
