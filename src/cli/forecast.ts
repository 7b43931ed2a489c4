// muscat forecast | score | vintages [list | export | import | history]: forecast questions,
// vintages kept in the store (the one `muscat serve` uses), their scores and their history. Registering them loads
// nothing heavy; their bodies (forecast-run.ts) load when one runs.
import { Option } from "commander";
import { forecastOptions } from "../runs/options.js";
import { addRunOptions, type CommandContext, workersOption } from "./command.js";
import { redisOption } from "./queue.js";

const load = () => import("./forecast-run.js");

const dataOption = () =>
  new Option(
    "--data <dir>",
    "data directory holding the store where vintages are kept (default: $MUSCAT_DATA, else ./data)",
  );

export function registerForecastCommands({ program, io, run }: CommandContext): void {
  addRunOptions(
    program
      .command("forecast")
      .description(
        "each question's probability with its interval, drivers and indicators to watch; --save keeps a vintage",
      )
      .argument("[model]", "model file (default: the seed model)"),
    forecastOptions,
  )
    .option(
      "--as-of <date>",
      "issue the forecast as of this date, YYYY-MM-DD (a hindcast when it is past): its score counts resolutions dated before it as known (default: the model's asOf; never earlier)",
    )
    .option("--save", "save the forecast as a vintage in the store (for scoring later, here or in the app)")
    .addOption(dataOption())
    .addOption(workersOption(0, "the questions' simulations"))
    .addOption(redisOption())
    .option("-q, --quiet", "no progress bar")
    .addOption(new Option("--format <format>", "output format: table | json").default("table"))
    .addHelpText(
      "after",
      "\nExample:\n  muscat forecast models/oman-2025.yaml --save                      # as of the model's asOf (a hindcast, scored on what came after)\n  muscat forecast models/oman-2025.yaml --as-of 2025-05-01 --save   # as of a later date\n  muscat forecast --format json --runs 2000\n",
    )
    .action((model, opts) => run(async () => (await load()).cmdForecast(model, opts, io)));

  program
    .command("score")
    .description(
      "score a saved vintage against resolutions: Brier, log score, decomposition, calibration, baselines; resolutions dated before the vintage's as-of date are known, not scored",
    )
    .requiredOption("--vintage <id>", "vintage id (or unique prefix, 'latest', or a vintage .json file)")
    .option(
      "--resolutions <file>",
      "resolutions (.yaml/.json/.csv): question, outcome yes/no, date, source (default: those recorded in the store for the vintage's model)",
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

  const vintages = program
    .command("vintages")
    .description(
      "forecast vintages in the store: list (the default), export to a JSON file, import from one, the history of each question's forecast",
    );
  vintages
    .command("list", { isDefault: true })
    .description("list the vintages in the store, oldest first")
    .option("--model <id>", "only this model's vintages")
    .addOption(dataOption())
    .addOption(new Option("--format <format>", "output format: table | json").default("table"))
    .addHelpText(
      "after",
      "\nExample:\n  muscat vintages --data ./data\n  muscat vintages list --model oman-2025\n",
    )
    .action((opts) => run(async () => (await load()).cmdVintagesList(opts, io)));
  vintages
    .command("export")
    .description("write a vintage as a JSON file, exactly as issued (to move it to another store)")
    .argument("<vintage>", "vintage id (or unique prefix, or 'latest')")
    .option("-o, --out <file>", "the file to write (default: standard output)")
    .option("--force", "overwrite --out if it exists")
    .addOption(dataOption())
    .addHelpText("after", "\nExample:\n  muscat vintages export latest -o vintage.json\n")
    .action((ref, opts) => run(async () => (await load()).cmdVintagesExport(ref, opts, io)));
  vintages
    .command("import")
    .description(
      "add vintage files (as exported, or a folder of them) to the store: each is checked first; one bad file imports nothing",
    )
    .argument("<files...>", "vintage .json files, or folders holding them")
    .addOption(dataOption())
    .addOption(new Option("--format <format>", "output format: table | json").default("table"))
    .addHelpText(
      "after",
      "\nExample:\n  muscat vintages import vintage.json\n  muscat vintages import data/vintages   # the files earlier versions kept\n",
    )
    .action((files, opts) => run(async () => (await load()).cmdVintagesImport(files, opts, io)));
  vintages
    .command("history")
    .description(
      "each question's p by as-of date across a model's vintages, and the Brier score over time: each vintage's on the questions it scored (a resolution dated before its as-of date is known, not scored), the mean Brier across vintages",
    )
    .option(
      "--model <id>",
      "the model whose vintages to read (default: the only model with vintages in the store)",
    )
    .option("--question <id>", "only this question")
    .option(
      "--resolutions <file>",
      "resolutions (.yaml/.json/.csv): question, outcome yes/no, date, source (default: those recorded in the store for the model)",
    )
    .addOption(dataOption())
    .addOption(new Option("--format <format>", "output format: table | json").default("table"))
    .addHelpText(
      "after",
      "\nExample:\n  muscat vintages history --model oman-2025\n  muscat vintages history --question framework-deal-2025-10 --format json\n",
    )
    .action((opts) => run(async () => (await import("./vintages-history.js")).cmdVintagesHistory(opts, io)));
}
