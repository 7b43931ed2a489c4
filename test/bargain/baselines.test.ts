import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compromiseModel, nashBargaining, weightedMedian } from "../../src/bargain/baselines.js";
import type { IssueActor } from "../../src/bargain/types.js";
import { loadCases } from "./helpers.js";

const A = (position: number, clout: number, salience: number, name = "a"): IssueActor => ({
  name,
  position,
  clout,
  salience,
});

/** Independent Condorcet check: does x beat-or-tie every other actor position in weighted votes? */
function isCondorcet(actors: IssueActor[], x: number): boolean {
  return actors.every((b) => {
    let forX = 0;
    let forB = 0;
    for (const k of actors) {
      const w = k.clout * k.salience;
      const dx = Math.abs(k.position - x);
      const db = Math.abs(k.position - b.position);
      if (dx < db) forX += w;
      else if (db < dx) forB += w;
    }
    return forX >= forB - 1e-9;
  });
}

const actorArb = fc.record({
  name: fc.constant("x"),
  position: fc.integer({ min: 0, max: 100 }),
  clout: fc.double({ min: 0.01, max: 10, noNaN: true }),
  salience: fc.double({ min: 0.01, max: 1, noNaN: true }),
});

describe("compromise model", () => {
  it("hand-worked example", () => {
    // (2·0.5·10 + 1·1·40) / (2·0.5 + 1·1) = (10 + 40) / 2 = 25
    expect(compromiseModel([A(10, 2, 0.5), A(40, 1, 1)]).position).toBeCloseTo(25, 12);
    expect(compromiseModel([A(10, 2, 0.5), A(40, 1, 1)], { weightRule: "equal" }).position).toBeCloseTo(
      25,
      12,
    );
    expect(compromiseModel([A(10, 3, 1), A(40, 1, 1)], { weightRule: "clout" }).position).toBeCloseTo(
      17.5,
      12,
    );
  });
  it("falls back to equal weights when every weight is zero", () => {
    const r = compromiseModel([A(10, 1, 0), A(30, 1, 0)]);
    expect(r.position).toBe(20);
    expect(r.equalWeightFallback).toBe(true);
  });
  it("matches the compromise means stated in cases.json", () => {
    for (const c of loadCases().filter((k) => k.expected?.compromise_cap_x_sal_mean !== undefined)) {
      const actors = c.actors.map((a: { name: string; cap: number; pos: number; sal: number }) =>
        A(a.pos, a.cap, a.sal / 100, a.name),
      );
      expect(compromiseModel(actors).position, c.id).toBeCloseTo(c.expected.compromise_cap_x_sal_mean, 1);
    }
  });
});

describe("weighted median", () => {
  it("hand-worked example with an exact split", () => {
    const actors = [A(0, 1, 1), A(50, 1, 1), A(60, 1, 1), A(100, 1, 1)];
    expect(weightedMedian(actors).interval).toEqual([50, 60]);
    expect(weightedMedian(actors, { tie: "midpoint" }).position).toBe(55);
    expect(weightedMedian(actors, { tie: "upper" }).position).toBe(60);
    expect(weightedMedian([A(0, 3, 1), A(50, 1, 1), A(100, 1, 1)]).position).toBe(0);
  });
  it("is a Condorcet winner among actor positions (brute force, random cases)", () => {
    fc.assert(
      fc.property(fc.array(actorArb, { minLength: 1, maxLength: 9 }), (actors) => {
        const m = weightedMedian(actors);
        expect(isCondorcet(actors, m.position)).toBe(true);
        expect(isCondorcet(actors, m.interval[1])).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe("Nash bargaining solution", () => {
  const grid = (actors: IssueActor[], d: number, k: number): number => {
    let best = d;
    let bestV = Number.NEGATIVE_INFINITY;
    for (let x = -50; x <= 150; x += 0.001) {
      let v = 0;
      let ok = true;
      for (const a of actors) {
        const g = Math.abs(d - a.position) ** k - Math.abs(x - a.position) ** k;
        if (g <= 0) {
          ok = false;
          break;
        }
        v += a.clout * a.salience * Math.log(g);
      }
      if (ok && v > bestV) {
        bestV = v;
        best = x;
      }
    }
    return best;
  };
  it("agrees with a numeric grid search (quadratic and linear utilities)", () => {
    const actors = [A(20, 1, 0.8), A(45, 2, 0.5), A(70, 1.5, 0.9), A(60, 0.5, 0.3)];
    for (const [utility, k] of [
      ["quadratic", 2],
      ["linear", 1],
    ] as const) {
      const r = nashBargaining(actors, { disagreement: 0, utility });
      expect(r.feasible).toBe(true);
      expect(Math.abs(r.position - grid(actors, 0, k))).toBeLessThan(2e-3);
    }
  });
  it("approaches the weighted mean when d is far away (quadratic)", () => {
    const actors = [A(20, 1, 0.8), A(45, 2, 0.5), A(70, 1.5, 0.9)];
    const r = nashBargaining(actors, { disagreement: -1e7 });
    expect(r.position).toBeCloseTo(compromiseModel(actors).position, 3);
  });
  it("returns d when some actor sits at the disagreement point", () => {
    const r = nashBargaining([A(0, 1, 1), A(50, 1, 1)], { disagreement: 0 });
    expect(r.feasible).toBe(false);
    expect(r.position).toBe(0);
  });
});
