// muscat report: a self-contained HTML report of a model (server-rendered SVG figures, no
// external assets), and optionally a PDF of it printed by Chromium. The numbers are the full
// analysis (the same run as `muscat analyze`, with the analysis spec's defaults and the user's
// seed); src/report/ only lays them out.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { checkOptions, flagOf } from "../runs/fields.js";
import { analysisOptions } from "../runs/options.js";
import { addRunOptions, type CommandContext } from "./command.js";
import {
  CliError,
  displayPath,
  EXIT_INVALID,
  EXIT_OK,
  EXIT_USAGE,
  type Io,
  loadForCommand,
  packageVersion,
  writeFileAtomic,
} from "./io.js";

export async function cmdReport(
  modelPath: string | undefined,
  o: { out: string; pdf?: string; seed?: number; force?: boolean },
  io: Io,
): Promise<number> {
  // The analysis spec's defaults; only the seed is the user's.
  const checked = checkOptions(analysisOptions, { seed: o.seed });
  if (!checked.ok)
    throw new CliError(checked.problems.map((p) => `${flagOf(p.path)}: ${p.message}`).join("; "), EXIT_USAGE);
  const out = resolve(o.out);
  for (const p of [out, o.pdf ? resolve(o.pdf) : undefined])
    if (p && existsSync(p) && !o.force)
      throw new CliError(`${displayPath(p)} exists: add --force to overwrite`, EXIT_USAGE);
  const { model, path } = await loadForCommand(modelPath);
  // The engines, the report's chart library and the PDF printer load only for this command.
  const [{ analysisRun }, { renderReport }, { startRun }] = await Promise.all([
    import("../runs/analysis.js"),
    import("../report/index.js"),
    import("./progress.js"),
  ]);
  const run = startRun("analysis");
  let analysis: Awaited<ReturnType<typeof analysisRun>>;
  try {
    analysis = await analysisRun(model, checked.value, run);
  } finally {
    run.finish();
  }
  const html = renderReport(analysis, model, { file: displayPath(path), version: packageVersion() });
  writeFileAtomic(out, html);
  io.err(`wrote ${displayPath(out)} (${Math.round(html.length / 1024)} KB)`);
  if (o.pdf) {
    const { htmlToPdf, PdfError } = await import("../report/pdf.js");
    try {
      await htmlToPdf(html, resolve(o.pdf));
    } catch (e) {
      if (e instanceof PdfError) throw new CliError(e.message, EXIT_INVALID);
      throw e;
    }
    io.err(`wrote ${displayPath(resolve(o.pdf))}`);
  }
  return EXIT_OK;
}

export function registerReportCommands({ program, io, run }: CommandContext): void {
  const cmd = program
    .command("report")
    .description(
      "write a self-contained HTML report of a model's full analysis (and a PDF with --pdf, through Chromium)",
    )
    .argument("[model]", "model file (default: the seed model)")
    .requiredOption("-o, --out <file>", "the HTML file to write")
    .option("--pdf <file>", "also print a PDF (needs /usr/bin/chromium)");
  // The seed of the analysis spec (its flag, bounds and default); its other options keep their defaults.
  addRunOptions(cmd, analysisOptions, {
    omit: ["steps", "runs", "stakesRuns", "forecastRuns"],
    describe: { seed: "seed of every seeded computation" },
  })
    .option("--force", "overwrite existing files")
    .addHelpText(
      "after",
      "\nExample:\n  muscat report models/oman-2025.yaml --out report.html --pdf report.pdf\n",
    )
    .action((model, opts) => run(() => cmdReport(model, opts, io)));
}
