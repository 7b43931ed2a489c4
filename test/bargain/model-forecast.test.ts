// Model-level bargaining forecasts: the issue's own scale, the reversion point as NBS
// disagreement point, KTAB's 0–100 rescaling, seeded Monte Carlo, and the CLI.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { forecastIssue } from "../../src/bargain/model.js";
import type { BargainingIssue } from "../../src/model/types.js";
import { runCli } from "../helpers/cli.js";
import { fixturesDir, seedModelPath } from "../helpers/paths.js";

const issue: BargainingIssue = {
  id: "cap",
  name: "Cap",
  min: 0,
  max: 90,
  reversion: 60,
  positions: [
    { actor: "a", position: 0, salience: 0.9, clout: 1, evidence: [] },
    { actor: "b", position: 30, salience: 0.8, clout: 0.6, evidence: [] },
    { actor: "c", position: 45, salience: 0.5, clout: 0.5, evidence: [] },
  ],
};

describe("forecastIssue", () => {
  it("computes the baselines by hand", () => {
    const r = forecastIssue(issue, { methods: ["cm", "median", "nbs"] });
    const w = [0.9, 0.48, 0.25];
    const cm = (0 * w[0] + 30 * w[1] + 45 * w[2]) / (w[0] + w[1] + w[2]);
    expect(r.forecasts[0].position).toBeCloseTo(cm, 10);
    // Weighted median: a holds 0.9 of 1.63 > half, so 0 is the Condorcet winner.
    expect(r.forecasts[1].position).toBe(0);
    // NBS: maximise Σ w_i log((d−x_i)² − (x−x_i)²) on the bargaining set; grid search independently.
    let best = 0;
    let bestV = Number.NEGATIVE_INFINITY;
    for (let x = 0; x <= 60; x += 0.001) {
      let v = 0;
      for (let i = 0; i < 3; i++) {
        const p = issue.positions[i].position;
        const g = (60 - p) ** 2 - (x - p) ** 2;
        v += g > 0 ? w[i] * Math.log(g) : Number.NEGATIVE_INFINITY;
      }
      if (v > bestV) {
        bestV = v;
        best = x;
      }
    }
    expect(r.forecasts[2].position!).toBeCloseTo(best, 2);
  });

  it("runs KTAB on the rescaled issue: the forecast moves with the scale", () => {
    const a = forecastIssue(issue, { methods: ["smp"] }).forecasts[0].position!;
    const shifted: BargainingIssue = {
      ...issue,
      min: 100,
      max: 280,
      reversion: 220,
      positions: issue.positions.map((p) => ({ ...p, position: 100 + p.position * 2 })),
    };
    const b = forecastIssue(shifted, { methods: ["smp"] }).forecasts[0].position!;
    expect(b).toBeCloseTo(100 + a * 2, 6);
  });

  it("combines on the issue's own scale: the combined forecast moves with the scale", () => {
    const a = forecastIssue(issue).combined!;
    const shifted: BargainingIssue = {
      ...issue,
      min: 100,
      max: 280,
      reversion: 220,
      positions: issue.positions.map((p) => ({ ...p, position: 100 + p.position * 2 })),
    };
    const b = forecastIssue(shifted).combined!;
    expect(b.position).toBeCloseTo(100 + a.position * 2, 6);
    expect(b.interval[0]).toBeCloseTo(100 + a.interval[0] * 2, 6);
    expect(b.interval[1]).toBeCloseTo(100 + a.interval[1] * 2, 6);
    // The methods not asked for are computed for the combination all the same.
    expect(forecastIssue(issue, { methods: ["cm"] }).combined!.position).toBeCloseTo(a.position, 9);
  });

  it("warns that two actors lie outside the data the combination learned from", () => {
    const two: BargainingIssue = { ...issue, positions: issue.positions.slice(0, 2) };
    const c = forecastIssue(two).combined!;
    expect(c.extrapolation.warnings.join(" ")).toMatch(
      /^2 actors: the combination learned from issues with \d+–\d+ actors/,
    );
  });

  it("says why the NBS cannot run without a reversion point", () => {
    const r = forecastIssue({ ...issue, reversion: undefined }, { methods: ["nbs"] });
    expect(r.forecasts[0].position).toBeUndefined();
    expect(r.forecasts[0].note).toMatch(/reversion point/);
  });

  it("Monte Carlo is reproducible from the seed and changes with it", () => {
    const a = forecastIssue(issue, { methods: ["cm"], runs: 200, seed: 3 }).forecasts[0].uncertainty!;
    const b = forecastIssue(issue, { methods: ["cm"], runs: 200, seed: 3 }).forecasts[0].uncertainty!;
    const c = forecastIssue(issue, { methods: ["cm"], runs: 200, seed: 4 }).forecasts[0].uncertainty!;
    expect(a).toEqual(b);
    expect(a.mean).not.toBe(c.mean);
    expect(a.interval[0]).toBeLessThan(a.interval[1]);
  });
});

const run = runCli;

describe("muscat bargain", () => {
  it("forecasts the seed model's three issues with all six methods and the combined forecast", async () => {
    const r = await run("bargain", seedModelPath, "--format", "json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.model).toMatch(/^[0-9a-f]{64}$/);
    expect(j.issues.map((i: { issue: string }) => i.issue)).toEqual([
      "enrichment-cap",
      "inspections",
      "sanctions-relief",
    ]);
    for (const i of j.issues) {
      expect(i.forecasts.map((f: { method: string }) => f.method)).toEqual([
        "cm",
        "median",
        "nbs",
        "eum",
        "smp",
        "xm",
      ]);
      for (const f of i.forecasts) {
        expect(f.position).toBeGreaterThanOrEqual(i.min);
        expect(f.position).toBeLessThanOrEqual(i.max);
      }
      // The headline: the combined forecast with its 90 % interval on the issue's scale.
      const c = i.combined;
      expect(c.method).toMatch(/^stacked /);
      expect(c.version).toMatch(/^bargain-combine\//);
      expect(c.level).toBe(0.9);
      expect(c.interval[0]).toBeGreaterThanOrEqual(i.min);
      expect(c.interval[1]).toBeLessThanOrEqual(i.max);
      expect(c.interval[0]).toBeLessThanOrEqual(c.position);
      expect(c.position).toBeLessThanOrEqual(c.interval[1]);
      expect(c.interval[1] - c.interval[0]).toBeGreaterThan(0);
      expect(c.extrapolation.distance).toBeGreaterThan(0);
      expect(Array.isArray(c.extrapolation.warnings)).toBe(true);
    }
  });

  it("puts the combined forecast and its interval at the head of each issue in the table", async () => {
    const r = await run("bargain", seedModelPath);
    expect(r.code).toBe(0);
    const heads = r.out.split("\n").filter((l) => l.includes("Combined forecast:"));
    expect(heads).toHaveLength(3);
    for (const h of heads) expect(h).toMatch(/Combined forecast: [\d.]+.*90 % interval [\d.]+–[\d.]+/);
    // The individual methods stay listed.
    expect(r.out).toContain("compromise model (clout × salience weighted mean)");
    expect(r.out).toContain("exchange model (Stokman & Van Oosten 1994)");
  });

  it("runs the published Scholz data set as it is and matches the reference run's final mean", async () => {
    const r = await run(
      "bargain",
      "--csv",
      join(fixturesDir, "bargaining", "scholz", "ExampleActors.csv"),
      "--method",
      "eum",
      "--format",
      "json",
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    const eum = j.issues[0].forecasts[0];
    expect(eum.method).toBe("eum");
    // Example.log, after round 10: "Mean position: 7.242130958473938".
    expect(eum.position).toBeCloseTo(7.242130958473938, 8);
    expect(j.issues[0].trail.eum).toHaveLength(10);
  });

  it("rejects an unknown issue or method with a clear message", async () => {
    const a = await run("bargain", seedModelPath, "--issue", "nope");
    expect(a.code).toBe(1);
    expect(a.err).toContain("enrichment-cap");
    expect((await run("bargain", seedModelPath, "--method", "magic")).code).toBe(2);
  });
});
