// Coverage of the forecast's Monte Carlo interval. With judgment and tempo uncertainty the runs
// come in clusters that share one draw of the judgments, the rates and β, so an interval that
// treats runs as independent is too narrow. Here one question is forecast with 400 seeds, and
// each seed's 95 % interval is checked against a reference run 100 times as long: the share of
// seeds whose interval covers it must be 93–97 %.
import { describe, expect, it } from "vitest";
import { forecastQuestions } from "../../src/forecast/index.js";
import { compileModel } from "../../src/model/compile.js";
import { parseModelText } from "../../src/model/load.js";
import { wilson } from "../../src/prob/stats.js";

const TOY = `id: toy
title: Toy
asOf: 2025-04-15
step: P1M
factors:
  - { id: a, name: A, current: x, states: [{ id: x, label: X }, { id: y, label: Y }] }
  - { id: b, name: B, current: x, states: [{ id: x, label: X }, { id: y, label: Y }, { id: z, label: Z }] }
  - { id: c, name: C, current: x, states: [{ id: x, label: X }, { id: y, label: Y }] }
impacts:
  - { from: a=x, to: b=y, strength: 2, confidence: 2 }
  - { from: a=y, to: b=z, strength: 2, confidence: 2 }
  - { from: b=y, to: c=y, strength: 2, confidence: 1 }
  - { from: b=z, to: a=y, strength: 1 }
  - { from: c=y, to: a=y, strength: 1, confidence: 1 }
  - { from: c=x, to: b=x, strength: 1 }
  - { from: b=x, to: a=x, strength: 1 }
questions:
  - { id: q, text: "Will B be y while C is y by 2025-07-31?", condition: { all: [b=y, c=y] }, horizon: 2025-07-31 }
`;

describe("forecast interval coverage (judgment and tempo draws)", () => {
  it("the 95 % Monte Carlo interval covers a long reference run in 93–97 % of 400 seeds", async () => {
    const r = parseModelText(TOY);
    if (!r.model) throw new Error(JSON.stringify(r.problems));
    const model = r.model;
    const cm = compileModel(model);
    const opts = { runs: 1000, runsPerMatrix: 25, drivers: false, uncertainty: true } as const;
    const reference = await forecastQuestions(model, cm, { ...opts, runs: 100_000, seed: 999_999 });
    const truth = reference.questions[0].p;
    let covered = 0;
    let naive = 0;
    const seeds = 400;
    for (let seed = 1; seed <= seeds; seed++) {
      const f = await forecastQuestions(model, cm, { ...opts, seed });
      const q = f.questions[0];
      if (q.mc.lo <= truth && truth <= q.mc.hi) covered++;
      const w = wilson(Math.round(q.p * opts.runs), opts.runs);
      if (w.lo <= truth && truth <= w.hi) naive++;
    }
    const share = covered / seeds;
    expect(share, `coverage ${share} (reference p = ${truth})`).toBeGreaterThanOrEqual(0.93);
    expect(share).toBeLessThanOrEqual(0.97);
    // The interval that treats the runs as independent (the old one) falls short: the test can fail.
    console.log(`coverage: cluster-robust ${share}, independent-runs Wilson ${naive / seeds}`);
    expect(naive / seeds).toBeLessThan(0.9);
  }, 300_000);
});
