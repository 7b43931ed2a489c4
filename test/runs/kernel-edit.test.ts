// The instant loop's kernel (src/runs/kernel-edit.ts): the same scenarios as the scenarios run,
// ids against the reference, and what an edit made appear and vanish, checked by hand-diffing
// the two kernels.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { setInModelText } from "../../src/model/edit.js";
import { parseModelText } from "../../src/model/load.js";
import { kernelEdit } from "../../src/runs/kernel-edit.js";
import { scenariosReport } from "../../src/runs/scenarios.js";
import { seedModelPath } from "../helpers/paths.js";

const seed = readFileSync(seedModelPath, "utf8");
const key = (r: Record<string, string>) => JSON.stringify(Object.entries(r).sort());

describe("kernelEdit", () => {
  it("an edit's kernel equals the scenarios run on the edited model; appear/vanish = the two kernels diffed", () => {
    const base = kernelEdit(seed, [], []);
    if (base.hash === null) throw new Error("seed does not parse");
    expect(base.scenarios.map((s) => s.id)).toEqual(["S1", "S2", "S3"]);
    const reference = base.scenarios.map((s) => s.states);
    // Every impact's strength set to each value of the scale, one at a time, for the first 12.
    const model = parseModelText(seed).model!;
    let changed = 0;
    for (let i = 0; i < 12; i++) {
      const imp = model.impacts[i];
      if (imp.kind !== "cell") continue;
      for (const v of [-3, 0, 3]) {
        const text = setInModelText(seed, ["impacts", i, "strength"], v);
        const r = kernelEdit(text, reference, base.scenarios);
        if (r.hash === null) throw new Error("edit does not parse");
        const independent = scenariosReport(parseModelText(text).model!, {});
        expect(r.scenarios.map((s) => key(s.states))).toEqual(
          independent.scenarios.map((s) => key(s.states)),
        );
        const before = new Set(base.scenarios.map((s) => key(s.states)));
        const after = new Set(r.scenarios.map((s) => key(s.states)));
        expect(r.appear).toEqual(r.scenarios.filter((s) => !before.has(key(s.states))).map((s) => s.id));
        expect(r.vanish.map((s) => key(s.states))).toEqual(
          base.scenarios.filter((s) => !after.has(key(s.states))).map((s) => key(s.states)),
        );
        // Persisting scenarios keep their ids; new ones are N….
        for (const s of r.scenarios)
          if (before.has(key(s.states)))
            expect(s.id).toBe(base.scenarios.find((b) => key(b.states) === key(s.states))!.id);
          else expect(s.id).toMatch(/^N\d+$/);
        // Each new scenario names the factors that differ from its nearest old one.
        for (const c of r.changedFrom) {
          const now = r.scenarios.find((s) => s.id === c.id)!;
          const from = base.scenarios.find((s) => s.id === c.from)!;
          expect(c.factors).toEqual(Object.keys(now.states).filter((f) => now.states[f] !== from.states[f]));
          const d = (a: Record<string, string>) =>
            Object.keys(a).filter((f) => a[f] !== now.states[f]).length;
          for (const b of base.scenarios) expect(d(b.states)).toBeGreaterThanOrEqual(c.factors.length);
        }
        if (r.appear.length || r.vanish.length) changed++;
      }
    }
    expect(changed).toBeGreaterThan(0);
  });

  it("a text that does not parse gives its problems, with the same messages as the validator", () => {
    const bad = seed.replace(/^title: .*$/m, "title: *nope");
    const r = kernelEdit(bad, [], []);
    expect(r.hash).toBeNull();
    expect(r.problems).toEqual(parseModelText(bad).problems);
    expect(r.problems.length).toBeGreaterThan(0);
  });
});
