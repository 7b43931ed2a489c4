// The plain, structured-clone-friendly description of a stochastic run that the chunk
// simulator (in-process or in a worker thread) reads. Built once from a CompiledModel.
import { InputError } from "../errors.js";
import { defaultBeta } from "../model/compile.js";
import type { CompiledModel } from "../model/compiled.js";

/** A conjunction of factor states: every (factor, state) pair must hold. */
export interface Condition {
  /** Text form, e.g. "region=multi-front-war,talks=breakdown". */
  text: string;
  factors: number[];
  states: number[];
}

export interface ChainSpec {
  nFactors: number;
  counts: Int32Array;
  offsets: Int32Array;
  size: number;
  /** M×M impact matrix (the judged one; runs with uncertainty draw around it). */
  matrix: Int32Array;
  /** Standard deviation per cell (M×M) for judgment uncertainty; null: no uncertainty. */
  spread: Float64Array | null;
  scale: { min: number; max: number };
  /** Responsiveness β per factor. */
  beta: Float64Array;
  /** 1 where the factor may move by succession (not exogenous, not held by an intervention). */
  movable: Uint8Array;
  /** Intervention: state held for the whole run, −1 where free. */
  fixed: Int32Array;
  /** Start scenario (state per factor). */
  start: Int32Array;
  shocks: { factor: number; state: number; probability?: number; at?: number }[];
  steps: number;
  conditions: Condition[];
  /** Record the loop-erased paths to each condition's first hit. */
  paths: boolean;
  /** Record every run's states per step (for long-format CSV). */
  record: boolean;
  /** With judgment uncertainty, runs per drawn matrix. */
  runsPerMatrix: number;
  /**
   * `continuous`: asynchronous logit dynamics in calendar time (ctmc.ts); `succession`: the
   * stepwise stochastic succession (at most one change per step; chunk.ts).
   */
  mode: DynamicsMode;
  /** Continuous mode: the reporting grid, days from asOf of steps 0..K. */
  grid: Float64Array | null;
  /** Continuous mode: each factor's revisit rate, per day. */
  rates: Float64Array | null;
  /** Continuous mode with uncertainty: each rate's 90 % prior range (lo, hi per factor), per day. */
  rateRange: Float64Array | null;
  /** Continuous mode with uncertainty: each β's 90 % prior range (lo, hi per factor). */
  betaRange: Float64Array | null;
  /** Continuous mode: keep every run's path (for questions). */
  recordPaths: boolean;
}

export type DynamicsMode = "continuous" | "succession";

/** Mean days of a calendar month (365.2425 / 12): the unit of a rate "per month". */
export const DAYS_PER_MONTH = 30.436875;

/** The stated default revisit rate (once a month), per day, and its 90 % prior range (¼–4 a month). */
export const DEFAULT_RATE_PER_DAY = 1 / DAYS_PER_MONTH;
export const DEFAULT_RATE_RANGE_PER_DAY: readonly [number, number] = [
  0.25 / DAYS_PER_MONTH,
  4 / DAYS_PER_MONTH,
];
/** The stated default 90 % prior range of β as a multiple of its value. */
export const DEFAULT_BETA_RANGE_FACTOR: readonly [number, number] = [0.5, 2];

export interface SpecOptions {
  steps: number;
  /** β for every factor (overrides the model's β and per-factor responsiveness). */
  beta?: number;
  /** Start states by factor index (override `current`). */
  given?: Map<number, number>;
  /** Interventions: factors held at a state for the whole run (also their start state). */
  fix?: Map<number, number>;
  conditions?: Condition[];
  /** Draw matrices around the judged values (judgment uncertainty). */
  uncertainty?: boolean;
  runsPerMatrix?: number;
  /** Ignore the model's shocks. */
  noShocks?: boolean;
  paths?: boolean;
  record?: boolean;
  /** Dynamics (default: the model's, else continuous). */
  mode?: DynamicsMode;
  /** Days from asOf of the grid points 0..steps (default: whole mean months). */
  grid?: Float64Array;
  /** Draw rates and β from their priors too (with `uncertainty`; default true). */
  tempoUncertainty?: boolean;
  recordPaths?: boolean;
}

/** The model's tempo as compiled (rates per day), or the stated defaults where it gives none. */
export function tempoOf(cm: CompiledModel): {
  mode: DynamicsMode;
  rates: Float64Array;
  rateRange: Float64Array;
  betaRange: Float64Array | null;
} {
  const c = cm as CompiledModel &
    Partial<{
      mode: DynamicsMode;
      rates: Float64Array;
      rateRange: Float64Array;
      betaRange: readonly [number, number];
    }>;
  const n = cm.nFactors;
  const rates = c.rates ? Float64Array.from(c.rates) : new Float64Array(n).fill(DEFAULT_RATE_PER_DAY);
  const rateRange = c.rateRange
    ? Float64Array.from(c.rateRange)
    : Float64Array.from({ length: 2 * n }, (_, i) => DEFAULT_RATE_RANGE_PER_DAY[i % 2]);
  return {
    mode: c.mode ?? "continuous",
    rates,
    rateRange,
    betaRange: c.betaRange ? Float64Array.from(c.betaRange) : null,
  };
}

export class SpecError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = "SpecError";
  }
}

/** Parses `f=s,g=t` into a Condition (factor and state ids of the model). */
export function parseCondition(cm: CompiledModel, text: string): Condition {
  const factors: number[] = [];
  const states: number[] = [];
  for (const part of text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([^=]+)=(.+)$/.exec(part);
    if (!m) throw new SpecError(`'${part}' is not a factor=state pair`);
    const fid = m[1].trim();
    const sid = m[2].trim();
    const i = cm.factorIds.indexOf(fid);
    if (i < 0) throw new SpecError(`no factor '${fid}'; factors are ${cm.factorIds.join(", ")}`);
    const k = cm.stateIds[i].indexOf(sid);
    if (k < 0)
      throw new SpecError(
        `factor '${fid}' has no state '${sid}'; its states are ${cm.stateIds[i].join(", ")}`,
      );
    const prev = factors.indexOf(i);
    if (prev >= 0) {
      if (states[prev] !== k) throw new SpecError(`condition '${text}' gives factor '${fid}' two states`);
      continue;
    }
    factors.push(i);
    states.push(k);
  }
  if (factors.length === 0) throw new SpecError(`empty condition '${text}'`);
  return {
    text: factors.map((f, q) => `${cm.factorIds[f]}=${cm.stateIds[f][states[q]]}`).join(","),
    factors,
    states,
  };
}

/** Builds a ChainSpec: start from `current` (overridden by given/fix), β, shocks, conditions. */
export function buildSpec(cm: CompiledModel, opts: SpecOptions): ChainSpec {
  const n = cm.nFactors;
  if (!Number.isInteger(opts.steps) || opts.steps < 0)
    throw new SpecError(`steps must be a whole number ≥ 0, got ${opts.steps}`);
  const fixed = new Int32Array(n).fill(-1);
  for (const [f, s] of opts.fix ?? []) fixed[f] = s;
  const start = new Int32Array(n);
  const missing: string[] = [];
  for (let i = 0; i < n; i++) {
    const s = fixed[i] >= 0 ? fixed[i] : (opts.given?.get(i) ?? cm.current?.[i] ?? -1);
    if (s < 0) missing.push(cm.factorIds[i]);
    start[i] = s;
  }
  if (missing.length)
    throw new SpecError(
      `no start state for ${missing.join(", ")}: set \`current\` in the model or give one (--given ${missing[0]}=STATE)`,
    );
  const base = opts.beta ?? undefined;
  const beta = new Float64Array(n);
  for (let i = 0; i < n; i++) beta[i] = base ?? cm.beta?.[i] ?? defaultBeta(cm.scale);
  // β = ∞ (best responses only) is allowed in continuous time; the stepwise tables need it finite.
  const infinite = (opts.mode ?? tempoOf(cm).mode) === "continuous";
  if (beta.some((b) => !(b >= 0) || (!infinite && !Number.isFinite(b))))
    throw new SpecError(infinite ? "β must be a number ≥ 0 (or ∞)" : "β must be a finite number ≥ 0");
  const movable = new Uint8Array(n);
  for (let i = 0; i < n; i++) movable[i] = !cm.exogenous[i] && fixed[i] < 0 && cm.counts[i] > 1 ? 1 : 0;
  const spread = opts.uncertainty ? (cm.spread ?? defaultSpread(cm)) : null;
  const tempo = tempoOf(cm);
  const mode = opts.mode ?? tempo.mode;
  const continuous = mode === "continuous";
  const grid = continuous
    ? (opts.grid ?? Float64Array.from({ length: opts.steps + 1 }, (_, k) => k * DAYS_PER_MONTH))
    : null;
  if (grid) {
    if (grid.length !== opts.steps + 1)
      throw new SpecError(`the grid has ${grid.length} points for ${opts.steps} steps`);
    for (let k = 0; k < grid.length; k++)
      if (!Number.isFinite(grid[k]) || grid[k] < 0 || (k > 0 && grid[k] < grid[k - 1]))
        throw new SpecError("grid days must be finite, ≥ 0 and non-decreasing");
  }
  for (const r of tempo.rates)
    if (!(r > 0) || !Number.isFinite(r)) throw new SpecError("rates must be finite numbers > 0");
  const tempoDraws = continuous && opts.uncertainty === true && (opts.tempoUncertainty ?? true);
  // β's range: the model's stated range is around the model-wide β (the one most factors have);
  // a factor with its own β (or a run's β) gets the same range scaled to its β.
  const reference = modeOf(Array.from(cm.beta ?? [], (x) => x)) ?? defaultBeta(cm.scale);
  const betaRange = tempoDraws
    ? Float64Array.from({ length: 2 * n }, (_, i) => {
        const b = beta[i >> 1];
        const r = tempo.betaRange;
        return r ? (r[i % 2] * b) / (reference || 1) : b * DEFAULT_BETA_RANGE_FACTOR[i % 2];
      })
    : null;
  return {
    nFactors: n,
    counts: cm.counts,
    offsets: cm.offsets,
    size: cm.size,
    matrix: cm.matrix,
    spread,
    scale: { ...cm.scale },
    beta,
    movable,
    fixed,
    start,
    shocks: opts.noShocks ? [] : (cm.shocks ?? []).map((s) => ({ ...s })),
    steps: opts.steps,
    conditions: opts.conditions ?? [],
    paths: opts.paths ?? true,
    record: opts.record ?? false,
    runsPerMatrix: Math.max(1, Math.floor(opts.runsPerMatrix ?? 100)),
    mode,
    grid,
    rates: continuous ? tempo.rates : null,
    rateRange: tempoDraws ? tempo.rateRange : null,
    betaRange,
    recordPaths: continuous && (opts.recordPaths ?? false),
  };
}

/** A model compiled from a bare matrix has no spreads: non-zero cells get the unrated default. */
function defaultSpread(cm: CompiledModel): Float64Array {
  const bound = Math.max(-cm.scale.min, cm.scale.max);
  const sd = (0.75 * bound) / 3;
  const out = new Float64Array(cm.matrix.length);
  for (let c = 0; c < out.length; c++) if (cm.matrix[c] !== 0) out[c] = sd;
  return out;
}

/** The most frequent value (the first of equals), undefined for none. */
function modeOf(xs: number[]): number | undefined {
  const counts = new Map<number, number>();
  let best: number | undefined;
  let bestN = 0;
  for (const x of xs) {
    const c = (counts.get(x) ?? 0) + 1;
    counts.set(x, c);
    if (c > bestN) {
      best = x;
      bestN = c;
    }
  }
  return best;
}
