// The structured benchmark models (bench/cib/structured.ts) and the exact search on them: the
// generator is seeded and looks like an elicited model (mostly empty, judged pairs at the asked
// density, islands with no impacts between them); both bounds equal brute-force enumeration
// set for set, TIS for TIS; and a kernel split into islands is counted exactly, as the product
// of the groups' sizes, without listing — checked against listing where listing is possible.
import { describe, expect, it } from "vitest";
import { describeStructured, structuredModel } from "../../bench/cib/structured.js";
import { enumerateKernel } from "../../src/cib/enumerate.js";
import { findKernel } from "../../src/cib/kernel.js";

const key = (r: { scenarios: { states: number[]; tis: number; inconsistency: number }[] }) =>
  r.scenarios.map((s) => `${s.states.join("")}:${s.tis}:${s.inconsistency}`).sort();

describe("structured benchmark models", () => {
  it("are reproducible from their seed and mostly empty, with judged pairs near the asked density", () => {
    const a = structuredModel({ n: 40, density: 0.3, storylines: 4, seed: 3 });
    const b = structuredModel({ n: 40, density: 0.3, storylines: 4, seed: 3 });
    const c = structuredModel({ n: 40, density: 0.3, storylines: 4, seed: 4 });
    expect(Array.from(a.model.matrix)).toEqual(Array.from(b.model.matrix));
    expect(Array.from(a.model.matrix)).not.toEqual(Array.from(c.model.matrix));
    const d = describeStructured(a);
    expect(d.emptyCells).toBeGreaterThan(0.5);
    expect(d.emptyCells).toBeLessThan(0.9);
    expect(d.judgedGroups).toBeGreaterThan(0.2);
    expect(d.judgedGroups).toBeLessThan(0.4);
    for (const n of a.model.counts) expect(n >= 2 && n <= 5).toBe(true);
  });

  it("islands have no impacts between them", () => {
    const s = structuredModel({ n: 30, states: 3, density: 0.5, storylines: 3, islands: 5, seed: 2 });
    const { offsets, size: m, matrix, nFactors: n } = s.model;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        if (s.island[i] === s.island[j]) continue;
        for (let r = offsets[i]; r < offsets[i + 1]; r++)
          for (let c = offsets[j]; c < offsets[j + 1]; c++) expect(matrix[r * m + c]).toBe(0);
      }
  });

  it("both bounds equal brute force on small structured models, with tolerance and islands", () => {
    for (let seed = 1; seed <= 6; seed++)
      for (const spec of [
        { n: 9, density: 0.4, storylines: 3 },
        { n: 12, states: 2, density: 0.3, storylines: 2, islands: 3 },
        { n: 8, states: 3, density: 0.5, storylines: 4, noise: 3, noiseRate: 0.3 },
      ]) {
        const { model } = structuredModel({ ...spec, seed });
        for (const tolerance of [0, 1]) {
          const brute = enumerateKernel(model, { tolerance });
          for (const bound of ["basic", "propagate"] as const) {
            const r = findKernel(model, { tolerance, bound });
            expect(r.count).toBe(brute.count);
            expect(key(r)).toEqual(key(brute));
            expect(r.groups).toEqual(brute.groups);
          }
        }
      }
  });

  it("a kernel split into islands is counted exactly without listing, and the count equals the listing", () => {
    for (let seed = 1; seed <= 4; seed++) {
      // small enough to list: 18 binary descriptors in 3 islands
      const small = structuredModel({ n: 18, states: 2, density: 0.4, storylines: 3, islands: 3, seed });
      const counted = findKernel(small.model, { maxScenarios: 0 });
      const listed = findKernel(small.model, { decompose: false });
      expect(counted.scenarios).toEqual([]);
      expect(counted.count).toBe(listed.count);
      expect(counted.count).toBe(String(listed.scenarios.length));
      expect(counted.components.length).toBeGreaterThanOrEqual(3);
      expect(enumerateKernel(small.model).count).toBe(counted.count);
    }
    // too big to list: 100 binary descriptors in 10 islands; the count is the product of the
    // groups' own counts, each found by a search of that group alone
    const big = structuredModel({ n: 100, states: 2, density: 0.3, storylines: 4, islands: 10, seed: 1 });
    const r = findKernel(big.model, { maxScenarios: 0 });
    expect(r.complete).toBe(true);
    let product = 1n;
    for (let g = 0; g < 10; g++) {
      const members = big.island.flatMap((isl, f) => (isl === g ? [f] : []));
      // the same model with every factor outside the group held at state 0 (a fix leaves the
      // group's own kernel unchanged, since no impact crosses islands)
      const fix = Array.from({ length: 100 }, (_, f) => f)
        .filter((f) => !members.includes(f))
        .map((f) => ({ factor: f, state: 0 }));
      const one = findKernel(big.model, { fix });
      product *= BigInt(one.count);
    }
    expect(r.count).toBe(product.toString());
    expect(BigInt(r.count)).toBeGreaterThan(10n ** 6n);
  }, 120_000);
});

describe("kernels too big to list: a page, a sample", () => {
  const keyOf = (s: { states: number[] }) => s.states.join(",");
  // models that split into groups, with many ties (descriptors with no judgments at all)
  const models = [1, 2, 3].flatMap((seed) => [
    structuredModel({ n: 14, states: 2, density: 0.3, storylines: 2, islands: 4, seed }).model,
    structuredModel({ n: 10, states: [2, 3], density: 0.25, storylines: 3, islands: 3, seed }).model,
  ]);

  it("a page is the same slice of the listing order as the full listing, at every tolerance", () => {
    for (const model of models)
      for (const tolerance of [0, 1]) {
        const all = findKernel(model, { tolerance });
        expect(all.listing.kind).toBe("all");
        const n = all.scenarios.length;
        expect(n).toBeGreaterThan(0);
        for (const [offset, limit] of [
          [0, 1],
          [0, 7],
          [3, 5],
          [Math.floor(n / 2), 9],
          [Math.max(0, n - 4), 10],
          [n + 2, 3],
        ]) {
          const page = findKernel(model, { tolerance, page: { offset, limit } });
          expect(page.listing).toEqual({ kind: "page", offset, limit });
          expect(page.count).toBe(all.count);
          expect(page.scenarios).toEqual(all.scenarios.slice(offset, offset + limit));
        }
      }
  });

  it("a sample holds distinct kernel scenarios, reproducible from its seed, each equally likely", () => {
    const model = models[0];
    const all = findKernel(model);
    const keys = new Set(all.scenarios.map(keyOf));
    const N = all.scenarios.length;
    const k = Math.min(5, N - 1);
    expect(N).toBeGreaterThan(k);
    const a = findKernel(model, { sample: { size: k, seed: 9 } });
    const b = findKernel(model, { sample: { size: k, seed: 9 } });
    expect(a.scenarios).toEqual(b.scenarios);
    expect(a.listing).toEqual({ kind: "sample", size: k, seed: 9 });
    // every scenario is included k/N of the time: a chi-square test over 3000 seeds
    const hits = new Map<string, number>();
    const draws = 3000;
    for (let seed = 1; seed <= draws; seed++) {
      const r = findKernel(model, { sample: { size: k, seed } });
      expect(new Set(r.scenarios.map(keyOf)).size).toBe(k);
      for (const s of r.scenarios) {
        expect(keys.has(keyOf(s))).toBe(true);
        hits.set(keyOf(s), (hits.get(keyOf(s)) ?? 0) + 1);
      }
    }
    const expected = (draws * k) / N;
    let chi2 = 0;
    for (const key of keys) chi2 += ((hits.get(key) ?? 0) - expected) ** 2 / expected;
    // N − 1 degrees of freedom; mean N − 1, sd √(2(N − 1)): 6 sd is far in the tail
    expect(chi2).toBeLessThan(N - 1 + 6 * Math.sqrt(2 * (N - 1)));
    // a sample larger than the kernel is the whole kernel, in the listing order
    expect(findKernel(model, { sample: { size: N + 5, seed: 1 } }).scenarios).toEqual(all.scenarios);
  }, 120_000);

  it("100 binary descriptors in 10 islands: a page and a sample without listing, in under a second", () => {
    const { model } = structuredModel({
      n: 100,
      states: 2,
      density: 0.3,
      storylines: 4,
      islands: 10,
      seed: 1,
    });
    const page = findKernel(model, { page: { offset: 1000, limit: 20 } });
    expect(page.counting).toBe("product");
    expect(page.scenarios.length).toBe(20);
    for (let i = 1; i < 20; i++)
      expect(page.scenarios[i - 1].tis).toBeGreaterThanOrEqual(page.scenarios[i].tis);
    // the page's first scenario follows the 1000 before it: the first 1020 in order end with the page
    const head = findKernel(model, { page: { offset: 0, limit: 1020 } });
    expect(head.scenarios.slice(1000)).toEqual(page.scenarios);
    const sample = findKernel(model, { sample: { size: 50, seed: 3 } });
    expect(sample.scenarios.length).toBe(50);
    expect(sample.elapsedMs).toBeLessThan(5000);
  }, 60_000);
});
