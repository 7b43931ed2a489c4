// Forecasts of a model's questions from the probability engine (stochastic succession from the
// current situation, with judgment uncertainty), their judgment interval, drivers and
// indicators. See index.ts for the method and references.
import { InputError } from "../errors.js";
import type { CompiledModel } from "../model/compiled.js";
import { formatStateRef } from "../model/paths.js";
import {
  addSteps,
  daysBetween,
  gridDays,
  isCalendarDate,
  modelStep,
  resolveHorizon,
  stepsUntil,
} from "../model/step.js";
import type { Model, Question } from "../model/types.js";
import {
  DEFAULT_OBSERVATION_ERROR,
  type FilterObservation,
  type FilterStep,
  filterPaths,
} from "../prob/filter.js";
import type { Path } from "../prob/path.js";
import { type Control, ENGINE_VERSION as PROB_VERSION } from "../prob/run.js";
import { simulate } from "../prob/simulate.js";
import { buildSpec, tempoOf } from "../prob/spec.js";
import { clusterInterval, wilson } from "../prob/stats.js";
import { streamStates } from "../random.js";
import { conditionText } from "./condition.js";
import { type CompiledQuestion, compileQuestion, evaluate, passes, questionEnd } from "./questions.js";

export const FORECAST_ENGINE_VERSION = "2.0.0";

export interface ForecastOptions {
  /** Runs (trajectories) for each question's probability. Default 4000. */
  runs?: number;
  seed?: number;
  /** Draw the judgments around their values (the model's uncertainty). Default true. */
  uncertainty?: boolean;
  /** Runs per drawn matrix (judgment uncertainty). Default 50. */
  runsPerMatrix?: number;
  /** Compute drivers and indicators. Default true. */
  drivers?: boolean;
  /** Runs per one-at-a-time change for the drivers (judged matrix, common random numbers). Default 1000. */
  driverRuns?: number;
  /** Runs per observed-state change for the indicators (with uncertainty). Default: runs. */
  indicatorRuns?: number;
  /** Drivers and indicators to keep per question. Default 5. */
  top?: number;
  /** Only these questions (ids). */
  only?: string[];
  /** Level of the judgment interval. Default 0.9. */
  level?: number;
  /**
   * Condition on the model's observations dated on or before this date (default: all of them;
   * the model's asOf: none).
   */
  observedUntil?: string;
  /** Probability that a recorded observation is wrong (default 0.02). */
  observationError?: number;
  signal?: AbortSignal;
  /** Worker threads to run the simulations on (several at once); without one, this thread. */
  pool?: Control["pool"];
  onProgress?: (p: { done: number; total: number; phase: string }) => void;
}

export interface Interval {
  lo: number;
  hi: number;
}

export type Driver =
  | {
      kind: "impact";
      /** Index of the judgment in the model's impacts. */
      impact: number;
      from: string;
      to: string;
      strength: number;
      changedTo: number;
      p: number;
      effect: number;
    }
  | { kind: "current"; factor: string; from: string; to: string; p: number; effect: number };

export interface Indicator {
  factor: string;
  /** The state that, if observed now, shifts the probability. */
  state: string;
  label: string;
  /** The current state it replaces. */
  from: string;
  p: number;
  shift: number;
}

export interface QuestionForecast {
  id: string;
  text: string;
  condition: string;
  mode: "by" | "at";
  /**
   * The horizon as given, as the instant it means (days from asOf; a date is that day, not the
   * step before it) and its date; `steps` is the whole steps of the model's grid up to it.
   */
  horizon: { given: number | string; steps: number; date: string; days?: number };
  given: string[];
  /** Probability over every run (judgment uncertainty included when on). */
  p: number;
  /** Judgment interval: the spread of the probability across drawn judgment matrices. */
  interval: Interval & { level: number; sd: number };
  /**
   * Monte Carlo 95 % interval of p (sampling error only): Wilson's, cluster-robust when runs
   * share draws of the uncertain inputs (a draw every `runsPerMatrix` runs).
   */
  mc: Interval;
  /** The question's random stream: the run's seed keyed by the question's id (absent in vintages before it). */
  seed?: number;
  /** Probability on the judged matrix (no judgment uncertainty): the drivers' reference. */
  judged?: number;
  drivers?: Driver[];
  indicators?: Indicator[];
}

export interface ForecastResult {
  kind: "forecast";
  engine: { name: string; version: string; prob: string };
  model: { id: string; title: string; hash: string; asOf: string; step: string };
  seed: number;
  runs: number;
  runsPerMatrix: number;
  uncertainty: boolean;
  driverRuns: number | null;
  indicatorRuns: number | null;
  interval: string;
  /** The start scenario; `inferred` lists factors without a `current` state in the model. */
  start: { states: Record<string, string>; inferred: string[] };
  questions: QuestionForecast[];
  /**
   * The observations the forecasts are conditioned on (particle filter), with the effective
   * sample size at each observation instant of each question's run and a warning when it
   * collapsed; null when none.
   */
  observations?: {
    used: { state: string; date: string }[];
    error: number;
    perQuestion: { id: string; steps: FilterStep[]; minShare: number; warning: string | null }[];
  } | null;
}

export class ForecastError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = "ForecastError";
  }
}

interface Prepared {
  q: Question;
  cq: CompiledQuestion;
  /** Whole steps of the model's grid up to the question's end (the stepwise mode simulates these). */
  steps: number;
  date: string;
  /** The horizon instant, days from asOf. */
  days: number;
}

/**
 * A question's own random stream: the run's seed combined with the question's id (FNV-1a, 32
 * bits), so its forecast does not depend on where it sits in the file or on the other questions.
 */
export function questionSeed(seed: number, id: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * Counts of a question's answers over paths, runs grouped in clusters of `per` (runs that share
 * a draw): a path counts when every observed state holds on it (conditional questions).
 */
export function countOnPaths(
  paths: Path[],
  per: number | Int32Array,
  questions: CompiledQuestion[],
): QuestionCounts[] {
  const out: QuestionCounts[] = questions.map(() => ({ hits: 0, runs: 0, groupHits: [], groupRuns: [] }));
  paths.forEach((path, r) => {
    // The cluster of run r: a draw every `per` runs, or the draw each run carries.
    const g = typeof per !== "number" ? per[r] : Number.isFinite(per) ? Math.floor(r / per) : 0;
    questions.forEach((cq, i) => {
      const o = out[i];
      while (o.groupRuns.length <= g) {
        o.groupRuns.push(0);
        o.groupHits.push(0);
      }
      const a = evaluate(cq, path);
      if (!a.counted) return;
      o.runs++;
      o.groupRuns[g]++;
      if (a.yes) {
        o.hits++;
        o.groupHits[g]++;
      }
    });
  });
  return out;
}

/**
 * The stepwise succession's recorded runs (run-major, then step 0..K, then factor) as paths:
 * each change at the day of the step where it first shows (grid), so questions are answered
 * the same way in both modes.
 */
export function pathsFromRecords(
  records: Int8Array[],
  n: number,
  grid: Float64Array,
  knownUntil: number = grid[grid.length - 1],
): Path[] {
  const K = grid.length - 1;
  const out: Path[] = [];
  for (const rec of records) {
    const runs = rec.length / ((K + 1) * n);
    for (let r = 0; r < runs; r++) {
      const base = r * (K + 1) * n;
      const times: number[] = [];
      const factors: number[] = [];
      const states: number[] = [];
      for (let k = 1; k <= K; k++)
        for (let f = 0; f < n; f++) {
          const s = rec[base + k * n + f];
          if (s !== rec[base + (k - 1) * n + f]) {
            times.push(grid[k]);
            factors.push(f);
            states.push(s);
          }
        }
      out.push({
        start: Int32Array.from(rec.subarray(base, base + n)),
        times: Float64Array.from(times),
        factors: Int32Array.from(factors),
        states: Int32Array.from(states),
        length: times.length,
        // The scenario after the last step holds until the next step.
        end: knownUntil,
      });
    }
  }
  return out;
}

/** Per question: runs where it resolves yes, and per judgment matrix (hits, runs). */
export interface QuestionCounts {
  hits: number;
  runs: number;
  groupHits: number[];
  groupRuns: number[];
}

/** Maps items to results `width` at a time (in order): simulations in flight together on a pool. */
async function inBatches<T, R>(items: T[], width: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += width)
    out.push(...(await Promise.all(items.slice(i, i + width).map(f))));
  return out;
}

/** The cluster sums (Σy, Σy², Σy·n) of a question's per-draw counts. */
function clusterSumsOf(c: QuestionCounts): { y: number; y2: number; yn: number } {
  let y2 = 0;
  let yn = 0;
  c.groupHits.forEach((y, g) => {
    y2 += y * y;
    yn += y * c.groupRuns[g];
  });
  return { y: c.hits, y2, yn };
}

/** Quantile (type 7: linear between order statistics) of sorted values. */
function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * The judgment interval from per-matrix counts. Each matrix's estimate p̂_g carries binomial
 * noise; the between-matrix variance is the observed variance of the p̂_g less the mean noise
 * variance p̂_g(1 − p̂_g)/(n_g − 1) (method of moments). The p̂_g are shrunk towards p by
 * √(between / observed) and the interval is their central `level` quantile range (type 7).
 */
export function judgmentInterval(
  groupHits: readonly number[],
  groupRuns: readonly number[],
  level = 0.9,
): Interval & { level: number; sd: number } {
  const G = groupRuns.length;
  const N = groupRuns.reduce((a, b) => a + b, 0);
  const p = N ? groupHits.reduce((a, b) => a + b, 0) / N : Number.NaN;
  const ps: number[] = [];
  let noise = 0;
  for (let g = 0; g < G; g++) {
    if (groupRuns[g] < 2) continue;
    const x = groupHits[g] / groupRuns[g];
    ps.push(x);
    noise += (x * (1 - x)) / (groupRuns[g] - 1);
  }
  if (ps.length < 2) return { lo: p, hi: p, level, sd: 0 };
  noise /= ps.length;
  const mean = ps.reduce((a, b) => a + b, 0) / ps.length;
  const observed = ps.reduce((a, b) => a + (b - mean) ** 2, 0) / (ps.length - 1);
  const between = Math.max(0, observed - noise);
  const shrink = observed > 0 ? Math.sqrt(between / observed) : 0;
  const shrunk = ps.map((x) => p + shrink * (x - mean)).sort((a, b) => a - b);
  const a = (1 - level) / 2;
  return {
    lo: Math.max(0, Math.min(p, quantile(shrunk, a))),
    hi: Math.min(1, Math.max(p, quantile(shrunk, 1 - a))),
    level,
    sd: Math.sqrt(between),
  };
}

/**
 * The start scenario: each factor's `current` state; where the model gives none, the state
 * that the rest of the situation favours most (highest impact balance from the other factors'
 * start states, ties to the first state), repeated until the inferred states settle.
 */
export function inferStart(cm: CompiledModel): { current: Int32Array; inferred: number[] } {
  const n = cm.nFactors;
  const M = cm.size;
  const z = Int32Array.from({ length: n }, (_, f) => cm.current?.[f] ?? -1);
  const inferred: number[] = [];
  for (let f = 0; f < n; f++) if (z[f] < 0) inferred.push(f);
  if (inferred.length === 0) return { current: z, inferred };
  const known = (f: number) => z[f] >= 0;
  for (let round = 0; round < 20; round++) {
    let changed = false;
    for (const j of inferred) {
      let best = -1;
      let bestV = Number.NEGATIVE_INFINITY;
      for (let l = 0; l < cm.counts[j]; l++) {
        let v = 0;
        for (let i = 0; i < n; i++) {
          if (i === j || !known(i)) continue;
          v += cm.matrix[(cm.offsets[i] + z[i]) * M + cm.offsets[j] + l];
        }
        if (v > bestV) {
          bestV = v;
          best = l;
        }
      }
      if (z[j] !== best) {
        z[j] = best;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return { current: z, inferred };
}

/** Copy of a compiled model with a different matrix. */
function withMatrix(cm: CompiledModel, matrix: Int32Array): CompiledModel {
  return { ...cm, matrix };
}

/** The cells an impact gives, with their values (blocks: every non-zero cell). */
function impactCells(
  model: Model,
  cm: CompiledModel,
  i: number,
): { cell: number; from: string; to: string; v: number }[] {
  const imp = model.impacts[i];
  const M = cm.size;
  const idx = (f: string, s: string) => {
    const fi = cm.factorIds.indexOf(f);
    return cm.offsets[fi] + cm.stateIds[fi].indexOf(s);
  };
  if (imp.kind === "cell") {
    if (imp.strength === 0) return [];
    return [
      {
        cell: idx(imp.from.factor, imp.from.state) * M + idx(imp.to.factor, imp.to.state),
        from: formatStateRef(imp.from),
        to: formatStateRef(imp.to),
        v: imp.strength,
      },
    ];
  }
  const out: { cell: number; from: string; to: string; v: number }[] = [];
  const fi = cm.factorIds.indexOf(imp.from);
  const fj = cm.factorIds.indexOf(imp.to);
  imp.matrix.forEach((row, r) =>
    row.forEach((v, c) => {
      if (v === 0) return;
      out.push({
        cell: (cm.offsets[fi] + r) * M + cm.offsets[fj] + c,
        from: `${imp.from}=${cm.stateIds[fi][r]}`,
        to: `${imp.to}=${cm.stateIds[fj][c]}`,
        v,
      });
    }),
  );
  return out;
}

function byEffect<T extends { effect?: number; shift?: number; key: string }>(a: T, b: T): number {
  const ea = Math.abs(a.effect ?? a.shift ?? 0);
  const eb = Math.abs(b.effect ?? b.shift ?? 0);
  return eb - ea || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/**
 * The questions asked (all, or `only` the ones named) and the observations the forecasts are
 * conditioned on (those up to `observedUntil`; calendar time only), checked: an unknown
 * question or a bad date is a ForecastError. Cheap, so the server checks a run's options with
 * it before queueing the run.
 */
export function selectForecast(
  model: Model,
  cm: CompiledModel,
  opts: Pick<ForecastOptions, "only" | "observedUntil" | "observationError">,
) {
  let questions = model.questions ?? [];
  if (opts.only?.length) {
    const ids = new Set(questions.map((q) => q.id));
    for (const id of opts.only)
      if (!ids.has(id))
        throw new ForecastError(`no question '${id}'; questions are ${[...ids].join(", ") || "(none)"}`);
    questions = questions.filter((q) => opts.only?.includes(q.id));
  }
  const obsError = opts.observationError ?? DEFAULT_OBSERVATION_ERROR;
  if (opts.observedUntil !== undefined && !isCalendarDate(opts.observedUntil))
    throw new ForecastError(`observed-until must be a real date YYYY-MM-DD; got '${opts.observedUntil}'`);
  if (!(obsError >= 0 && obsError < 1))
    throw new ForecastError(`the observation error is a probability in [0, 1); got ${obsError}`);
  const observations = (model.observations ?? []).filter(
    (o) => opts.observedUntil === undefined || o.date <= opts.observedUntil,
  );
  if (observations.length && tempoOf(cm).mode !== "continuous")
    throw new ForecastError(
      "observations condition forecasts in calendar time only: set dynamics.mode to continuous (the default)",
    );
  return { questions, observations, obsError };
}

/**
 * Forecasts every question of the model (or `only` some). Deterministic in (model, options):
 * every simulation uses the same seed, so the comparisons behind drivers and indicators use
 * common random numbers.
 */
export async function forecastQuestions(
  model: Model,
  judgedModel: CompiledModel,
  opts: ForecastOptions = {},
): Promise<ForecastResult> {
  const startInfo = inferStart(judgedModel);
  const cm: CompiledModel = { ...judgedModel, current: startInfo.current };
  const runs = opts.runs ?? 4000;
  const seed = opts.seed ?? 1;
  const uncertainty = opts.uncertainty ?? true;
  const runsPerMatrix = opts.runsPerMatrix ?? 50;
  const wantDrivers = opts.drivers ?? true;
  const driverRuns = opts.driverRuns ?? 1000;
  const indicatorRuns = opts.indicatorRuns ?? runs;
  const top = opts.top ?? 5;
  const level = opts.level ?? 0.9;
  for (const [name, v] of [
    ["runs", runs],
    ["driver runs", driverRuns],
    ["indicator runs", indicatorRuns],
    ["runs per matrix", runsPerMatrix],
  ] as const)
    if (!Number.isInteger(v) || v < 1)
      throw new ForecastError(`${name} must be a whole number ≥ 1, got ${v}`);
  const { questions, observations, obsError } = selectForecast(model, cm, opts);
  const continuous = tempoOf(cm).mode === "continuous";
  const prepared: Prepared[] = questions.map((q) => {
    const cq = compileQuestion(model, cm, q);
    const h = resolveHorizon(model, q.horizon);
    // The horizon is the instant of its date; the stepwise mode simulates the whole steps up
    // to the question's last instant (a later observation included).
    const date = typeof q.horizon === "string" ? q.horizon : h.date;
    const end = questionEnd(cq);
    return {
      q,
      cq,
      steps: stepsUntil(
        model.asOf,
        modelStep(model),
        addSteps(model.asOf, { years: 0, months: 0, weeks: 0, days: end }, 1),
      ),
      date,
      days: cq.to,
    };
  });

  const observed: FilterObservation[] = observations.map((o) => {
    const f = cm.factorIds.indexOf(o.ref.factor);
    return { t: daysBetween(model.asOf, o.date), factor: f, state: cm.stateIds[f].indexOf(o.ref.state) };
  });
  const filtered: { id: string; steps: FilterStep[]; minShare: number; warning: string | null }[] = [];

  const fixOf = (q: Question) => {
    const fix = new Map<number, number>();
    for (const g of q.given) {
      const f = cm.factorIds.indexOf(g.factor);
      fix.set(f, cm.stateIds[f].indexOf(g.state));
    }
    return fix;
  };
  // Questions with the same interventions share their simulations.
  const groups = new Map<string, Prepared[]>();
  for (const p of prepared) {
    const key = p.q.given.map(formatStateRef).sort().join(",");
    const list = groups.get(key);
    if (list) list.push(p);
    else groups.set(key, [p]);
  }

  // Work plan: per group, the headline run, then (drivers) the judged-matrix reference, each
  // one-at-a-time change of a judgment, and each alternative start state twice (drivers on
  // the judged matrix, indicators on the full model).
  const changes: { impact: number; cell: number; from: string; to: string; v: number; d: number }[] = [];
  const { min, max } = cm.scale;
  model.impacts.forEach((_imp, i) => {
    for (const c of impactCells(model, cm, i))
      for (const d of [1, -1]) {
        const v = c.v + d;
        const summed = cm.matrix[c.cell] + d;
        if (v >= min && v <= max && summed >= min && summed <= max) changes.push({ impact: i, ...c, d });
      }
  });
  const alternatives = (fix: Map<number, number>) => {
    const out: { f: number; s: number }[] = [];
    for (let f = 0; f < cm.nFactors; f++) {
      if (fix.has(f)) continue;
      for (let s = 0; s < cm.counts[f]; s++) if (s !== (cm.current?.[f] ?? -1)) out.push({ f, s });
    }
    return out;
  };
  const progress = { done: 0, total: 0, phase: "forecast" };
  const tick = (phase: string) => {
    progress.done++;
    progress.phase = phase;
    opts.onProgress?.({ ...progress });
  };

  for (const [, group] of groups) {
    const fix = fixOf(group[0].q);
    progress.total +=
      1 +
      (wantDrivers
        ? 1 + changes.length + 2 * alternatives(fix).length + (indicatorRuns !== runs ? 1 : 0)
        : 0);
  }
  const results = new Map<string, QuestionForecast>();
  for (const [, group] of groups) {
    const fix = fixOf(group[0].q);
    const simFor = async (
      qs: Prepared[],
      model_: CompiledModel,
      n: number,
      unc: boolean,
      seed_: number,
      given?: Map<number, number>,
    ): Promise<QuestionCounts[]> => {
      if (opts.signal?.aborted) throw new ForecastError("interrupted");
      const K = Math.max(...qs.map((p) => p.steps));
      const end = Math.max(...qs.map((p) => questionEnd(p.cq)));
      const grid = continuous ? Float64Array.from([0, end]) : gridDays(model, K);
      // Clusters (a draw every runsPerMatrix runs) never straddle two chunks.
      const chunkSize = runsPerMatrix * Math.max(1, Math.round(2000 / runsPerMatrix));
      const { tally, spec } = await simulate(
        model_,
        {
          // Continuous time: one interval to the last instant asked about, every path kept and
          // each question read off it exactly; stepwise: the step records, read as paths.
          steps: continuous ? 1 : K,
          grid,
          runs: n,
          seed: seed_,
          fix,
          given,
          uncertainty: unc,
          runsPerMatrix,
          chunkSize,
          record: !continuous,
          recordPaths: continuous,
          paths: false,
          top: 0,
        },
        { signal: opts.signal, pool: opts.pool },
      );
      if (tally.runs < n) throw new ForecastError("interrupted");
      const paths = continuous
        ? tally.pathRecords
        : pathsFromRecords(tally.records, spec.nFactors, grid, gridDays(model, K + 1)[K + 1]);
      const clustered = spec.spread !== null || spec.rateRange !== null || spec.betaRange !== null;
      return countOnPaths(
        paths,
        clustered ? spec.runsPerMatrix : Number.POSITIVE_INFINITY,
        qs.map((p) => p.cq),
      );
    };
    // Drivers and indicators compare runs of the whole group with common random numbers, on a
    // stream keyed by the group's question ids.
    const groupSeed = questionSeed(
      seed,
      group
        .map((p) => p.q.id)
        .sort()
        .join("\u0000"),
    );
    const sim = (model_: CompiledModel, n: number, unc: boolean, given?: Map<number, number>) =>
      simFor(group, model_, n, unc, groupSeed, given);

    // The headline: each question on its own stream, keyed by its id.
    const head: QuestionCounts[] = [];
    for (const p of group) {
      const qSeed = questionSeed(seed, p.q.id);
      if (observed.length === 0) {
        head.push((await simFor([p], cm, runs, uncertainty, qSeed))[0]);
        continue;
      }
      // Conditioned on what was observed: the particle filter on this question's stream.
      if (opts.signal?.aborted) throw new ForecastError("interrupted");
      const end = Math.max(questionEnd(p.cq), ...observed.map((o) => o.t));
      const spec = buildSpec(cm, {
        steps: 1,
        grid: Float64Array.from([0, end]),
        fix,
        uncertainty,
        runsPerMatrix,
      });
      const f = filterPaths(spec, {
        particles: runs,
        end,
        observations: observed,
        error: obsError,
        perDraw: runsPerMatrix,
        stream: streamStates(qSeed, 1)[0],
      });
      filtered.push({ id: p.q.id, steps: f.steps, minShare: f.minShare, warning: f.warning });
      head.push(countOnPaths(f.paths, uncertainty ? f.draw : Number.POSITIVE_INFINITY, [p.cq])[0]);
    }
    tick("forecast");
    group.forEach((p, i) => {
      const c = head[i];
      const clustered = uncertainty && c.groupRuns.length > 1;
      const w = clustered
        ? clusterInterval(clusterSumsOf(c), {
            clusters: c.groupRuns.length,
            n: c.runs,
            n2: c.groupRuns.reduce((a, b) => a + b * b, 0),
          })
        : wilson(c.hits, c.runs);
      results.set(p.q.id, {
        id: p.q.id,
        text: p.q.text,
        condition: conditionText(p.q.condition),
        mode: p.q.mode,
        horizon: { given: p.q.horizon, steps: p.steps, date: p.date, days: p.days },
        given: p.q.given.map(formatStateRef),
        p: c.hits / c.runs,
        interval: uncertainty
          ? judgmentInterval(c.groupHits, c.groupRuns, level)
          : { lo: c.hits / c.runs, hi: c.hits / c.runs, level, sd: 0 },
        mc: { lo: w.lo, hi: w.hi },
        seed: questionSeed(seed, p.q.id),
      });
    });
    if (!wantDrivers) continue;

    // Drivers: one-at-a-time changes on the judged matrix, common random numbers.
    const base = await sim(cm, driverRuns, false);
    tick("drivers");
    const p0 = base.map((c) => c.hits / c.runs);
    const drivers: (Driver & { key: string })[][] = group.map(() => []);
    // Screening: every change on a fifth of the runs (at least 100; the same stream, so the
    // differences are common-random-numbers ones), then the changes that rank among each
    // question's 3·top largest effects again on all the driver runs; only these are reported.
    const screenRuns = Math.min(driverRuns, Math.max(100, Math.round(driverRuns / 5)));
    const screen = screenRuns < driverRuns && changes.length > 3 * top;
    let candidates = changes;
    if (screen) {
      const small = await sim(cm, screenRuns, false);
      const q0 = small.map((c) => c.hits / c.runs);
      const effects: number[][] = group.map(() => []);
      const screened = await inBatches(changes, opts.pool ? 8 : 1, (ch) => {
        const m = cm.matrix.slice();
        m[ch.cell] += ch.d;
        return sim(withMatrix(cm, m), screenRuns, false);
      });
      for (const r of screened)
        r.forEach((c, q) => {
          effects[q].push(Math.abs(c.hits / c.runs - q0[q]));
        });
      const keep = new Set<number>();
      for (const e of effects) {
        const order = e.map((x, i) => [x, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
        for (const [x, i] of order.slice(0, 3 * top)) if (x > 0) keep.add(i);
      }
      candidates = changes.filter((_, i) => keep.has(i));
      progress.total -= changes.length - candidates.length;
      opts.onProgress?.({ ...progress });
    }
    const refined = await inBatches(candidates, opts.pool ? 8 : 1, async (ch) => {
      const m = cm.matrix.slice();
      m[ch.cell] += ch.d;
      const r = await sim(withMatrix(cm, m), driverRuns, false);
      tick("drivers");
      return r;
    });
    candidates.forEach((ch, i) => {
      const r = refined[i];
      r.forEach((c, q) => {
        const p = c.hits / c.runs;
        if (p === p0[q]) return;
        drivers[q].push({
          kind: "impact",
          impact: ch.impact,
          from: ch.from,
          to: ch.to,
          strength: ch.v,
          changedTo: ch.v + ch.d,
          p,
          effect: p - p0[q],
          key: `i${String(ch.impact).padStart(5, "0")}${ch.from}>${ch.to}${ch.d}`,
        });
      });
    });
    // Current states (drivers, judged matrix) and observed states (indicators, full model).
    // An indicator's shift is a common-random-numbers difference against the headline run at
    // the same number of runs; its probability is the headline p plus that shift.
    const ref = indicatorRuns === runs ? head : await sim(cm, indicatorRuns, uncertainty);
    if (indicatorRuns !== runs) tick("indicators");
    const indicators: (Indicator & { key: string })[][] = group.map(() => []);
    const z0 = Int32Array.from({ length: cm.nFactors }, (_, f) =>
      fix.has(f) ? (fix.get(f) as number) : (cm.current?.[f] ?? -1),
    );
    for (const { f, s } of alternatives(fix)) {
      // Observing a state that answers a "by" question at once is no indicator: skip it there.
      const z1 = z0.slice();
      z1[f] = s;
      const trivial = group.map(
        (p) => p.cq.event.kind === "by" && p.cq.from === 0 && passes(p.cq.event.test, z1),
      );
      const given = new Map([[f, s]]);
      const cur = cm.current?.[f] ?? -1;
      const from = cur >= 0 ? cm.stateIds[f][cur] : "(none)";
      const r = await sim(cm, driverRuns, false, given);
      tick("drivers");
      r.forEach((c, q) => {
        const p = c.hits / c.runs;
        if (p === p0[q] || trivial[q]) return;
        drivers[q].push({
          kind: "current",
          factor: cm.factorIds[f],
          from,
          to: cm.stateIds[f][s],
          p,
          effect: p - p0[q],
          key: `c${String(f).padStart(3, "0")}:${String(s).padStart(3, "0")}`,
        });
      });
      const ri = await sim(cm, indicatorRuns, uncertainty, given);
      tick("indicators");
      ri.forEach((c, q) => {
        const shift = c.hits / c.runs - ref[q].hits / ref[q].runs;
        if (shift === 0 || trivial[q]) return;
        const headP = results.get(group[q].q.id)?.p ?? 0;
        indicators[q].push({
          factor: cm.factorIds[f],
          state: cm.stateIds[f][s],
          label: cm.stateLabels[f][s],
          from,
          p: Math.min(1, Math.max(0, headP + shift)),
          shift,
          key: `${String(f).padStart(3, "0")}:${String(s).padStart(3, "0")}`,
        });
      });
    }
    group.forEach((p, q) => {
      const rq = results.get(p.q.id) as QuestionForecast;
      rq.judged = p0[q];
      rq.drivers = drivers[q]
        .sort(byEffect)
        .slice(0, top)
        .map(({ key: _k, ...d }) => d as Driver);
      rq.indicators = indicators[q]
        .sort(byEffect)
        .slice(0, top)
        .map(({ key: _k, ...x }) => x);
    });
  }

  return {
    kind: "forecast",
    engine: { name: "muscat-forecast", version: FORECAST_ENGINE_VERSION, prob: PROB_VERSION },
    model: {
      id: model.id,
      title: model.title,
      hash: cm.hash,
      asOf: model.asOf,
      step: model.step ?? "P1M",
    },
    seed,
    runs,
    runsPerMatrix,
    uncertainty,
    driverRuns: wantDrivers ? driverRuns : null,
    indicatorRuns: wantDrivers ? indicatorRuns : null,
    interval: uncertainty
      ? `${continuous ? "judgment-and-tempo" : "judgment"}-${Math.round(level * 100)}`
      : "none",
    start: {
      states: Object.fromEntries(cm.factorIds.map((id, f) => [id, cm.stateIds[f][startInfo.current[f]]])),
      inferred: startInfo.inferred.map((f) => cm.factorIds[f]),
    },
    questions: prepared.map((p) => results.get(p.q.id) as QuestionForecast),
    observations: observations.length
      ? {
          used: observations.map((o) => ({ state: `${o.ref.factor}=${o.ref.state}`, date: o.date })),
          error: obsError,
          perQuestion: filtered,
        }
      : null,
  };
}
