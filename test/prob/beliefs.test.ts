// Belief bars (src/prob/beliefs.ts, src/runs/beliefs.ts): conditioning by rejection on the
// simulated runs at the horizon, checked three independent ways — against the exact law of the
// chain at step K (dense transition matrix from the formula, conditioned by Bayes), against a
// brute count over every recorded run (one row per run, not the distinct-scenario sample), and
// for the coverage of its Wilson intervals on a known Bernoulli — and through the engine registry.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { scoreScenario } from "../../src/cib/core.js";
import { randomModel } from "../../src/cib/random.js";
import { InputError } from "../../src/errors.js";
import type { CompiledModel } from "../../src/model/compiled.js";
import { parseModelText } from "../../src/model/load.js";
import { modelStep, stepsUntil } from "../../src/model/step.js";
import { type BeliefSample, condition, FEW_RUNS, sampleOf } from "../../src/prob/beliefs.js";
import type { SimulationResult } from "../../src/prob/simulate.js";
import { simulate } from "../../src/prob/simulate.js";
import { wilson } from "../../src/prob/stats.js";
import { makeRng } from "../../src/random.js";
import type { BeliefsResult } from "../../src/runs/beliefs.js";
import { runEngine } from "../../src/runs/registry.js";
import { seedModelPath } from "../helpers/paths.js";

// Independent reference: the dense transition matrix straight from the formula (stay with
// weight 1, change factor j to l with weight exp(β·(θ_jl − θ_j,a_j))), θ from the CIB engine.
function denseChain(cm: CompiledModel, beta: number): { P: number[][]; states: number[][] } {
  const states: number[][] = [];
  const rec = (z: number[]) => {
    if (z.length === cm.nFactors) return void states.push(z);
    for (let s = 0; s < cm.counts[z.length]; s++) rec([...z, s]);
  };
  rec([]);
  const index = new Map(states.map((z, i) => [z.join(","), i]));
  const P = states.map((a) => {
    const th = scoreScenario(cm, a).balance;
    const row = new Array(states.length).fill(0);
    const w: [number, number][] = [[index.get(a.join(","))!, 1]];
    for (let j = 0; j < cm.nFactors; j++)
      for (let l = 0; l < cm.counts[j]; l++) {
        if (l === a[j]) continue;
        const b = a.slice();
        b[j] = l;
        w.push([index.get(b.join(","))!, Math.exp(beta * (th[j][l] - th[j][a[j]]))]);
      }
    const tot = w.reduce((s, x) => s + x[1], 0);
    for (const [b, x] of w) row[b] += x / tot;
    return row;
  });
  return { P, states };
}
const step = (v: number[], P: number[][]) => P[0].map((_, b) => v.reduce((s, x, a) => s + x * P[a][b], 0));

/** Every evidence set of one or two clamped factors. */
function evidenceSets(counts: ArrayLike<number>): Map<number, number>[] {
  const out: Map<number, number>[] = [new Map()];
  const F = counts.length;
  for (let i = 0; i < F; i++)
    for (let a = 0; a < counts[i]; a++) {
      out.push(new Map([[i, a]]));
      for (let j = i + 1; j < F; j++)
        for (let b = 0; b < counts[j]; b++)
          out.push(
            new Map([
              [i, a],
              [j, b],
            ]),
          );
    }
  return out;
}

describe("condition() against the exact law of the chain at the horizon", () => {
  const cm: CompiledModel = { ...randomModel([3, 2, 3], 11), current: Int32Array.from([0, 1, 2]) };
  const beta = 0.7;
  const K = 5;

  it("every conditional marginal, for every evidence of one or two states, is inside its interval", async () => {
    const { P, states } = denseChain(cm, beta);
    let v = states.map((z): number => (z.join(",") === "0,1,2" ? 1 : 0));
    for (let k = 1; k <= K; k++) v = step(v, P);
    const runs = 60_000;
    const { tally } = await simulate(cm, {
      steps: K,
      runs,
      seed: 17,
      beta,
      paths: false,
      mode: "succession",
    });
    const sample = sampleOf(tally.ends, Array.from(cm.counts));
    let checked = 0;
    let missed = 0;
    for (const ev of evidenceSets(cm.counts)) {
      const match = (z: number[]) => [...ev].every(([f, s]) => z[f] === s);
      const pE = states.reduce((s, z, i) => s + (match(z) ? v[i] : 0), 0);
      const c = condition(sample, ev);
      // The number of matching runs is Binomial(N, P(E)).
      const wn = wilson(c.n, runs, 3.9);
      expect(pE).toBeGreaterThanOrEqual(wn.lo);
      expect(pE).toBeLessThanOrEqual(wn.hi);
      if (c.n < 200) continue; // too few runs to say much; the warning covers it
      for (let f = 0; f < cm.nFactors; f++)
        for (let l = 0; l < cm.counts[f]; l++) {
          const exact = states.reduce((s, z, i) => s + (match(z) && z[f] === l ? v[i] : 0), 0) / pE;
          const b = c.marginals[f][l];
          if (ev.has(f)) {
            expect(b.p).toBe(ev.get(f) === l ? 1 : 0);
            expect([b.lo, b.hi]).toEqual([b.p, b.p]);
            continue;
          }
          // Within 3.9 standard errors always (the estimator is right); the 95 % intervals
          // themselves miss now and then, about one in twenty (the estimates are correlated).
          const w = wilson(b.count, c.n, 3.9);
          expect(exact, `P(F${f + 1}=${l} | ${[...ev]})`).toBeGreaterThanOrEqual(w.lo);
          expect(exact, `P(F${f + 1}=${l} | ${[...ev]})`).toBeLessThanOrEqual(w.hi);
          if (exact < b.lo || exact > b.hi) missed++;
          checked++;
        }
    }
    expect(checked).toBeGreaterThan(80);
    expect(missed / checked).toBeLessThan(0.12);
  }, 60_000);
});

describe("condition() against a brute count over the recorded runs", () => {
  it("gives the same counts as reading every run's state at step K, for every evidence", async () => {
    const cm: CompiledModel = { ...randomModel([3, 3, 2, 4], 5), current: Int32Array.from([0, 2, 1, 3]) };
    const K = 7;
    const n = cm.nFactors;
    const { tally, result } = await simulate(cm, {
      steps: K,
      runs: 9_000,
      seed: 3,
      beta: 0.5,
      chunkSize: 1000,
      record: true,
    });
    // One row per run, read from the long records (run-major, then step 0..K, then factor).
    const rows: number[][] = [];
    for (const rec of tally.records) {
      const perChunk = rec.length / ((K + 1) * n);
      for (let r = 0; r < perChunk; r++)
        rows.push(Array.from(rec.subarray((r * (K + 1) + K) * n, (r * (K + 1) + K + 1) * n)));
    }
    expect(rows.length).toBe(result.runs);
    const sample = sampleOf(tally.ends, Array.from(cm.counts));
    expect(sample.counts.reduce((a, b) => a + b, 0)).toBe(result.runs);
    for (const ev of evidenceSets(cm.counts)) {
      const kept = rows.filter((z) => [...ev].every(([f, s]) => z[f] === s));
      const c = condition(sample, ev);
      expect(c.n).toBe(kept.length);
      expect(c.runs).toBe(rows.length);
      for (let f = 0; f < n; f++)
        for (let l = 0; l < cm.counts[f]; l++) {
          const count = kept.filter((z) => z[f] === l).length;
          expect(c.marginals[f][l].count).toBe(count);
          if (kept.length) expect(c.marginals[f][l].p).toBe(count / kept.length);
          else expect(c.marginals[f][l].p).toBeNaN();
        }
      expect(c.warning !== null).toBe(kept.length < FEW_RUNS);
    }
    // Without evidence the bars are the simulation's own state probabilities at step K.
    const none = condition(sample, new Map());
    result.factors.forEach((f, j) =>
      f.states.forEach((s, l) => {
        expect(none.marginals[j][l].p).toBe(s.p[K]);
        expect(none.marginals[j][l].lo).toBe(s.lo[K]);
        expect(none.marginals[j][l].hi).toBe(s.hi[K]);
      }),
    );
  }, 60_000);
});

describe("the Wilson intervals of the conditional bars", () => {
  it("cover a known conditional probability about 95 % of the time", () => {
    // Two binary factors: P(A=1) = 0.15, P(B=1 | A=1) = 0.7, P(B=1 | A=0) = 0.2. Each replicate
    // draws N runs, clamps A=1 and asks whether B=1's interval holds 0.7.
    const rng = makeRng(2024);
    const N = 800;
    const reps = 2000;
    let covered = 0;
    let coveredMarginal = 0;
    let nSum = 0;
    for (let rep = 0; rep < reps; rep++) {
      const c = [0, 0, 0, 0]; // (a, b) → index 2a + b
      for (let r = 0; r < N; r++) {
        const a = rng.next() < 0.15 ? 1 : 0;
        const b = rng.next() < (a ? 0.7 : 0.2) ? 1 : 0;
        c[2 * a + b]++;
      }
      const sample: BeliefSample = { sizes: [2, 2], rows: [0, 0, 0, 1, 1, 0, 1, 1], counts: c };
      const given = condition(sample, new Map([[0, 1]]));
      const b1 = given.marginals[1][1];
      if (b1.lo <= 0.7 && 0.7 <= b1.hi) covered++;
      nSum += given.n;
      // Unconditional: P(B=1) = 0.15·0.7 + 0.85·0.2 = 0.275.
      const all = condition(sample, new Map()).marginals[1][1];
      if (all.lo <= 0.275 && 0.275 <= all.hi) coveredMarginal++;
    }
    expect(nSum / reps).toBeCloseTo(0.15 * N, -1);
    // 2000 replicates: a standard error of 0.5 % around 95 %.
    expect(covered / reps).toBeGreaterThan(0.93);
    expect(covered / reps).toBeLessThan(0.97);
    expect(coveredMarginal / reps).toBeGreaterThan(0.93);
    expect(coveredMarginal / reps).toBeLessThan(0.97);
  });

  it("warns when few runs match, says when none do, and refuses evidence that does not exist", () => {
    const sample: BeliefSample = { sizes: [2, 3], rows: [0, 0, 1, 2, 0, 1], counts: [900, 50, 0] };
    expect(condition(sample, new Map()).warning).toBeNull();
    const few = condition(sample, new Map([[0, 1]]));
    expect(few.n).toBe(50);
    expect(few.warning).toContain("Only 50 of 950 runs match");
    const none = condition(sample, new Map([[1, 1]]));
    expect(none.n).toBe(0);
    expect(none.warning).toContain("No run of 950");
    expect(none.marginals[0][0].p).toBeNaN();
    expect(none.marginals[0][0]).toMatchObject({ lo: 0, hi: 1 });
    expect(() => condition(sample, new Map([[2, 0]]))).toThrow(RangeError);
    expect(() => condition(sample, new Map([[1, 3]]))).toThrow(RangeError);
    expect(() => sampleOf([["0,5", 1]], [2, 3])).toThrow(RangeError);
  });
});

describe("the beliefs engine", () => {
  const model = parseModelText(readFileSync(seedModelPath, "utf8")).model!;

  it("runs through the registry: the bars are simulate's at the horizon, the sample conditions", async () => {
    const o = { runs: 3000, steps: 6, seed: 4, given: ["talks=breakdown"] };
    const r = JSON.parse(JSON.stringify(await runEngine("beliefs", model, o))) as BeliefsResult;
    // The bars draw the model's uncertainty by default (25 runs a draw), as forecasts do.
    const sim = (await runEngine("simulate", model, {
      ...o,
      uncertainty: true,
      runsPerMatrix: 25,
    })) as SimulationResult;
    expect(r.kind).toBe("beliefs");
    expect(r.runs).toBe(3000);
    expect(r.steps).toBe(6);
    expect(r.horizon).toEqual({
      asOf: "2025-04-15",
      step: "P1M",
      stepGiven: true,
      date: "2025-10-15",
      requested: null,
    });
    expect(r.start.talks).toBe("breakdown");
    expect(r.given).toEqual(["talks"]);
    r.factors.forEach((f, j) => {
      expect(f.id).toBe(sim.factors[j].id);
      f.states.forEach((s, l) => {
        expect(s.id).toBe(sim.factors[j].states[l].id);
        expect(s.p).toBe(sim.factors[j].states[l].p[6]);
        expect(s.lo).toBe(sim.factors[j].states[l].lo[6]);
      });
    });
    // The sample is compact: distinct scenarios with counts, adding up to the runs.
    const F = r.factors.length;
    expect(r.sample.sizes).toEqual(r.factors.map((f) => f.states.length));
    expect(r.sample.rows.length).toBe(r.sample.counts.length * F);
    expect(r.sample.counts.reduce((a, b) => a + b, 0)).toBe(3000);
    expect(r.sample.counts.length).toBeLessThanOrEqual(sim.distinctEnds);
    // Conditioning on the JSON's sample: clamping the most likely state of a factor.
    const j = r.factors.findIndex((f) => f.id === "enrichment");
    const top = r.factors[j].states.reduce((b, s, l, a) => (s.p > a[b].p ? l : b), 0);
    const c = condition(r.sample, new Map([[j, top]]));
    expect(c.n).toBe(r.factors[j].states[top].count);
    expect(c.marginals[j][top].p).toBe(1);
    // What it assumes, in words.
    expect(r.assumes).toContain("3,000 simulated runs (seed 4)");
    expect(r.assumes).toContain("6 steps of 1 month (P1M) from 2025-04-15, i.e. 2025-10-15");
    expect(r.assumes).toContain("talks=breakdown (given)");
    expect(r.assumes).toContain("not an intervention");
    expect(r.assumes).toMatch(/β = [\d.]+ for every factor \(the model's dynamics\)/);
  }, 60_000);

  it("takes the horizon as a date: the last step on or before it", async () => {
    const r = (await runEngine("beliefs", model, { runs: 200, date: "2026-01-01" })) as BeliefsResult;
    expect(r.steps).toBe(stepsUntil("2025-04-15", modelStep(model), "2026-01-01"));
    expect(r.steps).toBe(8);
    expect(r.horizon.date).toBe("2025-12-15");
    expect(r.horizon.requested).toBe("2026-01-01");
    expect(r.assumes).toContain("the last step on or before 2026-01-01");
    expect(r.factors[0].states.some((s) => s.p > 0)).toBe(true);
    const bad = async (date: string) => {
      const e = await runEngine("beliefs", model, { runs: 10, date }).catch((x) => x);
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).path).toBe("date");
      return (e as Error).message;
    };
    expect(await bad("2026-02-30")).toContain("not a calendar date");
    expect(await bad("2024-01-01")).toContain("before the model's date");
    expect(await bad("2200-01-01")).toContain("at most 1,000");
  }, 60_000);

  it("with shocks off, β set and a bad start state, says so or refuses with the option's path", async () => {
    const r = (await runEngine("beliefs", model, {
      runs: 100,
      steps: 2,
      beta: 2,
      shocks: false,
    })) as BeliefsResult;
    expect(r.assumes).toContain("β = 2 for every factor (set by this run)");
    expect(r.shocks).toEqual([]);
    const e = await runEngine("beliefs", model, { runs: 10, given: ["talks=nope"] }).catch((x) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).path).toBe("given");
  });
});
