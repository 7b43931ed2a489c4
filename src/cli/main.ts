// The `muscat` command line. Every command is a thin adapter over the model module and the
// engines; `--format json` gives machine-readable output. Exit codes: 0 success, 1 invalid
// input, 2 usage error.
import { Command, CommanderError, Option } from "commander";
import pc from "picocolors";
import { InputError } from "../errors.js";
import { ModelError } from "../model/problems.js";
import { RunStopped } from "../runs/control.js";
import { analysisOptions } from "../runs/options.js";
import { registerBargainCommands } from "./bargain.js";
import { registerBeliefsCommands } from "./beliefs.js";
import { registerCibCommands } from "./cib.js";
import { addRunOptions, type CommandContext, example, formatOption } from "./command.js";
import { registerEvidenceCommands } from "./evidence.js";
import { registerForecastCommands } from "./forecast.js";
import {
  CliError,
  EXIT_INTERRUPTED,
  EXIT_INVALID,
  EXIT_OK,
  EXIT_USAGE,
  errorToJson,
  exitQuietlyOnClosedPipe,
  type Io,
  json,
  packageVersion,
  printProblems,
  processIo,
} from "./io.js";
import { registerOutlookCommands } from "./outlook.js";
import { registerProbCommands } from "./prob.js";
import { registerQueueCommands } from "./queue.js";
import { registerReportCommands } from "./report.js";
import { runOnThreads } from "./run-thread.js";
import { registerServeCommands } from "./serve.js";
import { registerStakesCommands } from "./stakes.js";

/** The model commands' bodies (the YAML parser, the schema) load only when one of them runs. */
const modelCommands = () => import("./model-commands.js");

/**
 * Command modules: each registers its commands on the program. Engines' commands live in
 * their own files (src/cli/<name>.ts) and are listed here.
 */
const COMMAND_MODULES: ((ctx: CommandContext) => void)[] = [
  registerCibCommands,
  registerEvidenceCommands,
  registerBargainCommands,
  registerStakesCommands,
  registerServeCommands,
  registerForecastCommands,
  registerReportCommands,
  registerProbCommands,
  registerBeliefsCommands,
  registerOutlookCommands,
  registerQueueCommands,
];

// The entry of the CLI's worker threads (run-thread.ts), exported from the built bundle.
export { threadMain } from "./run-thread-worker.js";

export function buildProgram(io: Io, setCode: (code: number) => void): Command {
  const program = new Command();
  program
    .name("muscat")
    .description(
      "Scenario analysis of negotiations and the escalation they can set off.\nWith no MODEL, commands use the shipped seed model (models/oman-2025.yaml).",
    )
    .version(packageVersion(), "-v, --version")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .exitOverride();

  const run = async (f: () => number | Promise<number>) => setCode(await f());

  example(
    program
      .command("check")
      .description("validate a model and list every problem (exit 1 if any error)")
      .argument("[model]", "model file (YAML or JSON)")
      .option("--sources <dir>", "folder holding the sources' texts: check hashes and locators against them")
      .addOption(formatOption(["table", "json"]))
      .action((model, opts) => run(async () => (await modelCommands()).cmdCheck(model, opts, io))),
    "muscat check models/oman-2025.yaml --sources ../shared/seeds --format json",
  );

  example(
    program
      .command("show")
      .description("actors, factors and states, and the cross-impact matrix with short names")
      .argument("[model]", "model file")
      .addOption(formatOption(["table", "json"]))
      .action((model, opts) => run(async () => (await modelCommands()).cmdShow(model, opts, io))),
    "muscat show models/oman-2025.yaml",
  );

  example(
    program
      .command("import")
      .description("import a ScenarioWizard .scw project or a labelled matrix .csv as a model")
      .argument("<file>", ".scw or .csv file")
      .option("-o, --out <file>", "write the model here (default: standard output)")
      .addOption(new Option("--to <format>", "model file format").choices(["yaml", "json"]).default("yaml"))
      .option("--id <id>", "model id (default: from the file name)")
      .option("--as-of <date>", "the model's asOf date, YYYY-MM-DD (default: today)")
      .option("--force", "overwrite --out if it exists")
      .addOption(
        new Option("--format <format>", "json: a machine-readable summary (with --out) or the model as JSON")
          .choices(["table", "json"])
          .default("table"),
      )
      .action((file, opts) => run(async () => (await modelCommands()).cmdImport(file, opts, io))),
    "muscat import project.scw --out project.yaml --as-of 2025-04-15",
  );

  example(
    program
      .command("export")
      .description("write a model as ScenarioWizard .scw, JSON, YAML, or the matrix as CSV")
      .argument("[model]", "model file")
      .addOption(
        new Option("--to <format>", "target format")
          .choices(["scw", "json", "yaml", "csv"])
          .makeOptionMandatory(),
      )
      .option("-o, --out <file>", "write here (default: standard output)")
      .option("--force", "overwrite --out if it exists")
      .addOption(
        new Option("--format <format>", "json: a machine-readable summary of what was written (with --out)")
          .choices(["table", "json"])
          .default("table"),
      )
      .action((model, opts) => run(async () => (await modelCommands()).cmdExport(model, opts, io))),
    "muscat export models/oman-2025.yaml --to scw --out oman.scw",
  );

  example(
    program
      .command("set")
      .description("set one value in a model file, keeping its comments; refused if the result is invalid")
      .argument("<model>", "model file")
      .argument("<path>", "where, e.g. impacts[3].strength")
      .argument("<value>", "the new value")
      .option("--dry-run", "print the edited file instead of writing it")
      .addOption(
        new Option("--format <format>", "json: a machine-readable summary")
          .choices(["table", "json"])
          .default("table"),
      )
      .action((model, path, value, opts) =>
        run(async () => (await modelCommands()).cmdSet(model, path, value, opts, io)),
      ),
    "muscat set models/oman-2025.yaml impacts[3].strength 2",
  );

  example(
    program
      .command("schema")
      .description("print the model file's JSON Schema")
      .option("-o, --out <file>", "write here")
      .action((opts) => run(async () => (await modelCommands()).cmdSchema(opts, io))),
    "muscat schema --out schema/model.schema.json",
  );

  example(
    addRunOptions(
      program
        .command("analyze")
        .description("run every engine on a model and print what they say (the main job)")
        .argument("[model]", "model file (default: the seed model)"),
      analysisOptions,
    )
      .option("-q, --quiet", "no progress bar")
      .addOption(formatOption(["table", "json"]))
      .action((model, opts) => run(async () => (await import("./analyze.js")).cmdAnalyze(model, opts, io))),
    "muscat analyze",
  );

  for (const register of COMMAND_MODULES) register({ program, io, run });
  return program;
}

/** An option's name as its flag: maxInconsistency → max-inconsistency. */
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  if (io === processIo) {
    exitQuietlyOnClosedPipe();
    runOnThreads(true);
  }
  let code = EXIT_OK;
  const wantsJson =
    argv.includes("--format=json") || argv.some((a, i) => a === "--format" && argv[i + 1] === "json");
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    // Ctrl-C stopped a run that keeps no partial result (stakes, bargain, the forecasts).
    if (
      e instanceof RunStopped ||
      (e instanceof Error && e.name === "ForecastError" && e.message === "interrupted")
    ) {
      io.err(
        pc.yellow(
          `interrupted: no result (${e instanceof RunStopped ? e.message : "the forecasts keep no partial result"})`,
        ),
      );
      return EXIT_INTERRUPTED;
    }
    if (e instanceof CommanderError) {
      if (
        e.code === "commander.helpDisplayed" ||
        e.code === "commander.version" ||
        e.code === "commander.help"
      )
        return EXIT_OK;
      return EXIT_USAGE;
    }
    if (wantsJson) io.out(json(errorToJson(e)));
    if (e instanceof CliError) {
      if (e.problems?.length) printProblems(io, e.problems);
      io.err(pc.red(`error: ${e.message}`));
      return e.exitCode;
    }
    if (e instanceof ModelError) {
      printProblems(io, e.problems);
      return EXIT_INVALID;
    }
    // Any other user error from an engine or a parser: its message, exit 1. Anything else is a
    // bug, printed with its stack.
    if (e instanceof InputError) {
      // A bad option value is a usage error, named as the flag the user typed.
      const where = e.code === "option" && e.path ? `--${kebab(e.path)}` : e.path;
      io.err(pc.red(`error: ${where && !e.message.includes(where) ? `${where}: ` : ""}${e.message}`));
      return e.code === "option" ? EXIT_USAGE : EXIT_INVALID;
    }
    io.err(pc.red(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
    return EXIT_INVALID;
  }
}

// Run when executed directly (tsx src/cli/main.ts …); bin/muscat.js imports main() instead.
const invoked = process.argv[1] ?? "";
if (/[\\/]src[\\/]cli[\\/]main\.ts$/.test(invoked)) {
  main(process.argv).then((c) => {
    process.exitCode = c;
  });
}
