// The long-run (stationary) distribution of the stochastic succession.
//
// Exact (exact.ts): the sparse transition matrix over the scenarios of the factors that can
// move in the long run, solved by iterative aggregation–disaggregation over the basins of the
// β → ∞ dynamics (default), GMRES preconditioned by Gauss–Seidel (default with probability
// shocks), or plain Gauss–Seidel (for comparison), to a residual ‖πT − π‖₁ below `tolerance`.
// Exogenous and fixed factors keep their start state (they are not moved by succession; dated
// shocks are ignored in the long run; probability shocks are part of T).
//
// When the space is too large to hold (more than `maxStates` scenarios), MCMC: several chains
// from different starts, burn-in, visit frequencies; the Gelman–Rubin R-hat over chains of
// every factor-state indicator is the convergence diagnostic.
import type { CompiledModel } from "../model/compiled.js";
import { fromState, streamStates, uniform32 } from "../random.js";
import { type MoveTable, moveTable, type TableContext, weightTables } from "./chunk.js";
import { type ExactMethod, type ExactSolution, solveExact } from "./exact.js";
import { ENGINE_VERSION } from "./run.js";
import { buildSpec, type ChainSpec, type SpecOptions } from "./spec.js";
import { rhatFromCounts } from "./stats.js";

export interface StationaryOptions extends Omit<SpecOptions, "steps"> {
  /** Largest space solved exactly (default 3,000,000 scenarios). */
  maxStates?: number;
  /** Force a method. */
  method?: "auto" | "exact" | "mcmc";
  /** Exact solver: iad (default), gmres (default with probability shocks) or gauss-seidel. */
  solver?: ExactMethod | "auto";
  /** Residual ‖πT − π‖₁ at which the exact solver stops (default 1e-12). */
  tolerance?: number;
  /** Most iterations of the exact solver (IAD steps, GMRES steps or sweeps). */
  maxIterations?: number;
  /** @deprecated alias of maxIterations. */
  maxSweeps?: number;
  /** GMRES restart length (default 20). */
  restart?: number;
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
  /** Exact: solver, iterations, passes over the matrix, final residual, memory. */
  exact?: {
    solver: ExactMethod;
    iterations: number;
    /** Passes over the matrix (kept under its former name). */
    sweeps: number;
    residual: number;
    converged: boolean;
    states: number;
    elapsedMs: number;
    buildMs: number;
    bytes: number;
    /** Factors held at one state (exogenous without probability shocks, or fixed). */
    held: Record<string, string>;
    /** Basins of attraction of the β → ∞ dynamics (the aggregates): attractor, size, probability. */
    basins: { attractor: Record<string, string>; cycle: number; size: number; p: number }[];
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

/** Exact stationary distribution over the solved space (see exact.ts). */
export function exactStationary(
  spec: ChainSpec,
  opts: {
    solver?: ExactMethod | "auto";
    tolerance?: number;
    maxIterations?: number;
    restart?: number;
    signal?: AbortSignal;
    onProgress?: (p: { done: number; total: number; residual?: number }) => void;
  } = {},
): ExactSolution {
  return solveExact(spec, { tolerance: 1e-12, ...opts });
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
    const r = exactStationary(spec, {
      solver: opts.solver,
      tolerance: opts.tolerance,
      maxIterations: opts.maxIterations ?? opts.maxSweeps,
      restart: opts.restart,
      signal: opts.signal,
      onProgress: opts.onProgress,
    });
    const elapsedMs = performance.now() - t0;
    const n = cm.nFactors;
    const marg = new Float64Array(cm.size);
    const full = Int32Array.from(r.held);
    const zr = new Int32Array(r.free.length);
    const rc = Int32Array.from(r.free.map((f) => cm.counts[f]));
    const order: number[] = [];
    for (let a = 0; a < r.pi.length; a++) {
      for (let k = 0; k < zr.length; k++) full[r.free[k]] = zr[k];
      for (let i = 0; i < n; i++) marg[cm.offsets[i] + full[i]] += r.pi[a];
      for (let k = zr.length - 1; k >= 0; k--) {
        if (++zr[k] < rc[k]) break;
        zr[k] = 0;
      }
      if (order.length < top || r.pi[a] > r.pi[order[order.length - 1]]) {
        order.push(a);
        order.sort((x, y) => r.pi[y] - r.pi[x] || x - y);
        if (order.length > top) order.pop();
      }
    }
    const st = strides(rc);
    const fullOf = (a: number) => {
      const z = Int32Array.from(r.held);
      r.free.forEach((f, k) => {
        z[f] = Math.floor(a / st[k]) % rc[k];
      });
      return z;
    };
    return {
      ...base,
      method,
      partial: !r.converged && Boolean(opts.signal?.aborted),
      exact: {
        solver: r.solver,
        iterations: r.iterations,
        sweeps: r.passes,
        residual: r.residual,
        converged: r.converged,
        states: r.pi.length,
        elapsedMs,
        buildMs: r.buildMs,
        bytes: r.bytes,
        held: Object.fromEntries(
          [...r.held].flatMap((s, f) => (s >= 0 && cm.counts[f] > 1 ? [[ids[f], cm.stateIds[f][s]]] : [])),
        ),
        basins: (r.basins ?? []).slice(0, top).map((b) => ({
          attractor: named(fullOf(b.attractor)),
          cycle: b.cycle,
          size: b.size,
          p: b.p,
        })),
      },
      factors: ids.map((id, f) => ({
        id,
        states: cm.stateIds[f].map((s, l) => ({ id: s, p: marg[cm.offsets[f] + l] })),
      })),
      scenarios: order.map((a) => ({ states: named(fullOf(a)), p: r.pi[a] })),
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
