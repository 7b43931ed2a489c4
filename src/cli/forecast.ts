// muscat forecast | score | vintages: forecast questions, saved vintages and their scores.
// Registering them loads nothing heavy; their bodies (forecast-run.ts) load when one runs.
import { Option } from "commander";
import type { CommandContext } from "./command.js";

const load = () => import("./forecast-run.js");

const dataOption = () =>
  new Option(
    "--data <dir>",
    "data directory (default: $MUSCAT_DATA, else ./data); vintages live in <dir>/vintages",
  );

export function registerForecastCommands({ program, io, run }: CommandContext): void {
  program
    .command("forecast")
    .description(
      "each question's probability with its interval, drivers and indicators to watch; --save keeps a vintage",
    )
    .argument("[model]", "model file (default: the seed model)")
    .option("--runs <n>", "runs (trajectories) per forecast (default 4000)")
    .option("--seed <n>", "random seed", "1")
    .option("--driver-runs <n>", "runs per one-at-a-time change for the drivers (default 1000)")
    .option("--indicator-runs <n>", "runs per observed state for the indicators (default: --runs)")
    .option("--top <n>", "drivers and indicators per question", "5")
    .option("--no-drivers", "skip drivers and indicators (fast)")
    .option("--no-uncertainty", "use the judged matrix only (no judgment draws)")
    .option("--question <id...>", "only these questions")
    .option("--save", "save the forecast as a vintage (for scoring later)")
    .addOption(dataOption())
    .option("-q, --quiet", "no progress bar")
    .addOption(new Option("--format <format>", "output format: table | json").default("table"))
    .addHelpText(
      "after",
      "\nExample:\n  muscat forecast models/oman-2025.yaml --save\n  muscat forecast --format json --runs 2000\n",
    )
    .action((model, opts) => run(async () => (await load()).cmdForecast(model, opts, io)));

  program
    .command("score")
    .description(
      "score a saved vintage against resolutions: Brier, log score, decomposition, calibration, baselines",
    )
    .requiredOption("--vintage <id>", "vintage id (or unique prefix, 'latest', or a vintage .json file)")
    .requiredOption(
      "--resolutions <file>",
      "resolutions (.yaml/.json/.csv): question, outcome yes/no, date, source",
    )
    .option("--chart <file.svg>", "write the reliability chart as SVG")
    .option("--force", "overwrite --chart if it exists")
    .option("--bins <n>", "probability bins for the decomposition and calibration table", "10")
    .addOption(dataOption())
    .addOption(new Option("--format <format>", "output format: table | json").default("table"))
    .addHelpText(
      "after",
      "\nExample:\n  muscat score --vintage latest --resolutions resolutions.csv --chart reliability.svg\n",
    )
    .action((opts) => run(async () => (await load()).cmdScore(opts, io)));

  program
    .command("vintages")
    .description("list saved forecast vintages")
    .addOption(dataOption())
    .addOption(new Option("--format <format>", "output format: table | json").default("table"))
    .addHelpText("after", "\nExample:\n  muscat vintages --data ./data\n")
    .action((opts) => run(async () => (await load()).cmdVintages(opts, io)));
}
