// The CIB engine's other runs — succession from a scenario, basins of the attractors, why a
// scenario holds, which judgments the kernel hangs on — each with its options checked once and
// one JSON-ready result with ids instead of indices. The CLI and the server both call these,
// so the same options give the same JSON from either (test/runs/contract.test.ts).

import {
  type BasinAttractor,
  type BasinCycle,
  type BasinResult,
  successionBasinsAsync,
} from "../cib/basins.js";
import {
  type Contribution,
  type Explanation,
  explainScenario,
  type FactorExplanation,
} from "../cib/explain.js";
import { findKernel } from "../cib/kernel.js";
import {
  judgmentSensitivityAsync,
  type SensitivityChange,
  type SensitivityResult,
} from "../cib/sensitivity.js";
import { type SuccessionPath, type SuccessionRule, traceSuccession } from "../cib/succession.js";
import { InputError } from "../errors.js";
import { compileModel } from "../model/compile.js";
import type { CompiledModel } from "../model/compiled.js";
import type { Impact, Model } from "../model/types.js";
import { CIB_ENGINE_VERSION, optionError, type RunControl, scenarioFrom, statesRecord } from "./scenarios.js";

const RULES: SuccessionRule[] = ["global", "local", "sequential"];

function checkRule(rule: string | undefined): SuccessionRule {
  const r = (rule ?? "global") as SuccessionRule;
  if (!RULES.includes(r)) throw optionError("rule", `must be one of ${RULES.join(", ")}; got '${rule}'`);
  return r;
}

function intOption(name: string, v: number | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isInteger(v) || v < min || v > max)
    throw optionError(name, `must be an integer ${min}–${max.toLocaleString("en")}; got ${v}`);
  return v;
}

/** A scenario as factor id → state id. */
export type StatesRecord = Record<string, string>;

/** What every CIB run's result starts with: the engine, its version and the model's hash. */
export interface CibHeader {
  engine: "cib";
  version: string;
  model: string;
}

/** The path of succession with scenarios as states records. */
export interface SuccessionRunResult
  extends CibHeader,
    Pick<SuccessionPath, "kind" | "rule" | "outcome" | "steps"> {
  path: StatesRecord[];
  fixedPoint?: StatesRecord;
  cycle?: { period: number; scenarios: StatesRecord[] };
}

/** Basins with scenarios as states records. */
export interface BasinsRunResult extends CibHeader, Omit<BasinResult, "attractors" | "cycles"> {
  attractors: (Omit<BasinAttractor, "states"> & { states: StatesRecord })[];
  cycles: (Omit<BasinCycle, "scenarios"> & { scenarios: StatesRecord[] })[];
}

/** A contribution with its source as `factor=state` and the judgments behind it. */
export interface ExplainedContribution extends Contribution {
  source: string;
  judgments: Impact[];
}

/** The explanation with ids beside the indices. */
export interface ExplainRunResult extends CibHeader, Omit<Explanation, "factors"> {
  scenario: StatesRecord;
  factors: (Omit<FactorExplanation, "for" | "against"> & {
    factorId: string;
    stateId: string;
    for: ExplainedContribution[];
    against: ExplainedContribution[];
  })[];
}

/** The sensitivity with scenarios as states records and each cell named. */
export interface SensitivityRunResult extends CibHeader, Omit<SensitivityResult, "kernel" | "changes"> {
  kernel: StatesRecord[];
  changes: (Omit<SensitivityChange, "appear" | "vanish"> & {
    cell: string;
    appear: StatesRecord[];
    vanish: StatesRecord[];
  })[];
}

const header = (cm: CompiledModel): CibHeader => ({
  engine: "cib" as const,
  version: CIB_ENGINE_VERSION,
  model: cm.hash,
});
const cell = (cm: CompiledModel, f: number, s: number) => `${cm.factorIds[f]}=${cm.stateIds[f][s]}`;

export interface SuccessionRunOptions {
  /** Succession rule (default "global"). */
  rule?: string;
  /** Start scenario as factor=state pairs; factors left out start in their current state. */
  from?: string;
  ignoreSelfImpacts?: boolean;
}

/** The path of succession from a scenario to a consistent scenario or a cycle. */
export function successionRun(model: Model, o: SuccessionRunOptions = {}): SuccessionRunResult {
  const rule = checkRule(o.rule);
  const cm = compileModel(model, { ignoreSelfImpacts: o.ignoreSelfImpacts });
  const start = scenarioFrom(model, cm, o.from, "from");
  const p = traceSuccession(cm, start, { rule });
  return {
    ...header(cm),
    kind: p.kind,
    rule: p.rule,
    outcome: p.outcome,
    steps: p.steps,
    path: p.path.map((z) => statesRecord(cm, z)),
    ...(p.fixedPoint ? { fixedPoint: statesRecord(cm, p.fixedPoint) } : {}),
    ...(p.cycle
      ? { cycle: { period: p.cycle.period, scenarios: p.cycle.scenarios.map((z) => statesRecord(cm, z)) } }
      : {}),
  };
}

export interface BasinsRunOptions {
  rule?: string;
  /** "exact", "sample", or "auto" (exact when the space is small enough; default). */
  method?: string;
  /** Sampled starts in sample mode (1–10,000,000). */
  samples?: number;
  /** Seed of the sampling (default 1). */
  seed?: number;
  ignoreSelfImpacts?: boolean;
}

/** Each attractor's basin under a succession rule, exact or sampled (on ctl.pool when given). */
export async function basinsRun(
  model: Model,
  o: BasinsRunOptions = {},
  ctl: RunControl = {},
): Promise<BasinsRunResult> {
  const rule = checkRule(o.rule);
  const method = (o.method ?? "auto") as "auto" | "exact" | "sample";
  if (!["auto", "exact", "sample"].includes(method))
    throw optionError("method", `must be auto, exact or sample; got '${o.method}'`);
  const cm = compileModel(model, { ignoreSelfImpacts: o.ignoreSelfImpacts });
  const b = await successionBasinsAsync(cm, {
    rule,
    method,
    samples: intOption("samples", o.samples, 1, 10_000_000),
    seed: intOption("seed", o.seed, 0, 2 ** 31 - 1),
    signal: ctl.signal,
    shouldStop: ctl.shouldStop,
    onProgress: ctl.onProgress,
    pool: ctl.pool,
  });
  return {
    ...header(cm),
    ...b,
    attractors: b.attractors.map((a) => ({ ...a, states: statesRecord(cm, a.states) })),
    cycles: b.cycles.map((c) => ({ ...c, scenarios: c.scenarios.map((z) => statesRecord(cm, z)) })),
  };
}

export interface ExplainRunOptions {
  /** The scenario as factor=state pairs (others from their current state); default: the first consistent scenario. */
  scenario?: string;
  /** Most alternative states to test per factor for a flip. */
  maxFlips?: number;
  ignoreSelfImpacts?: boolean;
}

/** Why each factor sits in its state in a scenario, with the judgments for and against. */
export function explainRun(model: Model, o: ExplainRunOptions = {}): ExplainRunResult {
  const cm = compileModel(model, { ignoreSelfImpacts: o.ignoreSelfImpacts });
  const z = o.scenario
    ? scenarioFrom(model, cm, o.scenario, "scenario")
    : findKernel(cm).scenarios[0]?.states;
  if (!z)
    throw new InputError("the model has no consistent scenario; give one", {
      code: "option",
      path: "scenario",
    });
  const e = explainScenario(cm, z, {
    ignoreSelfImpacts: o.ignoreSelfImpacts,
    maxFlips: intOption("maxFlips", o.maxFlips, 0, 1000),
  });
  const contribution = <C extends { sourceFactor: number; sourceState: number; impacts: number[] }>(
    c: C,
  ) => ({
    ...c,
    source: cell(cm, c.sourceFactor, c.sourceState),
    judgments: c.impacts.map((i) => model.impacts[i]),
  });
  return {
    ...header(cm),
    ...e,
    scenario: statesRecord(cm, e.states),
    factors: e.factors.map((f) => ({
      ...f,
      factorId: cm.factorIds[f.factor],
      stateId: cm.stateIds[f.factor][f.state],
      for: f.for.map(contribution),
      against: f.against.map(contribution),
    })),
  };
}

export interface SensitivityRunOptions {
  /** Size of each judgment change (1–10, default 1). */
  step?: number;
  /** "candidates" (exact and fast; default) or "rerun" (a full search per change). */
  method?: string;
  /** Also test zero cells inside active judgment groups. */
  includeActiveGroups?: boolean;
  ignoreSelfImpacts?: boolean;
}

/** Which single ±step judgment changes alter the kernel, and how (on ctl.pool when given). */
export async function sensitivityRun(
  model: Model,
  o: SensitivityRunOptions = {},
  ctl: RunControl = {},
): Promise<SensitivityRunResult> {
  const method = (o.method ?? "candidates") as "candidates" | "rerun";
  if (!["candidates", "rerun"].includes(method))
    throw optionError("method", `must be candidates or rerun; got '${o.method}'`);
  const cm = compileModel(model, { ignoreSelfImpacts: o.ignoreSelfImpacts });
  const r = await judgmentSensitivityAsync(cm, {
    step: intOption("step", o.step, 1, 10),
    method,
    includeActiveGroups: o.includeActiveGroups,
    ignoreSelfImpacts: o.ignoreSelfImpacts,
    signal: ctl.signal,
    shouldStop: ctl.shouldStop,
    onProgress: ctl.onProgress,
    pool: ctl.pool,
  });
  return {
    ...header(cm),
    ...r,
    kernel: r.kernel.map((z) => statesRecord(cm, z)),
    changes: r.changes.map((c) => ({
      ...c,
      cell: `${cell(cm, c.sourceFactor, c.sourceState)} → ${cell(cm, c.targetFactor, c.targetState)}`,
      appear: c.appear.map((z) => statesRecord(cm, z)),
      vanish: c.vanish.map((z) => statesRecord(cm, z)),
    })),
  };
}
