// The long-run (stationary) distribution of the stochastic succession.
//
// Exact: the transition matrix is sparse (from a scenario, only itself and the Σ(m_j − 1)
// scenarios that differ in one factor), so it is stored as one Float32 row of M move
// probabilities per scenario (θ built by an odometer with incremental row updates) and the
// stationary equation π = πP is solved by Gauss–Seidel sweeps in pull form,
//   π_b ← Σ_{a ∈ N(b), a ≠ b} π_a P_ab / (1 − P_bb),
// alternating forward and backward sweeps and renormalising, until the residual
// ‖πP − π‖₁ (checked with one exact power step) is below the tolerance. Probability shocks
// make two-factor jumps, so with shocks the solver falls back to plain power iteration of
// the move-then-shock operator. Exogenous and fixed factors keep their start state (they are
// not moved by succession; dated shocks are ignored in the long run).
//
// When the space is too large to hold (more than `maxStates` scenarios), MCMC: several chains
// from different starts, burn-in, visit frequencies; the Gelman–Rubin R-hat over chains of
// every factor-state indicator is the convergence diagnostic.
import type { CompiledModel } from "../model/compiled.js";
import { type MoveTable, moveTable, type TableContext, weightTables } from "./chunk.js";
import { fromState, streamStates, uniform32 } from "./rng.js";
import { ENGINE_VERSION } from "./run.js";
import { buildSpec, type ChainSpec, type SpecOptions } from "./spec.js";
import { rhatFromCounts } from "./stats.js";

export interface StationaryOptions extends Omit<SpecOptions, "steps"> {
  /** Largest space solved exactly (default 3,000,000 scenarios). */
  maxStates?: number;
  /** Force a method. */
  method?: "auto" | "exact" | "mcmc";
  /** Residual ‖πP − π‖₁ at which the exact solver stops (default 1e-6). */
  tolerance?: number;
  /** Most sweeps of the exact solver (default 3,000). */
  maxSweeps?: number;
  /** MCMC: seed, chains, burn-in steps and sampled steps per chain. */
  seed?: number;
  chains?: number;
  burnIn?: number;
  samples?: number;
  /** How many scenarios to list (default 20). */
  top?: number;
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number; residual?: number }) => void;
}

export interface StationaryResult {
  kind: "prob.stationary";
  engine: { name: string; version: string };
  model: { hash: string };
  method: "exact" | "mcmc";
  partial: boolean;
  beta: Record<string, number>;
  fixed: Record<string, string>;
  /** Exact: sweeps and final residual. */
  exact?: {
    sweeps: number;
    residual: number;
    converged: boolean;
    states: number;
    elapsedMs: number;
    bytes: number;
  };
  /** MCMC: chains, samples per chain, worst R-hat over factor-state indicators. */
  mcmc?: {
    seed: number;
    chains: number;
    burnIn: number;
    samples: number;
    maxRhat: number;
    converged: boolean;
  };
  /** Long-run probability of each factor state. */
  factors: { id: string; states: { id: string; p: number; rhat?: number }[] }[];
  /** Most probable scenarios. */
  scenarios: { states: Record<string, string>; p: number }[];
}

function strides(counts: Int32Array): number[] {
  const n = counts.length;
  const s = new Array<number>(n);
  let acc = 1;
  for (let i = n - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= counts[i];
  }
  return s;
}

/** Exact stationary distribution (π as Float64Array over scenario indices, factor 0 most significant). */
export function exactStationary(
  spec: ChainSpec,
  opts: {
    tolerance?: number;
    maxSweeps?: number;
    signal?: AbortSignal;
    onProgress?: (p: { done: number; total: number; residual?: number }) => void;
  } = {},
): { pi: Float64Array; sweeps: number; residual: number; converged: boolean; bytes: number } {
  const { nFactors: n, counts, offsets, size: m, movable, fixed, start } = spec;
  let S = 1;
  for (let i = 0; i < n; i++) S *= counts[i];
  const st = strides(counts);
  // Incoming layout: for scenario b, entry r ↔ (factor j, rival state l ≠ b_j) in factor order:
  // Pin[b·R + r] = P(a → b) where a is b with factor j set to l.
  const base = new Int32Array(n);
  let R = 0;
  for (let j = 0; j < n; j++) {
    base[j] = R;
    if (movable[j]) R += counts[j] - 1;
  }
  const Pin = new Float32Array(S * R);
  const self = new Float64Array(S);
  const z = new Int32Array(n);
  const ctx: TableContext = {
    spec,
    matrix: spec.matrix,
    ...weightTables(spec, spec.matrix),
    theta: new Int32Array(m),
    weights: new Float64Array(m),
    gains: new Int32Array(m),
  };
  for (let a = 0; a < S; a++) {
    const t: MoveTable = moveTable(ctx, z);
    const total = t.cum.length ? t.cum[t.cum.length - 1] : t.stay;
    let sum = 0;
    let prev = t.stay;
    for (let q = 0; q < t.cum.length; q++) {
      const p = Math.fround((t.cum[q] - prev) / total);
      prev = t.cum[q];
      const j = t.factor[q];
      const l = t.to[q];
      const b = a + (l - z[j]) * st[j];
      Pin[b * R + base[j] + (z[j] < l ? z[j] : z[j] - 1)] = p;
      sum += p;
    }
    self[a] = 1 - sum;
    for (let i = n - 1; i >= 0; i--) {
      if (++z[i] < counts[i]) break;
      z[i] = 0;
    }
  }
  // Start: uniform over the scenarios where non-moving factors hold their start state.
  const pi = new Float64Array(S);
  z.fill(0);
  let inside = 0;
  for (let a = 0; a < S; a++) {
    let ok = true;
    for (let i = 0; i < n; i++)
      if (!movable[i] && counts[i] > 1 && z[i] !== (fixed[i] >= 0 ? fixed[i] : start[i])) ok = false;
    if (ok) {
      pi[a] = 1;
      inside++;
    }
    for (let i = n - 1; i >= 0; i--) {
      if (++z[i] < counts[i]) break;
      z[i] = 0;
    }
  }
  for (let a = 0; a < S; a++) pi[a] /= inside;
  const shocks = spec.shocks.filter((s) => s.probability !== undefined && fixed[s.factor] < 0);
  const next = new Float64Array(S);
  const zs = new Int32Array(n);
  const inflowOf = (b: number): number => {
    let inflow = 0;
    const row = b * R;
    for (let j = 0; j < n; j++) {
      if (!movable[j]) continue;
      const bj = zs[j];
      const sj = st[j];
      let r = row + base[j];
      for (let l = 0; l < counts[j]; l++) {
        if (l === bj) continue;
        inflow += pi[b + (l - bj) * sj] * Pin[r++];
      }
    }
    return inflow;
  };
  const odo = () => {
    for (let i = n - 1; i >= 0; i--) {
      if (++zs[i] < counts[i]) break;
      zs[i] = 0;
    }
  };
  /** One exact step π ↦ πP (then the probability shocks) into `next`; returns ‖πP − π‖₁. */
  const powerStep = (): number => {
    zs.fill(0);
    for (let b = 0; b < S; b++) {
      next[b] = inflowOf(b) + pi[b] * self[b];
      odo();
    }
    for (const sh of shocks) {
      const f = sh.factor;
      const p = sh.probability as number;
      zs.fill(0);
      const moved = new Float64Array(S);
      for (let a = 0; a < S; a++) {
        if (zs[f] !== sh.state && next[a] !== 0) {
          moved[a + (sh.state - zs[f]) * st[f]] += p * next[a];
          next[a] *= 1 - p;
        }
        odo();
      }
      for (let a = 0; a < S; a++) next[a] += moved[a];
    }
    let d = 0;
    for (let a = 0; a < S; a++) d += Math.abs(next[a] - pi[a]);
    return d;
  };
  const gsSweep = (forward: boolean) => {
    if (forward) zs.fill(0);
    else for (let i = 0; i < n; i++) zs[i] = counts[i] - 1;
    for (let s = 0; s < S; s++) {
      const b = forward ? s : S - 1 - s;
      const out = 1 - self[b];
      if (out > 0) pi[b] = inflowOf(b) / out;
      if (forward) odo();
      else
        for (let i = n - 1; i >= 0; i--) {
          if (--zs[i] >= 0) break;
          zs[i] = counts[i] - 1;
        }
    }
    let sum = 0;
    for (let a = 0; a < S; a++) sum += pi[a];
    for (let a = 0; a < S; a++) pi[a] /= sum;
  };
  const tol = opts.tolerance ?? 1e-6;
  const maxSweeps = opts.maxSweeps ?? 3000;
  let sweeps = 0;
  let residual = Number.POSITIVE_INFINITY;
  const useGs = shocks.length === 0;
  // Extrapolation of the slowest mode (metastable basins make it dominant): from snapshots
  // x0, x1, x2 taken 10 sweeps apart, d2 ≈ λ·d1, so x∞ ≈ x2 + d2·λ/(1 − λ). Kept only when
  // it lowers the residual.
  const snap0 = new Float64Array(S);
  const snap1 = new Float64Array(S);
  let snaps = 0;
  const extrapolate = () => {
    let d11 = 0;
    let d12 = 0;
    for (let a = 0; a < S; a++) {
      const d1 = snap1[a] - snap0[a];
      const d2 = pi[a] - snap1[a];
      d11 += d1 * d1;
      d12 += d1 * d2;
    }
    const lambda = d11 > 0 ? d12 / d11 : 0;
    if (!(lambda > 0 && lambda < 0.999)) return;
    const keep = Float64Array.from(pi);
    const before = residual;
    const c = lambda / (1 - lambda);
    let sum = 0;
    for (let a = 0; a < S; a++) {
      const v = pi[a] + (pi[a] - snap1[a]) * c;
      pi[a] = v > 0 ? v : 0;
      sum += pi[a];
    }
    for (let a = 0; a < S; a++) pi[a] /= sum;
    const after = powerStep();
    if (after < before) residual = after;
    else pi.set(keep);
  };
  while (sweeps < maxSweeps && !opts.signal?.aborted) {
    if (useGs) {
      gsSweep(true);
      gsSweep(false);
      sweeps += 2;
      if (sweeps % 10 === 0) {
        residual = powerStep();
        if (snaps >= 2) snap0.set(snap1);
        if (snaps >= 1) snap1.set(pi);
        else snap1.set(pi);
        snaps++;
        if (snaps >= 3 && snaps % 3 === 0 && residual >= tol) extrapolate();
      }
    } else {
      residual = powerStep();
      pi.set(next);
      sweeps++;
    }
    opts.onProgress?.({ done: sweeps, total: maxSweeps, residual });
    if (residual < tol) break;
  }
  if (useGs && sweeps % 10 !== 0) residual = powerStep();
  return {
    pi,
    sweeps,
    residual,
    converged: residual < tol,
    bytes: Pin.byteLength + self.byteLength + 2 * pi.byteLength,
  };
}

/** MCMC estimate: per chain, scenario visit counts and per factor-state visit counts. */
export function mcmcStationary(
  spec: ChainSpec,
  opts: { seed: number; chains: number; burnIn: number; samples: number; signal?: AbortSignal },
): { visits: Map<string, number>; stateHits: Float64Array[]; samples: number } {
  const { nFactors: n, counts, offsets, size: m, movable, fixed, start } = spec;
  const ctx: TableContext = {
    spec,
    matrix: spec.matrix,
    ...weightTables(spec, spec.matrix),
    theta: new Int32Array(m),
    weights: new Float64Array(m),
    gains: new Int32Array(m),
  };
  const streams = streamStates(opts.seed, opts.chains);
  const visits = new Map<string, number>();
  const stateHits: Float64Array[] = [];
  const cache = new Map<string, MoveTable>();
  let taken = opts.samples;
  for (let c = 0; c < opts.chains; c++) {
    const g = fromState(streams[c]);
    const z = new Int32Array(n);
    // Over-dispersed starts: every moving factor uniformly at random.
    for (let i = 0; i < n; i++)
      z[i] = movable[i] ? Math.floor(uniform32(g) * counts[i]) : fixed[i] >= 0 ? fixed[i] : start[i];
    const hits = new Float64Array(m);
    const total = opts.burnIn + opts.samples;
    for (let k = 0; k < total; k++) {
      if ((k & 0xffff) === 0 && opts.signal?.aborted) {
        taken = Math.min(taken, Math.max(0, k - opts.burnIn));
        break;
      }
      const key = z.join(",");
      let e = cache.get(key);
      if (!e) {
        e = moveTable(ctx, z);
        if (cache.size > 400_000) cache.clear();
        cache.set(key, e);
      }
      const last = e.cum.length - 1;
      const u = uniform32(g) * (last >= 0 ? e.cum[last] : e.stay);
      if (u >= e.stay && last >= 0) {
        let q = 0;
        while (q < last && e.cum[q] <= u) q++;
        z[e.factor[q]] = e.to[q];
      }
      for (const sh of spec.shocks)
        if (sh.probability !== undefined && uniform32(g) < sh.probability && fixed[sh.factor] < 0)
          z[sh.factor] = sh.state;
      if (k >= opts.burnIn) {
        for (let i = 0; i < n; i++) hits[offsets[i] + z[i]]++;
        const kz = z.join(",");
        visits.set(kz, (visits.get(kz) ?? 0) + 1);
      }
    }
    stateHits.push(hits);
  }
  return { visits, stateHits, samples: taken };
}

/** The long-run distribution: exact when the space allows, MCMC with R-hat otherwise. */
export function stationary(cm: CompiledModel, opts: StationaryOptions = {}): StationaryResult {
  const spec = buildSpec(cm, { ...opts, steps: 0, conditions: [], paths: false });
  const ids = cm.factorIds;
  let S = 1n;
  for (const c of cm.counts) S *= BigInt(c);
  const maxStates = opts.maxStates ?? 3_000_000;
  const method =
    opts.method === "exact" || (opts.method !== "mcmc" && S <= BigInt(maxStates)) ? "exact" : "mcmc";
  const top = opts.top ?? 20;
  const base = {
    kind: "prob.stationary" as const,
    engine: { name: "muscat-prob", version: ENGINE_VERSION },
    model: { hash: cm.hash },
    beta: Object.fromEntries(ids.map((id, f) => [id, spec.beta[f]])),
    fixed: Object.fromEntries(
      [...spec.fixed].flatMap((s, f) => (s >= 0 ? [[ids[f], cm.stateIds[f][s]]] : [])),
    ),
  };
  const named = (z: ArrayLike<number>) => Object.fromEntries(ids.map((id, f) => [id, cm.stateIds[f][z[f]]]));
  if (method === "exact") {
    const t0 = performance.now();
    const r = exactStationary(spec, opts);
    const elapsedMs = performance.now() - t0;
    const marg = new Float64Array(cm.size);
    const z = new Int32Array(cm.nFactors);
    const order: number[] = [];
    for (let a = 0; a < r.pi.length; a++) {
      for (let i = 0; i < z.length; i++) marg[cm.offsets[i] + z[i]] += r.pi[a];
      for (let i = z.length - 1; i >= 0; i--) {
        if (++z[i] < cm.counts[i]) break;
        z[i] = 0;
      }
      if (order.length < top || r.pi[a] > r.pi[order[order.length - 1]]) {
        order.push(a);
        order.sort((x, y) => r.pi[y] - r.pi[x] || x - y);
        if (order.length > top) order.pop();
      }
    }
    const st = strides(cm.counts);
    return {
      ...base,
      method,
      partial: !r.converged && Boolean(opts.signal?.aborted),
      exact: {
        sweeps: r.sweeps,
        residual: r.residual,
        converged: r.converged,
        states: r.pi.length,
        elapsedMs,
        bytes: r.bytes,
      },
      factors: ids.map((id, f) => ({
        id,
        states: cm.stateIds[f].map((s, l) => ({ id: s, p: marg[cm.offsets[f] + l] })),
      })),
      scenarios: order.map((a) => ({
        states: named(st.map((s, i) => Math.floor(a / s) % cm.counts[i])),
        p: r.pi[a],
      })),
    };
  }
  const chains = opts.chains ?? 4;
  const burnIn = opts.burnIn ?? 10_000;
  const samples = opts.samples ?? 100_000;
  const seed = opts.seed ?? 1;
  const r = mcmcStationary(spec, { seed, chains, burnIn, samples, signal: opts.signal });
  const totalSamples = r.samples * chains;
  let maxRhat = 1;
  const factors = ids.map((id, f) => ({
    id,
    states: cm.stateIds[f].map((s, l) => {
      const idx = cm.offsets[f] + l;
      const hits = r.stateHits.map((h) => h[idx]);
      const rh = rhatFromCounts(hits, r.samples);
      if (Number.isFinite(rh) && rh > maxRhat) maxRhat = rh;
      else if (!Number.isNaN(rh) && !Number.isFinite(rh)) maxRhat = rh;
      return { id: s, p: hits.reduce((a, b) => a + b, 0) / totalSamples, rhat: rh };
    }),
  }));
  const scenarios = [...r.visits.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, top)
    .map(([k, c]) => ({ states: named(k.split(",").map(Number)), p: c / totalSamples }));
  return {
    ...base,
    method,
    partial: r.samples < samples,
    mcmc: { seed, chains, burnIn, samples: r.samples, maxRhat, converged: maxRhat < 1.05 },
    factors,
    scenarios,
  };
}
