// muscat analyze: the main job — everything the engines can say about a model, in one report.
import pc from "picocolors";
import { compileModel } from "../model/compile.js";
import { checkFormat, displayPath, EXIT_OK, type Io, json, loadForCommand } from "./io.js";
import { modelCounts, renderMatrix } from "./model-commands.js";

export function cmdAnalyze(modelPath: string | undefined, opts: { format: string }, io: Io): number {
  const format = checkFormat(opts.format, ["table", "json"]);
  const { model, path, problems } = loadForCommand(modelPath);
  const cm = compileModel(model);
  const counts = modelCounts(model);
  const warnings = problems.filter((p) => p.severity === "warning");
  if (format === "json") {
    io.out(json({ file: displayPath(path), id: model.id, hash: cm.hash, counts, warnings }));
    return EXIT_OK;
  }
  const out: string[] = [];
  out.push(pc.bold(model.title), `${displayPath(path)} · as of ${model.asOf} · model hash ${cm.hash}`);
  out.push(
    "",
    pc.bold("Model"),
    `  ${counts.actors} actors, ${counts.factors} factors, ${counts.states} states (${counts.scenarios} scenarios), ${counts.impacts} judgments, ${counts.stakes} stakes, ${counts.issues} bargaining issues, ${counts.evidence} evidence locators`,
    `  validation: ${warnings.length} warning${warnings.length === 1 ? "" : "s"}`,
  );
  out.push("", pc.bold("Cross-impact matrix"), renderMatrix(model));
  io.out(out.join("\n"));
  return EXIT_OK;
}
