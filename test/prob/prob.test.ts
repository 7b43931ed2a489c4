import { describe, expect, it } from "vitest";
import { scoreScenario } from "../../src/cib/core.js";
import { findKernel } from "../../src/cib/kernel.js";
import { randomModel } from "../../src/cib/random.js";
import type { CompiledModel } from "../../src/model/compiled.js";
import { parseModelText } from "../../src/model/load.js";
import { consistency } from "../../src/prob/consistency.js";
import { simulate } from "../../src/prob/simulate.js";
import { parseCondition } from "../../src/prob/spec.js";
import { stationary } from "../../src/prob/stationary.js";
import { rhat, wilson } from "../../src/prob/stats.js";
import { createPool } from "../../src/workers/pool.js";

// Independent reference: the dense transition matrix straight from the formula, scenarios
// enumerated by index (factor 0 most significant), θ from the CIB engine's scoreScenario.
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

function withCurrent(cm: CompiledModel, z: number[]): CompiledModel {
  return { ...cm, current: Int32Array.from(z) };
}

describe("Wilson interval and R-hat", () => {
  it("matches published values", () => {
    // Wilson (1927) / Newcombe (1998) table: 0/10 → [0, 0.2775]; 5/10 → [0.2366, 0.7634].
    const a = wilson(0, 10);
    expect(a.lo).toBe(0);
    expect(a.hi).toBeCloseTo(0.2775, 4);
    const b = wilson(5, 10);
    expect(b.lo).toBeCloseTo(0.2366, 4);
    expect(b.hi).toBeCloseTo(0.7634, 4);
    // R-hat: identical chains → ≈ 1; chains with different means → ≫ 1.
    const c1 = Array.from({ length: 100 }, (_, i) => i % 2);
    expect(rhat([c1, c1.slice()])).toBeLessThan(1.01);
    expect(rhat([c1, c1.map((x) => x + 5)])).toBeGreaterThan(2);
  });
});

describe("stochastic succession on a small model", () => {
  const cm = withCurrent(randomModel([3, 2, 3], 11), [0, 1, 2]);
  const beta = 0.7;
  const { P, states } = denseChain(cm, beta);

  it("step-k state probabilities agree with matrix powers within their intervals", async () => {
    const K = 6;
    const { result } = await simulate(cm, { steps: K, runs: 40_000, seed: 5, beta, mode: "succession" });
    let v = states.map((z): number => (z.join(",") === "0,1,2" ? 1 : 0));
    for (let k = 1; k <= K; k++) {
      v = step(v, P);
      for (let f = 0; f < cm.nFactors; f++)
        for (let l = 0; l < cm.counts[f]; l++) {
          const exact = states.reduce((s, z, i) => s + (z[f] === l ? v[i] : 0), 0);
          const mc = result.factors[f].states[l].p[k];
          const w = wilson(Math.round(mc * result.runs), result.runs, 3.9);
          expect(exact).toBeGreaterThanOrEqual(w.lo);
          expect(exact).toBeLessThanOrEqual(w.hi);
        }
    }
  });

  it("P(condition by step k) agrees with the absorbing-chain computation", async () => {
    const K = 5;
    const cond = parseCondition(cm, "F1=F1s3,F3=F3s1");
    const { result } = await simulate(cm, {
      steps: K,
      runs: 40_000,
      seed: 9,
      beta,
      conditions: [cond],
      mode: "succession",
    });
    // Exact: make the condition absorbing, propagate, read the absorbed mass.
    const hit = states.map((z) => z[0] === 2 && z[2] === 0);
    const Pa = P.map((row, a) => (hit[a] ? row.map((_, b) => (a === b ? 1 : 0)) : row));
    let v = states.map((z): number => (z.join(",") === "0,1,2" ? 1 : 0));
    for (let k = 1; k <= K; k++) {
      v = step(v, Pa);
      const exact = v.reduce((s, x, i) => s + (hit[i] ? x : 0), 0);
      const e = result.conditions[0].byStep[k];
      const w = wilson(Math.round(e.p * result.runs), result.runs, 3.9);
      expect(exact).toBeGreaterThanOrEqual(w.lo);
      expect(exact).toBeLessThanOrEqual(w.hi);
    }
    // First-passage counts add up to the runs that reached it.
    const c = result.conditions[0];
    expect(c.firstPassage.reduce((a, b) => a + b, 0)).toBe(c.reached);
  });

  it("the exact stationary distribution solves π = πP; MCMC agrees", () => {
    const r = stationary(cm, { beta, tolerance: 1e-12, maxSweeps: 5000 });
    expect(r.method).toBe("exact");
    expect(r.exact?.converged).toBe(true);
    // Independent: power iteration on the dense matrix.
    let v = states.map(() => 1 / states.length);
    for (let i = 0; i < 5000; i++) v = step(v, P);
    for (let f = 0; f < cm.nFactors; f++)
      for (let l = 0; l < cm.counts[f]; l++) {
        const exact = states.reduce((s, z, i) => s + (z[f] === l ? v[i] : 0), 0);
        expect(r.factors[f].states[l].p).toBeCloseTo(exact, 6);
      }
    const top = r.scenarios[0];
    const idx = states.findIndex((z) => z.every((s, f) => cm.stateIds[f][s] === top.states[cm.factorIds[f]]));
    expect(top.p).toBeCloseTo(v[idx], 6);
    const m = stationary(cm, { beta, method: "mcmc", seed: 3, chains: 4, samples: 50_000, burnIn: 1000 });
    expect(m.mcmc?.maxRhat).toBeLessThan(1.05);
    for (let f = 0; f < cm.nFactors; f++)
      for (let l = 0; l < cm.counts[f]; l++)
        expect(Math.abs(m.factors[f].states[l].p - r.factors[f].states[l].p)).toBeLessThan(0.02);
  });

  it("with β very large, trajectories end in CIB attractors", async () => {
    const big = withCurrent(randomModel([3, 3, 2, 3], 4), [0, 0, 0, 0]);
    const kernel = new Set(findKernel(big).scenarios.map((s) => s.states.join(",")));
    expect(kernel.size).toBeGreaterThan(0);
    const { result } = await simulate(big, { steps: 40, runs: 2000, seed: 2, beta: 60, mode: "succession" });
    for (const e of result.ends) {
      const z = big.factorIds.map((id, f) => big.stateIds[f].indexOf(e.states[id]));
      expect(kernel.has(z.join(","))).toBe(true);
    }
  });
});

describe("judgment uncertainty", () => {
  it("with zero spread P(consistent) is 0 or 1 and equals the kernel; with spread it varies", async () => {
    const cm = randomModel([3, 3, 2, 3], 8);
    const kernel = findKernel(cm).scenarios.map((s) => s.states.join(","));
    const zero = await consistency(cm, { samples: 20, seed: 1, spread: new Float64Array(cm.matrix.length) });
    expect(zero.scenarios.map((s) => s.states.join(",")).sort()).toEqual([...kernel].sort());
    for (const s of zero.scenarios) {
      expect(s.p).toBe(1);
      expect(s.robust).toBe(true);
    }
    const spread = new Float64Array(cm.matrix.length).fill(1.5);
    const noisy = await consistency(cm, { samples: 60, seed: 1, spread });
    expect(noisy.scenarios.some((s) => s.p > 0 && s.p < 1)).toBe(true);
    // Each count is the number of sampled kernels holding it: the sizes add up.
    const total = noisy.scenarios.reduce((a, s) => a + s.count, 0);
    expect(total).toBeCloseTo(noisy.kernelSize.mean * noisy.samples, 6);
  });
});

describe("reproducibility", () => {
  it("same seed: in-process, 1 worker and 2 workers give identical results", async () => {
    const cm = withCurrent(randomModel([3, 2, 3, 2], 21), [0, 0, 0, 0]);
    const opts = {
      steps: 8,
      runs: 3000,
      seed: 42,
      chunkSize: 500,
      uncertainty: true,
      runsPerMatrix: 50,
      conditions: [parseCondition(cm, "F1=F1s2")],
    };
    const a = (await simulate(cm, opts)).result;
    const p1 = createPool(1);
    const b = (await simulate(cm, opts, { pool: p1 })).result;
    await p1.close();
    const p2 = createPool(2);
    const c = (await simulate(cm, opts, { pool: p2 })).result;
    await p2.close();
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(JSON.stringify(c)).toBe(JSON.stringify(a));
    const d = (await simulate(cm, { ...opts, seed: 43 })).result;
    expect(JSON.stringify(d)).not.toBe(JSON.stringify(a));
  }, 60_000);

  it("--precision stops early on a fixed schedule; an aborted run is flagged partial", async () => {
    const cm = withCurrent(randomModel([3, 2, 3], 11), [0, 1, 2]);
    const r = (await simulate(cm, { steps: 3, runs: 200_000, seed: 1, chunkSize: 1000, precision: 0.02 }))
      .result;
    expect(r.stoppedBy).toBe("precision");
    expect(r.precision.achieved).toBeLessThan(0.02);
    expect(r.runs).toBeLessThan(200_000);
    const ac = new AbortController();
    let n = 0;
    const p = (
      await simulate(
        cm,
        { steps: 3, runs: 100_000, seed: 1, chunkSize: 1000 },
        { signal: ac.signal, onProgress: () => ++n === 3 && ac.abort() },
      )
    ).result;
    expect(p.partial).toBe(true);
    expect(p.runs).toBe(3000);
  });
});

describe("model additions", () => {
  const base = `id: t\ntitle: T\nasOf: 2025-01-01\nfactors:\n  - id: a\n    name: A\n    current: x\n    states: [{ id: x, label: X }, { id: y, label: Y }]\n  - id: b\n    name: B\n    states: [{ id: x, label: X }, { id: y, label: Y }]\nimpacts:\n  - { from: a=x, to: b=x, strength: 2, confidence: 5 }\n  - { from: b=x, to: a=y, strength: -1 }\n`;
  it("accepts dynamics and uncertainty and compiles them", async () => {
    const r = parseModelText(
      `${base}dynamics:\n  beta: 2\n  responsiveness: { b: 0.5 }\n  shocks:\n    - { to: b=y, at: 2 }\n    - { to: a=y, probability: 0.1 }\nuncertainty:\n  spread: { 5: 0.1 }\n  unrated: 2\n`,
    );
    expect(r.problems).toEqual([]);
    const { compileModel } = await import("../../src/model/compile.js");
    const cm = compileModel(r.model!);
    expect(Array.from(cm.beta!)).toEqual([2, 0.5]);
    expect(cm.shocks).toEqual([
      { factor: 1, state: 1, at: 2 },
      { factor: 0, state: 1, probability: 0.1 },
    ]);
    expect(Array.from(cm.current!)).toEqual([0, -1]);
    expect(cm.spread![0 * 4 + 2]).toBeCloseTo(0.1); // a=x → b=x, confidence 5
    expect(cm.spread![2 * 4 + 1]).toBeCloseTo(2); // b=x → a=y, unrated
    expect(cm.spread![0]).toBe(0);
  });
  it("rejects bad shocks and unknown factors", () => {
    const r = parseModelText(
      `${base}dynamics:\n  responsiveness: { c: 1 }\n  shocks:\n    - { to: b=y, at: 2, probability: 0.5 }\n    - { to: b=z }\n`,
    );
    const codes = r.problems.map((p) => `${p.code} ${p.path}`);
    expect(codes).toContain("unknown-reference dynamics.responsiveness.c");
    expect(codes).toContain("bad-shock dynamics.shocks[0]");
    expect(codes.some((c) => c.startsWith("unknown-reference dynamics.shocks[1].to"))).toBe(true);
  });
  it("a shock at step k sets its state at k; simulate needs a start state", async () => {
    const r = parseModelText(`${base}dynamics:\n  beta: 0\n  shocks:\n    - { to: b=y, at: 2 }\n`);
    const { compileModel } = await import("../../src/model/compile.js");
    const cm = compileModel(r.model!);
    await expect(simulate(cm, { steps: 2, runs: 10, seed: 1 })).rejects.toThrow(/no start state for b/);
    const { result } = await simulate(cm, { steps: 2, runs: 500, seed: 1, given: new Map([[1, 0]]) });
    expect(result.factors[1].states[1].p[2]).toBe(1);
  });
});
