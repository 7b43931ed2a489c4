// The CIB runs that split into parts on a pool (worker threads here; the Redis queue in
// test/workers/queue.test.ts): exact basins (blocks of starts) and judgment sensitivity (cells,
// and the searches' prefix boxes) give the single-thread result, whatever the split, and stop
// cleanly.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { successionBasins, successionBasinsAsync } from "../../src/cib/basins.js";
import { randomModel } from "../../src/cib/random.js";
import { judgmentSensitivity, judgmentSensitivityAsync } from "../../src/cib/sensitivity.js";
import { compileModel } from "../../src/model/compile.js";
import { loadModelOrThrow } from "../../src/model/load-file.js";
import { createPool, type Pool } from "../../src/workers/pool.js";
import { seedModelPath } from "../helpers/paths.js";

/** JSON without the wall-clock field. */
const bytes = (r: unknown) => JSON.stringify(r, (k, v) => (k === "elapsedMs" ? undefined : v));

const seed = compileModel(loadModelOrThrow(seedModelPath).model);

describe("CIB runs split into parts on worker threads", () => {
  let pool: Pool;
  beforeAll(() => {
    pool = createPool(2);
  });
  afterAll(async () => {
    await pool.close();
  });

  it("exact basins: the same attractors, weights and cycles as one thread, for every rule", async () => {
    // 3·4·2·3·3·2·3·2·3 = 15,552 starts; with a pool of 2 the starts split into ≥ 16 blocks
    for (const [counts, s] of [
      [[3, 4, 2, 3, 3, 2, 3, 2, 3], 7],
      [[2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2], 3],
    ] as const) {
      const model = randomModel([...counts], s, { lo: -3, hi: 3 });
      for (const rule of ["global", "local", "sequential"] as const) {
        const one = successionBasins(model, { method: "exact", rule });
        const split = await successionBasinsAsync(model, { method: "exact", rule, pool, minSpace: 0 });
        expect(bytes(split)).toBe(bytes(one));
        expect(split.complete).toBe(true);
        // the weights add up to the space
        const sum = split.attractors.reduce((t, a) => t + a.weight, 0) + split.cycleStarts;
        expect(sum).toBe(Number(split.spaceSize));
      }
    }
  }, 120_000);

  it("exact basins stopped mid-way: flagged incomplete, no attractor claimed", async () => {
    const model = randomModel(new Array(18).fill(2), 5, { lo: -3, hi: 3 });
    const ac = new AbortController();
    ac.abort();
    const r = await successionBasinsAsync(model, { method: "exact", pool, minSpace: 0, signal: ac.signal });
    expect(r.complete).toBe(false);
    expect(r.attractors).toEqual([]);
    expect(r.starts).toBeLessThan(2 ** 18);
  }, 60_000);

  it("judgment sensitivity: rerun and candidates give the one-thread result when their work goes to the pool", async () => {
    for (const method of ["rerun", "candidates"] as const) {
      const one = judgmentSensitivity(seed, { method });
      const split = await judgmentSensitivityAsync(seed, { method, pool, probeMs: 0 });
      expect(bytes(split)).toBe(bytes(one));
      expect(split.complete).toBe(true);
      expect(split.cellsTested).toBeGreaterThan(10);
    }
    const model = randomModel(new Array(9).fill(3), 4, { lo: -2, hi: 2 });
    const one = judgmentSensitivity(model, { method: "rerun", includeActiveGroups: true, step: 2 });
    const split = await judgmentSensitivityAsync(model, {
      method: "rerun",
      includeActiveGroups: true,
      step: 2,
      pool,
      probeMs: 0,
    });
    expect(bytes(split)).toBe(bytes(one));
    expect(one.changes.length).toBeGreaterThan(0);
  }, 120_000);

  it("judgment sensitivity stopped: the first cells only, in order, flagged incomplete", async () => {
    const model = randomModel(new Array(13).fill(3), 4, { lo: -2, hi: 2 });
    const t = performance.now();
    const full = judgmentSensitivity(model, { method: "rerun" });
    const fullMs = performance.now() - t;
    const t0 = performance.now();
    const r = await judgmentSensitivityAsync(model, {
      method: "rerun",
      pool,
      probeMs: 0,
      shouldStop: () => performance.now() - t0 > 250,
    });
    console.log(
      `sensitivity rerun 13×3: ${Math.round(fullMs)} ms on one thread; stopped at 250 ms with ${r.cellsTested} of ${full.cellsTested} cells`,
    );
    expect(r.complete).toBe(false);
    expect(r.cellsTested).toBeLessThan(full.cellsTested);
    // what it has is the start of the full result
    const n = r.changes.length;
    expect(bytes(r.changes)).toBe(bytes(full.changes.slice(0, n)));
  }, 60_000);
});

describe("scenarios --ensemble with its searches on a pool", () => {
  it("gives the report of one thread: the summed and every member's kernel", async () => {
    const { randomModelText } = await import("../runs/cancel-models.js");
    const { parseModelText } = await import("../../src/model/load.js");
    const { scenariosReport, scenariosReportAsync } = await import("../../src/runs/scenarios.js");
    // three analysts' judgments of the same 19 three-state factors (3^19 ≥ 2^30: boxes)
    const base = randomModelText(19, 3, 5, { lo: -2, hi: 2, density: 0.4 }).split("impacts:")[0];
    const lines = ["a", "b", "c"].flatMap((author, i) =>
      randomModelText(19, 3, 40 + i, { lo: -2, hi: 2, density: 0.4 })
        .split("impacts:\n")[1]
        .split("\n")
        .filter(Boolean)
        .map((l) => l.replace(/ }$/, `, author: ${author} }`)),
    );
    const parsed = parseModelText(`${base}impacts:\n${lines.join("\n")}\n`, { file: "ensemble.yaml" });
    expect(parsed.problems.filter((p) => p.severity === "error")).toEqual([]);
    const model = parsed.model!;
    const one = scenariosReport(model, { ensemble: true });
    const pool = createPool(2);
    try {
      const two = await scenariosReportAsync(model, { ensemble: true, workers: 2 }, { pool });
      // `visited` counts nodes, which depend on the split (docs/scale-out.md "Same bytes")
      const content = (r: unknown) =>
        JSON.stringify(r, (k, v) => (k === "elapsedMs" || k === "visited" ? undefined : v));
      expect(content(two)).toBe(content(one));
      expect(two.ensemble?.members).toEqual(["a", "b", "c"]);
    } finally {
      await pool.close();
    }
  }, 120_000);
});
