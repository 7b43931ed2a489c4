// The stakes run: who wins and who loses in each consistent scenario, and in expectation under
// a distribution over scenarios (uniform over the kernel, or the probability engine's simulated
// end states), with each actor's levers. Every adapter calls this and renders its result.
import { findKernel } from "../cib/kernel.js";
import { InputError } from "../errors.js";
import { compileModel, parseAssignment } from "../model/compile.js";
import type { CompiledModel } from "../model/compiled.js";
import type { Model } from "../model/types.js";
import { simulate } from "../prob/simulate.js";
import {
  type ActorLevers,
  analyseStakes,
  leverAnalysis,
  type ScenarioDistribution,
  type StakesResult,
} from "../stakes/index.js";
import { checkStop, type RunControl, RunStopped } from "./control.js";
import type { StakesOptions } from "./options.js";
import { at, namedPatterns, scenarioLabels } from "./scenarios.js";

export type DistributionProvider = (
  model: Model,
  cm: CompiledModel,
  fix?: { factor: number; state: number },
) => Promise<ScenarioDistribution | undefined> | ScenarioDistribution | undefined;

/** Uniform over the consistent scenarios (under an optional intervention). */
export const kernelDistribution: DistributionProvider = (_model, cm, fix) => {
  const k = findKernel(cm, fix ? { fix: [fix] } : {});
  if (k.scenarios.length === 0) return undefined;
  return {
    scenarios: k.scenarios.map((s) => s.states),
    probabilities: k.scenarios.map(() => 1 / k.scenarios.length),
    source: fix ? "uniform over the kernel under the intervention" : "uniform over the consistent scenarios",
  };
};

/**
 * The distribution of the scenario reached after `steps` steps of the stochastic succession
 * from the current situation (the probability engine), under an optional intervention. Every
 * end scenario is kept, so the expected payoff is exact for the runs drawn and its interval
 * comes from the runs' spread. The same seed for every intervention: common random numbers.
 */
export function simulationDistribution(
  o: {
    steps: number;
    runs: number;
    seed: number;
  },
  ctl: RunControl = {},
): DistributionProvider {
  return async (_model, cm, fix) => {
    const { result, tally } = await simulate(
      cm,
      {
        steps: o.steps,
        runs: o.runs,
        seed: o.seed,
        fix: fix ? new Map([[fix.factor, fix.state]]) : undefined,
        paths: false,
        top: 1,
      },
      { signal: ctl.signal },
    );
    // A distribution from fewer runs than asked would skew every expectation: no partial.
    if (result.partial) throw new RunStopped("stakes");
    const scenarios: number[][] = [];
    const probabilities: number[] = [];
    for (const [key, count] of tally.ends) {
      scenarios.push(key.split(",").map(Number));
      probabilities.push(count / tally.runs);
    }
    return {
      scenarios,
      probabilities,
      runs: tally.runs,
      source: `stochastic succession, ${o.steps} steps from the current situation (${result.runs} runs, seed ${o.seed}, ${result.engine.name} ${result.engine.version})${fix ? ", under the intervention" : ""}`,
    };
  };
}

export interface StakesReport {
  stakes: StakesResult;
  levers?: ActorLevers[];
}

/** The `scenario` option: every factor given a state. */
export function fullScenario(cm: CompiledModel, text: string): number[] {
  const a = at("scenario", () => parseAssignment(cm, text));
  if (a.size !== cm.nFactors) {
    const missing = cm.factorIds.filter((_, i) => !a.has(i));
    throw new InputError(`must give every factor a state; missing: ${missing.join(", ")}`, {
      code: "option",
      path: "scenario",
    });
  }
  return cm.factorIds.map((_, i) => a.get(i)!);
}

function givenScenario(model: Model, cm: CompiledModel, text: string): StakesReport {
  const z = fullScenario(cm, text);
  return { stakes: analyseStakes(model, cm, [{ states: z, label: "given scenario" }]) };
}

function assemble(
  model: Model,
  cm: CompiledModel,
  base: ScenarioDistribution | undefined,
  under: Map<string, ScenarioDistribution | undefined> | undefined,
): StakesReport {
  const kernel = findKernel(cm);
  const label = scenarioLabels(
    cm,
    kernel.scenarios.map((s) => s.states),
    [],
    namedPatterns(model, cm),
  );
  const scenarios = kernel.scenarios.map((s) => {
    const { id, name } = label(s.states);
    return { states: s.states, label: id, name };
  });
  const report: StakesReport = { stakes: analyseStakes(model, cm, scenarios, { distribution: base }) };
  if (under && base) report.levers = leverAnalysis(model, cm, base, (f, k) => under.get(`${f},${k}`));
  return report;
}

/**
 * Stakes over the consistent scenarios, with expectations under a distribution: uniform over
 * the kernel by default (synchronous), or any provider (see stakesReportAsync).
 */
export function stakesReport(
  model: Model,
  cm: CompiledModel,
  opts: { scenario?: string; levers?: boolean },
): StakesReport {
  if (model.stakes.length === 0)
    throw new InputError("the model has no stakes", { code: "no-stakes", path: "stakes" });
  if (opts.scenario) return givenScenario(model, cm, opts.scenario);
  const base = kernelDistribution(model, cm) as ScenarioDistribution | undefined;
  let under: Map<string, ScenarioDistribution | undefined> | undefined;
  if (opts.levers) {
    under = new Map();
    for (let j = 0; j < cm.nFactors; j++)
      for (let k = 0; k < cm.counts[j]; k++)
        under.set(
          `${j},${k}`,
          kernelDistribution(model, cm, { factor: j, state: k }) as ScenarioDistribution | undefined,
        );
  }
  return assemble(model, cm, base, under);
}

/** As stakesReport, with expectations under any (possibly asynchronous) distribution provider. */
export async function stakesReportAsync(
  model: Model,
  cm: CompiledModel,
  opts: { scenario?: string; levers?: boolean; provider: DistributionProvider },
): Promise<StakesReport> {
  if (model.stakes.length === 0)
    throw new InputError("the model has no stakes", { code: "no-stakes", path: "stakes" });
  if (opts.scenario) return givenScenario(model, cm, opts.scenario);
  const base = await opts.provider(model, cm);
  let under: Map<string, ScenarioDistribution | undefined> | undefined;
  if (opts.levers) {
    under = new Map();
    for (let j = 0; j < cm.nFactors; j++)
      for (let k = 0; k < cm.counts[j]; k++)
        under.set(`${j},${k}`, await opts.provider(model, cm, { factor: j, state: k }));
  }
  return assemble(model, cm, base, under);
}

/** The stakes run with the options of options.ts: the distribution, then the report. */
export function stakesRun(model: Model, o: StakesOptions, ctl: RunControl = {}): Promise<StakesReport> {
  const cm = compileModel(model);
  const inner =
    o.distribution === "kernel"
      ? kernelDistribution
      : simulationDistribution({ steps: o.steps, runs: o.runs, seed: o.seed }, ctl);
  // Stopped between two distributions (one per lever): no result (see RunStopped).
  const provider: DistributionProvider = async (m, c, fix) => {
    await new Promise((r) => setImmediate(r));
    checkStop(ctl, "stakes");
    return inner(m, c, fix);
  };
  return stakesReportAsync(model, cm, { scenario: o.scenario, levers: o.levers, provider });
}
