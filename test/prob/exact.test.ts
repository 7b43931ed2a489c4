import { describe, expect, it } from "vitest";
import { scoreScenario } from "../../src/cib/core.js";
import { findKernel } from "../../src/cib/kernel.js";
import { randomModel } from "../../src/cib/random.js";
import { compileModel } from "../../src/model/compile.js";
import type { CompiledModel } from "../../src/model/compiled.js";
import { loadModelOrThrow } from "../../src/model/load-file.js";
import { gth } from "../../src/prob/exact.js";
import { buildSpec } from "../../src/prob/spec.js";
import { mcmcStationary, stationary } from "../../src/prob/stationary.js";

// Independent reference: the dense move-then-shock matrix straight from the formula over the
// scenarios where held factors (fixed, or exogenous without probability shocks) keep their
// state, θ from the CIB engine's scoreScenario, and a direct solve of π(T − I) = 0, Σπ = 1 by
// Gaussian elimination with partial pivoting.
interface Dense {
  states: number[][];
  pi: number[];
}
function denseStationary(
  cm: CompiledModel,
  beta: number[],
  opts: { fix?: Map<number, number>; shocks?: { factor: number; state: number; probability: number }[] } = {},
): Dense {
  const n = cm.nFactors;
  const shocks = (opts.shocks ?? []).filter((s) => !opts.fix?.has(s.factor));
  const moves = (f: number) => !cm.exogenous[f] && !opts.fix?.has(f);
  const free = (f: number) => moves(f) || shocks.some((s) => s.factor === f);
  const heldAt = (f: number) => opts.fix?.get(f) ?? cm.current?.[f] ?? 0;
  const states: number[][] = [];
  const rec = (z: number[]) => {
    if (z.length === n) return void states.push(z);
    const f = z.length;
    if (!free(f)) return rec([...z, heldAt(f)]);
    for (let s = 0; s < cm.counts[f]; s++) rec([...z, s]);
  };
  rec([]);
  const S = states.length;
  const index = new Map(states.map((z, i) => [z.join(","), i]));
  const T = states.map((a) => {
    const th = scoreScenario(cm, a).balance;
    const w: [number[], number][] = [[a, 1]];
    for (let j = 0; j < n; j++) {
      if (!moves(j)) continue;
      for (let l = 0; l < cm.counts[j]; l++) {
        if (l === a[j]) continue;
        const b = a.slice();
        b[j] = l;
        w.push([b, Math.exp(beta[j] * (th[j][l] - th[j][a[j]]))]);
      }
    }
    const tot = w.reduce((s, x) => s + x[1], 0);
    let dist: [number[], number][] = w.map(([b, x]) => [b, x / tot]);
    for (const sh of shocks)
      dist = dist.flatMap(([b, p]): [number[], number][] => {
        if (b[sh.factor] === sh.state) return [[b, p]];
        const c = b.slice();
        c[sh.factor] = sh.state;
        return [
          [b, p * (1 - sh.probability)],
          [c, p * sh.probability],
        ];
      });
    const row = new Array<number>(S).fill(0);
    for (const [b, p] of dist) row[index.get(b.join(",")) as number] += p;
    return row;
  });
  // A = (T − I)ᵀ with the last equation replaced by Σπ = 1.
  const A = Array.from({ length: S }, (_, i) => states.map((_, a) => T[a][i] - (a === i ? 1 : 0)));
  A[S - 1] = new Array(S).fill(1);
  const rhs = new Array<number>(S).fill(0);
  rhs[S - 1] = 1;
  for (let c = 0; c < S; c++) {
    let p = c;
    for (let r = c + 1; r < S; r++) if (Math.abs(A[r][c]) > Math.abs(A[p][c])) p = r;
    [A[c], A[p]] = [A[p], A[c]];
    [rhs[c], rhs[p]] = [rhs[p], rhs[c]];
    for (let r = c + 1; r < S; r++) {
      const f = A[r][c] / A[c][c];
      if (f === 0) continue;
      for (let k = c; k < S; k++) A[r][k] -= f * A[c][k];
      rhs[r] -= f * rhs[c];
    }
  }
  const pi = new Array<number>(S).fill(0);
  for (let r = S - 1; r >= 0; r--) {
    let s = rhs[r];
    for (let k = r + 1; k < S; k++) s -= A[r][k] * pi[k];
    pi[r] = s / A[r][r];
  }
  return { states, pi };
}

/** Largest |difference| between the solver's result and the dense one, per scenario and per marginal. */
function compare(cm: CompiledModel, r: ReturnType<typeof stationary>, d: Dense): number {
  let worst = 0;
  for (let f = 0; f < cm.nFactors; f++)
    for (let l = 0; l < cm.counts[f]; l++) {
      const exact = d.states.reduce((s, z, i) => s + (z[f] === l ? d.pi[i] : 0), 0);
      worst = Math.max(worst, Math.abs(r.factors[f].states[l].p - exact));
    }
  // Every listed scenario (top: all of them).
  const byKey = new Map(d.states.map((z, i) => [z.join(","), d.pi[i]]));
  let listed = 0;
  for (const s of r.scenarios) {
    const z = cm.factorIds.map((id, f) => cm.stateIds[f].indexOf(s.states[id]));
    const exact = byKey.get(z.join(",")) ?? 0;
    listed += exact;
    worst = Math.max(worst, Math.abs(s.p - exact));
  }
  // Top-N scenarios listed: their dense probabilities add up to what the solver lists.
  expect(listed).toBeGreaterThan(0);
  return worst;
}

const withCurrent = (cm: CompiledModel, z: number[]): CompiledModel => ({
  ...cm,
  current: Int32Array.from(z),
});
const SOLVERS = ["iad", "gmres", "gauss-seidel"] as const;

describe("exact long-run distribution against a dense direct solve", () => {
  const cases: { counts: number[]; seed: number; beta: number[] }[] = [
    { counts: [3, 2, 3], seed: 11, beta: [0.7, 0.7, 0.7] },
    { counts: [3, 3, 2, 3], seed: 4, beta: [1, 1, 1, 1] },
    { counts: [2, 4, 3, 2], seed: 17, beta: [2, 0.5, 1.5, 1] },
    { counts: [3, 3, 3, 3], seed: 23, beta: [2.5, 2.5, 2.5, 2.5] }, // strongly metastable
  ];
  for (const { counts, seed, beta } of cases)
    it(`random ${counts.join("×")} seed ${seed}, β ${beta.join("/")}: every solver to 1e-9`, () => {
      const base = randomModel(counts, seed);
      const cm: CompiledModel = {
        ...withCurrent(
          base,
          counts.map(() => 0),
        ),
        beta: Float64Array.from(beta),
      };
      const d = denseStationary(cm, beta);
      const S = d.states.length;
      for (const solver of SOLVERS) {
        const r = stationary(cm, { solver, tolerance: 1e-13, maxIterations: 20_000, top: S });
        expect(r.exact?.solver).toBe(solver);
        expect(r.exact?.converged).toBe(true);
        expect(r.exact?.residual).toBeLessThan(1e-13);
        expect(r.exact?.states).toBe(S);
        expect(compare(cm, r, d)).toBeLessThan(1e-9);
        // The basins partition the space and carry all the mass.
        const b = r.exact?.basins ?? [];
        expect(b.reduce((s, x) => s + x.size, 0)).toBe(S);
        expect(b.reduce((s, x) => s + x.p, 0)).toBeCloseTo(1, 12);
      }
    });

  it("the fixed-point attractors of the β → ∞ dynamics are the CIB kernel", () => {
    for (const seed of [4, 8, 21, 30]) {
      const cm = withCurrent(randomModel([3, 3, 2, 3], seed), [0, 0, 0, 0]);
      const kernel = findKernel(cm)
        .scenarios.map((s) => s.states.join(","))
        .sort();
      const r = stationary(cm, { beta: 1, top: 100 });
      const fixedPoints = (r.exact?.basins ?? [])
        .filter((b) => b.cycle === 1)
        .map((b) => cm.factorIds.map((id, f) => cm.stateIds[f].indexOf(b.attractor[id])).join(","))
        .sort();
      expect(fixedPoints).toEqual(kernel);
    }
  });

  it("probability shocks (two-factor jumps): gmres, iad (→ gmres) and power iteration agree with the dense solve", () => {
    const cm0 = withCurrent(randomModel([3, 2, 3, 2], 5), [0, 0, 0, 0]);
    const shocks = [
      { factor: 0, state: 2, probability: 0.05 },
      { factor: 3, state: 1, probability: 0.2 },
    ];
    // Factor 1 exogenous with a shock: it moves only by the shock (and ends at its state).
    const cm: CompiledModel = {
      ...cm0,
      exogenous: [false, false, false, true],
      shocks,
      beta: Float64Array.of(1.2, 1.2, 1.2, 1.2),
    };
    const d = denseStationary(cm, [1.2, 1.2, 1.2, 1.2], { shocks });
    for (const solver of SOLVERS) {
      const r = stationary(cm, { solver, tolerance: 1e-13, maxIterations: 20_000, top: 100 });
      expect(r.exact?.solver).toBe(solver === "iad" ? "gmres" : solver);
      expect(r.exact?.converged).toBe(true);
      expect(compare(cm, r, d)).toBeLessThan(1e-9);
      expect(r.factors[3].states[1].p).toBeCloseTo(1, 12);
    }
    // Without the shocks, the exogenous factor is held at its current state.
    const q = stationary(cm, { noShocks: true, top: 100 });
    expect(q.exact?.held).toEqual({ F4: "F4s1" });
    expect(q.exact?.states).toBe(18);
  });

  it("interventions: held factors leave the solved space; the rest matches the dense slice", () => {
    const cm = withCurrent(randomModel([3, 3, 2, 3], 8), [1, 0, 1, 2]);
    const fix = new Map([[1, 2]]);
    const d = denseStationary(cm, [1, 1, 1, 1], { fix });
    const r = stationary(cm, { beta: 1, fix, top: 100, tolerance: 1e-13 });
    expect(r.exact?.states).toBe(18);
    expect(r.exact?.held).toEqual({ F2: "F2s3" });
    expect(r.factors[1].states.map((s) => s.p)).toEqual([0, 0, 1]);
    expect(compare(cm, r, d)).toBeLessThan(1e-9);
  });

  it("GTH solves a small chain (checked by πC = π)", () => {
    const P = [
      [0.5, 0.3, 0.2],
      [1e-9, 1 - 3e-9, 2e-9],
      [0.1, 0.6, 0.3],
    ];
    const x = gth(Float64Array.from(P.flat()), 3);
    for (let j = 0; j < 3; j++) {
      const y = P.reduce((s, row, i) => s + x[i] * row[j], 0);
      expect(Math.abs(y - x[j]) / x[j]).toBeLessThan(1e-12);
    }
    expect(x[0] + x[1] + x[2]).toBeCloseTo(1, 15);
  });
});

describe("the seed model's exact long-run distribution", () => {
  it("IAD converges below 1e-10 and agrees with a long MCMC within its intervals", () => {
    const { model } = loadModelOrThrow(new URL("../../models/oman-2025.yaml", import.meta.url).pathname);
    const cm = compileModel(model);
    const r = stationary(cm, { tolerance: 1e-11 });
    expect(r.exact?.solver).toBe("iad");
    expect(r.exact?.states).toBe(944_784);
    expect(r.exact?.converged).toBe(true);
    expect(r.exact?.residual).toBeLessThan(1e-10);
    expect(r.exact?.basins.length).toBe(3);
    // Long MCMC: 8 independent chains from over-dispersed starts; the interval of each
    // factor-state probability is the mean of the chain means ± t(7, 0.999)·SE over chains.
    const spec = buildSpec(cm, { steps: 0, conditions: [], paths: false });
    const C = 8;
    const N = 100_000;
    const mc = mcmcStationary(spec, { seed: 7, chains: C, burnIn: 20_000, samples: N });
    let widest = 0;
    for (let f = 0; f < cm.nFactors; f++)
      for (let l = 0; l < cm.counts[f]; l++) {
        const means = mc.stateHits.map((h) => h[cm.offsets[f] + l] / N);
        const mean = means.reduce((x, y) => x + y, 0) / C;
        const sd = Math.sqrt(means.reduce((x, y) => x + (y - mean) ** 2, 0) / (C - 1));
        const half = 5.41 * (sd / Math.sqrt(C)) + 5 / (C * N);
        expect(Math.abs(r.factors[f].states[l].p - mean)).toBeLessThanOrEqual(half);
        widest = Math.max(widest, half);
      }
    console.log(`seed model: widest MCMC half-width ${widest.toFixed(4)}`);
    expect(widest).toBeLessThan(0.05); // the intervals are informative
    // The top scenario's visit share, same interval construction over the pooled count.
    const top = r.scenarios[0];
    const key = cm.factorIds.map((id, f) => cm.stateIds[f].indexOf(top.states[id])).join(",");
    const share = (mc.visits.get(key) ?? 0) / (C * N);
    expect(Math.abs(share - top.p)).toBeLessThan(0.02);
  }, 120_000);
});
