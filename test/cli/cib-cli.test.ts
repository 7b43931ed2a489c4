import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { randomModel } from "../../src/cib/random.js";
import { parseSolutionList } from "../../src/cib/sl.js";
import { importScw, matrixToBlocks } from "../../src/model/scw.js";
import { modelToYaml } from "../../src/model/serialize.js";
import type { Factor, Model } from "../../src/model/types.js";
import { runCli } from "../helpers/cli.js";
import { scwDir, seedModelPath } from "../helpers/paths.js";

const run = runCli;

const BREAKTHROUGH = {
  talks: "breakthrough",
  enrichment: "capped",
  sanctions: "relief",
  "us-force": "restraint",
  israel: "recalibrates",
  pmf: "integration",
  houthis: "scaled-back",
  region: "de-escalation",
};
const BREAKDOWN = {
  talks: "breakdown",
  enrichment: "breakout",
  sanctions: "tightened",
  hezbollah: "reignite",
  pmf: "reassert",
  houthis: "escalation",
  region: "multi-front-war",
};

describe("muscat scenarios", () => {
  it("JSON: each scenario's id, name, states, inconsistency, consistency value and TIS, with complete/space/visited/hash at the top", async () => {
    const r = await run("scenarios", seedModelPath, "--format", "json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ complete: true, space: "944784" });
    expect(j.model).toMatch(/^[0-9a-f]{64}$/);
    expect(j.visited).toBeGreaterThan(0);
    for (const s of j.scenarios) {
      expect(Object.keys(s).sort()).toEqual([
        "consistencyValue",
        "id",
        "inconsistency",
        "name",
        "states",
        "tis",
      ]);
      expect(s.inconsistency).toBe(0);
      expect(Object.keys(s.states)).toHaveLength(14);
    }
  });

  it("--workers: a search still running after 1 s moves to worker threads, with the same result", async () => {
    // a dense random 23×3 model (9.4·10¹⁰ scenarios, 2.5–3.5 s on one thread with the SIMD kernel;
    // the 22×3 one took 1.2 s, too close to the 1 s probe), as a model file
    const cm = randomModel(new Array(23).fill(3), 2);
    const factors: Factor[] = Array.from({ length: 23 }, (_, i) => ({
      id: `f${i + 1}`,
      name: `Factor ${i + 1}`,
      short: `F${i + 1}`,
      owners: [],
      exogenous: false,
      keywords: [],
      states: [0, 1, 2].map((k) => ({
        id: `s${k + 1}`,
        label: `S${k + 1}`,
        short: `S${k + 1}`,
        keywords: [],
      })),
    }));
    const rows = Array.from({ length: cm.size }, (_, r) =>
      Array.from(cm.matrix.subarray(r * cm.size, (r + 1) * cm.size)),
    );
    const base = importScw(readFileSync(join(scwDir, "CIB_global.scw"), "utf8"), {
      file: "CIB_global.scw",
      asOf: "2025-04-12",
    });
    const model: Model = { ...base, id: "random-23x3", factors, impacts: matrixToBlocks(factors, rows) };
    const dir = mkdtempSync(join(tmpdir(), "muscat-workers-"));
    const file = join(dir, "random.yaml");
    writeFileSync(file, modelToYaml(model));
    const one = await run("scenarios", file, "--workers", "0", "-T", "1", "--format", "json");
    const two = await run("scenarios", file, "--workers", "2", "-T", "1", "--format", "json");
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    const a = JSON.parse(one.out);
    const b = JSON.parse(two.out);
    expect(a.complete && b.complete).toBe(true);
    expect(a.elapsedMs).toBeGreaterThan(1000); // the pool was needed
    expect(b.scenarios).toEqual(a.scenarios);
    expect(b.groups).toEqual(a.groups);
    expect(b.count).toBe(a.count);
    expect(Number(a.count)).toBeGreaterThan(0);
    const bad = await run("scenarios", file, "--workers", "-1");
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--workers");
  }, 60_000);

  it("the seed model's kernel holds Shafaq's two trajectories (breakthrough; breakdown and escalation)", async () => {
    const j = JSON.parse((await run("scenarios", seedModelPath, "--format", "json")).out);
    const has = (want: Record<string, string>) =>
      j.scenarios.some((s: { states: Record<string, string> }) =>
        Object.entries(want).every(([f, v]) => s.states[f] === v),
      );
    expect(has(BREAKTHROUGH)).toBe(true);
    expect(has(BREAKDOWN)).toBe(true);
  });

  it("--fix reports what appears, vanishes and persists; filters only shrink", async () => {
    const j = JSON.parse(
      (await run("scenarios", seedModelPath, "--fix", "talks=breakdown", "--format", "json")).out,
    );
    expect(j.fix).toEqual({ talks: "breakdown" });
    for (const s of j.scenarios) expect(s.states.talks).toBe("breakdown");
    expect(j.intervention.vanish.length + j.intervention.persist.length).toBeGreaterThan(0);
    const all = JSON.parse((await run("scenarios", seedModelPath, "--format", "json")).out);
    const req = JSON.parse(
      (
        await run(
          "scenarios",
          seedModelPath,
          "--require",
          "talks=breakthrough|protracted",
          "--format",
          "json",
        )
      ).out,
    );
    const forb = JSON.parse(
      (await run("scenarios", seedModelPath, "--forbid", "talks=breakdown", "--format", "json")).out,
    );
    const keys = (x: { scenarios: { states: object }[] }) => x.scenarios.map((s) => JSON.stringify(s.states));
    expect(keys(req).every((k: string) => keys(all).includes(k))).toBe(true);
    expect(keys(forb)).toEqual(keys(all).filter((k: string) => !k.includes('"talks":"breakdown"')));
    expect((await run("scenarios", seedModelPath, "--fix", "talks=nowhere")).code).toBe(1);
  });

  it("writes a ScenarioWizard solution list that reproduces the fixture's kernel", async () => {
    const tmp = mkdtempSync(join(tmpdir(), "muscat-sl-"));
    const p = join(tmp, "g.yaml");
    writeFileSync(
      p,
      modelToYaml(importScw(readFileSync(join(scwDir, "CIB_global.scw"), "utf8"), { asOf: "2025-01-01" })),
    );
    const r = await run("scenarios", p, "--basins", "--format", "sl");
    expect(r.code).toBe(0);
    const ours = parseSolutionList(r.out);
    const ref = parseSolutionList(readFileSync(join(scwDir, "CIB_global.sl"), "utf8"));
    const key = (e: { states: number[]; weight: number; cv: number; tis: number }) =>
      `${e.states}|${e.weight}|${e.cv}|${e.tis}`;
    expect(ours.entries.map(key).sort()).toEqual(ref.entries.map(key).sort());
    const csv = await run("scenarios", p, "--format", "csv");
    expect(csv.out.split("\n")[0]).toBe("wtrd,wsec,weco,inconsistency,consistency_value,tis");
  });

  it("tolerance groups scenarios by inconsistency", async () => {
    const j = JSON.parse((await run("scenarios", seedModelPath, "-T", "1", "--format", "json")).out);
    expect(j.groups.map((g: { inconsistency: number }) => g.inconsistency)).toEqual([0, 1]);
    expect(j.scenarios.filter((s: { inconsistency: number }) => s.inconsistency === 1).length).toBe(
      Number(j.groups[1].count),
    );
  });
});

describe("muscat succession, explain, sensitivity", () => {
  it("basins cover the whole space", async () => {
    const j = JSON.parse((await run("succession", seedModelPath, "--basins", "--format", "json")).out);
    const total = j.attractors.reduce((s: number, a: { weight: number }) => s + a.weight, 0) + j.cycleStarts;
    expect(total).toBe(944784);
    expect(j.estimate).toBe(false);
  });

  it("traces a path to a consistent scenario or a cycle", async () => {
    const from = Object.entries({
      ...BREAKDOWN,
      "us-force": "strikes",
      israel: "coercive",
      "us-focus": "focused",
      "russia-leverage": "unchanged",
      "western-unity": "cohesive",
      "iran-russia": "sustained",
      "oman-channel": "active",
    })
      .map(([f, s]) => `${f}=${s}`)
      .join(",");
    const j = JSON.parse((await run("succession", seedModelPath, "--from", from, "--format", "json")).out);
    expect(["fixed-point", "cycle"]).toContain(j.outcome);
    expect(j.path[0].talks).toBe("breakdown");
  });

  it("explains a scenario with the judgments' rationale and evidence", async () => {
    const j = JSON.parse((await run("explain", seedModelPath, "--format", "json")).out);
    expect(j.consistent).toBe(true);
    const withJudgments = j.factors.flatMap(
      (f: { for: { judgments: { rationale?: string; evidence: unknown[] }[] }[] }) =>
        f.for.flatMap((c) => c.judgments),
    );
    expect(withJudgments.length).toBeGreaterThan(10);
    expect(withJudgments.every((x: { rationale?: string }) => (x.rationale ?? "").length > 0)).toBe(true);
  });

  it("sensitivity lists changes that alter the kernel", async () => {
    const j = JSON.parse((await run("sensitivity", seedModelPath, "--format", "json")).out);
    expect(j.complete).toBe(true);
    expect(j.kernel.length).toBeGreaterThan(0);
    for (const c of j.changes) expect(c.appear.length + c.vanish.length).toBeGreaterThan(0);
  });
});
