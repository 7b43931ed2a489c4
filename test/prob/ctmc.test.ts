// Continuous-time dynamics (src/prob/ctmc.ts) against independent computations: a hand-worked
// two-state chain, exact uniformization (src/prob/transient.ts) on random small models against
// Monte Carlo, a dense matrix exponential by Taylor series against uniformization, the CIB
// attractors as β → ∞, and the cluster-robust interval against the spread between seeds.
import { describe, expect, it } from "vitest";
import { scenarioAt } from "../../src/cib/core.js";
import { findKernel } from "../../src/cib/kernel.js";
import { randomModel } from "../../src/cib/random.js";
import type { CompiledModel } from "../../src/model/compiled.js";
import { simulate } from "../../src/prob/simulate.js";
import { buildSpec, DAYS_PER_MONTH, parseCondition } from "../../src/prob/spec.js";
import { generator, transient } from "../../src/prob/transient.js";

const withCurrent = (cm: CompiledModel, z: number[]): CompiledModel => ({
  ...cm,
  current: Int32Array.from(z),
});
const monthly = (K: number) => Float64Array.from({ length: K + 1 }, (_, k) => k * DAYS_PER_MONTH);

describe("continuous-time dynamics", () => {
  it("a lone two-state factor: P(stay) = ½ + ½·e^{−λt} (hand-worked), exactly and by Monte Carlo", () => {
    // One factor, no impacts: at each tick (rate λ) it picks either state with probability ½,
    // so it leaves at rate λ/2 and comes back at rate λ/2.
    const cm = withCurrent(randomModel([2, 2], 1, { lo: 0, hi: 0 }), [0, 0]);
    const spec = buildSpec(cm, { steps: 6, mode: "continuous", grid: monthly(6) });
    const lambda = spec.rates![0];
    const ex = transient(spec);
    for (let k = 0; k <= 6; k++) {
      const t = spec.grid![k];
      const stay = 0.5 + 0.5 * Math.exp(-lambda * t);
      // marginal of factor 0 in state 0
      const p0 = ex.p[k][0] + ex.p[k][1];
      expect(p0).toBeCloseTo(stay, 12);
    }
  });

  it("uniformization agrees with a dense matrix exponential (Taylor series with scaling and squaring)", () => {
    const cm = withCurrent(randomModel([2, 3, 2], 7), [0, 1, 1]);
    const spec = buildSpec(cm, { steps: 3, mode: "continuous", grid: Float64Array.from([0, 10, 45, 200]) });
    const g = generator(spec, spec.rates!, spec.beta);
    const N = g.count;
    const Q = Array.from({ length: N }, (_, x) => {
      const row = new Array(N).fill(0);
      g.to[x].forEach((y, e) => {
        row[y] += g.rate[x][e];
      });
      row[x] -= g.exit[x];
      return row;
    });
    const mul = (A: number[][], B: number[][]) =>
      A.map((r) => B[0].map((_, j) => r.reduce((s, v, k) => s + v * B[k][j], 0)));
    const expm = (t: number) => {
      // e^{Qt} = (e^{Qt/2^s})^{2^s}, the inner one by 30 Taylor terms.
      const s = 10;
      const A = Q.map((r) => r.map((v) => (v * t) / 2 ** s));
      let term: number[][] = A.map((r, i) => r.map((_, j) => (i === j ? 1 : 0)));
      let sum: number[][] = term.map((r) => r.slice());
      for (let k = 1; k <= 30; k++) {
        term = mul(term, A).map((r) => r.map((v) => v / k));
        sum = sum.map((r, i) => r.map((v, j) => v + term[i][j]));
      }
      for (let q = 0; q < s; q++) sum = mul(sum, sum);
      return sum;
    };
    const ex = transient(spec);
    const start = 0 * 6 + 1 * 2 + 1;
    for (let k = 1; k <= 3; k++) {
      const E = expm(spec.grid![k]);
      for (let y = 0; y < N; y++) expect(ex.p[k][y]).toBeCloseTo(E[start][y], 10);
    }
  });

  it("Monte Carlo matches exact transient probabilities on random small models (states, by, at)", async () => {
    for (const [counts, seed] of [
      [[2, 3, 2], 11],
      [[3, 3, 2, 2], 12],
      [[2, 2, 2, 2, 2], 13],
    ] as [number[], number][]) {
      const cm = withCurrent(
        randomModel(counts, seed),
        counts.map(() => 0),
      );
      const cond = parseCondition(cm, `F1=F1s2,F2=F2s2`);
      const K = 8;
      const opts = { steps: K, mode: "continuous" as const, grid: monthly(K), conditions: [cond] };
      const spec = buildSpec(cm, opts);
      const ex = transient(spec);
      const runs = 40_000;
      const { result, tally } = await simulate(cm, { ...opts, runs, seed: 5, chunkSize: 5000 });
      const z = new Int32Array(counts.length);
      for (let k = 0; k <= K; k++) {
        // factor marginals
        const marg = counts.map((c) => new Array(c).fill(0));
        ex.p[k].forEach((v, x) => {
          scenarioAt(counts, x, z);
          z.forEach((s, f) => {
            marg[f][s] += v;
          });
        });
        counts.forEach((c, f) => {
          for (let s = 0; s < c; s++) {
            const p = marg[f][s];
            const phat = result.factors[f].states[s].p[k];
            const se = Math.sqrt((p * (1 - p)) / runs) + 1e-9;
            expect(Math.abs(phat - p), `F${f + 1}s${s + 1} at step ${k}`).toBeLessThan(4.5 * se + 1e-12);
          }
        });
        for (const [mc, exact] of [
          [result.conditions[0].byStep[k].p, ex.reached[0][k]],
          [result.conditions[0].atStep[k].p, ex.holds[0][k]],
        ]) {
          const se = Math.sqrt((exact * (1 - exact)) / runs) + 1e-9;
          expect(Math.abs(mc - exact)).toBeLessThan(4.5 * se + 1e-12);
        }
      }
      expect(tally.runs).toBe(runs);
      expect(result.interval).toBe("wilson-95");
    }
  }, 60_000);

  it("β → ∞: consistent scenarios with strict margins are absorbing; the chain settles in the CIB attractors", async () => {
    for (const seed of [21, 22, 23, 24]) {
      const counts = [2, 3, 2, 3];
      const base = randomModel(counts, seed);
      const kernel = findKernel(base);
      for (const s of kernel.scenarios) {
        const cm = withCurrent(base, s.states);
        const spec = buildSpec(cm, {
          steps: 2,
          mode: "continuous",
          grid: monthly(2),
          beta: Number.POSITIVE_INFINITY,
        });
        const ex = transient(spec);
        const startIdx = s.states.reduce((x, v, i) => x * counts[i] + v, 0);
        // A strict margin (cv > 0): every factor's state is its only best response.
        if (s.cv > 0) expect(ex.p[2][startIdx]).toBeCloseTo(1, 12);
      }
      // From any start, at β = ∞ and over a long time, the mass ends on the consistent
      // scenarios and on cycles of best responses (when the kernel is empty, only cycles).
      const cm = withCurrent(
        base,
        counts.map(() => 0),
      );
      const spec = buildSpec(cm, {
        steps: 1,
        mode: "continuous",
        grid: Float64Array.from([0, 3650]),
        beta: Number.POSITIVE_INFINITY,
      });
      const g = generator(spec, spec.rates!, spec.beta);
      const ex = transient(spec);
      const consistent = new Set(kernel.scenarios.map((s) => s.states.join(",")));
      const z = new Int32Array(counts.length);
      let onKernel = 0;
      ex.p[1].forEach((v, x) => {
        scenarioAt(counts, x, z);
        if (consistent.has([...z].join(","))) {
          onKernel += v;
          // a consistent scenario's exits at β = ∞ go only to tied best responses
          if (v > 1e-9) expect(g.exit[x] === 0 || kernel.scenarios.some((s) => s.cv === 0)).toBe(true);
        } else if (v > 1e-6) {
          // an inconsistent scenario holding mass in the long run lies on a best-response cycle:
          // it can be left (exit > 0) and is not a fixed point
          expect(g.exit[x]).toBeGreaterThan(0);
        }
      });
      if (kernel.scenarios.length > 0 && kernel.scenarios.every((s) => s.cv > 0))
        expect(onKernel).toBeGreaterThan(0);
    }
  });

  it("a hand-built model: best responses lead to its one consistent scenario, which β → ∞ recovers", () => {
    // A promotes B's first state strongly and B promotes A's first state: (0,0) is the only
    // consistent scenario, and from (1,1) best-response moves lead there.
    const cm0 = randomModel([2, 2], 3, { lo: 0, hi: 0 });
    const M = cm0.size;
    const matrix = new Int32Array(M * M);
    const set = (r: number, c: number, v: number) => {
      matrix[r * M + c] = v;
    };
    // rows: A0, A1, B0, B1
    set(0, 2, 3);
    set(0, 3, -3);
    set(1, 2, 3);
    set(1, 3, -3);
    set(2, 0, 3);
    set(2, 1, -3);
    set(3, 0, 1);
    set(3, 1, -1);
    const cm = withCurrent({ ...cm0, matrix }, [1, 1]);
    const kernel = findKernel(cm);
    expect(kernel.scenarios.map((s) => s.states.join(","))).toEqual(["0,0"]);
    for (const [beta, atLeast] of [
      [Number.POSITIVE_INFINITY, 0.999999],
      [4, 0.99],
      [0, 0.25],
    ] as const) {
      const spec = buildSpec(cm, { steps: 1, mode: "continuous", grid: Float64Array.from([0, 3650]), beta });
      const ex = transient(spec);
      if (beta === 0)
        expect(ex.p[1][0]).toBeCloseTo(0.25, 9); // β = 0: uniform
      else expect(ex.p[1][0]).toBeGreaterThan(atLeast);
    }
  });

  it("judgment, rate and β draws: the interval is cluster-robust and covers the spread between seeds", async () => {
    const cm = withCurrent(randomModel([2, 3, 2], 31), [0, 0, 0]);
    const cond = parseCondition(cm, "F2=F2s3");
    const opts = {
      steps: 6,
      mode: "continuous" as const,
      grid: monthly(6),
      conditions: [cond],
      uncertainty: true,
      runsPerMatrix: 50,
      runs: 4000,
      chunkSize: 1000,
    };
    const estimates: { p: number; lo: number; hi: number }[] = [];
    for (let seed = 1; seed <= 40; seed++) {
      const { result } = await simulate(cm, { ...opts, seed });
      expect(result.interval).toBe("cluster-wilson-95");
      estimates.push(result.conditions[0].byStep[6]);
    }
    // The seeds' estimates scatter with the true standard error: the mean half-width of the
    // intervals is about 1.96 × their standard deviation (within a factor of 1.5 both ways),
    // where the Wilson interval that treats runs as independent is much narrower.
    const ps = estimates.map((e) => e.p);
    const mean = ps.reduce((a, b) => a + b, 0) / ps.length;
    const sd = Math.sqrt(ps.reduce((a, b) => a + (b - mean) ** 2, 0) / (ps.length - 1));
    const half = estimates.reduce((a, e) => a + (e.hi - e.lo) / 2, 0) / estimates.length;
    expect(half / (1.96 * sd)).toBeGreaterThan(1 / 1.5);
    expect(half / (1.96 * sd)).toBeLessThan(1.5);
    const naive = 1.96 * Math.sqrt((mean * (1 - mean)) / opts.runs);
    expect(half).toBeGreaterThan(1.3 * naive);
  }, 120_000);
});
