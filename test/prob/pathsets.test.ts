// Paths grouped by their set of changes: an independent regrouping of every exact path.
import { describe, expect, it } from "vitest";
import { compileModel } from "../../src/model/compile.js";
import { loadModelFile } from "../../src/model/load-file.js";
import { simulate } from "../../src/prob/simulate.js";
import { parseCondition } from "../../src/prob/spec.js";
import { seedModelPath } from "../helpers/paths.js";

describe("path sets", () => {
  it("regroup every loop-erased path by its set of changes, conserving the counts", async () => {
    const cm = compileModel(loadModelFile(seedModelPath).model!);
    const cond = parseCondition(cm, "region=multi-front-war");
    const { result } = await simulate(cm, {
      steps: 12,
      runs: 20000,
      seed: 5,
      conditions: [cond],
      top: 1_000_000,
    });
    const c = result.conditions[0];
    const sum = (rows: { count: number }[]) => rows.reduce((s, r) => s + r.count, 0);
    expect(sum(c.paths)).toBe(c.reached);
    expect(sum(c.pathSets)).toBe(c.reached);
    // Independent regrouping of the exact paths.
    const groups = new Map<string, number>();
    for (const p of c.paths) {
      const key = [...new Set(p.changes.map((x) => `${x.factor}=${x.state}`))].sort().join(" ");
      groups.set(key, (groups.get(key) ?? 0) + p.count);
    }
    expect(c.pathSets).toHaveLength(groups.size);
    for (const s of c.pathSets) {
      const key = [...new Set(s.changes.map((x) => `${x.factor}=${x.state}`))].sort().join(" ");
      expect(s.count, key).toBe(groups.get(key));
    }
    // Sorted by count, most frequent first.
    for (let i = 1; i < c.pathSets.length; i++)
      expect(c.pathSets[i - 1].count).toBeGreaterThanOrEqual(c.pathSets[i].count);
  });
});
