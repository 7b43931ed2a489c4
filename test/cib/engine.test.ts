// Hand-worked score formulas, succession rules, explanations, sensitivity, ensembles,
// interventions, cancellation and spaces beyond 2^53.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scoreScenario, spaceSizeOf } from "../../src/cib/core.js";
import { ensembleAnalysis } from "../../src/cib/ensemble.js";
import { explainScenario } from "../../src/cib/explain.js";
import { interventionAnalysis } from "../../src/cib/intervention.js";
import { findKernel } from "../../src/cib/kernel.js";
import { randomModel } from "../../src/cib/random.js";
import { judgmentSensitivity } from "../../src/cib/sensitivity.js";
import { traceSuccession } from "../../src/cib/succession.js";
import { type CompiledModel, compileMatrix } from "../../src/model/compiled.js";
import { bruteForce, key, sortedKeys } from "./helpers.js";

// A = (a1, a2), B = (b1, b2); rows = source state, columns = target state
const tiny = () =>
  compileMatrix(
    [
      { name: "A", variants: ["a1", "a2"] },
      { name: "B", variants: ["b1", "b2"] },
    ],
    [
      [0, 0, 2, -1],
      [0, 0, -1, 1],
      [3, -3, 0, 0],
      [-2, 1, 0, 0],
    ],
  );

describe("score formulas, worked by hand", () => {
  it("θ, IC_j, IC, CV, TIS of every scenario of a 2×2 model", () => {
    const m = tiny();
    // (a1,b1): θ_A = row b1 = [3,−3], θ_B = row a1 = [2,−1]
    expect(scoreScenario(m, [0, 0])).toEqual({
      states: [0, 0],
      balance: [
        [3, -3],
        [2, -1],
      ],
      factorInconsistency: [0, 0],
      inconsistency: 0,
      consistent: true,
      cv: 3,
      tis: 5,
    });
    // (a2,b1): θ_A = [3,−3] (a2: −3, IC 6), θ_B = row a2 = [−1,1] (b1: −1, IC 2)
    const s = scoreScenario(m, [1, 0]);
    expect(s.factorInconsistency).toEqual([6, 2]);
    expect([s.inconsistency, s.cv, s.tis, s.consistent]).toEqual([6, -6, -4, false]);
    // (a2,b2): θ_A = row b2 = [−2,1], θ_B = [−1,1]: consistent, CV min(3,2) = 2, TIS 2
    expect(scoreScenario(m, [1, 1])).toMatchObject({ inconsistency: 0, cv: 2, tis: 2 });
    // (a1,b2): θ_A = [−2,1] (IC 3), θ_B = [2,−1] (IC 3)
    expect(scoreScenario(m, [0, 1])).toMatchObject({ inconsistency: 3, cv: -3, tis: -3 });
    const k = findKernel(m);
    expect(k.scenarios).toEqual([
      { states: [0, 0], inconsistency: 0, tis: 5, cv: 3 },
      { states: [1, 1], inconsistency: 0, tis: 2, cv: 2 },
    ]);
    expect(k.count).toBe("2");
    expect(k.spaceSize).toBe("4");
  });
  it("tolerance groups by inconsistency", () => {
    const k = findKernel(tiny(), { tolerance: 3 });
    expect(k.groups).toEqual([
      { inconsistency: 0, count: "2" },
      { inconsistency: 3, count: "1" },
    ]);
    expect(k.scenarios.map((s) => s.states)).toEqual([
      [0, 0],
      [1, 1],
      [0, 1],
    ]);
  });
  it("self-impacts are summed by default and zeroed with ignoreSelfImpacts", () => {
    const rows = [
      [0, 4, 2, -1], // a1 → a2 = 4 (self-impact)
      [0, 0, -1, 1],
      [3, -3, 0, 0],
      [-2, 1, 0, 0],
    ];
    const m = compileMatrix(
      [
        { name: "A", variants: ["a1", "a2"] },
        { name: "B", variants: ["b1", "b2"] },
      ],
      rows,
    );
    expect(m.hasSelfImpacts).toBe(true);
    // (a1,b1): θ_A = row a1[A] + row b1[A] = [0,4] + [3,−3] = [3,1]
    expect(scoreScenario(m, [0, 0]).balance[0]).toEqual([3, 1]);
    expect(scoreScenario(m, [0, 0]).tis).toBe(5);
    expect(scoreScenario(m, [0, 0], { ignoreSelfImpacts: true }).balance[0]).toEqual([3, -3]);
    // (a1,b2): θ_A = [0,4] + [−2,1] = [−2,5]
    expect(scoreScenario(m, [0, 1]).factorInconsistency[0]).toBe(7);
  });
  it("rejects bad scenarios with a clear message", () => {
    expect(() => scoreScenario(tiny(), [0])).toThrow(/expected 2/);
    expect(() => scoreScenario(tiny(), [0, 2])).toThrow(/factor 1: state 2/);
  });
});

describe("succession rules, by hand", () => {
  it("global: (a1,b2) → (a2,b1) → (a1,b2): a cycle of period 2", () => {
    const p = traceSuccession(tiny(), [0, 1]);
    expect(p.outcome).toBe("cycle");
    expect(p.cycle).toEqual({
      scenarios: [
        [0, 1],
        [1, 0],
      ],
      period: 2,
    });
  });
  it("local: the first of the factors with the largest IC moves: (a1,b2) → (a2,b2)", () => {
    const p = traceSuccession(tiny(), [0, 1], { rule: "local" });
    expect(p.path).toEqual([
      [0, 1],
      [1, 1],
    ]);
    expect(p.fixedPoint).toEqual([1, 1]);
  });
  it("sequential: A moves to a2, then B is re-scored and stays: one sweep to (a2,b2)", () => {
    const p = traceSuccession(tiny(), [0, 1], { rule: "sequential" });
    expect(p.path).toEqual([
      [0, 1],
      [1, 1],
    ]);
    expect(p.steps).toBe(1);
    // B first: θ_B = row a1 = [2,−1] → b1, then A: θ_A = row b1 → a1
    const q = traceSuccession(tiny(), [0, 1], { rule: "sequential", sequentialOrder: [1, 0] });
    expect(q.fixedPoint).toEqual([0, 0]);
  });
  it("global tie rule: keep the current state if it ties for the max, else the lowest index", () => {
    // one factor X (3 states) driven by Y (1 state) with θ_X = [1, 2, 2]
    const m = compileMatrix(
      [
        { name: "X", variants: ["x1", "x2", "x3"] },
        { name: "Y", variants: ["y"] },
      ],
      [
        [0, 0, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 0, 0],
        [1, 2, 2, 0],
      ],
    );
    expect(traceSuccession(m, [2, 0]).outcome).toBe("fixed-point");
    expect(traceSuccession(m, [2, 0]).steps).toBe(0);
    expect(traceSuccession(m, [0, 0]).fixedPoint).toEqual([1, 0]);
  });
});

const arbSmall = fc
  .tuple(
    fc.array(fc.integer({ min: 2, max: 3 }), { minLength: 2, maxLength: 4 }),
    fc.integer({ min: 1, max: 1e6 }),
  )
  .map(([counts, seed]) => randomModel(counts, seed));

function withCell(model: CompiledModel, cell: number, to: number): CompiledModel {
  const matrix = Int32Array.from(model.matrix);
  matrix[cell] = to;
  return { ...model, matrix };
}

describe("explanations", () => {
  it("worked example: margins, brink, contributions and the minimal flip", () => {
    const e = explainScenario(tiny(), [0, 0]);
    expect(e.factors.map((f) => f.margin)).toEqual([6, 3]);
    expect(e.brink).toEqual([1]);
    expect(e.factors[0].for).toEqual([
      { sourceFactor: 1, sourceState: 0, value: 3, rivalValue: -3, net: 6, impacts: [] },
    ]);
    expect(e.flips[0]).toMatchObject({
      targetFactor: 1,
      delta: expect.any(Number),
      effect: "makes-inconsistent",
    });
    expect(Math.abs(e.flips[0].delta)).toBe(4);
  });
  it("every listed flip flips, and no smaller single change exists (brute force over cells)", () => {
    fc.assert(
      fc.property(arbSmall, fc.array(fc.nat(), { minLength: 4, maxLength: 4 }), (model, st) => {
        const z = Array.from(model.counts, (c, i) => st[i] % c);
        const e = explainScenario(model, z, { maxFlips: 10_000 });
        const was = e.consistent;
        for (const f of e.flips) {
          const m2 = withCell(model, f.source * model.size + f.target, f.to);
          expect(scoreScenario(m2, z).consistent).toBe(!was);
        }
        // smallest change by brute force over all cells between two factors (a factor's impact
        // on itself is never proposed) and deltas within the scale
        let best = Number.POSITIVE_INFINITY;
        for (let cell = 0; cell < model.matrix.length; cell++)
          for (let to = model.scale.min; to <= model.scale.max; to++) {
            const [r, c] = [Math.floor(cell / model.size), cell % model.size];
            if (model.factorOf[r] === model.factorOf[c]) continue;
            if (to === model.matrix[cell]) continue;
            const d = Math.abs(to - model.matrix[cell]);
            if (d >= best) continue;
            if (scoreScenario(withCell(model, cell, to), z).consistent !== was) best = d;
          }
        if (best === Number.POSITIVE_INFINITY) expect(e.flips).toEqual([]);
        else expect(Math.abs(e.flips[0].delta)).toBe(best);
      }),
      { numRuns: 60, seed: 21 },
    );
  });
});

describe("judgment sensitivity", () => {
  it("candidate re-scoring equals a full re-run per change (and the re-run equals brute force)", () => {
    fc.assert(
      fc.property(arbSmall, fc.boolean(), (model, groups) => {
        const a = judgmentSensitivity(model, { includeActiveGroups: groups });
        const b = judgmentSensitivity(model, { includeActiveGroups: groups, method: "rerun" });
        expect(a.changes).toEqual(b.changes);
        expect(a.fragility).toEqual(b.fragility);
        expect(a.changesTested + a.changesClipped).toBe(2 * a.cellsTested);
        for (const ch of a.changes.slice(0, 3)) {
          const m2 = withCell(model, ch.source * model.size + ch.target, ch.to);
          const bf = bruteForce(Array.from(model.counts), m2.matrix);
          const before = new Set(a.kernel.map(key));
          const after = new Set(bf.map((s) => key(s.states)));
          expect(ch.appear.map(key).sort()).toEqual([...after].filter((x) => !before.has(x)).sort());
          expect(ch.vanish.map(key).sort()).toEqual([...before].filter((x) => !after.has(x)).sort());
        }
      }),
      { numRuns: 40, seed: 22 },
    );
  });
  it("step 2 and ignoreSelfImpacts agree with re-runs", () => {
    const model = randomModel([3, 3, 2, 3, 2], 5, { selfImpacts: true });
    for (const ignoreSelfImpacts of [false, true]) {
      const a = judgmentSensitivity(model, { step: 2, ignoreSelfImpacts });
      const b = judgmentSensitivity(model, { step: 2, ignoreSelfImpacts, method: "rerun" });
      expect(a.changes).toEqual(b.changes);
    }
  });
});

describe("ensembles and interventions", () => {
  it("summed kernel, per-member kernels and shares match independent computations", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 2, max: 4 }), (seed, k) => {
        const counts = [3, 2, 3, 2];
        const base = randomModel(counts, seed);
        const members = Array.from({ length: k }, (_, i) => ({
          id: `m${i}`,
          matrix: randomModel(counts, seed + 17 * (i + 1)).matrix,
        }));
        const r = ensembleAnalysis(base, { members, quorum: 2 });
        const sum = new Int32Array(base.matrix.length);
        for (const mm of members) for (let c = 0; c < sum.length; c++) sum[c] += mm.matrix[c];
        expect(sortedKeys(r.summed.scenarios)).toEqual(sortedKeys(bruteForce(counts, sum)));
        const counted = new Map<string, number>();
        for (const mm of members)
          for (const s of bruteForce(counts, mm.matrix))
            counted.set(key(s.states), (counted.get(key(s.states)) ?? 0) + 1);
        for (const s of r.scenarios) {
          expect(s.memberCount).toBe(counted.get(key(s.states)) ?? 0);
          expect(s.share).toBeCloseTo(s.memberCount / k);
          expect(s.meetsQuorum).toBe(s.memberCount >= 2);
        }
        expect(r.scenarios.filter((s) => s.memberCount > 0).length).toBe(counted.size);
        // mean and sum give the same kernel: sum ×k vs sum
        const k2 = findKernel(base, { matrix: sum.map((v) => v * k) });
        expect(sortedKeys(k2.scenarios)).toEqual(sortedKeys(r.summed.scenarios));
      }),
      { numRuns: 30, seed: 23 },
    );
  });
  it("intervention: appear / vanish / persist partition the two kernels", () => {
    const model = randomModel([3, 3, 3, 3, 3, 3], 99);
    const r = interventionAnalysis(model, [{ factor: 2, state: 1 }]);
    const base = new Set(sortedKeys(r.baseline.scenarios));
    const iv = new Set(sortedKeys(r.intervened.scenarios));
    expect(sortedKeys(r.appear)).toEqual([...iv].filter((x) => !base.has(x)).sort());
    expect(sortedKeys(r.vanish)).toEqual([...base].filter((x) => !iv.has(x)).sort());
    expect(sortedKeys(r.persist)).toEqual([...iv].filter((x) => base.has(x)).sort());
    const bf = bruteForce([3, 3, 3, 3, 3, 3], model.matrix, {
      exempt: [false, false, true, false, false, false],
      allowed: (f, s) => f !== 2 || s === 1,
    });
    expect(sortedKeys(r.intervened.scenarios)).toEqual(sortedKeys(bf));
    expect(r.intervened.scenarios.every((s) => s.states[2] === 1)).toBe(true);
    expect(() => interventionAnalysis(model, [])).toThrow();
  });
});

describe("long searches", () => {
  it("stops on shouldStop / AbortSignal with complete: false and reports progress", () => {
    const model = randomModel(new Array(18).fill(3), 7);
    let calls = 0;
    const r = findKernel(model, { onProgress: () => calls++, shouldStop: () => calls >= 2 });
    expect(r.complete).toBe(false);
    expect(calls).toBeGreaterThanOrEqual(2);
    const ac = new AbortController();
    ac.abort();
    expect(findKernel(model, { signal: ac.signal }).complete).toBe(false);
    expect(findKernel(randomModel([3, 3], 1), { signal: ac.signal }).complete).toBe(true); // too small to poll
  });
  it("handles spaces far beyond 2^53 (decomposed 4^40 space): exact BigInt counts", () => {
    // 20 independent pairs of 4-state factors
    const counts = new Array(40).fill(4);
    const pair = randomModel([4, 4], 3);
    const m = 160;
    const rows = Array.from({ length: m }, () => new Array(m).fill(0));
    for (let p = 0; p < 20; p++)
      for (let r = 0; r < 8; r++)
        for (let c = 0; c < 8; c++) rows[p * 8 + r][p * 8 + c] = pair.matrix[r * 8 + c];
    const model = compileMatrix(
      counts.map((c, i) => ({ name: `F${i}`, variants: Array.from({ length: c }, (_, k) => `s${k}`) })),
      rows,
    );
    const one = bruteForce([4, 4], pair.matrix).length;
    const r = findKernel(model, { maxScenarios: 10 });
    expect(r.spaceSize).toBe((4n ** 40n).toString());
    expect(spaceSizeOf(model.counts)).toBe(4n ** 40n);
    expect(r.components.length).toBe(20);
    expect(r.count).toBe((BigInt(one) ** 20n).toString());
    expect(r.truncated).toBe(one > 1);
    expect(r.complete).toBe(true);
  });
});
