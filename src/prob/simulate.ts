// Trajectories of the stochastic succession from the current situation (Monte Carlo), with
// per-step state probabilities, condition probabilities by step, first-passage times, the most
// frequent loop-erased paths, and end scenarios; optionally with judgment uncertainty.
import { InputError } from "../errors.js";
import type { CompiledModel } from "../model/compiled.js";
import { streamStates } from "../random.js";
import type { ChunkResult, ChunkTask } from "./chunk.js";
import { addClusterSums, type ClusterChunkSums, emptyClusterSums, sumsAt } from "./cluster.js";
import { hasDraws, simulateChunk } from "./ctmc.js";
import type { Path } from "./path.js";
import { type Control, ENGINE_VERSION, runTasks } from "./run.js";
import { buildSpec, type ChainSpec, DAYS_PER_MONTH, type SpecOptions } from "./spec.js";
import { type ClusterSizes, clusterInterval, wilson, wilsonHalfWidth } from "./stats.js";

export interface SimulateOptions extends SpecOptions {
  /** Most runs (trajectories). With `precision`, fewer when the target is met. */
  runs: number;
  seed: number;
  /** Stop when every reported probability's 95 % Wilson half-width is below this. */
  precision?: number;
  /** Runs per chunk (one random stream each). Default 2000. Part of the result's identity. */
  chunkSize?: number;
  /** How many paths / end scenarios to report (default 10). */
  top?: number;
}

export interface Estimate {
  p: number;
  lo: number;
  hi: number;
}

export interface PathRow extends Estimate {
  /** The changes, in order: factor and the state it moves to. */
  changes: { factor: string; state: string }[];
  count: number;
}

export interface ConditionResult {
  condition: string;
  /** P(condition reached at some step ≤ k), k = 0..K. */
  byStep: Estimate[];
  /** P(condition holds at step k). */
  atStep: Estimate[];
  /** First-passage counts: firstPassage[k] runs first satisfy the condition at step k. */
  firstPassage: number[];
  /** Mean first-passage step among the runs that reach it (null if none). */
  meanFirstPassage: number | null;
  /** Most frequent loop-erased paths (sequences of factor changes) to the first hit; p is per run. */
  paths: PathRow[];
  /**
   * The same paths grouped by the set of changes, whatever their order (a cascade that runs
   * in several orders is one entry); changes listed in the order of their most frequent path.
   */
  pathSets: PathRow[];
  /** Runs that reached the condition. */
  reached: number;
}

export interface SimulationResult {
  kind: "prob.simulate";
  engine: { name: string; version: string };
  model: { hash: string };
  seed: number;
  runs: number;
  runsRequested: number;
  steps: number;
  chunkSize: number;
  chunks: number;
  partial: boolean;
  stoppedBy: "runs" | "precision" | "interrupt";
  precision: { target: number | null; achieved: number };
  /** β per factor (by factor id). */
  beta: Record<string, number>;
  /**
   * The dynamics: continuous time (each factor's revisit rate per month, the reporting grid in
   * days from asOf, which inputs were drawn per cluster) or the stepwise succession.
   */
  dynamics: {
    mode: "continuous" | "succession";
    ratesPerMonth: Record<string, number> | null;
    gridDays: number[] | null;
    drawn: { judgments: boolean; rates: boolean; beta: boolean };
  };
  start: Record<string, string>;
  fixed: Record<string, string>;
  shocks: { factor: string; state: string; probability?: number; at?: number }[];
  uncertainty: { matrices: number; runsPerMatrix: number } | null;
  /** Wilson 95 % intervals; cluster-robust (Korn–Graubard) when runs came in clusters of draws. */
  interval: "wilson-95" | "cluster-wilson-95";
  /** Fan-chart data: per factor, per state, the probability at each step 0..K. */
  factors: { id: string; states: { id: string; p: number[]; lo: number[]; hi: number[] }[] }[];
  conditions: ConditionResult[];
  /** Most frequent scenarios at step K. */
  ends: ({ states: Record<string, string>; count: number } & Estimate)[];
  /** Distinct scenarios at step K. */
  distinctEnds: number;
  /** Mean number of succession moves (not shocks) per run. */
  movesPerRun: number;
}

/** Merged raw counts (sums over chunks in chunk order). */
export interface Tally {
  runs: number;
  stateCounts: Float64Array;
  firstHit: Float64Array[];
  holds: Float64Array[];
  paths: Map<string, number>[];
  ends: Map<string, number>;
  matrices: number;
  moves: number;
  records: Int8Array[];
  /** Per-cluster sums (runs drawn in clusters: judgment, rate or β uncertainty), else null. */
  cluster: ClusterChunkSums | null;
  /** Continuous-time paths of every run (spec.recordPaths), in run order. */
  pathRecords: Path[];
}

export function emptyTally(spec: ChainSpec): Tally {
  return {
    runs: 0,
    stateCounts: new Float64Array((spec.steps + 1) * spec.size),
    firstHit: spec.conditions.map(() => new Float64Array(spec.steps + 1)),
    holds: spec.conditions.map(() => new Float64Array(spec.steps + 1)),
    paths: spec.conditions.map(() => new Map()),
    ends: new Map(),
    matrices: 0,
    moves: 0,
    records: [],
    cluster: hasDraws(spec) ? emptyClusterSums(spec.steps, spec.size, spec.conditions.length) : null,
    pathRecords: [],
  };
}

export function mergeChunk(t: Tally, r: ChunkResult): void {
  t.runs += r.runs;
  for (let i = 0; i < t.stateCounts.length; i++) t.stateCounts[i] += r.stateCounts[i];
  r.firstHit.forEach((a, q) => {
    for (let k = 0; k < a.length; k++) t.firstHit[q][k] += a[k];
  });
  r.holds.forEach((a, q) => {
    for (let k = 0; k < a.length; k++) t.holds[q][k] += a[k];
  });
  r.paths.forEach((list, q) => {
    for (const [key, c] of list) t.paths[q].set(key, (t.paths[q].get(key) ?? 0) + c);
  });
  for (const [key, c] of r.ends) t.ends.set(key, (t.ends.get(key) ?? 0) + c);
  t.matrices += r.matrices;
  t.moves += r.moves;
  if (r.records) t.records.push(r.records);
  if (r.cluster && t.cluster) addClusterSums(t.cluster, r.cluster);
  if (r.pathRecords) for (const p of r.pathRecords) t.pathRecords.push(p);
}

/** Largest Wilson half-width over the reported probabilities (fan chart and conditions). */
export function maxHalfWidth(t: Tally, spec: ChainSpec): number {
  let worst = 0;
  const n = t.runs;
  for (let i = 0; i < t.stateCounts.length; i++)
    worst = Math.max(worst, wilsonHalfWidth(t.stateCounts[i], n));
  t.firstHit.forEach((a) => {
    let cum = 0;
    for (let k = 0; k <= spec.steps; k++) {
      cum += a[k];
      worst = Math.max(worst, wilsonHalfWidth(cum, n));
    }
  });
  for (const a of t.holds)
    for (let k = 0; k <= spec.steps; k++) worst = Math.max(worst, wilsonHalfWidth(a[k], n));
  return worst;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

function est(k: number, n: number): Estimate {
  const w = wilson(k, n);
  return { p: n ? k / n : 0, lo: w.lo, hi: w.hi };
}

/** An estimate whose interval is cluster-robust when the runs came in clusters (stats.ts). */
function clusterEst(
  k: number,
  n: number,
  c: ClusterSizes | null,
  y2?: Float64Array,
  yn?: Float64Array,
  i = 0,
): Estimate {
  if (!c || !y2 || !yn) return est(k, n);
  const w = clusterInterval(sumsAt(k, y2, yn, i), c);
  return { p: n ? k / n : 0, lo: w.lo, hi: w.hi };
}

function byCountThenKey(a: [string, number], b: [string, number]): number {
  return b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
}

/** Chunk layout: sizes of the chunks for `runs` runs (the last may be smaller). */
export function chunkSizes(runs: number, chunkSize: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < runs; r += chunkSize) out.push(Math.min(chunkSize, runs - r));
  return out;
}

/**
 * Simulates `runs` trajectories of `steps` steps. Deterministic in (model, options, seed):
 * chunk c uses stream c of the seed whatever the number of threads; with `precision`, the
 * target is checked after 4, 8, 16, … chunks (a fixed schedule).
 */
export async function simulate(
  cm: CompiledModel,
  opts: SimulateOptions,
  control: Control = {},
): Promise<{ result: SimulationResult; tally: Tally; spec: ChainSpec }> {
  const spec = buildSpec(cm, opts);
  if (!Number.isInteger(opts.runs) || opts.runs < 1)
    throw new InputError(`runs must be a whole number ≥ 1, got ${opts.runs}`, {
      code: "option",
      path: "runs",
    });
  const chunkSize = Math.max(1, Math.floor(opts.chunkSize ?? 2000));
  const sizes = chunkSizes(opts.runs, chunkSize);
  const streams = streamStates(opts.seed, sizes.length);
  const tasks: ({ kind: "chunk" } & ChunkTask)[] = sizes.map((runs, chunk) => ({
    kind: "chunk",
    spec,
    chunk,
    runs,
    stream: streams[chunk],
  }));
  const tally = emptyTally(spec);
  const progress = { done: 0, total: tasks.length };
  let stoppedBy: SimulationResult["stoppedBy"] = "runs";
  let done = 0;
  let checkpoint = opts.precision ? Math.min(4, tasks.length) : tasks.length;
  while (done < tasks.length) {
    const batch = tasks.slice(done, checkpoint);
    const results = await runTasks(batch, simulateChunk, control, progress);
    for (const r of results) mergeChunk(tally, r);
    done += results.length;
    if (results.length < batch.length || control.signal?.aborted) {
      stoppedBy = "interrupt";
      break;
    }
    if (opts.precision && maxHalfWidth(tally, spec) < opts.precision) {
      stoppedBy = done < tasks.length ? "precision" : "runs";
      break;
    }
    checkpoint = Math.min(tasks.length, checkpoint * 2);
  }
  const result = report(cm, spec, tally, {
    seed: opts.seed,
    runsRequested: opts.runs,
    chunkSize,
    chunks: done,
    stoppedBy,
    precision: opts.precision ?? null,
    top: opts.top ?? 10,
  });
  return { result, tally, spec };
}

export function report(
  cm: CompiledModel,
  spec: ChainSpec,
  t: Tally,
  meta: {
    seed: number;
    runsRequested: number;
    chunkSize: number;
    chunks: number;
    stoppedBy: SimulationResult["stoppedBy"];
    precision: number | null;
    top: number;
  },
): SimulationResult {
  const n = t.runs;
  const K = spec.steps;
  const M = spec.size;
  const ids = cm.factorIds;
  const cs = t.cluster;
  const sizes: ClusterSizes | null = cs ? { clusters: cs.clusters, n: cs.n, n2: cs.n2 } : null;
  const sid = (f: number, s: number) => cm.stateIds[f][s];
  const factors = ids.map((id, f) => ({
    id,
    states: cm.stateIds[f].map((s, l) => {
      const p: number[] = [];
      const lo: number[] = [];
      const hi: number[] = [];
      for (let k = 0; k <= K; k++) {
        const i = k * M + cm.offsets[f] + l;
        const e = clusterEst(t.stateCounts[i], n, sizes, cs?.stateY2, cs?.stateYN, i);
        p.push(e.p);
        lo.push(e.lo);
        hi.push(e.hi);
      }
      return { id: s, p, lo, hi };
    }),
  }));
  const conditions: ConditionResult[] = spec.conditions.map((c, q) => {
    const byStep: Estimate[] = [];
    const atStep: Estimate[] = [];
    let cum = 0;
    let sumK = 0;
    for (let k = 0; k <= K; k++) {
      cum += t.firstHit[q][k];
      sumK += k * t.firstHit[q][k];
      byStep.push(clusterEst(cum, n, sizes, cs?.reachY2[q], cs?.reachYN[q], k));
      atStep.push(clusterEst(t.holds[q][k], n, sizes, cs?.holdsY2[q], cs?.holdsYN[q], k));
    }
    const row = ([key, count]: [string, number]): PathRow => ({
      changes: key
        ? key.split(">").map((x) => {
            const [f, s] = x.split(":").map(Number);
            return { factor: ids[f], state: sid(f, s) };
          })
        : [],
      count,
      ...est(count, n),
    });
    const paths = [...t.paths[q].entries()].sort(byCountThenKey).slice(0, meta.top).map(row);
    // Group the loop-erased paths by their set of changes: sum counts; keep the order of the
    // most frequent member (entries are visited most frequent first).
    const sets = new Map<string, { key: string; count: number }>();
    for (const [key, count] of [...t.paths[q].entries()].sort(byCountThenKey)) {
      const setKey = key ? [...new Set(key.split(">"))].sort().join(">") : "";
      const e = sets.get(setKey);
      if (e) e.count += count;
      else sets.set(setKey, { key, count });
    }
    const pathSets = [...sets.values()]
      .map((e) => [e.key, e.count] as [string, number])
      .sort(byCountThenKey)
      .slice(0, meta.top)
      .map(row);
    return {
      condition: c.text,
      byStep,
      atStep,
      firstPassage: Array.from(t.firstHit[q]),
      meanFirstPassage: cum > 0 ? sumK / cum : null,
      paths,
      pathSets,
      reached: cum,
    };
  });
  const ends = [...t.ends.entries()]
    .sort(byCountThenKey)
    .slice(0, meta.top)
    .map(([key, count]) => {
      const z = key.split(",").map(Number);
      return {
        states: Object.fromEntries(z.map((s, f) => [ids[f], sid(f, s)])),
        count,
        ...est(count, n),
      };
    });
  const named = (a: Int32Array, keep: (v: number) => boolean) =>
    Object.fromEntries([...a].flatMap((s, f) => (keep(s) ? [[ids[f], sid(f, s)]] : [])));
  return {
    kind: "prob.simulate",
    engine: { name: "muscat-prob", version: ENGINE_VERSION },
    model: { hash: cm.hash },
    seed: meta.seed,
    runs: n,
    runsRequested: meta.runsRequested,
    steps: K,
    chunkSize: meta.chunkSize,
    chunks: meta.chunks,
    partial: meta.stoppedBy === "interrupt",
    stoppedBy: meta.stoppedBy,
    precision: { target: meta.precision, achieved: n ? maxHalfWidth(t, spec) : 1 },
    beta: Object.fromEntries(ids.map((id, f) => [id, spec.beta[f]])),
    dynamics: {
      mode: spec.mode,
      ratesPerMonth: spec.rates
        ? Object.fromEntries(
            ids.map((id, f) => [id, round6((spec.rates as Float64Array)[f] * DAYS_PER_MONTH)]),
          )
        : null,
      gridDays: spec.grid ? Array.from(spec.grid) : null,
      drawn: {
        judgments: spec.spread !== null,
        rates: spec.rateRange !== null,
        beta: spec.betaRange !== null,
      },
    },
    start: named(spec.start, () => true),
    fixed: named(spec.fixed, (s) => s >= 0),
    shocks: spec.shocks.map((s) => ({
      factor: ids[s.factor],
      state: sid(s.factor, s.state),
      probability: s.probability,
      at: s.at,
    })),
    uncertainty: spec.spread ? { matrices: t.matrices, runsPerMatrix: spec.runsPerMatrix } : null,
    interval: sizes ? "cluster-wilson-95" : "wilson-95",
    factors,
    conditions,
    ends,
    distinctEnds: t.ends.size,
    movesPerRun: n ? t.moves / n : 0,
  };
}
