// Scores against hand-worked examples and an independent computation; a calibrated synthetic
// forecaster beats the baselines on simulated outcomes.
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { describe, expect, it } from "vitest";
import {
  brierScore,
  calibrationTable,
  logScore,
  murphyDecomposition,
  type Outcome,
  scoreOutcomes,
} from "../../src/forecast/index.js";

const items = (ps: number[], os: (0 | 1)[]): Outcome[] =>
  ps.map((p, i) => ({ id: `q${i}`, p, outcome: os[i] }));

function rng(seed: number) {
  const g = xoroshiro128plus(seed);
  return () => (g.next() >>> 0) / 2 ** 32;
}

describe("Brier and log scores", () => {
  it("match a hand-worked example", () => {
    const x = items([0.9, 0.2, 0.6, 0.5], [1, 0, 0, 1]);
    // (0.01 + 0.04 + 0.36 + 0.25) / 4
    expect(brierScore(x)).toBeCloseTo(0.165, 12);
    // (ln 0.9 + ln 0.8 + ln 0.4 + ln 0.5) / 4 = (−0.1053605 − 0.2231436 − 0.9162907 − 0.6931472) / 4
    expect(logScore(x)).toBeCloseTo(-0.4844855, 6);
    const s = scoreOutcomes(x);
    expect(s.baselines.half).toEqual({ p: 0.5, brier: 0.25, log: Math.log(0.5) });
    expect(s.baselines.baseRate.p).toBe(0.5);
    expect(s.skill.brierVsHalf).toBeCloseTo(1 - 0.165 / 0.25, 12);
    expect(s.decomposition).toBeNull(); // 4 < 10 questions
    expect(s.decompositionNote).toMatch(/at least 10/);
  });

  it("clips certain misses to ln ε, and the base rate baseline uses the outcomes' frequency", () => {
    const x = items([1, 0, 0.25], [0, 0, 1]);
    expect(logScore(x)).toBeCloseTo((Math.log(0.001) + Math.log(0.999) + Math.log(0.25)) / 3, 12);
    const s = scoreOutcomes(x);
    expect(s.baselines.baseRate.p).toBeCloseTo(1 / 3, 12);
    // Brier of always 1/3: (1/9 + 1/9 + 4/9) / 3 = 2/9
    expect(s.baselines.baseRate.brier).toBeCloseTo(2 / 9, 12);
  });
});

describe("Murphy decomposition", () => {
  it("calibrated two-valued forecasts: REL 0, RES 0.09, UNC 0.25, BS 0.16", () => {
    const x = items([...Array(5).fill(0.2), ...Array(5).fill(0.8)], [1, 0, 0, 0, 0, 1, 1, 1, 0, 1]);
    const d = murphyDecomposition(x);
    expect(d.reliability).toBeCloseTo(0, 12);
    expect(d.resolution).toBeCloseTo(0.09, 12);
    expect(d.uncertainty).toBeCloseTo(0.25, 12);
    expect(d.withinBinVariance).toBe(0);
    expect(d.withinBinCovariance).toBe(0);
    expect(d.brier).toBeCloseTo(0.16, 12);
    expect(brierScore(x)).toBeCloseTo(0.16, 12);
  });

  it("miscalibrated forecasts: REL 0.05, RES 0.16, UNC 0.24, BS 0.13", () => {
    const x = items([...Array(5).fill(0.3), ...Array(5).fill(0.9)], [0, 0, 0, 0, 0, 1, 1, 1, 1, 0]);
    const d = murphyDecomposition(x);
    expect(d.reliability).toBeCloseTo(0.05, 12);
    expect(d.resolution).toBeCloseTo(0.16, 12);
    expect(d.uncertainty).toBeCloseTo(0.24, 12);
    expect(d.brier).toBeCloseTo(0.13, 12);
    expect(brierScore(x)).toBeCloseTo(0.13, 12);
  });

  it("the identity BS = REL − RES + UNC + WBV − WBC holds exactly for continuous forecasts", () => {
    const u = rng(7);
    const ps = Array.from({ length: 200 }, () => u());
    const x = items(
      ps,
      ps.map(() => (u() < 0.4 ? 1 : 0)),
    );
    const d = murphyDecomposition(x, 7);
    expect(d.brier).toBeCloseTo(brierScore(x), 12);
    expect(d.withinBinVariance).toBeGreaterThan(0);
  });

  it("calibration table: counts, means and the Wilson interval per bin", () => {
    const x = items([0.81, 0.85, 0.83, 0.89, 0.82, 0.1], [1, 1, 1, 1, 0, 0]);
    const t = calibrationTable(x, 10);
    expect(t).toHaveLength(10);
    const b = t[8];
    expect(b.n).toBe(5);
    expect(b.meanForecast).toBeCloseTo(0.84, 12);
    expect(b.observed).toBeCloseTo(0.8, 12);
    // Wilson 95 %, k = 4, n = 5, by the textbook formula.
    const z = 1.959963984540054;
    const p = 0.8;
    const n = 5;
    const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
    const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
    expect(b.lo).toBeCloseTo(centre - half, 12);
    expect(b.hi).toBeCloseTo(centre + half, 12);
    expect(t[1].n).toBe(1);
    expect(t[5].n).toBe(0);
    expect(t[5].observed).toBeNull();
  });
});

describe("a calibrated synthetic forecaster", () => {
  const u = rng(2025);
  const N = 4000;
  const truth = Array.from({ length: N }, () => u());
  const outcomes = truth.map((p) => (u() < p ? 1 : 0)) as (0 | 1)[];
  const calibrated = scoreOutcomes(items(truth, outcomes));
  // Overconfident: pushes every probability towards 0 or 1.
  const overconfident = scoreOutcomes(
    items(
      truth.map((p) => (p < 0.5 ? p / 4 : 1 - (1 - p) / 4)),
      outcomes,
    ),
  );

  it("beats both baselines on Brier and log score", () => {
    // Expected Brier of p ~ U(0,1), o ~ Bernoulli(p): E[p(1 − p)] = 1/6.
    expect(calibrated.brier!).toBeGreaterThan(1 / 6 - 0.01);
    expect(calibrated.brier!).toBeLessThan(1 / 6 + 0.01);
    expect(calibrated.brier!).toBeLessThan(calibrated.baselines.half.brier!);
    expect(calibrated.brier!).toBeLessThan(calibrated.baselines.baseRate.brier!);
    expect(calibrated.log).toBeGreaterThan(calibrated.baselines.half.log!);
    expect(calibrated.log).toBeGreaterThan(calibrated.baselines.baseRate.log!);
    expect(calibrated.skill.brierVsBaseRate).toBeGreaterThan(0.25);
  });

  it("has near-zero reliability; the overconfident one does not", () => {
    expect(calibrated.decomposition!.reliability).toBeLessThan(0.003);
    expect(overconfident.decomposition!.reliability).toBeGreaterThan(0.02);
    expect(overconfident.brier).toBeGreaterThan(calibrated.brier!);
    // Resolution stays well above 0: it ranks events the same way (calibrated: ≈ Var p = 1/12).
    expect(overconfident.decomposition!.resolution).toBeGreaterThan(0.04);
    expect(calibrated.decomposition!.resolution).toBeCloseTo(1 / 12, 1);
  });
});
