/**
 * KTAB's voting and probabilistic-Condorcet-election machinery (Wise et al., KAPSARC Toolkit for Behavioral
 * Analysis; "Markov voting with incentives in KTAB"). Used by the SMP engine for risk attitudes, bargain
 * elections and outcome probabilities.
 */
import type { Rng } from "../random.js";

export type VotingRule = "Binary" | "PropBin" | "Prop" | "PropCbc" | "Cubic" | "ASymProsp";
export type VictoryProbModel = "Linear" | "Square" | "Quartic" | "Octic" | "Binary";
export type PceModel = "Conditional" | "MarkovUniform" | "MarkovIncentive";

/** Influence that an actor of weight w spends for option a over b, given its utilities ua, ub. */
export function vote(rule: VotingRule, w: number, ua: number, ub: number): number {
  const du = ua - ub;
  switch (rule) {
    case "Binary":
      return w * Math.max(-1, Math.min(1, du / 1e-8));
    case "PropBin":
      return w * (0.8 * du + 0.2 * Math.max(-1, Math.min(1, du / 1e-8)));
    case "Prop":
      return w * du;
    case "PropCbc":
      return w * (0.5 * du + 0.5 * du * du * du);
    case "Cubic":
      return w * du * du * du;
    case "ASymProsp":
      return du < 0 ? w * du : du > 0 ? (2 * w * du) / 3 : 0;
  }
}

/** P[a ≻ b] from the two coalition strengths. */
export function victoryProb(model: VictoryProbModel, s1: number, s2: number): number {
  let x1: number;
  let x2: number;
  switch (model) {
    case "Linear":
      x1 = s1;
      x2 = s2;
      break;
    case "Square":
      x1 = s1 * s1;
      x2 = s2 * s2;
      break;
    case "Quartic":
      x1 = s1 ** 4;
      x2 = s2 ** 4;
      break;
    case "Octic":
      x1 = s1 ** 8;
      x2 = s2 ** 8;
      break;
    case "Binary": {
      const t = 1.1;
      if (s1 >= t * s2) {
        x1 = 1;
        x2 = 1e-6;
      } else if (s2 >= t * s1) {
        x1 = 1e-6;
        x2 = 1;
      } else {
        const r12 = s1 / (s1 + s2);
        x1 = (r12 * (t + 1) - 1) / (t - 1);
        x2 = 1 - x1;
      }
      break;
    }
  }
  return x1 / (x1 + x2);
}

/**
 * Coalition matrix C[a][b] = 1e-8 + Σ_k [v_k(a:b)]⁺ for `nOpt` options, voters with weights w and utilities
 * util(k, a). Returned flat, row-major.
 */
export function coalitions(
  nAct: number,
  nOpt: number,
  w: ArrayLike<number>,
  util: (k: number, a: number) => number,
  rule: VotingRule,
): Float64Array {
  const c = new Float64Array(nOpt * nOpt);
  for (let i = 0; i < nOpt; i++) {
    for (let j = 0; j < i; j++) {
      let cij = 1e-8;
      let cji = 1e-8;
      for (let k = 0; k < nAct; k++) {
        const v = vote(rule, w[k], util(k, i), util(k, j));
        if (v > 0) cij += v;
        else if (v < 0) cji -= v;
      }
      c[i * nOpt + j] = cij;
      c[j * nOpt + i] = cji;
    }
    c[i * nOpt + i] = 1e-8;
  }
  return c;
}

export function victoryMatrix(model: VictoryProbModel, c: Float64Array, n: number): Float64Array {
  const p = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const pij = victoryProb(model, c[i * n + j], c[j * n + i]);
      p[i * n + j] = pij;
      p[j * n + i] = 1 - pij;
    }
    p[i * n + i] = 0.5;
  }
  return p;
}

export interface PceResult {
  p: number[];
  /** Iterations used by Markov models (0 for Conditional); `converged` false if the cap was hit. */
  iterations: number;
  converged: boolean;
}

/** Probabilistic Condorcet election over n options from the coalition matrix. */
export function pce(pcem: PceModel, vpm: VictoryProbModel, c: Float64Array, n: number): PceResult {
  const V = victoryMatrix(vpm, c, n);
  if (pcem === "Conditional") {
    const p = new Array<number>(n);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      let pi = 1;
      for (let j = 0; j < n; j++) pi *= V[i * n + j];
      p[i] = pi;
      sum += pi;
    }
    return { p: p.map((v) => v / sum), iterations: 0, converged: true };
  }
  let p = new Array<number>(n).fill(1 / n);
  const maxIter = 1000;
  let iter = 0;
  let change = 1;
  if (pcem === "MarkovUniform") {
    while (change > 1e-6 && iter < maxIter) {
      change = 0;
      const q = new Array<number>(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += V[i * n + j] * (p[i] + p[j]);
        q[i] = s / n;
        change = Math.max(change, Math.abs(q[i] - p[i]));
      }
      p = p.map((v, i) => (v + q[i]) / 2);
      iter++;
    }
    return { p, iterations: iter, converged: change <= 1e-6 };
  }
  // Markov with incentives
  const inc = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) inc[i * n + j] = c[i * n + j] * V[i * n + j] + (i === j ? 1e-10 : 0);
  const chlg = new Float64Array(n * n); // chlg[i][j] = Q(i | j)
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += inc[k * n + j];
    for (let i = 0; i < n; i++) chlg[i * n + j] = inc[i * n + j] / s;
  }
  while (change > 1e-8 && iter < maxIter) {
    change = 0;
    const q = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += V[i * n + j] * (p[i] * chlg[j * n + i] + p[j] * chlg[i * n + j]);
      q[i] = s;
      change = Math.max(change, Math.abs(q[i] - p[i]));
    }
    p = p.map((v, i) => (v + q[i]) / 2);
    iter++;
  }
  return { p, iterations: iter, converged: change <= 1e-8 };
}

/** PCE over options from utilities: util(k, a), voter weights w. */
export function scalarPce(
  nAct: number,
  nOpt: number,
  w: ArrayLike<number>,
  util: (k: number, a: number) => number,
  rule: VotingRule,
  vpm: VictoryProbModel,
  pcem: PceModel,
): PceResult {
  return pce(pcem, vpm, coalitions(nAct, nOpt, w, util, rule), nOpt);
}

/** Index of the largest probability (first on ties), or a draw from the distribution. */
export function pickOption(p: number[], mode: "Deterministic" | "Stochastic", rng?: Rng): number {
  if (mode === "Stochastic") {
    if (!rng) throw new Error("pickOption: Stochastic mode needs a seeded generator");
    const u = rng.next();
    let cum = 0;
    for (let m = 0; m < p.length; m++) {
      cum += p[m];
      if (u < cum) return m;
    }
    return p.length - 1;
  }
  let best = 0;
  for (let m = 1; m < p.length; m++) if (p[m] > p[best]) best = m;
  return best;
}
