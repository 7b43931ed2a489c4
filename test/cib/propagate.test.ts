// bound: "propagate" (forward checking, dom/wdeg order; with and without the surrogate bound)
// returns exactly what brute force and bound: "basic" return: tolerance, self-impacts, filters,
// interventions, orders, decomposition; fewer nodes than "basic"; cancellation and progress
// keep working.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findKernel } from "../../src/cib/kernel.js";
import { randomModel } from "../../src/cib/random.js";
import { arbitraryModel, bruteForce, build } from "./helpers.js";

const arbModel = arbitraryModel(6, 401);

const tuples = (xs: { states: number[]; inconsistency?: number; ic?: number; tis: number; cv: number }[]) =>
  xs.map((s) => `${s.states.join(",")}|${s.inconsistency ?? s.ic}|${s.tis}|${s.cv}`).sort();

describe('bound: "propagate" equals brute force and the basic bound', () => {
  it("tolerance, self-impacts, every order, with and without decomposition", () => {
    fc.assert(
      fc.property(arbModel, fc.integer({ min: 0, max: 3 }), fc.boolean(), (mdl, T, ignoreSelf) => {
        const model = build(mdl.counts, mdl.rows);
        const eff = ignoreSelf
          ? mdl.rows.map((row, r) => row.map((v, c) => (model.factorOf[r] === model.factorOf[c] ? 0 : v)))
          : mdl.rows;
        const bf = tuples(bruteForce(mdl.counts, eff.flat(), { tolerance: T }));
        for (const order of ["auto", "natural"] as const)
          for (const decompose of [true, false]) {
            const opts = { tolerance: T, order, decompose, ignoreSelfImpacts: ignoreSelf };
            const r = findKernel(model, { ...opts, bound: "propagate" });
            expect(tuples(r.scenarios)).toEqual(bf);
            const s = findKernel(model, { ...opts, bound: "propagate", surrogate: true });
            expect(s.scenarios).toEqual(r.scenarios);
            const b = findKernel(model, { ...opts, bound: "basic" });
            expect(r.scenarios).toEqual(b.scenarios);
            expect(r.groups).toEqual(b.groups);
            expect(r.count).toBe(b.count);
            expect(r.complete).toBe(true);
          }
      }),
      { numRuns: 200, seed: 21 },
    );
  });
  it("filters (require/forbid) and interventions (fix)", () => {
    fc.assert(
      fc.property(arbModel, fc.integer({ min: 0, max: 2 }), fc.nat(), fc.nat(), (mdl, T, a, b) => {
        const model = build(mdl.counts, mdl.rows);
        const n = mdl.counts.length;
        const fi = a % n;
        const fs = b % mdl.counts[fi];
        const gi = (a + 1) % n;
        const gs = (b + 1) % mdl.counts[gi];
        const forbid = gi !== fi ? [{ factor: gi, states: [gs] }] : [];
        const r = findKernel(model, {
          tolerance: T,
          require: [{ factor: fi, states: [fs] }],
          forbid,
          bound: "propagate",
        });
        const bf = bruteForce(mdl.counts, mdl.rows.flat(), {
          tolerance: T,
          allowed: (f, s) => !(f === fi && s !== fs) && !(gi !== fi && f === gi && s === gs),
        });
        expect(tuples(r.scenarios)).toEqual(tuples(bf));
        // forbidding a state keeps it as a rival: forbid gi's state only
        const r2 = findKernel(model, { tolerance: T, forbid, bound: "propagate" });
        const bf2 = bruteForce(mdl.counts, mdl.rows.flat(), {
          tolerance: T,
          allowed: (f, s) => !(gi !== fi && f === gi && s === gs),
        });
        expect(tuples(r2.scenarios)).toEqual(tuples(bf2));
        const iv = findKernel(model, { tolerance: T, fix: [{ factor: fi, state: fs }], bound: "propagate" });
        const bfi = bruteForce(mdl.counts, mdl.rows.flat(), {
          tolerance: T,
          exempt: mdl.counts.map((_, f) => f === fi),
          allowed: (f, s) => f !== fi || s === fs,
        });
        expect(tuples(iv.scenarios)).toEqual(tuples(bfi));
      }),
      { numRuns: 200, seed: 22 },
    );
  });
  it("random 6–9-factor spaces (up to 100k scenarios), tolerance 0–2, with self-impacts", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 2, max: 4 }), { minLength: 6, maxLength: 9 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 2 }),
        fc.boolean(),
        (counts, seed, T, self) => {
          if (counts.reduce((x, y) => x * y, 1) > 100_000) return;
          const model = randomModel(counts, seed, { selfImpacts: self });
          const bf = bruteForce(counts, model.matrix, { tolerance: T });
          expect(tuples(findKernel(model, { tolerance: T, bound: "propagate" }).scenarios)).toEqual(
            tuples(bf),
          );
        },
      ),
      { numRuns: 25, seed: 23 },
    );
  });
  it("larger random models: same kernel as the basic bound, fewer nodes", () => {
    for (const [counts, seed] of [
      [new Array(12).fill(3), 1],
      [new Array(24).fill(2), 3],
      [[4, 4, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2], 5],
    ] as [number[], number][]) {
      const model = randomModel(counts, seed);
      for (const T of [0, 1]) {
        const b = findKernel(model, { tolerance: T, bound: "basic" });
        const p = findKernel(model, { tolerance: T, bound: "propagate" });
        expect(p.scenarios).toEqual(b.scenarios);
        expect(p.groups).toEqual(b.groups);
        expect(p.nodes).toBeLessThan(b.nodes);
        const s = findKernel(model, { tolerance: T, bound: "propagate", surrogate: true });
        expect(s.scenarios).toEqual(b.scenarios);
        expect(s.nodes).toBeLessThanOrEqual(p.nodes);
      }
    }
  });
});

describe('bound: "propagate" control', () => {
  it("stops on request and reports progress; rejects an unknown bound", () => {
    const model = randomModel(new Array(22).fill(3), 7);
    let polls = 0;
    const r = findKernel(model, {
      bound: "propagate",
      shouldStop: () => ++polls > 2,
      onProgress: () => {},
    });
    expect(r.complete).toBe(false);
    const ac = new AbortController();
    ac.abort();
    let progress = 0;
    const s = findKernel(randomModel(new Array(22).fill(3), 7), {
      bound: "propagate",
      signal: ac.signal,
      onProgress: () => {
        progress++;
      },
    });
    expect(s.complete).toBe(false);
    expect(progress).toBeGreaterThan(0);
    // @ts-expect-error: invalid on purpose
    expect(() => findKernel(model, { bound: "fast" })).toThrow(/bound/);
  });
});
