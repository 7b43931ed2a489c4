// The flips of an explanation ("what would tip it") never propose a factor's impact on itself:
// a same-factor cell is not a judgment an analyst can change. Checked against a brute-force
// reconstruction of the list as it was before same-factor cells were excluded (every active
// cell's smallest change within the scale that flips the scenario), filtered.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scoreScenario } from "../../src/cib/core.js";
import { explainScenario, type FlipChange } from "../../src/cib/explain.js";
import { randomModel } from "../../src/cib/random.js";
import type { CompiledModel } from "../../src/model/compiled.js";

const arbModel = fc
  .tuple(
    fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 2, maxLength: 4 }),
    fc.integer({ min: 1, max: 1e6 }),
    fc.boolean(),
    fc.constantFrom(0.5, 1),
  )
  .map(([counts, seed, selfImpacts, density]) => randomModel(counts, seed, { selfImpacts, density }));

/**
 * The unfiltered list: for each cell in a row of the scenario (the states it has), the smallest
 * change within the scale that flips its consistency, sorted as the engine sorts.
 */
function allFlips(model: CompiledModel, z: number[]): Omit<FlipChange, "impacts">[] {
  const { size: m, offsets, counts } = model;
  const was = scoreScenario(model, z).consistent;
  const factorOf: number[] = [];
  counts.forEach((c, j) => {
    for (let k = 0; k < c; k++) factorOf.push(j);
  });
  const out: Omit<FlipChange, "impacts">[] = [];
  for (let i = 0; i < z.length; i++) {
    const r = offsets[i] + z[i];
    for (let c = 0; c < m; c++) {
      const from = model.matrix[r * m + c];
      let best: number | null = null;
      for (let to = model.scale.min; to <= model.scale.max; to++) {
        if (to === from || (best !== null && Math.abs(to - from) >= Math.abs(best - from))) continue;
        const matrix = Int32Array.from(model.matrix);
        matrix[r * m + c] = to;
        if (scoreScenario({ ...model, matrix }, z).consistent !== was) best = to;
      }
      if (best === null) continue;
      const j = factorOf[c];
      out.push({
        source: r,
        target: c,
        sourceFactor: i,
        sourceState: z[i],
        targetFactor: j,
        targetState: c - offsets[j],
        from,
        to: best,
        delta: best - from,
        effect: was ? "makes-inconsistent" : "makes-consistent",
      });
    }
  }
  // Several factors off their max: no single cell fixes them all (the engine lists none).
  if (!was && scoreScenario(model, z).factorInconsistency.filter((x) => x > 0).length > 1) return [];
  return out.sort(
    (x, y) =>
      Math.abs(x.delta) - Math.abs(y.delta) ||
      x.targetFactor - y.targetFactor ||
      x.source - y.source ||
      x.target - y.target,
  );
}

const strip = (fs: FlipChange[]) => fs.map(({ impacts: _, ...rest }) => rest);

describe("explanation flips", () => {
  it("no flip changes a factor's impact on itself; the others are the full list without them", () => {
    let sawSelf = 0;
    fc.assert(
      fc.property(arbModel, fc.array(fc.nat(), { minLength: 4, maxLength: 4 }), (model, st) => {
        const z = Array.from(model.counts, (c, i) => st[i] % c);
        const e = explainScenario(model, z, { maxFlips: 10_000 });
        for (const f of e.flips) expect(f.sourceFactor).not.toBe(f.targetFactor);
        const all = allFlips(model, z);
        if (all.some((f) => f.sourceFactor === f.targetFactor)) sawSelf++;
        expect(strip(e.flips)).toEqual(all.filter((f) => f.sourceFactor !== f.targetFactor));
        // the default cut keeps the first 20 of the same list
        expect(strip(explainScenario(model, z).flips)).toEqual(strip(e.flips).slice(0, 20));
        if (e.flips.length === 0) expect(e.flipNote).toBeTruthy();
      }),
      { numRuns: 150, seed: 31 },
    );
    // the property is not vacuous: same-factor flips were on offer and were left out
    expect(sawSelf).toBeGreaterThan(20);
  });
});
