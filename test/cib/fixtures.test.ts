// Every case of /shared/fixtures/cib/cases.json reproduced exactly: kernels, TIS, CV, basins,
// and the self-impacts-zeroed variants. Heavy tests (22.7M-scenario basins) are marked.
import { describe, expect, it } from "vitest";
import { successionBasins } from "../../src/cib/basins.js";
import { spaceSizeOf } from "../../src/cib/core.js";
import { enumerateKernel } from "../../src/cib/enumerate.js";
import { findKernel } from "../../src/cib/kernel.js";
import { compileMatrix } from "../../src/model/compiled.js";
import { bruteForce, caseModel, key, loadCases, sortedKeys, zeroSelf } from "./helpers.js";

const cases = loadCases();

describe("cases.json kernels", () => {
  it("has the expected cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(8);
  });
  for (const c of cases) {
    it(`${c.id}: consistent set, TIS and CV`, () => {
      const model = caseModel(c);
      const exp = c.expected;
      expect(spaceSizeOf(model.counts).toString()).toBe(String(exp.space));
      const r = findKernel(model);
      expect(r.complete).toBe(true);
      expect(r.count).toBe(String(exp.consistent_count));
      expect(r.spaceSize).toBe(String(exp.space));
      const got = new Map(r.scenarios.map((s) => [key(s.states), s]));
      expect([...got.keys()].sort()).toEqual((exp.consistent as number[][]).map(key).sort());
      (exp.consistent as number[][]).forEach((z, i) => {
        const s = got.get(key(z))!;
        expect(s.tis).toBe(exp.tis[i]);
        expect(s.cv).toBe(exp.consistency_value[i]);
        expect(s.inconsistency).toBe(0);
      });
      // sort order: TIS descending
      for (let i = 1; i < r.scenarios.length; i++)
        expect(r.scenarios[i - 1].tis).toBeGreaterThanOrEqual(r.scenarios[i].tis);
      expect(model.hasSelfImpacts).toBe(exp.has_nonzero_self_impacts === true);
    });
    if (c.expected.kernel_if_self_impacts_zeroed) {
      it(`${c.id}: ignoreSelfImpacts gives kernel_if_self_impacts_zeroed`, () => {
        const model = caseModel(c);
        const r = findKernel(model, { ignoreSelfImpacts: true });
        expect(sortedKeys(r.scenarios)).toEqual(
          (c.expected.kernel_if_self_impacts_zeroed as number[][]).map(key).sort(),
        );
        // and equals the kernel of a matrix with the blocks zeroed by hand
        const counts = c.descriptors.map((d) => d.variants.length);
        const z = compileMatrix(c.descriptors, zeroSelf(c.matrix, counts));
        expect(sortedKeys(findKernel(z).scenarios)).toEqual(sortedKeys(r.scenarios));
      });
    }
  }
  it("small cases agree with an independent brute force, scores included", () => {
    for (const c of cases) {
      const model = caseModel(c);
      if (Number(spaceSizeOf(model.counts)) > 100_000) continue;
      const counts = Array.from(model.counts);
      const bf = bruteForce(counts, model.matrix, { tolerance: 2 });
      const r = findKernel(model, { tolerance: 2 });
      expect(r.scenarios.map((s) => [key(s.states), s.inconsistency, s.tis, s.cv]).sort()).toEqual(
        bf.map((s) => [key(s.states), s.ic, s.tis, s.cv]).sort(),
      );
      expect(sortedKeys(enumerateKernel(model, { tolerance: 2 }).scenarios)).toEqual(sortedKeys(bf));
    }
  });
});

describe("cases.json global succession basins", () => {
  it("cibsa_CIB_global: .sl v2 weights and derived cycle starts", () => {
    const c = cases.find((x) => x.id === "cibsa_CIB_global")!;
    const r = successionBasins(caseModel(c), { method: "exact" });
    expect(r.estimate).toBe(false);
    const w = Object.fromEntries(r.attractors.map((a) => [JSON.stringify(a.states), a.weight]));
    expect(w).toEqual(c.expected.sl_weights_v2_global_succession_basins);
    expect(r.cycleStarts).toBe(c.expected.derived.global_succession_cycle_starts);
    expect(r.attractors.reduce((s, a) => s + a.weight, 0) + r.cycleStarts).toBe(Number(r.spaceSize));
  });
  it("stochasticcib_example: derived basins, cycle starts, distinct cycles", () => {
    const c = cases.find((x) => x.id === "stochasticcib_example")!;
    const r = successionBasins(caseModel(c));
    const byKey = new Map(r.attractors.map((a) => [key(a.states), a.weight]));
    (c.expected.consistent as number[][]).forEach((z, i) =>
      expect(byKey.get(key(z))).toBe(c.expected.derived.global_succession_basin_sizes[i]),
    );
    expect(r.cycleStarts).toBe(c.expected.derived.global_succession_cycle_starts);
    expect(r.cycleCount).toBe(c.expected.derived.global_succession_distinct_cycles);
  });
  it("[heavy, ~10 s] cibsa_CIB_nested_simplified_standardized: exact basins over 22.7M scenarios", () => {
    const c = cases.find((x) => x.id === "cibsa_CIB_nested_simplified_standardized")!;
    const r = successionBasins(caseModel(c), { method: "exact" });
    expect(r.complete).toBe(true);
    const exp = c.expected.global_succession_basin_sizes_from_sl as Record<string, number>;
    const got = Object.fromEntries(
      r.attractors.map((a) => [JSON.stringify(a.states).replace(/,/g, ", "), a.weight]),
    );
    expect(got).toEqual(exp);
    expect(r.cycleStarts).toBe(c.expected.derived_global_succession_cycle_starts);
    expect(r.attractors.reduce((s, a) => s + a.weight, 0) + r.cycleStarts).toBe(22674816);
  }, 120_000);
});
