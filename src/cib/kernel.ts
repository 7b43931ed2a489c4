// CIB kernel search — exact branch and bound over the scenario space.
//
// Method: Weimer-Jehle (2006), TFSC 73:334–361: the kernel is the set of consistent scenarios
// (every factor's chosen state attains its factor's maximum impact balance; ties allowed).
// ScenarioWizard finds it by full enumeration; Muscat finds exactly the same set (never by
// sampling) with a branch and bound, as in /shared/design/cib-method.md "Exact search":
//
//   Factors are assigned one by one in a search order, θ is updated incrementally (add the
//   chosen row). For every assigned, non-exempt factor j with chosen state k and every rival
//   l, the final gap θ_{j,k} − θ_{j,l} is at most the partial gap plus
//   S_d(j,k,l) = Σ_{u unassigned} max_{v allowed for u} (C[(u,v),(j,k)] − C[(u,v),(j,l)]).
//   If partial gap + S_d(j,k,l) < −T for some l, no completion has IC_j ≤ T: prune.
//   This bound is sound (never loses a scenario) and exact at the leaves.
//
// Extensions (deliberately beyond the reference):
// - a tolerance T: all scenarios with IC ≤ T are returned, grouped by IC;
// - decomposition into independent components of the influence graph (factors with no
//   impacts between them in either direction); the result is the product of component
//   results, IC = max over components, TIS = sum, CV = min;
// - filters (required / forbidden states) that shrink the space and exempt nothing, and
//   interventions (fixed factors that are exempt from the consistency condition but keep
//   acting through their rows);
// - cancellation (shouldStop / AbortSignal) and progress callbacks;
// - an optional stronger pruning rule, bound: "propagate" (propagate.ts): forward checking /
//   domain filtering of the UNASSIGNED factors to a fixpoint (iterated elimination of states
//   that no completion in the current box can make a best response — sound because a state
//   is removed only when the bound above, applied to it, proves no kernel scenario uses it),
//   fail-first dynamic factor order and a surrogate bound combining the decided factors'
//   constraints. Same scenarios, fewer nodes; not the default (slower per node, see bench).
// - the basic bound's loop runs on a WebAssembly kernel (wasm/: the same loop compiled from
//   AssemblyScript, 2–3× faster per node, identical results) where WebAssembly is available,
//   in TypeScript (searchComponentBasic below) elsewhere; see searchComponent.
// Results are plain JSON: BigInt values appear as decimal strings.

import { InputError } from "../errors.js";
import type { CompiledModel } from "../model/compiled.js";
import { makeRng } from "../random.js";
import {
  type CibOptions,
  nowMs,
  type Prepared,
  prepare,
  type RunControl,
  spaceSizeOf,
  stopRequested,
} from "./core.js";
import { combine, compareKernelScenarios, pageOf, sampleOf } from "./kernel-list.js";
import {
  type ComponentSolutions,
  type Counter,
  CV_NONE,
  POLL,
  searchComponentPropagate,
} from "./propagate.js";
import { boundTables, componentTables } from "./search-setup.js";
import { loadKernelWasm } from "./wasm/kernel-wasm.js";
import { searchComponentWasm } from "./wasm/search-wasm.js";

export { compareKernelScenarios } from "./kernel-list.js";

/** A restriction of the states a factor may take. */
export interface StateFilter {
  factor: number;
  states: number[];
}

/** A factor fixed to a state by an intervention. */
export interface FixedState {
  factor: number;
  state: number;
}

export type FactorOrder = "auto" | "influence" | "natural" | number[];

/**
 * Pruning rule of the exact search. "basic": the bound of cib-method.md on the assigned
 * factors, static factor order, ~0.2–0.5 µs per node. "propagate": Muscat's forward checking
 * (states of undecided factors that can no longer be best are dropped, to a fixpoint) with a
 * dom/wdeg dynamic order (see propagate.ts): far fewer nodes at ~5–10 µs each. Both return
 * exactly the same scenarios. The default is chosen per model by `defaultBound`.
 */
export type KernelBound = "basic" | "propagate";

/**
 * What runs the basic bound's loop. "wasm": the WebAssembly kernel (wasm/kernel.as, 2–3× faster
 * per node; an error where WebAssembly cannot load). "ts": the TypeScript loop below. "auto"
 * (default): WebAssembly where it loads, else TypeScript. Both give the same scenarios, scores,
 * node counts and poll points. The propagate bound always runs in TypeScript.
 */
export type KernelEngine = "auto" | "wasm" | "ts";

/** Share of empty cells between factors from which `propagate` is the default. */
export const SPARSE_SHARE = 0.5;

/**
 * The default bound of a model: "propagate" when at least half of the cells between different
 * factors are empty (as in elicited models), else "basic". The rule comes from the benchmarks
 * (`npm run bench:structured`, docs/cib.md): on dense random matrices "basic" is 4–15× faster
 * (20×3: 0.4 s against 1.7–5.6 s); on structured models with 70–83 % empty cells "propagate"
 * is as fast or much faster (40 × 2–5: 2.7 s against 3.4 s and against > 30 s; 100 × 2: 0.13 s
 * against > 30 s; 60 × 3: 19 s against > 30 min).
 */
export function defaultBound(p: Prepared): KernelBound {
  const { n, m, offsets, matrix, factorOf } = p;
  let cells = 0;
  let empty = 0;
  for (let r = 0; r < m; r++)
    for (let c = 0; c < m; c++) {
      if (factorOf[r] === factorOf[c]) continue;
      cells++;
      if (matrix[r * m + c] === 0) empty++;
    }
  return n > 1 && offsets[n] > 0 && empty >= SPARSE_SHARE * cells ? "propagate" : "basic";
}

export interface KernelOptions extends CibOptions, RunControl {
  /** Report every scenario with IC ≤ tolerance (default 0: the consistent scenarios). */
  tolerance?: number;
  /** Factors that must be in one of the listed states (a filter: exempts nothing). */
  require?: StateFilter[];
  /** States that may not occur (a filter: exempts nothing). */
  forbid?: StateFilter[];
  /**
   * Intervention: each listed factor is held at its state and exempt from the consistency
   * condition; it keeps acting on the others through its row.
   */
  fix?: FixedState[];
  /** Search order of the factors within each component. Default "auto". */
  order?: FactorOrder;
  /** Split into independent components of the influence graph (default true). */
  decompose?: boolean;
  /** Most scenarios to list (default 1,000,000; 0: count only); the count is always exact. */
  maxScenarios?: number;
  /**
   * List only the scenarios at ranks offset … offset + limit − 1 of the listing order, found
   * without listing the others (kernel-list.ts). Takes precedence over maxScenarios.
   */
  page?: { offset: number; limit: number };
  /** List `size` distinct scenarios drawn uniformly from the kernel, seeded (kernel-list.ts). */
  sample?: { size: number; seed: number };
  /** Pruning rule (default: per model, defaultBound); see KernelBound. */
  bound?: KernelBound;
  /**
   * "propagate" only: also try the surrogate (Lagrangian) bound at every node (default false:
   * it saves nodes but costs more than it saves on most benchmark models; propagate.ts).
   */
  surrogate?: boolean;
  /** The basic bound's engine (default "auto": WebAssembly where available); see KernelEngine. */
  engine?: KernelEngine;
}

/** One scenario in a kernel result. */
export interface KernelScenario {
  /** 0-based state per factor. */
  states: number[];
  /** IC(z) (max over non-exempt factors). */
  inconsistency: number;
  /** Total impact score Σ_j θ_{j,z_j}. */
  tis: number;
  /** Consistency value min_j (θ chosen − best rival) over non-exempt factors. */
  cv: number;
}

export interface KernelGroup {
  inconsistency: number;
  /** Exact count (decimal string: can exceed 2^53 for products of components). */
  count: string;
}

export interface KernelResult {
  kind: "cib.kernel";
  /** True when the whole space was searched (not stopped). */
  complete: boolean;
  tolerance: number;
  ignoreSelfImpacts: boolean;
  /**
   * The scenarios with IC ≤ tolerance, sorted by inconsistency ascending, then TIS
   * descending, then consistency value descending, then states lexicographically ascending.
   */
  scenarios: KernelScenario[];
  /** Exact number of scenarios found (decimal string). */
  count: string;
  /** True when count exceeds maxScenarios and `scenarios` holds only part of them. */
  truncated: boolean;
  /** Counts per inconsistency level 0..tolerance (levels with no scenario omitted). */
  groups: KernelGroup[];
  /** Π m_i over the whole model (decimal string). */
  spaceSize: string;
  /** Size of the searched space after filters and interventions (decimal string). */
  searchSpaceSize: string;
  /** Branch-and-bound nodes visited (partial assignments tried). */
  nodes: number;
  /**
   * Only when stopped (complete false): the share of the searched space settled (0–1). The
   * scenarios and counts then cover what was found so far, every one a kernel scenario.
   */
  covered?: number;
  elapsedMs: number;
  /** Factor sets of the independent components searched (in search order). */
  components: number[][];
  /**
   * How `count` was found: "search" (one group, every scenario found by the search) or
   * "product" (the product of the independent groups' counts, each group searched exactly;
   * the scenarios themselves are not listed unless asked).
   */
  counting: "search" | "product";
  /**
   * What `scenarios` holds: "all" the kernel, "none" (count only, or more than maxScenarios),
   * a "page" of the listing order, or a uniform "sample".
   */
  listing: {
    kind: "all" | "none" | "page" | "sample";
    offset?: number;
    limit?: number;
    size?: number;
    seed?: number;
  };
}

/** Internal search problem: domains, exemptions, tolerance. */
export interface SearchSpec {
  /** allowed[i] = sorted list of permitted states of factor i. */
  allowed: number[][];
  /** exempt[i]: factor i is not required to be at its max (intervention). */
  exempt: boolean[];
  tolerance: number;
  order: FactorOrder;
  decompose: boolean;
  /** Pruning rule (default: defaultBound of the model). */
  bound?: KernelBound;
  /** "propagate" only: also the surrogate bound at every node (default false). */
  surrogate?: boolean;
  /** "basic" only: the engine of its loop (default "auto"). */
  engine?: KernelEngine;
}

/** Builds the search spec (domains and exemptions) from filters and interventions. */
export function buildSpec(p: Prepared, opts: KernelOptions): SearchSpec {
  const allow: boolean[][] = [];
  for (let i = 0; i < p.n; i++) allow.push(new Array(p.counts[i]).fill(true));
  const exempt = new Array(p.n).fill(false);
  const checkFactor = (f: number, what: string) => {
    if (!Number.isInteger(f) || f < 0 || f >= p.n)
      throw new InputError(`${what}: factor ${f} is out of range 0..${p.n - 1}`, { code: "option" });
  };
  const checkState = (f: number, s: number, what: string) => {
    if (!Number.isInteger(s) || s < 0 || s >= p.counts[f])
      throw new InputError(`${what}: factor ${f} has no state ${s} (0..${p.counts[f] - 1})`, {
        code: "option",
      });
  };
  for (const r of opts.require ?? []) {
    checkFactor(r.factor, "require");
    const keep = new Array(p.counts[r.factor]).fill(false);
    for (const s of r.states) {
      checkState(r.factor, s, "require");
      keep[s] = true;
    }
    for (let s = 0; s < keep.length; s++) if (!keep[s]) allow[r.factor][s] = false;
  }
  for (const r of opts.forbid ?? []) {
    checkFactor(r.factor, "forbid");
    for (const s of r.states) {
      checkState(r.factor, s, "forbid");
      allow[r.factor][s] = false;
    }
  }
  for (const f of opts.fix ?? []) {
    checkFactor(f.factor, "fix");
    checkState(f.factor, f.state, "fix");
    for (let s = 0; s < p.counts[f.factor]; s++) if (s !== f.state) allow[f.factor][s] = false;
    exempt[f.factor] = true;
  }
  if (opts.bound !== undefined && opts.bound !== "basic" && opts.bound !== "propagate")
    throw new InputError(`bound must be "basic" or "propagate", got ${String(opts.bound)}`, {
      code: "option",
    });
  if (opts.engine !== undefined && opts.engine !== "auto" && opts.engine !== "wasm" && opts.engine !== "ts")
    throw new InputError(`engine must be "auto", "wasm" or "ts", got ${String(opts.engine)}`, {
      code: "option",
    });
  const tolerance = opts.tolerance ?? 0;
  if (!Number.isInteger(tolerance) || tolerance < 0)
    throw new InputError(`tolerance must be a non-negative integer, got ${tolerance}`, { code: "option" });
  return {
    allowed: allow.map((a) => a.flatMap((ok, s) => (ok ? [s] : []))),
    exempt,
    tolerance,
    order: opts.order ?? "auto",
    decompose: opts.decompose ?? true,
    bound: opts.bound ?? defaultBound(p),
    surrogate: opts.surrogate ?? false,
    engine: opts.engine ?? "auto",
  };
}

/**
 * Influence strength of factor u on factor j (u ≠ j): Σ over u's allowed states of the spread
 * (max − min) of that row across j's columns. Zero ⇔ u cannot change any gap within j.
 */
function influence(p: Prepared, spec: SearchSpec, u: number, j: number): number {
  const { m, matrix, offsets } = p;
  let w = 0;
  for (const v of spec.allowed[u]) {
    const row = (offsets[u] + v) * m;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let c = offsets[j]; c < offsets[j + 1]; c++) {
      const x = matrix[row + c];
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    w += hi - lo;
  }
  return w;
}

/** Independent components of the influence graph and a search order within each. */
export function planComponents(p: Prepared, spec: SearchSpec): number[][] {
  const n = p.n;
  const w: number[][] = [];
  for (let u = 0; u < n; u++) {
    const row: number[] = [];
    for (let j = 0; j < n; j++) row.push(u === j ? 0 : influence(p, spec, u, j));
    w.push(row);
  }
  // components (undirected: an edge where either direction has influence)
  const comp = new Array(n).fill(-1);
  const comps: number[][] = [];
  if (spec.decompose) {
    for (let s = 0; s < n; s++) {
      if (comp[s] >= 0) continue;
      const id = comps.length;
      const members = [s];
      comp[s] = id;
      for (let q = 0; q < members.length; q++) {
        const u = members[q];
        for (let j = 0; j < n; j++)
          if (comp[j] < 0 && (w[u][j] > 0 || w[j][u] > 0)) {
            comp[j] = id;
            members.push(j);
          }
      }
      members.sort((a, b) => a - b);
      comps.push(members);
    }
  } else {
    comps.push(Array.from({ length: n }, (_, i) => i));
  }
  const order = spec.order;
  if (Array.isArray(order)) {
    if (order.length !== n || new Set(order).size !== n || order.some((f) => !(f >= 0 && f < n)))
      throw new InputError("order must be a permutation of the factor indices", { code: "option" });
    const pos = new Array(n);
    order.forEach((f, i) => {
      pos[f] = i;
    });
    return comps.map((c) => c.slice().sort((a, b) => pos[a] - pos[b]));
  }
  if (order === "natural") return comps;
  const out = (u: number) => w[u].reduce((s, x) => s + x, 0);
  if (order === "influence") {
    return comps.map((c) =>
      c.slice().sort((a, b) => out(b) - out(a) || spec.allowed[a].length - spec.allowed[b].length || a - b),
    );
  }
  // "auto": greedy — start with the factor with fewest allowed states (then most outgoing
  // influence); then repeatedly take the factor most tightly bound to those already chosen
  // (influence both ways), so constraints become checkable early.
  return comps.map((c) => {
    const left = new Set(c);
    const seq: number[] = [];
    const link = new Map<number, number>();
    for (const u of c) link.set(u, 0);
    while (left.size > 0) {
      let best = -1;
      let bestKey: number[] = [];
      for (const u of left) {
        const key = [link.get(u)! / spec.allowed[u].length, -spec.allowed[u].length, out(u), -u];
        if (best < 0 || lexGreater(key, bestKey)) {
          best = u;
          bestKey = key;
        }
      }
      seq.push(best);
      left.delete(best);
      for (const u of left) link.set(u, link.get(u)! + w[best][u] + w[u][best]);
    }
    return seq;
  });
}

function lexGreater(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return false;
}

/** Branch and bound over one component with the reference bound (bound: "basic"). */
function searchComponentBasic(
  p: Prepared,
  spec: SearchSpec,
  factors: number[],
  ctl: RunControl,
  counter: Counter,
): ComponentSolutions {
  const T = spec.tolerance;
  // local layout and matrix, cross-component TIS, checked factors, pair index, and the bound's
  // allowed lists, suffix bound S and gap deltas D (search-setup.ts)
  const tables = componentTables(p, spec, factors);
  const { nf, cnt, lo, ml, lm, crossTis, checked, pairOff, np } = tables;
  const { allowedStart, allowed, S, D } = boundTables(spec, factors, tables);
  const G = new Int32Array(nf * ml);
  // thS[d*ml + c] = Σ_{u<d} C[(u,z_u), c] for the columns c of factors at depth ≥ d
  const thS = new Int32Array((nf + 1) * ml);
  const choice = new Int32Array(nf).fill(-1);
  const chosen = new Int32Array(nf); // local state chosen at depth d
  let solStates = new Int32Array(Math.max(16, nf * 16));
  let solIc = new Int32Array(16);
  let solTis = new Int32Array(16);
  let solCv = new Int32Array(16);
  let count = 0;
  let nodes = counter.nodes;
  let d = 0;
  const checkLiveness =
    ctl.shouldStop !== undefined || ctl.signal !== undefined || ctl.onProgress !== undefined;

  while (d >= 0) {
    const ci = ++choice[d];
    if (ci >= allowedStart[d + 1] - allowedStart[d]) {
      choice[d] = -1;
      d--;
      continue;
    }
    const s = allowed[allowedStart[d] + ci];
    chosen[d] = s;
    nodes++;
    if (checkLiveness && nodes >= counter.nextPoll) {
      counter.nextPoll = nodes + POLL;
      // settled share: at each depth, the siblings before the current branch are done
      let share = 0;
      let w = 1;
      for (let i = 0; i <= d; i++) {
        w /= allowedStart[i + 1] - allowedStart[i];
        share += choice[i] * w;
      }
      const covered = (counter.coveredBase ?? 0) + (counter.coveredSpan ?? 1) * share;
      ctl.onProgress?.({ done: nodes, elapsedMs: nowMs() - counter.start, covered });
      if (stopRequested(ctl)) {
        counter.stopped = true;
        counter.covered = covered;
        counter.at = Array.from(choice.subarray(0, d + 1));
        break;
      }
    }
    // bound check: carry the gaps of the assigned factors, then the new factor's own
    let ok = true;
    const drow = (lo[d] + s) * np;
    const gPrev = (d - 1) * ml;
    const gCur = d * ml;
    for (let e = 0; e < d; e++) {
      if (checked[e] === 0) continue;
      const ce = cnt[e];
      const o = lo[e];
      const pb = drow + pairOff[e] + chosen[e] * ce;
      for (let l = 0; l < ce; l++) {
        const v = G[gPrev + o + l] + D[pb + l];
        G[gCur + o + l] = v;
        if (v < -T) {
          ok = false;
          break;
        }
      }
      if (!ok) break;
    }
    if (!ok) continue;
    if (checked[d] === 1) {
      const ce = cnt[d];
      const o = lo[d];
      const r = (o + s) * ml + o;
      const t = d * ml + o;
      const pb = (d + 1) * np + pairOff[d] + s * ce;
      const own = thS[t + s] + lm[r + s];
      for (let l = 0; l < ce; l++) {
        const v = own - thS[t + l] - lm[r + l] + S[pb + l];
        G[gCur + o + l] = v;
        if (v < -T) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
    }
    if (d < nf - 1) {
      // push the partial balances of the unassigned factors' columns
      const r = (lo[d] + s) * ml;
      const a0 = d * ml;
      const a1 = (d + 1) * ml;
      for (let c = lo[d + 1]; c < ml; c++) thS[a1 + c] = thS[a0 + c] + lm[r + c];
      d++;
      continue;
    }
    // leaf: every checked factor has IC_e ≤ T; G holds the exact gaps θ_k − θ_l
    let ic = 0;
    let tis = 0;
    let cv = CV_NONE;
    for (let e = 0; e < nf; e++) {
      const o = lo[e];
      const k = chosen[e];
      let tk = 0;
      for (let u = 0; u < nf; u++) tk += lm[(lo[u] + chosen[u]) * ml + o + k];
      tis += tk + crossTis[o + k];
      if (checked[e] === 0) continue;
      for (let l = 0; l < cnt[e]; l++) {
        if (l === k) continue;
        const g = G[gCur + o + l];
        if (-g > ic) ic = -g;
        if (g < cv) cv = g;
      }
    }
    if (count === solIc.length) {
      const grow = (a: Int32Array, size: number) => {
        const b = new Int32Array(size);
        b.set(a);
        return b;
      };
      solStates = grow(solStates, count * 2 * nf);
      solIc = grow(solIc, count * 2);
      solTis = grow(solTis, count * 2);
      solCv = grow(solCv, count * 2);
    }
    for (let e = 0; e < nf; e++) solStates[count * nf + e] = chosen[e];
    solIc[count] = ic;
    solTis[count] = tis;
    solCv[count] = cv;
    count++;
  }
  counter.nodes = nodes;
  return {
    factors,
    states: solStates.subarray(0, count * nf),
    ic: solIc.subarray(0, count),
    tis: solTis.subarray(0, count),
    cv: solCv.subarray(0, count),
    count,
  };
}

/**
 * Searches one component (factors in search order) with the spec's pruning rule. The one place
 * that chooses the engine: the propagate bound runs in TypeScript; the basic bound runs on the
 * WebAssembly kernel (wasm/search-wasm.ts: the same loop, the same results and node counts)
 * unless the engine is "ts", and falls back to the TypeScript loop (searchComponentBasic) when
 * the kernel cannot run it: no WebAssembly, no memory for the tables, or the kernel already
 * busy on this thread (a search started from another's progress callback). Every option of the
 * basic search (tolerance, filters, interventions, order, prefix boxes, stop, progress) is
 * supported by both.
 */
export function searchComponent(
  p: Prepared,
  spec: SearchSpec,
  factors: number[],
  ctl: RunControl,
  counter: Counter,
): ComponentSolutions {
  if (spec.bound === "propagate") return searchComponentPropagate(p, spec, factors, ctl, counter);
  if (spec.engine !== "ts") {
    const r = searchComponentWasm(p, spec, factors, ctl, counter);
    if (r !== undefined) return r;
    if (spec.engine === "wasm" && loadKernelWasm() === undefined)
      throw new InputError('engine "wasm": WebAssembly is not available here', { code: "option" });
  }
  return searchComponentBasic(p, spec, factors, ctl, counter);
}

/** A fresh node counter for a search starting now. */
export function newCounter(): Counter {
  return { nodes: 0, stopped: false, start: nowMs(), nextPoll: POLL };
}

/** Runs the search for a prepared matrix and spec. */
export function runKernel(
  p: Prepared,
  spec: SearchSpec,
  ctl: RunControl & { maxScenarios?: number; ignoreSelfImpacts?: boolean },
): KernelResult {
  const counter = newCounter();
  const comps = planComponents(p, spec);
  const results: ComponentSolutions[] = [];
  for (const [i, c] of comps.entries()) {
    counter.coveredBase = i / comps.length;
    counter.coveredSpan = 1 / comps.length;
    const r = searchComponent(p, spec, c, ctl, counter);
    results.push(r);
    if (counter.stopped || r.count === 0) break;
  }
  return assembleKernel(p, spec, comps, results, counter, ctl);
}

/**
 * The kernel result from the per-component solutions (the product of the components; IC =
 * max, TIS = sum, CV = min), sorted; `results` may stop early (an empty component, or a stop).
 */
export function assembleKernel(
  p: Prepared,
  spec: SearchSpec,
  comps: number[][],
  results: ComponentSolutions[],
  counter: Counter,
  ctl: Pick<KernelOptions, "maxScenarios" | "ignoreSelfImpacts" | "page" | "sample">,
): KernelResult {
  const start = counter.start;
  let total = 1n;
  for (const r of results) total *= BigInt(r.count);
  // An empty component leaves no scenario; so does a stop before the last component (no
  // scenario of the whole model is complete yet). A stop inside the last component keeps the
  // scenarios found so far: each is a kernel scenario (a subset of the full kernel).
  if (results.length < comps.length) total = 0n;
  const maxScenarios = ctl.maxScenarios ?? 1_000_000;
  const scenarios: KernelScenario[] = [];
  const truncated = total > BigInt(maxScenarios);
  // group counts: per component, histogram of IC; product distribution with max
  const T = spec.tolerance;
  let dist: bigint[] = new Array(T + 1).fill(0n);
  dist[0] = 1n;
  if (total === 0n) dist = new Array(T + 1).fill(0n);
  else
    for (const r of results) {
      const h: bigint[] = new Array(T + 1).fill(0n);
      for (let s = 0; s < r.count; s++) h[r.ic[s]] += 1n;
      // P(max ≤ t) = product of cumulative counts
      const next: bigint[] = new Array(T + 1).fill(0n);
      let cumA = 0n;
      let cumB = 0n;
      let prev = 0n;
      for (let t = 0; t <= T; t++) {
        cumA += dist[t];
        cumB += h[t];
        const cum = cumA * cumB;
        next[t] = cum - prev;
        prev = cum;
      }
      dist = next;
    }
  let listing: KernelResult["listing"] = { kind: truncated ? "none" : "all" };
  if (total > 0n && ctl.sample) {
    listing = { kind: "sample", size: ctl.sample.size, seed: ctl.sample.seed };
    scenarios.push(...sampleOf(results, p.n, ctl.sample.size, makeRng(ctl.sample.seed)));
  } else if (ctl.page) {
    listing = { kind: "page", offset: ctl.page.offset, limit: ctl.page.limit };
    if (total > 0n) scenarios.push(...pageOf(results, p.n, T, ctl.page.offset, ctl.page.limit));
  } else if (!truncated && total > 0n) {
    const nc = results.length;
    const idx = new Int32Array(nc);
    const totalN = Number(total);
    for (let t = 0; t < totalN; t++) {
      scenarios.push(combine(results, idx, p.n));
      for (let c = nc - 1; c >= 0; c--) {
        if (++idx[c] < results[c].count) break;
        idx[c] = 0;
      }
    }
    scenarios.sort(compareKernelScenarios);
  }
  let searchSpace = 1n;
  for (const a of spec.allowed) searchSpace *= BigInt(a.length);
  return {
    kind: "cib.kernel",
    complete: !counter.stopped,
    tolerance: T,
    ignoreSelfImpacts: ctl.ignoreSelfImpacts ?? false,
    scenarios,
    count: total.toString(),
    truncated,
    groups: dist.flatMap((c, ic) => (c > 0n ? [{ inconsistency: ic, count: c.toString() }] : [])),
    spaceSize: spaceSizeOf(p.counts).toString(),
    searchSpaceSize: searchSpace.toString(),
    nodes: counter.nodes,
    elapsedMs: nowMs() - start,
    components: comps,
    counting: comps.length > 1 ? "product" : "search",
    listing,
    ...(counter.stopped ? { covered: counter.covered ?? coveredByComponents(comps, results) } : {}),
  };
}

/** A stopped search's settled share when the search could not tell: its finished components. */
function coveredByComponents(comps: number[][], results: ComponentSolutions[]): number {
  return Math.max(0, results.length - 1) / comps.length;
}

/**
 * The kernel: every scenario with IC ≤ tolerance (default 0: the consistent scenarios),
 * found exactly by branch and bound. Supports filters (`require`, `forbid`), interventions
 * (`fix`), `ignoreSelfImpacts`, cancellation and progress.
 */
export function findKernel(model: CompiledModel, opts: KernelOptions = {}): KernelResult {
  const p = prepare(model, opts);
  const spec = buildSpec(p, opts);
  return runKernel(p, spec, opts);
}
