import { describe, expect, it } from "vitest";
import type { IssueActor } from "../../src/bargain/types.js";
import { forecasters, monteCarlo, sensitivity } from "../../src/bargain/uncertainty.js";
import { getCase } from "./helpers.js";

const actors: IssueActor[] = [
  { name: "A", clout: 1, position: 20, salience: 0.5 },
  { name: "B", clout: 2, position: 60, salience: 0.5 },
  { name: "C", clout: 1, position: 90, salience: 1 },
];

describe("Monte Carlo", () => {
  it("exact check: compromise model with only A's position uniform on [10, 30]", () => {
    // x = (0.5·X + 60 + 90) / 2.5 with X ~ U(10, 30): mean (0.5·20 + 150)/2.5 = 64, sd = 0.2·20/√12
    const r = monteCarlo(actors, forecasters.compromise(), {
      draws: 4000,
      seed: 7,
      ranges: [{ position: [10, 30] }],
    });
    expect(r.point).toBeCloseTo(64, 10);
    expect(Math.abs(r.mean - 64)).toBeLessThan(0.05);
    expect(Math.abs(r.sd - (0.2 * 20) / Math.sqrt(12))).toBeLessThan(0.05);
    // the 90% interval of 64 + 0.2(X − 20) is [62.2, 65.8]
    expect(Math.abs(r.interval[0] - 62.2)).toBeLessThan(0.1);
    expect(Math.abs(r.interval[1] - 65.8)).toBeLessThan(0.1);
    expect(r.histogram.reduce((s, b) => s + b.count, 0)).toBe(4000);
  });
  it("is reproducible from the seed and changes with it", () => {
    const o = { draws: 50, seed: 3, positionSpread: 5, salienceSpread: 0.1, cloutSpread: 0.2 };
    const a = monteCarlo(actors, forecasters.weightedMedian(), { ...o, keepSamples: true });
    const b = monteCarlo(actors, forecasters.weightedMedian(), { ...o, keepSamples: true });
    expect(a).toEqual(b);
    const c = monteCarlo(actors, forecasters.weightedMedian(), { ...o, seed: 4, keepSamples: true });
    expect(c.samples).not.toEqual(a.samples);
  });
  it("runs the dynamic models (Scholz EUM on the EC data, KTAB on a small issue)", () => {
    const ec = getCase("X-EC").actors.map((a: { name: string; cap: number; pos: number; sal: number }) => ({
      name: a.name,
      clout: a.cap,
      position: a.pos,
      salience: a.sal / 100,
    }));
    const r = monteCarlo(ec, forecasters.scholz({ rounds: 10 }), {
      draws: 40,
      seed: 1,
      salienceSpread: 0.05,
    });
    expect(r.sd).toBeGreaterThan(0);
    expect(r.interval[0]).toBeLessThanOrEqual(r.interval[1]);
    const k = monteCarlo(actors, forecasters.ktab(), {
      draws: 5,
      seed: 1,
      positionSpread: 5,
      scale: [0, 100],
    });
    expect(k.quantiles.p50).toBeGreaterThan(20);
    expect(k.quantiles.p50).toBeLessThan(90);
  });
});

describe("sensitivity", () => {
  it("compromise model: swings equal the analytic partial effects", () => {
    const r = sensitivity(actors, forecasters.compromise(), { positionSpread: 10 });
    // ∂x/∂x_i = w_i / Σw; w = (0.5, 1, 1), Σ = 2.5 → swings over a 20-point range: 4, 8, 8
    const sw = Object.fromEntries(r.entries.map((e) => [`${e.actor}.${e.input}`, e.swing]));
    expect(sw["A.position"]).toBeCloseTo(4, 10);
    expect(sw["B.position"]).toBeCloseTo(8, 10);
    expect(sw["C.position"]).toBeCloseTo(8, 10);
    expect(r.entries[r.entries.length - 1].actor).toBe("A");
  });
  it("rejects an empty range", () => {
    expect(() => sensitivity(actors, forecasters.compromise(), { ranges: [{ position: [5, 1] }] })).toThrow(
      /empty/,
    );
  });
});
