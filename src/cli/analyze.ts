// muscat analyze: the main job — everything the engines can say about a model, in one report.
// Each section calls the same engine functions and renderers as its own command.
import pc from "picocolors";
import { fixed, percent } from "../format.js";
import { compileModel } from "../model/compile.js";
import type { AnalysisResult } from "../runs/analysis.js";
import { analysisOptions } from "../runs/options.js";
import { renderBargain } from "./bargain.js";
import { renderScenarios } from "./cib.js";
import { runOptionsOf } from "./command.js";
import { renderForecast } from "./forecast-run.js";
import { checkFormat, displayPath, EXIT_OK, type Io, json, loadForCommand, pad } from "./io.js";
import { interruptedExit, startRun } from "./progress.js";
import { runStoppable } from "./run-thread.js";
import { renderStakes } from "./stakes.js";

export async function cmdAnalyze(
  modelPath: string | undefined,
  opts: Record<string, unknown> & { format: string; quiet?: boolean },
  io: Io,
): Promise<number> {
  const format = checkFormat(opts.format, ["table", "json"]);
  const { model, path, problems } = await loadForCommand(modelPath);
  const cm = compileModel(model);
  const warnings = problems.filter((p) => p.severity === "warning");
  const run = startRun("analysis", { quiet: opts.quiet || format !== "table" });
  let a: AnalysisResult;
  try {
    // Partly synchronous (the kernel search, the long run): on a worker thread, for Ctrl-C.
    a = await runStoppable<AnalysisResult>("analyze", model, runOptionsOf(analysisOptions, opts), run);
  } finally {
    run.finish();
  }
  const { counts, scenarios, stakes, bargain, simulation: sim, longRun, forecast, steps: STEPS } = a;
  if (format === "json") {
    io.out(json({ file: displayPath(path), ...a, warnings }));
    return a.partial ? interruptedExit(io, PARTIAL_ANALYSIS) : EXIT_OK;
  }
  const h = (s: string) => `\n${pc.bold(pc.underline(s))}\n`;
  const out: string[] = [];
  out.push(
    pc.bold(model.title),
    pc.dim(`${displayPath(path)} · as of ${model.asOf} · model hash ${cm.hash}`),
  );
  out.push(
    h("Model"),
    `${counts.actors} actors, ${counts.factors} factors, ${counts.states} states (${counts.scenarios} scenarios), ${counts.impacts} judgments, ${counts.stakes} stakes, ${counts.issues} bargaining issues, ${counts.evidence} evidence locators; ${warnings.length} validation warning${warnings.length === 1 ? "" : "s"}. ${pc.dim("(muscat show: the matrix; muscat check: the problems)")}`,
  );
  out.push(h("Consistent scenarios (Cross-Impact Balance)"), renderScenarios(cm, scenarios));
  if (sim) {
    out.push(
      h(`How likely within ${STEPS} steps (${model.step ?? "P1M"} each) from the current situation`),
      pc.dim(
        `stochastic succession, ${sim.runs} runs, seed ${sim.seed}, ${sim.engine.name} ${sim.engine.version}; 95% Wilson intervals`,
      ),
      `  ${pad("", 5)}${pad("reached by", 22, true)}${pad(`holds at step ${STEPS}`, 22, true)}${pad("mean first step", 17, true)}`,
    );
    const pc1 = (e: { p: number; lo: number; hi: number }) =>
      `${(e.p * 100).toFixed(1)}% (${(e.lo * 100).toFixed(1)}–${(e.hi * 100).toFixed(1)})`;
    sim.conditions.forEach((c) => {
      out.push(
        `  ${pad(c.condition, 5)}${pad(pc1(c.byStep[STEPS]), 22, true)}${pad(pc1(c.atStep[STEPS]), 22, true)}${pad(c.meanFirstPassage === null ? "—" : c.meanFirstPassage.toFixed(1), 17, true)}`,
      );
    });
    sim.conditions.forEach((c) => {
      const paths = c.pathSets.filter((p) => p.changes.length > 0);
      if (!paths.length) return;
      out.push(pc.dim(`  main paths to ${c.condition} (same changes in any order count as one):`));
      for (const p of paths.slice(0, 3))
        out.push(
          pc.dim(
            `    ${(p.p * 100).toPrecision(2)}%  ${p.changes.map((x) => `${x.factor}=${x.state}`).join(", ")}`,
          ),
        );
    });
  }
  if (longRun) {
    const how = longRun.mcmc
      ? `MCMC, ${longRun.mcmc.chains} chains × ${longRun.mcmc.samples} samples, seed ${longRun.mcmc.seed}, worst R-hat ${fixed(longRun.mcmc.maxRhat, 4)}`
      : `exact over ${longRun.exact?.states} scenarios`;
    out.push(
      h("In the long run (stationary distribution of the stochastic succession)"),
      pc.dim(`${how}; ${longRun.engine.name} ${longRun.engine.version}; S… consistent, N… not`),
    );
    for (const s of longRun.scenarios.slice(0, 5))
      out.push(`  ${pad(s.id, 5)}${pad(percent(s.p), 7, true)}  ${pc.dim(s.name)}`);
  }
  if (stakes) out.push(h("Who wins and who loses"), renderStakes(model, cm, stakes));
  if (bargain) out.push(h("Where the bargaining lands"), renderBargain(bargain));
  if (forecast)
    out.push(
      h("Forecast questions"),
      renderForecast(forecast),
      pc.dim("(muscat forecast: drivers and indicators to watch; --save keeps a vintage to score later)"),
    );
  io.out(out.join("\n"));
  return a.partial ? interruptedExit(io, PARTIAL_ANALYSIS) : EXIT_OK;
}

const PARTIAL_ANALYSIS =
  "the analysis stopped: the parts not reached are left out, the one it stopped in is partial (partial: true)";
