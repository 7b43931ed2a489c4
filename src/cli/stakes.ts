// muscat stakes: who wins and who loses in each scenario, and in expectation.
import { Option } from "commander";
import pc from "picocolors";
import { findKernel } from "../cib/kernel.js";
import { compileModel, parseAssignment } from "../model/compile.js";
import type { CompiledModel } from "../model/compiled.js";
import type { Model } from "../model/types.js";
import {
  type ActorLevers,
  analyseStakes,
  leverAnalysis,
  type ScenarioDistribution,
  type StakesResult,
} from "../stakes/index.js";
import { CliError, checkFormat, EXIT_INVALID, EXIT_OK, type Io, json, loadForCommand, pad } from "./io.js";
import type { CommandContext } from "./main.js";

export type DistributionProvider = (
  model: Model,
  cm: CompiledModel,
  fix?: { factor: number; state: number },
) => ScenarioDistribution | undefined;

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

export interface StakesReport {
  stakes: StakesResult;
  levers?: ActorLevers[];
}

export function stakesReport(
  model: Model,
  cm: CompiledModel,
  opts: { scenario?: string; levers?: boolean; provider?: DistributionProvider },
): StakesReport {
  const provider = opts.provider ?? kernelDistribution;
  if (model.stakes.length === 0) throw new CliError("the model has no stakes", EXIT_INVALID);
  if (opts.scenario) {
    const a = parseAssignment(cm, opts.scenario);
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
  const base = provider(model, cm);
  const kernel = findKernel(cm);
  const scenarios = kernel.scenarios.map((s, i) => ({ states: s.states, label: `S${i + 1}` }));
  const stakes = analyseStakes(model, cm, scenarios, { distribution: base });
  const report: StakesReport = { stakes };
  if (opts.levers && base)
    report.levers = leverAnalysis(model, cm, base, (factor, state) => provider(model, cm, { factor, state }));
  return report;
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
      `  ${pad(a.actor, 12)}${cells.join("")}${pad(f1(a.expected), 12, true)}${pad(f1(a.maxRegret), 12, true)}  ${verdict}`,
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

export function cmdStakes(
  modelPath: string | undefined,
  o: { scenario?: string; levers?: boolean; format: string },
  io: Io,
  provider?: DistributionProvider,
): number {
  const format = checkFormat(o.format, ["table", "json"]);
  const { model } = loadForCommand(modelPath);
  const cm = compileModel(model);
  let r: StakesReport;
  try {
    r = stakesReport(model, cm, { scenario: o.scenario, levers: o.levers !== false, provider });
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
    .option("--no-levers", "skip the lever analysis (one kernel search per factor state)")
    .addOption(new Option("--format <format>", "output format: table | json").default("table"))
    .addHelpText("after", "\nExample:\n  muscat stakes models/oman-2025.yaml\n")
    .action((model, opts) => run(() => cmdStakes(model, opts, io)));
}
