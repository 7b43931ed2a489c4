// CIB succession (dynamics), paths, cycles and basins of attraction.
//
// Method: Weimer-Jehle (2006), TFSC 73:334–361, section on succession; ScenarioWizard's
// global succession with its exact tie rule (a factor whose current state ties for the max
// keeps it, otherwise the lowest-index max wins), which reproduces ScenarioWizard's basin
// weights. Fixed points of every rule are exactly the consistent scenarios.
//
// Rules:
// - global: every factor moves at once to a max-score state (tie rule above);
// - local: only the factor with the largest IC_j moves (ties: the first such factor), to its
//   lowest-index max-score state;
// - sequential: one "sweep" visits the factors in a fixed order (default 0..N−1); each factor
//   moves to a max-score state (tie rule above) given the scenario as already updated in this
//   sweep (θ is re-scored after each move). One sweep is one succession step; a fixed point
//   is a sweep with no change.
// Extended beyond the reference: local and sequential rules, cycle reports (distinct scenarios
// and period), exact basins by full enumeration with memoised successors, and seeded
// sampled basins flagged as estimates.

import type { CompiledModel } from "../model/compiled.js";
import { makeRng } from "../random.js";
import {
  balanceInto,
  type CibOptions,
  checkScenario,
  nowMs,
  type Prepared,
  prepare,
  type RunControl,
  scenarioAt,
  scenarioKey,
  spaceSizeOf,
  stopRequested,
  summarize,
} from "./core.js";

export type SuccessionRule = "global" | "local" | "sequential";

export interface SuccessionOptions extends CibOptions {
  /** Default "global" (ScenarioWizard). */
  rule?: SuccessionRule;
  /** Factor order of a sequential sweep (default 0..N−1). */
  sequentialOrder?: number[];
}

/**
 * An allocation-free succession step: `step(z, theta)` replaces z by its successor and theta
 * by the successor's balances; it returns whether anything changed.
 */
export interface Stepper {
  step(z: Int32Array, theta: Int32Array): boolean;
}

/** Builds the stepper of a rule over a prepared matrix. */
export function makeStepper(p: Prepared, opts: SuccessionOptions = {}): Stepper {
  const { n, m, counts, offsets, matrix } = p;
  const rule = opts.rule ?? "global";
  const moveRow = (theta: Int32Array, f: number, from: number, to: number) => {
    const ro = (offsets[f] + from) * m;
    const rn = (offsets[f] + to) * m;
    for (let c = 0; c < m; c++) theta[c] += matrix[rn + c] - matrix[ro + c];
  };
  /** Target state of factor f under the keep-if-tied / lowest-index rule. */
  const target = (theta: Int32Array, f: number, cur: number): number => {
    const a = offsets[f];
    const tc = theta[a + cur];
    let best = tc;
    let arg = cur;
    for (let l = 0; l < counts[f]; l++) {
      const t = theta[a + l];
      if (t > best) {
        best = t;
        arg = l;
      }
    }
    return arg;
  };
  if (rule === "global") {
    const next = new Int32Array(n);
    return {
      step(z, theta) {
        let changed = false;
        for (let f = 0; f < n; f++) {
          next[f] = target(theta, f, z[f]);
          if (next[f] !== z[f]) changed = true;
        }
        if (changed)
          for (let f = 0; f < n; f++)
            if (next[f] !== z[f]) {
              moveRow(theta, f, z[f], next[f]);
              z[f] = next[f];
            }
        return changed;
      },
    };
  }
  if (rule === "local") {
    return {
      step(z, theta) {
        let worst = 0;
        let wf = -1;
        for (let f = 0; f < n; f++) {
          const a = offsets[f];
          let best = theta[a];
          for (let l = 1; l < counts[f]; l++) if (theta[a + l] > best) best = theta[a + l];
          const ic = best - theta[a + z[f]];
          if (ic > worst) {
            worst = ic;
            wf = f;
          }
        }
        if (wf < 0) return false;
        const to = target(theta, wf, z[wf]);
        moveRow(theta, wf, z[wf], to);
        z[wf] = to;
        return true;
      },
    };
  }
  if (rule === "sequential") {
    const order = opts.sequentialOrder ?? Array.from({ length: n }, (_, i) => i);
    if (order.length !== n || new Set(order).size !== n || order.some((f) => !(f >= 0 && f < n)))
      throw new Error("sequentialOrder must be a permutation of the factor indices");
    return {
      step(z, theta) {
        let changed = false;
        for (const f of order) {
          const to = target(theta, f, z[f]);
          if (to !== z[f]) {
            moveRow(theta, f, z[f], to);
            z[f] = to;
            changed = true;
          }
        }
        return changed;
      },
    };
  }
  throw new Error(`unknown succession rule: ${rule as string}`);
}

/** One succession path from a start. */
export interface SuccessionPath {
  kind: "cib.succession";
  rule: SuccessionRule;
  /** Scenarios visited, the start first; ends at the fixed point or at the first repeat's predecessor. */
  path: number[][];
  /** "fixed-point": path ends at a consistent scenario; "cycle": it entered a cycle. */
  outcome: "fixed-point" | "cycle" | "max-steps";
  /** The consistent scenario reached, when outcome is "fixed-point". */
  fixedPoint?: number[];
  /** The cycle entered: its distinct scenarios in visiting order, and its period. */
  cycle?: { scenarios: number[][]; period: number };
  /** Number of succession steps taken until the fixed point or the cycle closed. */
  steps: number;
}

/** Follows succession from `start` until a fixed point or a cycle (or maxSteps). */
export function traceSuccession(
  model: CompiledModel,
  start: ArrayLike<number>,
  opts: SuccessionOptions & { maxSteps?: number } = {},
): SuccessionPath {
  const p = prepare(model, opts);
  checkScenario(p, start);
  const stepper = makeStepper(p, opts);
  const z = Int32Array.from(start);
  const theta = balanceInto(p, z, new Int32Array(p.m));
  const seen = new Map<string, number>();
  const path: number[][] = [];
  const maxSteps = opts.maxSteps ?? 1_000_000;
  const rule = opts.rule ?? "global";
  for (let steps = 0; steps <= maxSteps; steps++) {
    const key = scenarioKey(z);
    const at = seen.get(key);
    if (at !== undefined) {
      const scen = path.slice(at);
      return {
        kind: "cib.succession",
        rule,
        path,
        outcome: "cycle",
        cycle: { scenarios: scen, period: scen.length },
        steps,
      };
    }
    seen.set(key, path.length);
    path.push(Array.from(z));
    if (!stepper.step(z, theta))
      return { kind: "cib.succession", rule, path, outcome: "fixed-point", fixedPoint: Array.from(z), steps };
  }
  return { kind: "cib.succession", rule, path, outcome: "max-steps", steps: maxSteps };
}

/** A consistent scenario with its basin. */
export interface BasinAttractor {
  states: number[];
  /** Exact number of starts ending here (exact mode) or sample hits (estimate mode). */
  weight: number;
  /** weight / starts. */
  share: number;
  /** Estimate mode only: share × space size. */
  weightEstimate?: number;
  tis: number;
  cv: number;
}

export interface BasinCycle {
  /** Distinct scenarios of the cycle, in visiting order starting from the lexicographically smallest. */
  scenarios: number[][];
  period: number;
  /** Starts (exact) or sample hits (estimate) ending in this cycle. */
  starts: number;
}

export interface BasinResult {
  kind: "cib.basins";
  rule: SuccessionRule;
  /** True when weights are sample hits, not exact counts. */
  estimate: boolean;
  /** False when stopped early; the counts then cover only the starts processed. */
  complete: boolean;
  spaceSize: string;
  /** Starts processed: the space size (exact) or the sample count (estimate). */
  starts: number;
  samples?: number;
  seed?: number;
  /** Every consistent scenario reached, by weight descending, then states ascending. */
  attractors: BasinAttractor[];
  /** Cycles found, by starts descending (at most maxCycles listed). */
  cycles: BasinCycle[];
  /** Number of distinct cycles found (may exceed cycles.length). */
  cycleCount: number;
  /** Starts ending in a cycle. Σ attractor weights + cycleStarts = starts. */
  cycleStarts: number;
  elapsedMs: number;
}

export interface BasinOptions extends SuccessionOptions, RunControl {
  /** "exact" (full enumeration), "sample", or "auto" (exact when the space ≤ maxExact). */
  method?: "auto" | "exact" | "sample";
  /** Largest space enumerated in "auto" mode (default 50,000,000). */
  maxExact?: number;
  /** Samples in sample mode (default 100,000). */
  samples?: number;
  /** Seed of the sampling generator (default 1). */
  seed?: number;
  /** Most cycles to list (default 100). */
  maxCycles?: number;
}

/** Basin weights of every attractor under a succession rule, exact or sampled. */
export function successionBasins(model: CompiledModel, opts: BasinOptions = {}): BasinResult {
  const space = spaceSizeOf(model.counts);
  const method = opts.method ?? "auto";
  const maxExact = opts.maxExact ?? 50_000_000;
  const exact = method === "exact" || (method === "auto" && space <= BigInt(maxExact));
  if (exact && space > 2n ** 31n - 1n)
    throw new Error(`space of ${space} scenarios is too large to enumerate`);
  return exact ? exactBasins(model, opts) : sampledBasins(model, opts);
}

/** A cycle's canonical form: rotation starting at the smallest index. */
function canonicalCycle(idx: number[]): number[] {
  let best = 0;
  for (let i = 1; i < idx.length; i++) if (idx[i] < idx[best]) best = i;
  return idx.slice(best).concat(idx.slice(0, best));
}

const IN_PROGRESS = -(2 ** 30);

/** Odometer step: next scenario (last factor fastest) with θ updated incrementally. */
function advance(
  n: number,
  m: number,
  counts: Int32Array,
  offsets: Int32Array,
  matrix: Int32Array,
  z: Int32Array,
  theta: Int32Array,
): void {
  for (let f = n - 1; f >= 0; f--) {
    const old = z[f];
    const nw = old + 1 === counts[f] ? 0 : old + 1;
    z[f] = nw;
    const ro = (offsets[f] + old) * m;
    const rn = (offsets[f] + nw) * m;
    for (let c = 0; c < m; c++) theta[c] += matrix[rn + c] - matrix[ro + c];
    if (nw !== 0) return;
  }
}

/**
 * ScenarioWizard global successors of the scenarios with odometer indices from..end−1
 * (z, theta hold scenario `from` and are advanced past `end − 1`). Kept small and monomorphic
 * so the JIT compiles it well: this is the hot loop of exact global basins.
 */
/**
 * ScenarioWizard global successors of every scenario, in odometer order (factor 0 most
 * significant). The last K factors form an inner block whose combined rows are precomputed,
 * so each scenario costs one pass over θ = base + block row (no θ writes); the base (sum of the
 * outer factors' rows) is updated incrementally. Returns false when stopped.
 */
function globalSuccessors(
  n: number,
  m: number,
  counts: Int32Array,
  offsets: Int32Array,
  matrix: Int32Array,
  strides: Int32Array,
  succ: Int32Array,
  poll: (done: number) => boolean,
): boolean {
  // inner block: last K factors with Π counts ≤ 256 (at least one factor)
  let k = 1;
  let bsize = counts[n - 1];
  while (k < n && bsize * counts[n - 1 - k] <= 256) {
    bsize *= counts[n - 1 - k];
    k++;
  }
  const outer = n - k;
  const blockRows = new Int32Array(bsize * m);
  const blockZ = new Int32Array(bsize * k);
  {
    const bz = new Int32Array(k);
    for (let t = 0; t < bsize; t++) {
      for (let q = 0; q < k; q++) {
        const f = outer + q;
        blockZ[t * k + q] = bz[q];
        const r = (offsets[f] + bz[q]) * m;
        for (let c = 0; c < m; c++) blockRows[t * m + c] += matrix[r + c];
      }
      for (let q = k - 1; q >= 0; q--) {
        bz[q]++;
        if (bz[q] < counts[outer + q]) break;
        bz[q] = 0;
      }
    }
  }
  const z = new Int32Array(Math.max(outer, 1));
  const base = new Int32Array(m);
  for (let f = 0; f < outer; f++) {
    const r = offsets[f] * m;
    for (let c = 0; c < m; c++) base[c] += matrix[r + c];
  }
  let i = 0;
  for (;;) {
    for (let t = 0; t < bsize; t++) {
      const tb = t * m;
      let sIdx = 0;
      for (let f = 0; f < n; f++) {
        const a = offsets[f];
        const cur = f < outer ? z[f] : blockZ[t * k + f - outer];
        let best = base[a + cur] + blockRows[tb + a + cur];
        let arg = cur;
        const cf = counts[f];
        for (let l = 0; l < cf; l++) {
          const v = base[a + l] + blockRows[tb + a + l];
          if (v > best) {
            best = v;
            arg = l;
          }
        }
        sIdx += arg * strides[f];
      }
      succ[i + t] = sIdx;
    }
    i += bsize;
    if ((i & 0xfffff) < bsize && poll(i)) return false;
    // advance the outer odometer
    let f = outer - 1;
    for (; f >= 0; f--) {
      const old = z[f];
      const nw = old + 1 === counts[f] ? 0 : old + 1;
      z[f] = nw;
      const ro = (offsets[f] + old) * m;
      const rn = (offsets[f] + nw) * m;
      for (let c = 0; c < m; c++) base[c] += matrix[rn + c] - matrix[ro + c];
      if (nw !== 0) break;
    }
    if (f < 0) return true;
  }
}

function exactBasins(model: CompiledModel, opts: BasinOptions): BasinResult {
  const start = nowMs();
  const p = prepare(model, opts);
  const { n, m, counts, offsets, matrix } = p;
  const total = Number(spaceSizeOf(counts));
  const rule = opts.rule ?? "global";
  const stepper = makeStepper(p, opts);
  const strides = new Int32Array(n);
  {
    let s = 1;
    for (let f = n - 1; f >= 0; f--) {
      strides[f] = s;
      s *= counts[f];
    }
  }
  // pass 1: successor index of every scenario, in odometer order with incremental θ
  const succ = new Int32Array(total);
  const z = new Int32Array(n);
  const theta = new Int32Array(m);
  const zs = new Int32Array(n);
  const ts = new Int32Array(m);
  for (let f = 0; f < n; f++) {
    const r = offsets[f] * m;
    for (let c = 0; c < m; c++) theta[c] += matrix[r + c];
  }
  const live = opts.shouldStop !== undefined || opts.signal !== undefined || opts.onProgress !== undefined;
  let stopped = false;
  let idx = 0;
  const isGlobal = rule === "global";
  const poll = (done: number): boolean => {
    if (!live) return false;
    opts.onProgress?.({ done, total: 2 * total, elapsedMs: nowMs() - start });
    return stopRequested(opts);
  };
  if (isGlobal) {
    stopped = !globalSuccessors(n, m, counts, offsets, matrix, strides, succ, poll);
    idx = stopped ? 0 : total;
  } else {
    for (; idx < total; idx++) {
      zs.set(z);
      ts.set(theta);
      stepper.step(zs, ts);
      let sIdx = 0;
      for (let f = 0; f < n; f++) sIdx += zs[f] * strides[f];
      succ[idx] = sIdx;
      advance(n, m, counts, offsets, matrix, z, theta);
      if (((idx + 1) & 0xfffff) === 0 && poll(idx + 1)) {
        stopped = true;
        break;
      }
    }
  }
  const processed = stopped ? idx : total;
  // pass 2: resolve the functional graph; labels: attractors (fixed points and cycles)
  const labels: { cycle: number[] }[] = [];
  const weights: number[] = [];
  const path: number[] = [];
  for (let i = 0; i < processed && !stopped; i++) {
    if (succ[i] < 0) continue; // already labelled (and counted) with an earlier path
    path.length = 0;
    let x = i;
    let lab = -1;
    for (;;) {
      const v = succ[x];
      if (v >= 0) {
        succ[x] = IN_PROGRESS - path.length;
        path.push(x);
        x = v;
        continue;
      }
      if (v > IN_PROGRESS) {
        lab = -1 - v;
        break;
      }
      const pos = IN_PROGRESS - v;
      lab = labels.length;
      labels.push({ cycle: canonicalCycle(path.slice(pos)) });
      weights.push(0);
      break;
    }
    for (const q of path) succ[q] = -1 - lab;
    weights[lab] += path.length;
    if (live && (i & 0xfffff) === 0) {
      opts.onProgress?.({ done: total + i, total: 2 * total, elapsedMs: nowMs() - start });
      if (stopRequested(opts)) stopped = true;
    }
  }
  return finishBasins(p, model, rule, labels, weights, {
    estimate: false,
    complete: !stopped,
    starts: processed,
    maxCycles: opts.maxCycles ?? 100,
    start,
    sampleInfo: undefined,
  });
}

function finishBasins(
  p: Prepared,
  model: CompiledModel,
  rule: SuccessionRule,
  labels: { cycle: number[] }[],
  weights: number[],
  o: {
    estimate: boolean;
    complete: boolean;
    starts: number;
    maxCycles: number;
    start: number;
    sampleInfo: { samples: number; seed: number } | undefined;
  },
): BasinResult {
  const space = spaceSizeOf(model.counts);
  const attractors: BasinAttractor[] = [];
  const cycles: BasinCycle[] = [];
  let cycleStarts = 0;
  const theta = new Int32Array(p.m);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i].cycle;
    if (c.length === 1) {
      const z = scenarioAt(model.counts, c[0]);
      balanceInto(p, z, theta);
      const s = summarize(p, z, theta);
      const a: BasinAttractor = {
        states: Array.from(z),
        weight: weights[i],
        share: weights[i] / o.starts,
        tis: s.tis,
        cv: s.cv,
      };
      if (o.estimate) a.weightEstimate = (weights[i] / o.starts) * Number(space);
      attractors.push(a);
    } else {
      cycleStarts += weights[i];
      cycles.push({
        scenarios: c.map((x) => Array.from(scenarioAt(model.counts, x))),
        period: c.length,
        starts: weights[i],
      });
    }
  }
  const lex = (a: number[], b: number[]) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
    return 0;
  };
  attractors.sort((a, b) => b.weight - a.weight || lex(a.states, b.states));
  cycles.sort((a, b) => b.starts - a.starts || lex(a.scenarios[0], b.scenarios[0]));
  const res: BasinResult = {
    kind: "cib.basins",
    rule,
    estimate: o.estimate,
    complete: o.complete,
    spaceSize: space.toString(),
    starts: o.starts,
    attractors,
    cycles: cycles.slice(0, o.maxCycles),
    cycleCount: cycles.length,
    cycleStarts,
    elapsedMs: nowMs() - o.start,
  };
  if (o.sampleInfo) {
    res.samples = o.sampleInfo.samples;
    res.seed = o.sampleInfo.seed;
  }
  return res;
}

function sampledBasins(model: CompiledModel, opts: BasinOptions): BasinResult {
  const start = nowMs();
  const p = prepare(model, opts);
  const { n, counts } = p;
  const rule = opts.rule ?? "global";
  const samples = opts.samples ?? 100_000;
  const seed = opts.seed ?? 1;
  const rng = makeRng(seed);
  const stepper = makeStepper(p, opts);
  const z = new Int32Array(n);
  const theta = new Int32Array(p.m);
  // Scenario indices can exceed 2^53: attractors are keyed by their text form here.
  const labelOf = new Map<string, number>();
  const labels: { states: number[][] }[] = [];
  const weights: number[] = [];
  const seen = new Map<string, number>();
  const trail: string[] = [];
  const trailStates: number[][] = [];
  let done = 0;
  let stopped = false;
  for (; done < samples; done++) {
    // A sample walks a whole path: poll every 16 (progress every 1024).
    if ((done & 0xf) === 0 && done > 0) {
      if ((done & 0x3ff) === 0) opts.onProgress?.({ done, total: samples, elapsedMs: nowMs() - start });
      if (stopRequested(opts)) {
        stopped = true;
        break;
      }
    }
    for (let f = 0; f < n; f++) z[f] = rng.int(0, counts[f] - 1);
    balanceInto(p, z, theta);
    seen.clear();
    trail.length = 0;
    trailStates.length = 0;
    let lab = -1;
    for (;;) {
      const key = scenarioKey(z);
      const known = labelOf.get(key);
      if (known !== undefined) {
        lab = known;
        break;
      }
      const at = seen.get(key);
      if (at !== undefined) {
        // a new cycle: trail[at..] are its members
        lab = labels.length;
        const members = trailStates.slice(at);
        labels.push({ states: members });
        weights.push(0);
        for (let q = at; q < trail.length; q++) labelOf.set(trail[q], lab);
        break;
      }
      seen.set(key, trail.length);
      trail.push(key);
      trailStates.push(Array.from(z));
      if (!stepper.step(z, theta)) {
        lab = labels.length;
        labels.push({ states: [Array.from(z)] });
        weights.push(0);
        labelOf.set(scenarioKey(z), lab);
        break;
      }
    }
    weights[lab]++;
  }
  // build the result (scenarios are given by states, not by index)
  const space = spaceSizeOf(counts);
  const attractors: BasinAttractor[] = [];
  const cycles: BasinCycle[] = [];
  let cycleStarts = 0;
  const lex = (a: number[], b: number[]) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
    return 0;
  };
  for (let i = 0; i < labels.length; i++) {
    const st = labels[i].states;
    if (st.length === 1) {
      balanceInto(p, st[0], theta);
      const s = summarize(p, st[0], theta);
      attractors.push({
        states: st[0],
        weight: weights[i],
        share: weights[i] / done,
        weightEstimate: (weights[i] / done) * Number(space),
        tis: s.tis,
        cv: s.cv,
      });
    } else {
      let b = 0;
      for (let q = 1; q < st.length; q++) if (lex(st[q], st[b]) < 0) b = q;
      cycleStarts += weights[i];
      cycles.push({ scenarios: st.slice(b).concat(st.slice(0, b)), period: st.length, starts: weights[i] });
    }
  }
  attractors.sort((a, b) => b.weight - a.weight || lex(a.states, b.states));
  cycles.sort((a, b) => b.starts - a.starts || lex(a.scenarios[0], b.scenarios[0]));
  return {
    kind: "cib.basins",
    rule,
    estimate: true,
    complete: !stopped,
    spaceSize: space.toString(),
    starts: done,
    samples: done,
    seed,
    attractors,
    cycles: cycles.slice(0, opts.maxCycles ?? 100),
    cycleCount: cycles.length,
    cycleStarts,
    elapsedMs: nowMs() - start,
  };
}
