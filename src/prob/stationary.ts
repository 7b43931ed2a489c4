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
  /** Polled with the signal (a synchronous run cannot see an abort while it computes). */
  shouldStop?: () => boolean;
  onProgress?: (p: { done: number; total: number; residual?: number }) => void;
}

export interface StationaryResult {
  kind: "prob.stationary";
  engine: { name: string; version: string };
  model: { hash: string };
  method: "exact" | "mcmc";
  /**
   * True when the run was stopped: exact, the solver's last iterate (exact.converged false);
   * MCMC, the samples taken so far (mcmc.samples below the requested mcmc.requested).
   */
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
    /** Samples per chain taken (every chain the same; fewer than requested when partial). */
    samples: number;
    /** Only when partial: the samples per chain asked for. */
    requested?: number;
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
    shouldStop?: () => boolean;
    onProgress?: (p: { done: number; total: number; residual?: number }) => void;
  } = {},
): ExactSolution {
  return solveExact(spec, { tolerance: 1e-12, ...opts });
}

/** Steps between two stop polls of the MCMC (a few milliseconds of work). */
const MCMC_POLL = 4096;

/**
 * MCMC estimate: per chain, scenario visit counts and per factor-state visit counts. The chains
 * advance in blocks of MCMC_POLL steps, all chains a block in turn, with a stop poll between
 * blocks: a stopped run keeps the same number of samples in every chain (none when it stopped
 * in burn-in), so its frequencies and R-hat are those of a shorter run with the same seed.
 */
export function mcmcStationary(
  spec: ChainSpec,
  opts: {
    seed: number;
    chains: number;
    burnIn: number;
    samples: number;
    signal?: AbortSignal;
    shouldStop?: () => boolean;
    onProgress?: (p: { done: number; total: number }) => void;
  },
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
  const cache = new Map<string, MoveTable>();
  const stop = () => opts.shouldStop?.() === true || opts.signal?.aborted === true;
  const total = opts.burnIn + opts.samples;
  // The chains advance together, a block of steps each in turn; each keeps its own stream, so
  // the estimate is the same as running them one after the other.
  const gens = streams.map((st) => fromState(st));
  const zs: Int32Array[] = [];
  const stateHits: Float64Array[] = [];
  for (let c = 0; c < opts.chains; c++) {
    const g = gens[c];
    const z = new Int32Array(n);
    // Over-dispersed starts: every moving factor uniformly at random.
    for (let i = 0; i < n; i++)
      z[i] = movable[i] ? Math.floor(uniform32(g) * counts[i]) : fixed[i] >= 0 ? fixed[i] : start[i];
    zs.push(z);
    stateHits.push(new Float64Array(m));
  }
  let k0 = 0;
  for (let round = 0; k0 < total; round++) {
    if (stop()) break;
    if (round % 16 === 0) opts.onProgress?.({ done: k0, total });
    const k1 = Math.min(total, k0 + MCMC_POLL);
    for (let c = 0; c < opts.chains; c++) {
      const g = gens[c];
      const z = zs[c];
      const hits = stateHits[c];
      for (let k = k0; k < k1; k++) {
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
    }
    k0 = k1;
  }
  return { visits, stateHits, samples: Math.max(0, k0 - opts.burnIn) };
}

/** The long-run distribution: exact when the space allows, MCMC with R-hat otherwise. */
export function stationary(cm: CompiledModel, opts: StationaryOptions = {}): StationaryResult {
  // The exact solver watches a signal between iterations: abort it when the poll says stop.
  const ac = new AbortController();
  const stopped = () => {
    if (!ac.signal.aborted && (opts.shouldStop?.() === true || opts.signal?.aborted === true)) ac.abort();
    return ac.signal.aborted;
  };
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
      signal: ac.signal,
      shouldStop: stopped,
      onProgress: (p) => {
        stopped();
        opts.onProgress?.(p);
      },
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
      partial: !r.converged && stopped(),
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
  const r = mcmcStationary(spec, {
    seed,
    chains,
    burnIn,
    samples,
    signal: opts.signal,
    shouldStop: opts.shouldStop,
    onProgress: opts.onProgress,
  });
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
      return { id: s, p: totalSamples > 0 ? hits.reduce((a, b) => a + b, 0) / totalSamples : 0, rhat: rh };
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
    mcmc: {
      seed,
      chains,
      burnIn,
      samples: r.samples,
      ...(r.samples < samples ? { requested: samples } : {}),
      maxRhat,
      converged: r.samples > 0 && maxRhat < 1.05,
    },
    factors,
    scenarios,
  };
}
