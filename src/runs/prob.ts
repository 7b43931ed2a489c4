// The probability engine's runs: trajectories (simulate), the long-run distribution
// (stationary) and the robustness of the kernel to judgment uncertainty (robust). Each takes
// the options declared in options.ts, already checked, turns ids into indices with the
// engine's own parsers (a bad id is an InputError with the option as its path) and returns the
// engine's versioned result.
import { compileModel, parseAssignment } from "../model/compile.js";
import type { CompiledModel } from "../model/compiled.js";
import { gridDays } from "../model/step.js";
import type { Model } from "../model/types.js";
import { consistency } from "../prob/consistency.js";
import { simulate } from "../prob/simulate.js";
import type { DynamicsMode } from "../prob/spec.js";
import { parseCondition } from "../prob/spec.js";
import { stationary } from "../prob/stationary.js";
import type { RunControl } from "./control.js";
import type { RobustOptions, SimulateOptions, StationaryOptions } from "./options.js";
import { at } from "./scenarios.js";

/** factor=state texts (each may hold several pairs) → factor index → state index. */
export function assignmentsOf(
  cm: CompiledModel,
  list: string[] | undefined,
  path: string,
): Map<number, number> {
  const out = new Map<number, number>();
  for (const text of list ?? [])
    for (const [f, s] of at(path, () => parseAssignment(cm, text), "option")) out.set(f, s);
  return out;
}

/** A simulation's result and its tally (the per-run records, kept with `record`). */
export type SimulationOutput = Awaited<ReturnType<typeof simulate>>;

const progressOf = (ctl: RunControl) => (p: { done: number; total: number }) => ctl.onProgress?.(p);

/**
 * Trajectories of the stochastic succession. `record` keeps every run's states (for the
 * long CSV); the result is the same either way.
 */
export async function simulateRun(
  model: Model,
  o: SimulateOptions,
  ctl: RunControl = {},
  extra: { record?: boolean } = {},
): Promise<SimulationOutput> {
  const cm = compileModel(model);
  const conditions = (o.query ?? []).map((q) => at("query", () => parseCondition(cm, q), "option"));
  return simulate(
    cm,
    {
      steps: o.steps,
      runs: o.runs,
      seed: o.seed,
      precision: o.precision,
      beta: o.beta,
      given: assignmentsOf(cm, o.given, "given"),
      fix: assignmentsOf(cm, o.fix, "fix"),
      conditions,
      uncertainty: o.uncertainty,
      runsPerMatrix: o.runsPerMatrix,
      mode: o.dynamics === "model" ? undefined : (o.dynamics as DynamicsMode),
      grid: gridDays(model, o.steps),
      noShocks: !o.shocks,
      chunkSize: o.chunkSize,
      top: o.top,
      record: extra.record,
      paths: conditions.length > 0,
    },
    { signal: ctl.signal, pool: ctl.pool, onProgress: progressOf(ctl) },
  );
}

/** The long-run distribution: exact when the space fits, else MCMC with R-hat. */
export function stationaryRun(model: Model, o: StationaryOptions, ctl: RunControl = {}) {
  const cm = compileModel(model);
  return stationary(cm, {
    method: o.method as "auto" | "exact" | "mcmc",
    solver: o.solver as "auto" | "iad" | "gmres" | "gauss-seidel",
    tolerance: o.tolerance,
    maxIterations: o.maxIterations,
    maxStates: o.maxStates,
    seed: o.seed,
    chains: o.chains,
    samples: o.samples,
    burnIn: o.burnIn,
    beta: o.beta,
    given: assignmentsOf(cm, o.given, "given"),
    fix: assignmentsOf(cm, o.fix, "fix"),
    noShocks: !o.shocks,
    top: o.top,
    signal: ctl.signal,
    shouldStop: ctl.shouldStop,
    onProgress: ctl.onProgress,
  });
}

/** P(consistent) of each scenario over matrices sampled around the judgments. */
export function robustRun(model: Model, o: RobustOptions, ctl: RunControl = {}) {
  const cm = compileModel(model);
  return consistency(
    cm,
    { samples: o.samples, seed: o.seed },
    {
      signal: ctl.signal,
      pool: ctl.pool,
      onProgress: progressOf(ctl),
    },
  );
}
