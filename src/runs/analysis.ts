// The full analysis of a model as one spec with its defaults (analysisOptions in options.ts)
// run by one function: the model's size, the consistent scenarios with their basins, how likely
// each is to be reached within `steps` steps, the long-run (stationary) distribution, who wins
// and loses (in expectation over the simulated scenarios), where each bargaining issue lands,
// and the forecast questions. Each part is the same run its own command makes; a part the model
// cannot support (no stakes, no issues, no questions, no current state for the simulation and
// the long run) is left out, not failed. Without current states the stakes' expectations are
// uniform over the consistent scenarios (`muscat stakes --distribution kernel`). Every adapter
// that shows the analysis (`muscat analyze`, the report, the API's `analyze`) renders this.
import type { ModelBargainResult } from "../bargain/model.js";
import type { ForecastResult } from "../forecast/forecast.js";
import { compileModel } from "../model/compile.js";
import type { CompiledModel } from "../model/compiled.js";
import type { Model } from "../model/types.js";
import { type SimulationResult, simulate } from "../prob/simulate.js";
import type { Condition } from "../prob/spec.js";
import type { StationaryResult } from "../prob/stationary.js";
import { bargainRun } from "./bargain.js";
import { type RunControl, stopper } from "./control.js";
import { checkOptions } from "./fields.js";
import { forecastRun } from "./forecast.js";
import { type AnalysisOptions, stationaryOptions } from "./options.js";
import { stationaryRun } from "./prob.js";
import {
  CIB_ENGINE_VERSION,
  namedPatterns,
  type ScenarioLabel,
  type ScenariosReport,
  scenarioLabels,
  scenariosReportAsync,
} from "./scenarios.js";
import { type StakesReport, stakesRun } from "./stakes.js";
import { type ModelCounts, modelCounts } from "./summary.js";

/** A scenario of the long-run distribution, with the id and name every report gives it. */
export interface LongRunScenario extends ScenarioLabel {
  states: Record<string, string>;
  p: number;
}

/**
 * The long-run distribution (the stationary run), its most probable scenarios labelled like the
 * consistent ones: S1… when consistent, N1… (named among them) when not.
 */
export interface LongRunResult extends Omit<StationaryResult, "scenarios"> {
  scenarios: LongRunScenario[];
}

/**
 * The long-run part: solved exactly up to this many scenarios, estimated by MCMC (the
 * stationary run's chains, samples and burn-in, the analysis' seed) above, so that the analysis
 * takes seconds on a model the size of the seed model (~10⁶ scenarios: 8 s exact, 0.3 s MCMC).
 */
export const LONG_RUN_EXACT_MAX = 100_000;
/** Scenarios the long-run part lists. */
const LONG_RUN_TOP = 15;

/** The full analysis: each part is the result of its own engine's run, or absent. */
export interface AnalysisResult {
  kind: "analysis";
  version: string;
  id: string;
  hash: string;
  seed: number;
  steps: number;
  counts: ModelCounts;
  /**
   * Only when the run was stopped: the parts not reached are absent, the interrupted part keeps
   * its own partial result (scenarios.complete false, simulation.partial, longRun.partial), or
   * is absent when it has none (stakes, bargain, forecast).
   */
  partial?: true;
  scenarios: ScenariosReport;
  simulation?: SimulationResult;
  /** The long-run distribution (needs a current state for every factor, like the simulation). */
  longRun?: LongRunResult;
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
  const parts = 6;
  let done = 0;
  const stop = stopper(ctl);
  const step = (message: string) => ctl.onProgress?.({ done: done++, total: parts, message });
  // A stop skips the parts not yet started; the part it interrupts keeps its own partial
  // result (flagged by that part), or is left out when it has none (stakes, forecast).
  const part = async <T>(f: () => T | Promise<T>): Promise<T | undefined> => {
    if (stop()) return undefined;
    try {
      return await f();
    } catch (e) {
      if (stop()) return undefined;
      throw e;
    }
  };
  step("scenarios");
  const scenarios = await scenariosReportAsync(
    model,
    { maxInconsistency: 0, basins: true },
    { signal: ctl.signal, shouldStop: ctl.shouldStop },
  );
  // Each consistent scenario as a condition: the chance of reaching it within `steps` steps.
  const indices = (states: Record<string, string>) =>
    cm.factorIds.map((id, j) => cm.stateIds[j].indexOf(states[id]));
  const conditions: Condition[] = scenarios.scenarios.map((sc) => ({
    text: sc.id,
    factors: cm.factorIds.map((_, j) => j),
    states: indices(sc.states),
  }));
  step("simulation");
  const canSimulate = model.factors.every((f) => f.current !== undefined);
  const simulation = canSimulate
    ? await part(
        async () =>
          (
            await simulate(
              cm,
              { steps: o.steps, runs: o.runs, seed: o.seed, conditions, top: 3 },
              { signal: ctl.signal, pool: ctl.pool },
            )
          ).result,
      )
    : undefined;
  step("long run");
  const longRun = canSimulate
    ? await part(() => longRunOf(model, cm, scenarios, indices, o.seed, ctl))
    : undefined;
  step("stakes");
  const stakes = model.stakes.length
    ? await part(() =>
        stakesRun(
          model,
          {
            levers: true,
            distribution: canSimulate ? "simulate" : "kernel",
            steps: o.steps,
            runs: o.stakesRuns,
            seed: o.seed,
          },
          ctl,
        ),
      )
    : undefined;
  step("bargaining");
  const bargain = model.issues.length
    ? await part(() => bargainRun(model, { rounds: 10, maxTurns: 100, runs: 0, seed: o.seed }, ctl))
    : undefined;
  step("forecast");
  const forecast = model.questions?.length
    ? await part(() =>
        forecastRun(
          model,
          { runs: o.forecastRuns, seed: o.seed, driverRuns: 1000, top: 5, drivers: false, uncertainty: true },
          { signal: ctl.signal },
        ),
      )
    : undefined;
  ctl.onProgress?.({ done: parts, total: parts });
  const partial = stop();
  return {
    kind: "analysis",
    version: `analysis/1 (${CIB_ENGINE_VERSION})`,
    id: model.id,
    hash: cm.hash,
    seed: o.seed,
    steps: o.steps,
    counts: modelCounts(model),
    ...(partial ? { partial: true } : {}),
    scenarios,
    simulation,
    longRun,
    stakes,
    bargain,
    forecast,
  };
}

/** The stationary run with its defaults, exact or MCMC by size, its scenarios labelled. */
function longRunOf(
  model: Model,
  cm: CompiledModel,
  scenarios: ScenariosReport,
  indices: (states: Record<string, string>) => number[],
  seed: number,
  ctl: RunControl,
): LongRunResult {
  const checked = checkOptions(stationaryOptions, { seed, maxStates: LONG_RUN_EXACT_MAX, top: LONG_RUN_TOP });
  if (!checked.ok) throw new Error(`long-run options: ${JSON.stringify(checked.problems)}`);
  const st = stationaryRun(model, checked.value, { signal: ctl.signal, shouldStop: ctl.shouldStop });
  const label = scenarioLabels(
    cm,
    scenarios.scenarios.map((sc) => indices(sc.states)),
    st.scenarios.map((s) => indices(s.states)),
    namedPatterns(model, cm),
  );
  return {
    ...st,
    scenarios: st.scenarios.map((s) => ({ ...label(indices(s.states)), states: s.states, p: s.p })),
  };
}
