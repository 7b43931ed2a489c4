// muscat stakes: who wins and who loses in each scenario, and in expectation.

import pc from "picocolors";
import { percent } from "../format.js";
import { compileModel } from "../model/compile.js";
import type { CompiledModel } from "../model/compiled.js";
import type { Model } from "../model/types.js";
import { stakesOptions } from "../runs/options.js";
import type { StakesReport, stakesRun } from "../runs/stakes.js";
import { addRunOptions, type CommandContext, example, formatOption, runOptionsOf } from "./command.js";
import { checkFormat, EXIT_OK, type Io, json, loadForCommand, pad } from "./io.js";
import { startRun } from "./progress.js";
import { runStoppable } from "./run-thread.js";

const f1 = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? "—" : x.toFixed(1));
const pct = (x: number) => percent(x, 0);

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
  flags: Record<string, unknown> & { format: string },
  io: Io,
): Promise<number> {
  const format = checkFormat(flags.format, ["table", "json"]);
  const { model } = await loadForCommand(modelPath);
  // Long with levers (one simulation per factor state): on a worker thread, for Ctrl-C.
  const run = startRun("stakes", { quiet: Boolean(flags.quiet) || format !== "table" });
  let r: Awaited<ReturnType<typeof stakesRun>>;
  try {
    r = await runStoppable("stakes", model, runOptionsOf(stakesOptions, flags), run);
  } finally {
    run.finish();
  }
  io.out(format === "json" ? json(r) : renderStakes(model, compileModel(model), r));
  return EXIT_OK;
}

export function registerStakesCommands({ program, io, run }: CommandContext): void {
  example(
    addRunOptions(
      program
        .command("stakes")
        .description(
          "who wins and who loses in each consistent scenario (or a given one), in expectation, and by which levers",
        )
        .argument("[model]", "model file (default: the seed model)"),
      stakesOptions,
    )
      .addOption(formatOption(["table", "json"]))
      .action((model, opts) => run(() => cmdStakes(model, opts, io))),
    "muscat stakes models/oman-2025.yaml",
  );
}
