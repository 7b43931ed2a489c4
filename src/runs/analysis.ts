// The full analysis of a model as one spec with its defaults (analysisOptions in options.ts)
// run by one function: the model's size, the consistent scenarios with their basins, how likely
// each is to be reached within `steps` steps, who wins and loses (in expectation over the
// simulated scenarios), where each bargaining issue lands, and the forecast questions. Each
// part is the same run its own command makes; a part the model cannot support (no stakes, no
// issues, no questions, no current state for the simulation) is left out, not failed.
import type { ModelBargainResult } from "../bargain/model.js";
import type { ForecastResult } from "../forecast/forecast.js";
import { compileModel } from "../model/compile.js";
import type { Model } from "../model/types.js";
import { type SimulationResult, simulate } from "../prob/simulate.js";
import type { Condition } from "../prob/spec.js";
import { bargainRun } from "./bargain.js";
import type { RunControl } from "./control.js";
import { forecastRun } from "./forecast.js";
import type { AnalysisOptions } from "./options.js";
import { CIB_ENGINE_VERSION, type ScenariosReport, scenariosReportAsync } from "./scenarios.js";
import { type StakesReport, stakesRun } from "./stakes.js";
import { type ModelCounts, modelCounts } from "./summary.js";

/** The full analysis: each part is the result of its own engine's run, or absent. */
export interface AnalysisResult {
  kind: "analysis";
  version: string;
  id: string;
  hash: string;
  seed: number;
  steps: number;
  counts: ModelCounts;
  scenarios: ScenariosReport;
  simulation?: SimulationResult;
  stakes?: StakesReport;
  bargain?: ModelBargainResult;
  forecast?: ForecastResult;
}

export async function analysisRun(
  model: Model,
  o: AnalysisOptions,
  ctl: RunControl = {},
): Promise<AnalysisResult> {
  const cm = compileModel(model);
  const parts = 5;
  let done = 0;
  const step = (message: string) => ctl.onProgress?.({ done: done++, total: parts, message });
  step("scenarios");
  const scenarios = await scenariosReportAsync(
    model,
    { maxInconsistency: 0, basins: true },
    { signal: ctl.signal },
  );
  // Each consistent scenario as a condition: the chance of reaching it within `steps` steps.
  const conditions: Condition[] = scenarios.scenarios.map((sc) => ({
    text: sc.id,
    factors: cm.factorIds.map((_, j) => j),
    states: cm.factorIds.map((id, j) => cm.stateIds[j].indexOf(sc.states[id])),
  }));
  step("simulation");
  const canSimulate = model.factors.every((f) => f.current !== undefined);
  const simulation = canSimulate
    ? (
        await simulate(
          cm,
          { steps: o.steps, runs: o.runs, seed: o.seed, conditions, top: 3 },
          { signal: ctl.signal, pool: ctl.pool },
        )
      ).result
    : undefined;
  step("stakes");
  const stakes = model.stakes.length
    ? await stakesRun(model, {
        levers: true,
        distribution: "simulate",
        steps: o.steps,
        runs: o.stakesRuns,
        seed: o.seed,
      })
    : undefined;
  step("bargaining");
  const bargain = model.issues.length
    ? bargainRun(model, { rounds: 10, maxTurns: 100, runs: 0, seed: o.seed })
    : undefined;
  step("forecast");
  const forecast = model.questions?.length
    ? await forecastRun(
        model,
        { runs: o.forecastRuns, seed: o.seed, driverRuns: 1000, top: 5, drivers: false, uncertainty: true },
        { signal: ctl.signal },
      )
    : undefined;
  ctl.onProgress?.({ done: parts, total: parts });
  return {
    kind: "analysis",
    version: `analysis/1 (${CIB_ENGINE_VERSION})`,
    id: model.id,
    hash: cm.hash,
    seed: o.seed,
    steps: o.steps,
    counts: modelCounts(model),
    scenarios,
    simulation,
    stakes,
    bargain,
    forecast,
  };
}
