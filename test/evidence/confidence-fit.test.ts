// The drafts' confidence model: the logistic fit of bench/ingest (logistic.ts) against data drawn
// from known weights and against the exact maximum-likelihood answer of a one-feature case; the
// ranking and scoring functions on hand-worked examples; and the shipped weights' file.
import { describe, expect, it } from "vitest";
import { auc, brier, fitLogistic, logLoss, predict } from "../../bench/ingest/logistic.js";
import { fitShift, readFirstLooks, score, shiftedLogLoss } from "../../bench/ingest/shift.js";
import { draftConfidence, FIT, SIGNALS } from "../../src/evidence/confidence.js";
import { makeRng, uniform32 } from "../../src/random.js";

describe("logistic regression for the confidence", () => {
  it("recovers known weights from data drawn from them", () => {
    const rng = makeRng(11);
    const truth = { b: -0.5, w: [1.5, -2, 0.7] };
    const x: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 6000; i++) {
      const row = [uniform32(rng) * 2 - 1, uniform32(rng) < 0.5 ? 1 : 0, uniform32(rng) * 3];
      const z = truth.b + truth.w.reduce((s, w, k) => s + w * row[k], 0);
      x.push(row);
      y.push(uniform32(rng) < 1 / (1 + Math.exp(-z)) ? 1 : 0);
    }
    const fit = fitLogistic(x, y, 0.01);
    expect(fit.intercept).toBeCloseTo(truth.b, 0);
    fit.weights.forEach((w, k) => expect(Math.abs(w - truth.w[k])).toBeLessThan(0.2));
  });

  it("with one binary feature and no penalty, gives each group its own frequency (the exact MLE)", () => {
    // Group 0: 1 of 4 accepted; group 1: 3 of 4.
    const x = [[0], [0], [0], [0], [1], [1], [1], [1]];
    const y = [1, 0, 0, 0, 1, 1, 1, 0];
    const fit = fitLogistic(x, y, 0);
    expect(predict(fit, [0])).toBeCloseTo(0.25, 6);
    expect(predict(fit, [1])).toBeCloseTo(0.75, 6);
    // The penalty shrinks the weight towards 0, so the two groups draw together.
    const shrunk = fitLogistic(x, y, 5);
    expect(predict(shrunk, [1]) - predict(shrunk, [0])).toBeLessThan(0.5);
  });

  it("scores by hand: AUC, log-loss and Brier", () => {
    // Positive/negative pairs: (0.9, 0.8) win, (0.9, 0.1) win, (0.3, 0.8) loss, (0.3, 0.1) win.
    expect(auc([0.9, 0.8, 0.3, 0.1], [1, 0, 1, 0])).toBeCloseTo(0.75, 12);
    expect(logLoss([0.5, 0.5], [1, 0])).toBeCloseTo(Math.log(2), 12);
    expect(brier([1, 0.5], [1, 0])).toBeCloseTo(0.125, 12);
  });

  it("ships weights for every signal, with what they were fitted on", () => {
    expect(Object.keys(FIT.weights).sort()).toEqual([...SIGNALS].sort());
    expect(FIT.trainedOn.length).toBeGreaterThan(0);
    expect(FIT.drafts).toBeGreaterThan(FIT.accepted);
    expect(FIT.accepted).toBeGreaterThan(0);
  });
});

describe("the confidence's scale on unseen text", () => {
  const sig = (x: number) => 1 / (1 + Math.exp(-x));
  /** The shift by bisection on the likelihood's score equation Σ (y − σ(z + δ)) = 0. */
  function bisect(z: number[], y: number[]): number {
    const g = (d: number) => y.reduce((a, v, i) => a + v - sig(z[i] + d), 0);
    let [lo, hi] = [-20, 20];
    for (let i = 0; i < 200; i++) {
      const mid = (lo + hi) / 2;
      if (g(mid) > 0) lo = mid;
      else hi = mid;
    }
    return (lo + hi) / 2;
  }

  it("by hand: equal scores give the logit of the share accepted", () => {
    expect(fitShift([0, 0, 0, 0], [1, 0, 0, 0])).toBeCloseTo(-Math.log(3), 10);
    expect(fitShift([1, 1, 1, 1, 1], [1, 1, 1, 1, 0])).toBeCloseTo(Math.log(4) - 1, 10);
    expect(() => fitShift([0, 0], [0, 0])).toThrow(/both/);
  });

  it("Newton's shift equals the bisection's on uneven scores", () => {
    const z = [-3, -1.2, 0.4, 2.5, -0.7, 1.1, -2.2];
    const y = [0, 1, 0, 1, 0, 1, 1];
    expect(fitShift(z, y)).toBeCloseTo(bisect(z, y), 8);
  });

  it("the shipped shift fits the first looks: mean probability = share accepted, by bisection", () => {
    const rows = readFirstLooks();
    expect(FIT.unseen).toBeDefined();
    expect(FIT.unseen!.drafts).toBe(rows.length);
    expect(FIT.unseen!.accepted).toBe(rows.filter((r) => r.ok).length);
    const z = rows.map((r) => score(FIT, r.signals));
    const y = rows.map((r) => r.ok);
    expect(FIT.unseen!.shift).toBeCloseTo(bisect(z, y), 3);
    // The shipped probabilities now use it.
    const r0 = rows[0];
    expect(draftConfidence(r0.signals)).toBeCloseTo(sig(score(FIT, r0.signals) + FIT.unseen!.shift), 2);
  });

  it("left out one set at a time, the shift fits unseen drafts better than the unshifted weights", () => {
    const rows = readFirstLooks();
    let shipped = 0;
    let shifted = 0;
    for (const s of new Set(rows.map((r) => r.set))) {
      const train = rows.filter((r) => r.set !== s);
      const test = rows.filter((r) => r.set === s);
      const d = fitShift(
        train.map((r) => score(FIT, r.signals)),
        train.map((r) => r.ok),
      );
      const z = test.map((r) => score(FIT, r.signals));
      const y = test.map((r) => r.ok);
      shipped += shiftedLogLoss(z, y, 0) * y.length;
      shifted += shiftedLogLoss(z, y, d) * y.length;
    }
    expect(shifted).toBeLessThan(shipped);
  });
});
