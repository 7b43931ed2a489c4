// The particle filter (src/prob/filter.ts) against the exact Bayesian posterior of a small
// chain, computed by the forward algorithm over every scenario with exact transient
// probabilities (uniformization): the filtered forecast, the scenario at the last observation
// and the evidence P(observations).
import { describe, expect, it } from "vitest";
import { scenarioAt, scenarioIndex } from "../../src/cib/core.js";
import { randomModel } from "../../src/cib/random.js";
import { filterPaths } from "../../src/prob/filter.js";
import { stateAt } from "../../src/prob/path.js";
import { buildSpec, DAYS_PER_MONTH } from "../../src/prob/spec.js";
import { propagate } from "../../src/prob/transient.js";
import { makeStreams } from "../../src/random.js";

describe("particle filter", () => {
  const counts = [2, 3, 2];
  const cm = { ...randomModel(counts, 41), current: Int32Array.from([0, 0, 0]) };
  const spec = buildSpec(cm, {
    steps: 1,
    mode: "continuous",
    grid: Float64Array.from([0, 10 * DAYS_PER_MONTH]),
  });
  const obs = [
    { t: 60, factor: 0, state: 1 },
    { t: 150, factor: 1, state: 2 },
    { t: 150, factor: 2, state: 1 },
  ];
  const eps = 0.05;
  const end = 300;
  const S = counts.reduce((a, b) => a * b, 1);
  const like = (x: number, t: number) => {
    const z = scenarioAt(counts, x);
    return obs
      .filter((o) => o.t === t)
      .reduce((w, o) => w * (z[o.factor] === o.state ? 1 - eps : eps / (counts[o.factor] - 1)), 1);
  };
  // Forward algorithm: α after each observation instant, normalised, with the evidence.
  const exact = (() => {
    let a: Float64Array = new Float64Array(S);
    a[scenarioIndex(counts, [0, 0, 0])] = 1;
    let t0 = 0;
    let logEv = 0;
    for (const t of [60, 150]) {
      a = propagate(spec, a, t - t0);
      t0 = t;
      let sum = 0;
      for (let x = 0; x < S; x++) {
        a[x] *= like(x, t);
        sum += a[x];
      }
      logEv += Math.log(sum);
      for (let x = 0; x < S; x++) a[x] /= sum;
    }
    const atLast = Float64Array.from(a);
    const atEnd = propagate(spec, a, end - 150);
    return { atLast, atEnd, logEv };
  })();

  it("matches the exact posterior: the scenario at the last observation, the forecast after it, the evidence", () => {
    const N = 40_000;
    const r = filterPaths(spec, {
      particles: N,
      end,
      observations: obs,
      error: eps,
      stream: makeStreams(7, 1)[0].state(),
    });
    expect(r.steps.map((s) => s.t)).toEqual([60, 150]);
    expect(r.warning).toBeNull();
    const ess = Math.min(...r.steps.map((s) => s.ess));
    const z = new Int32Array(3);
    for (const [t, dist] of [
      [150, exact.atLast],
      [end, exact.atEnd],
    ] as const) {
      const counts_ = new Float64Array(S);
      for (const p of r.paths) counts_[scenarioIndex(counts, stateAt(p, t, z))]++;
      for (let x = 0; x < S; x++) {
        const p = dist[x];
        const se = Math.sqrt((p * (1 - p)) / ess) + 1e-9;
        expect(Math.abs(counts_[x] / N - p), `scenario ${x} at ${t}`).toBeLessThan(5 * se + 1e-12);
      }
    }
    expect(r.logEvidence).toBeCloseTo(exact.logEv, 1);
  });

  it("says when the observations are so unlikely that the sample collapses", () => {
    const r = filterPaths(spec, {
      particles: 2000,
      end,
      observations: [
        { t: 1, factor: 1, state: 2 },
        { t: 1, factor: 0, state: 1 },
        { t: 2, factor: 2, state: 1 },
      ],
      error: 0.0001,
      stream: makeStreams(3, 1)[0].state(),
    });
    expect(r.minShare).toBeLessThan(0.05);
    expect(r.warning).toMatch(/effective sample size/);
  });
});
