// muscat stakes: who wins and who loses in each scenario, and in expectation.
import { Option } from "commander";
import pc from "picocolors";
import { findKernel } from "../cib/kernel.js";
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
import type { CommandContext } from "./command.js";
import {
  CliError,
  checkFormat,
  EXIT_INVALID,
  EXIT_OK,
  EXIT_USAGE,
  type Io,
  json,
  loadForCommand,
  pad,
} from "./io.js";

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
export function simulationDistribution(o: {
  steps: number;
  runs: number;
  seed: number;
}): DistributionProvider {
  return async (_model, cm, fix) => {
    const { result, tally } = await simulate(cm, {
      steps: o.steps,
      runs: o.runs,
      seed: o.seed,
      fix: fix ? new Map([[fix.factor, fix.state]]) : undefined,
      paths: false,
      top: 1,
    });
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

function givenScenario(model: Model, cm: CompiledModel, text: string): StakesReport {
  const a = parseAssignment(cm, text);
  if (a.size !== cm.nFactors) {
    const missing = cm.factorIds.filter((_, i) => !a.has(i));
    throw new CliError(
      `--scenario must give every factor a state; missing: ${missing.join(", ")}`,
      EXIT_INVALID,
    );
  }
  const z = cm.factorIds.map((_, i) => a.get(i)!);
  return { stakes: analyseStakes(model, cm, [{ states: z, label: "given scenario" }]) };
}

function assemble(
  model: Model,
  cm: CompiledModel,
  base: ScenarioDistribution | undefined,
  under: Map<string, ScenarioDistribution | undefined> | undefined,
): StakesReport {
  const kernel = findKernel(cm);
  const scenarios = kernel.scenarios.map((s, i) => ({ states: s.states, label: `S${i + 1}` }));
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
  if (model.stakes.length === 0) throw new CliError("the model has no stakes", EXIT_INVALID);
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
  if (model.stakes.length === 0) throw new CliError("the model has no stakes", EXIT_INVALID);
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

const f1 = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? "—" : x.toFixed(1));
const pct = (x: number) => `${Math.round(x * 100)}%`;

export function renderStakes(model: Model, cm: CompiledModel, r: StakesReport): string {
  const s = r.stakes;
  const out: string[] = [];
  const names = new Map(model.actors.map((a) => [a.id, a.name]));
  out.push(
    pc.dim(
      `Payoff = sum of an actor's stakes in the scenario's states; % = place in the actor's own range (worst 0%, best 100%); ± = gain against ${s.reference === "current" ? "the current situation" : "the midpoint of the range"}.`,
    ),
  );
  const cols = s.scenarios.map((sc) => sc.label ?? "");
  out.push(
    "",
    `  ${pad("actor", 12)}${cols.map((c) => pad(c, 14, true)).join("")}${pad("expected", 12, true)}${pad("max regret", 12, true)}  verdict`,
  );
  for (const a of s.actors) {
    const cells = s.scenarios.map((sc) => {
      const p = sc.payoffs.find((x) => x.actor === a.actor)!;
      const g = p.gain === undefined ? "" : ` ${p.gain > 0 ? "+" : ""}${p.gain}`;
      const txt = `${p.payoff}${g} (${pct(p.normalised)})`;
      return pad(p.outcome === "wins" ? pc.green(txt) : p.outcome === "loses" ? pc.red(txt) : txt, 14, true);
    });
    const verdict = a.robustWinner
      ? pc.green("wins in every scenario")
      : a.robustLoser
        ? pc.red("loses in every scenario")
        : `wins in ${a.winsIn.length}, loses in ${a.losesIn.length}`;
    out.push(
      `  ${pad(a.actor, 12)}${cells.join("")}${pad(a.expectedInterval ? `${f1(a.expected)}±${((a.expectedInterval[1] - a.expectedInterval[0]) / 2).toFixed(2)}` : f1(a.expected), 12, true)}${pad(f1(a.maxRegret), 12, true)}  ${verdict}`,
    );
  }
  out.push("");
  s.scenarios.forEach((sc) => {
    const key = cm.factorIds.map(
      (id, j) => `${cm.factorShort[j]}=${cm.stateShort[j][cm.stateIds[j].indexOf(sc.states[id])]}`,
    );
    out.push(pc.dim(`  ${sc.label}: ${key.join(" ")}`));
  });
  if (s.distribution) out.push(pc.dim(`  expected payoff under: ${s.distribution}`));
  const robust = s.actors.filter((a) => a.robustWinner).map((a) => names.get(a.actor) ?? a.actor);
  out.push(
    "",
    robust.length
      ? `Robust winners: ${robust.join(", ")}`
      : "Robust winners: none (no actor gains in every consistent scenario)",
  );
  if (r.levers) {
    out.push(
      "",
      pc.bold("Levers: the one-factor interventions that raise each actor's expected payoff most"),
    );
    for (const l of r.levers) {
      if (l.levers.length === 0) {
        out.push(`  ${pad(l.actor, 12)}${pc.dim("no single intervention raises its expectation")}`);
        continue;
      }
      out.push(
        `  ${pad(l.actor, 12)}${l.levers
          .slice(0, 3)
          .map((x) => `${x.factor}=${x.state} (+${x.gain.toFixed(1)})`)
          .join(", ")}`,
      );
    }
  }
  return out.join("\n");
}

export async function cmdStakes(
  modelPath: string | undefined,
  o: {
    scenario?: string;
    levers?: boolean;
    distribution: string;
    steps: string;
    runs: string;
    seed: string;
    format: string;
  },
  io: Io,
): Promise<number> {
  const format = checkFormat(o.format, ["table", "json"]);
  const { model } = await loadForCommand(modelPath);
  const cm = compileModel(model);
  const num = (v: string, name: string, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min)
      throw new CliError(`${name} must be an integer ≥ ${min}; got '${v}'`, EXIT_USAGE);
    return n;
  };
  const provider =
    o.distribution === "kernel"
      ? kernelDistribution
      : simulationDistribution({
          steps: num(o.steps, "--steps", 1),
          runs: num(o.runs, "--runs", 1),
          seed: num(o.seed, "--seed", 0),
        });
  let r: StakesReport;
  try {
    r = await stakesReportAsync(model, cm, { scenario: o.scenario, levers: o.levers !== false, provider });
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError((e as Error).message, EXIT_INVALID);
  }
  io.out(format === "json" ? json(r) : renderStakes(model, cm, r));
  return EXIT_OK;
}

export function registerStakesCommands({ program, io, run }: CommandContext): void {
  program
    .command("stakes")
    .description(
      "who wins and who loses in each consistent scenario (or a given one), in expectation, and by which levers",
    )
    .argument("[model]", "model file (default: the seed model)")
    .option("--scenario <f=s,...>", "one scenario to evaluate (every factor)")
    .option("--no-levers", "skip the lever analysis (one run per factor state)")
    .addOption(
      new Option(
        "--distribution <d>",
        "expectations over: the simulated scenario after --steps (probability engine), or the consistent scenarios uniformly",
      )
        .choices(["simulate", "kernel"])
        .default("simulate"),
    )
    .option("--steps <n>", "steps of the simulation (one step = the model's step)", "12")
    .option("--runs <n>", "simulated runs", "20000")
    .option("--seed <n>", "seed of the simulation", "1")
    .addOption(new Option("--format <format>", "output format: table | json").default("table"))
    .addHelpText("after", "\nExample:\n  muscat stakes models/oman-2025.yaml\n")
    .action((model, opts) => run(() => cmdStakes(model, opts, io)));
}
