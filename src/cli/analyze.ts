// muscat analyze: the main job — everything the engines can say about a model, in one report.
// Each section calls the same engine functions and renderers as its own command.
import pc from "picocolors";
import { forecastModel } from "../bargain/model.js";
import { compileModel } from "../model/compile.js";
import { renderBargain } from "./bargain.js";
import { renderScenarios, scenariosReport } from "./cib.js";
import { checkFormat, displayPath, EXIT_OK, type Io, json, loadForCommand } from "./io.js";
import { modelCounts } from "./model-commands.js";
import { renderStakes, simulationDistribution, stakesReportAsync } from "./stakes.js";

export async function cmdAnalyze(
  modelPath: string | undefined,
  opts: { format: string },
  io: Io,
): Promise<number> {
  const format = checkFormat(opts.format, ["table", "json"]);
  const { model, path, problems } = loadForCommand(modelPath);
  const cm = compileModel(model);
  const counts = modelCounts(model);
  const warnings = problems.filter((p) => p.severity === "warning");
  const scenarios = scenariosReport(model, { maxInconsistency: "0", basins: true });
  const stakes = model.stakes.length
    ? await stakesReportAsync(model, cm, {
        levers: true,
        provider: simulationDistribution({ steps: 12, runs: 20000, seed: 1 }),
      })
    : undefined;
  const bargain = model.issues.length ? forecastModel(model, cm.hash) : undefined;
  if (format === "json") {
    io.out(
      json({
        file: displayPath(path),
        id: model.id,
        hash: cm.hash,
        counts,
        warnings,
        scenarios,
        stakes,
        bargain,
      }),
    );
    return EXIT_OK;
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
  if (stakes) out.push(h("Who wins and who loses"), renderStakes(model, cm, stakes));
  if (bargain) out.push(h("Where the bargaining lands"), renderBargain(bargain));
  io.out(out.join("\n"));
  return EXIT_OK;
}
