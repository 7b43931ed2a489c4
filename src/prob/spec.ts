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
}

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
  if (beta.some((b) => !(b >= 0) || !Number.isFinite(b)))
    throw new SpecError("β must be a finite number ≥ 0");
  const movable = new Uint8Array(n);
  for (let i = 0; i < n; i++) movable[i] = !cm.exogenous[i] && fixed[i] < 0 && cm.counts[i] > 1 ? 1 : 0;
  const spread = opts.uncertainty ? (cm.spread ?? defaultSpread(cm)) : null;
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
