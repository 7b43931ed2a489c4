// muscat report: a self-contained HTML report of a model (server-rendered SVG figures, no
// external assets), and optionally a PDF of it printed by Chromium.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { CommandContext } from "./command.js";
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
  o: { out: string; pdf?: string; seed: string; force?: boolean },
  io: Io,
): Promise<number> {
  const seed = Number(o.seed);
  if (!Number.isInteger(seed) || seed < 0)
    throw new CliError(`--seed must be an integer ≥ 0; got '${o.seed}'`, EXIT_USAGE);
  const out = resolve(o.out);
  for (const p of [out, o.pdf ? resolve(o.pdf) : undefined])
    if (p && existsSync(p) && !o.force)
      throw new CliError(`${displayPath(p)} exists: add --force to overwrite`, EXIT_USAGE);
  const { model, path } = await loadForCommand(modelPath);
  // The report's chart library and the PDF printer load only for this command.
  const { buildReport } = await import("../report/index.js");
  const html = buildReport(model, { seed, file: displayPath(path), version: packageVersion() });
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
  program
    .command("report")
    .description("write a self-contained HTML report of a model (and a PDF with --pdf, through Chromium)")
    .argument("[model]", "model file (default: the seed model)")
    .requiredOption("-o, --out <file>", "the HTML file to write")
    .option("--pdf <file>", "also print a PDF (needs /usr/bin/chromium)")
    .option("--seed <n>", "seed of every seeded computation", "1")
    .option("--force", "overwrite existing files")
    .addHelpText(
      "after",
      "\nExample:\n  muscat report models/oman-2025.yaml --out report.html --pdf report.pdf\n",
    )
    .action((model, opts) => run(() => cmdReport(model, opts, io)));
}
