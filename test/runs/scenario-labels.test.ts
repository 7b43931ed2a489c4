// The scenarios run labels its scenarios and, with `compare`, lists what a what-if changes.
// Checked on random models against two independent kernel searches (the model as it is, and
// the constrained one) diffed here by their states.

import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findKernel } from "../../src/cib/kernel.js";
import { compileModel } from "../../src/model/compile.js";
import { parseModelText } from "../../src/model/load.js";
import { loadModelFile } from "../../src/model/load-file.js";
import { type ScenarioRecord, scenariosReport } from "../../src/runs/scenarios.js";
import { seedModelPath } from "../helpers/paths.js";

/** A model with `counts[j]` states per factor and one block of random strengths per pair. */
function modelText(counts: number[], strengths: number[]): string {
  let k = 0;
  const factors = counts
    .map(
      (c, j) =>
        `  - id: f${j}\n    name: F${j}\n    states: [${Array.from({ length: c }, (_, s) => `{ id: s${s}, label: S${s} }`).join(", ")}]`,
    )
    .join("\n");
  const impacts: string[] = [];
  counts.forEach((ci, i) =>
    counts.forEach((cj, j) => {
      if (i === j) return;
      const rows = Array.from({ length: ci }, () =>
        Array.from({ length: cj }, () => strengths[k++ % strengths.length]),
      );
      impacts.push(`  - { from: f${i}, to: f${j}, matrix: ${JSON.stringify(rows)} }`);
    }),
  );
  return `id: rnd\ntitle: Random\nasOf: 2025-04-15\nactors: []\nfactors:\n${factors}\nimpacts:\n${impacts.join("\n")}\n`;
}

const key = (rec: Record<string, string>) => JSON.stringify(Object.entries(rec).sort());

const arb = fc.record({
  counts: fc.array(fc.integer({ min: 2, max: 3 }), { minLength: 3, maxLength: 5 }),
  strengths: fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 30, maxLength: 60 }),
  fixFactor: fc.integer({ min: 0, max: 4 }),
  tolerance: fc.integer({ min: 0, max: 1 }),
});

describe("scenario ids, names and changes", () => {
  it("ids follow the model as it is; changes = the two kernels diffed by states", () => {
    fc.assert(
      fc.property(arb, ({ counts, strengths, fixFactor, tolerance }) => {
        const { model } = parseModelText(modelText(counts, strengths));
        expect(model).toBeDefined();
        const cm = compileModel(model!);
        const f = fixFactor % counts.length;
        const fix = `f${f}=s0`;
        const r = scenariosReport(model!, { fix, maxInconsistency: tolerance, compare: true });
        // Independent searches: the model as it is, and the constrained kernel.
        const asItIs = findKernel(cm).scenarios.map((s) =>
          key(Object.fromEntries(s.states.map((k, j) => [`f${j}`, `s${k}`]))),
        );
        const here = findKernel(cm, { fix: [{ factor: f, state: 0 }], tolerance }).scenarios.map((s) =>
          key(Object.fromEntries(s.states.map((k, j) => [`f${j}`, `s${k}`]))),
        );
        expect(r.scenarios.map((s) => key(s.states))).toEqual(here);
        const byKey = new Map<string, ScenarioRecord>(
          [...r.scenarios, ...(r.changes?.vanish ?? [])].map((s) => [key(s.states), s]),
        );
        // S-ids: position in the model as it is; N-ids: the rest in order, numbered from 1.
        for (const [k, s] of byKey) {
          const i = asItIs.indexOf(k);
          if (i >= 0) expect(s.id).toBe(`S${i + 1}`);
          else expect(s.id).toMatch(/^N[1-9][0-9]*$/);
        }
        const newIds = r.scenarios.filter((s) => s.id.startsWith("N")).map((s) => s.id);
        expect(newIds).toEqual(newIds.map((_, i) => `N${i + 1}`));
        expect(r.changes!.count).toBe(String(asItIs.length));
        expect(new Set(r.changes!.appear)).toEqual(
          new Set(r.scenarios.filter((s) => !asItIs.includes(key(s.states))).map((s) => s.id)),
        );
        expect(new Set(r.changes!.persist)).toEqual(
          new Set(r.scenarios.filter((s) => asItIs.includes(key(s.states))).map((s) => s.id)),
        );
        expect(r.changes!.vanish.map((s) => key(s.states))).toEqual(asItIs.filter((k) => !here.includes(k)));
        // Names are unique among everything the report shows.
        const all = [...byKey.values()];
        if (all.length > 1) expect(new Set(all.map((s) => s.name)).size).toBe(all.length);
      }),
      { numRuns: 60 },
    );
  });

  it("a scenario keeps its id and name when a what-if adds or removes others", () => {
    const { model } = loadModelFile(seedModelPath);
    const base = scenariosReport(model!, {});
    const what = scenariosReport(model!, { maxInconsistency: 1, compare: true });
    for (const s of base.scenarios) {
      const same = what.scenarios.find((x) => key(x.states) === key(s.states))!;
      expect({ id: same.id, name: same.name }).toEqual({ id: s.id, name: s.name });
    }
    // The seed kernel's three scenarios differ in the talks: each is named by it.
    expect(base.scenarios.map((s) => s.name)).toEqual(["Talks: Fail", "Talks: Deal", "Talks: Drag"]);
    expect(what.changes!.vanish).toEqual([]);
    expect(what.changes!.appear.length).toBe(what.scenarios.length - base.scenarios.length);
  });
});

describe("scenario names set by the analyst", () => {
  it("a named pattern names every scenario that has its states; the most specific wins; the model keeps them", async () => {
    const { parseModelText } = await import("../../src/model/load.js");
    const { modelToYaml } = await import("../../src/model/serialize.js");
    const { model } = loadModelFile(seedModelPath);
    const base = scenariosReport(model!, {});
    const named = {
      ...model!,
      scenarios: [
        { name: "Breakthrough", states: [{ factor: "talks", state: "breakthrough" }] },
        { name: "Escalation", states: [{ factor: "region", state: "multi-front-war" }] },
        {
          name: "Breakdown and war",
          states: [
            { factor: "talks", state: "breakdown" },
            { factor: "region", state: "multi-front-war" },
          ],
        },
      ],
    };
    const r = scenariosReport(named, {});
    // independent: each scenario's name by hand from its states
    for (const s of r.scenarios) {
      const want =
        s.states.talks === "breakdown" && s.states.region === "multi-front-war"
          ? "Breakdown and war"
          : s.states.talks === "breakthrough"
            ? "Breakthrough"
            : s.states.region === "multi-front-war"
              ? "Escalation"
              : base.scenarios.find((b) => key(b.states) === key(s.states))!.name;
      expect(s.name).toBe(want);
      expect(Boolean(s.named)).toBe(
        want !== base.scenarios.find((b) => key(b.states) === key(s.states))!.name,
      );
    }
    expect(r.scenarios.map((s) => s.id)).toEqual(base.scenarios.map((s) => s.id));
    // written to the file and read back
    const again = parseModelText(modelToYaml(named));
    expect(again.model?.scenarios).toEqual(named.scenarios);
  });

  it("a named scenario with an unknown state or a factor twice is an error at its path", async () => {
    const { parseModelText } = await import("../../src/model/load.js");
    const text = readFileSync(seedModelPath, "utf8");
    const bad = parseModelText(
      `${text}\nscenarios:\n  - { name: X, states: [talks=nope] }\n  - { name: Y, states: [talks=breakdown, talks=protracted] }\n`,
    );
    expect(bad.problems.filter((p) => p.severity === "error").map((p) => p.path)).toEqual([
      "scenarios[0].states[0]",
      "scenarios[1].states[1]",
    ]);
  });
});
