// muscat outlook: one condition's probability by and on a horizon and in the long run, each with
// its Monte Carlo interval and judgment-and-tempo range, and what it assumes (engine `outlook`).
import { percent, percentRange } from "../format.js";
import { outlookOptions } from "../runs/options.js";
import { type OutlookFigure, type OutlookResult, outlookRun } from "../runs/outlook.js";
import { addRunOptions, type CommandContext, example, formatOption, runOptionsOf } from "./command.js";
import { checkFormat, EXIT_OK, type Io, json, loadForCommand, pad } from "./io.js";

function line(label: string, f: OutlookFigure): string[] {
  return [
    `${pad(label, 18)}${pad(percent(f.p, 1), 7, true)}   Monte Carlo 95% ${percentRange(f.mc.lo, f.mc.hi, 1)}   judgment-and-tempo ${Math.round(f.range.level * 100)}% range ${percentRange(f.range.lo, f.range.hi, 1)}`,
    `${" ".repeat(18)}${f.means}`,
  ];
}

export function renderOutlook(r: OutlookResult): string {
  return [
    `Outlook of ${r.condition} (model ${r.model.hash.slice(0, 12)}, as of ${r.model.asOf}; seed ${r.seed})`,
    "",
    ...line(`by ${r.horizon.date}`, r.byHorizon),
    ...line(`on ${r.horizon.date}`, r.onHorizon),
    ...line("in the long run", r.longRun),
    "",
    "Assumes:",
    ...r.assumes.map((a) => `  ${a}`),
  ].join("\n");
}

export async function cmdOutlook(
  modelPath: string | undefined,
  opts: Record<string, unknown>,
  io: Io,
): Promise<number> {
  const format = checkFormat(String(opts.format), ["table", "json"]);
  const o = runOptionsOf(outlookOptions, opts);
  const { model } = await loadForCommand(modelPath);
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.on("SIGINT", onSigint);
  try {
    const r = await outlookRun(model, o, { signal: ac.signal });
    io.out(format === "json" ? json(r) : renderOutlook(r));
  } finally {
    process.off("SIGINT", onSigint);
  }
  return EXIT_OK;
}

export function registerOutlookCommands({ program, io, run }: CommandContext): void {
  example(
    addRunOptions(
      program
        .command("outlook")
        .description(
          "one condition by and on a horizon and in the long run, with Monte Carlo intervals and judgment-and-tempo ranges, each labelled with what it assumes",
        )
        .argument("[model]", "model file (default: the seed model)"),
      outlookOptions,
    )
      .addOption(formatOption(["table", "json"]))
      .action((model, opts) => run(() => cmdOutlook(model, opts, io))),
    "muscat outlook --condition region=war --horizon 2026-04-15",
  );
}
