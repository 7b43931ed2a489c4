// muscat bargain: where the negotiation lands, every method side by side.
import { existsSync, readFileSync } from "node:fs";
import { Option } from "commander";
import pc from "picocolors";
import { parseKtabCsv, parseScholzCsv } from "../bargain/csv.js";
import { ktabSmp } from "../bargain/ktab.js";
import {
  type BargainMethod,
  forecastModel,
  type IssueForecast,
  MODEL_FORECAST_VERSION,
  type ModelBargainResult,
} from "../bargain/model.js";
import { BargainInputError } from "../bargain/types.js";
import { fixed } from "../format.js";
import type { BargainingIssue } from "../model/types.js";
import type { bargainRun } from "../runs/bargain.js";
import { bargainOptions } from "../runs/options.js";
import { addRunOptions, type CommandContext, example, formatOption, runOptionsOf } from "./command.js";
import { CliError, checkFormat, EXIT_INVALID, EXIT_OK, type Io, json, loadForCommand, pad } from "./io.js";
import { startRun } from "./progress.js";
import { runStoppable } from "./run-thread.js";

type BargainFlags = Record<string, unknown> & { csv?: string; csvKind?: string; format: string };

const fmt = (x: number | undefined, d = 1) => fixed(x, d);

export function renderIssue(f: IssueForecast): string {
  const out: string[] = [];
  out.push(
    pc.bold(`${f.name} (${f.issue})`) +
      pc.dim(
        `  scale ${f.min}–${f.max}${f.unit ? ` ${f.unit}` : ""}${f.reversion !== undefined ? `, reversion ${f.reversion}` : ""}`,
      ),
  );
  if (f.combined) {
    const c = f.combined;
    out.push(
      `  ${pc.bold(`Combined forecast: ${fmt(c.position)}${f.unit ? ` ${f.unit}` : ""}`)}, ${Math.round(c.level * 100)} % interval ${fmt(c.interval[0])}–${fmt(c.interval[1])}` +
        pc.dim("  (stacked combination learned on DEU III; every method below)"),
    );
    for (const w of c.extrapolation.warnings) out.push(pc.yellow(`  warning: ${w}`));
  }
  out.push(
    `  ${pad("actor", 12)}${pad("position", 10, true)}${pad("salience", 10, true)}${pad("clout", 8, true)}`,
  );
  for (const a of f.actors)
    out.push(
      `  ${pad(a.id, 12)}${pad(fmt(a.position), 10, true)}${pad(a.salience.toFixed(2), 10, true)}${pad(a.clout.toFixed(2), 8, true)}`,
    );
  out.push("", `  ${pad("method", 56)}${pad("forecast", 9, true)}${pad("interval", 18, true)}`);
  for (const m of f.forecasts) {
    const iv = m.uncertainty ? `${fmt(m.uncertainty.interval[0])}–${fmt(m.uncertainty.interval[1])}` : "";
    out.push(
      `  ${pad(m.name, 56)}${pad(fmt(m.position), 9, true)}${pad(iv, 18, true)}${m.note ? pc.dim(`  ${m.note}`) : ""}`,
    );
  }
  if (f.trail.eum?.length) {
    out.push("", pc.dim("  Expected-utility model, round by round (mean position):"));
    out.push(`    ${f.trail.eum.map((r) => `${r.round}: ${fmt(r.mean)}`).join("  ")}`);
    const moves = f.trail.eum.flatMap((r) => r.narrative).filter((l) => !l.includes("nobody moves"));
    for (const l of moves.slice(0, 6)) out.push(pc.dim(`    ${l}`));
    if (moves.length > 6) out.push(pc.dim(`    … ${moves.length - 6} more moves (--format json for all)`));
  }
  if (f.trail.smp?.length) {
    const last = f.trail.smp[f.trail.smp.length - 1];
    out.push(
      "",
      pc.dim(`  KTAB spatial model: ${f.trail.smp.length} states; final positions `) +
        f.actors.map((a, i) => `${a.id} ${fmt(last.positions[i])}`).join(", "),
    );
  }
  if (f.sensitivity?.length)
    out.push(
      pc.dim(
        `  Most influential inputs (compromise model): ${f.sensitivity
          .slice(0, 3)
          .map((s) => `${s.actor} ${s.input} (±${fmt(s.swing / 2)})`)
          .join(", ")}`,
      ),
    );
  return out.join("\n");
}

export function renderBargain(r: ModelBargainResult): string {
  return r.issues.map(renderIssue).join("\n\n");
}

function fromScholzCsv(path: string): BargainingIssue {
  const { actors } = parseScholzCsv(readFileSync(path, "utf8"), { source: path });
  const lo = Math.min(0, ...actors.map((a) => a.position));
  const hi = Math.max(100, ...actors.map((a) => a.position));
  return {
    id: "csv",
    name: path.replace(/^.*[\\/]/, ""),
    min: lo,
    max: hi,
    positions: actors.map((a) => ({
      actor: a.name,
      position: a.position,
      salience: a.salience,
      clout: a.clout,
      evidence: [],
    })),
  };
}

export async function cmdBargain(modelPath: string | undefined, o: BargainFlags, io: Io): Promise<number> {
  const format = checkFormat(o.format, ["table", "json"]);
  const opts = runOptionsOf(bargainOptions, o);
  try {
    if (o.csv) {
      if (!existsSync(o.csv)) throw new CliError(`${o.csv}: no such file`, EXIT_INVALID);
      const kind = o.csvKind ?? "scholz";
      if (kind === "ktab") {
        const sc = parseKtabCsv(readFileSync(o.csv, "utf8"), o.csv);
        const r = ktabSmp(sc, { maxTurns: opts.maxTurns });
        if (format === "json") io.out(json(r));
        else {
          io.out(pc.bold(`${sc.name}: KTAB spatial model, ${r.states.length} states (${r.stopReason})`));
          sc.dimensions.forEach((d, k) =>
            io.out(
              `  ${pad(d, 24)} probability-weighted ${fmt(r.final.probabilityWeighted[k])}, most likely ${fmt(r.final.mostLikely[k])}, compromise ${fmt(r.final.compromise[k])}`,
            ),
          );
        }
        return EXIT_OK;
      }
      const issue = fromScholzCsv(o.csv);
      const r = forecastModel({ issues: [issue] }, "csv", {
        ...opts,
        methods: opts.methods as BargainMethod[],
      });
      io.out(format === "json" ? json(r) : renderBargain(r));
      return EXIT_OK;
    }
    const { model } = await loadForCommand(modelPath);
    // Monte Carlo draws can take a while: on a worker thread, for Ctrl-C.
    const run = startRun("bargaining", { quiet: true });
    let r: ReturnType<typeof bargainRun>;
    try {
      r = await runStoppable("bargain", model, opts, run);
    } finally {
      run.finish();
    }
    io.out(format === "json" ? json(r) : renderBargain(r));
    return EXIT_OK;
  } catch (e) {
    if (e instanceof BargainInputError) throw new CliError(e.message, EXIT_INVALID);
    throw e;
  }
}

export function registerBargainCommands({ program, io, run }: CommandContext): void {
  example(
    addRunOptions(
      program
        .command("bargain")
        .description(
          `where the negotiation lands on each bargaining issue: a combined forecast with its interval, every method beside it (${MODEL_FORECAST_VERSION})`,
        )
        .argument("[model]", "model file (default: the seed model)"),
      bargainOptions,
    )
      .option("--csv <file>", "run a published data set instead of a model (Scholz or KTAB CSV)")
      .addOption(new Option("--csv-kind <kind>", "the CSV's layout").choices(["scholz", "ktab"]))
      .addOption(formatOption(["table", "json"]))
      .action((model, opts) => run(() => cmdBargain(model, opts, io))),
    "muscat bargain models/oman-2025.yaml --issue enrichment-cap --runs 500 --seed 7",
  );
}
