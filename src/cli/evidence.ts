// muscat corpus add | list | show, muscat evidence, muscat ingest: the evidence commands.
// Registering them loads nothing heavy; their bodies (evidence-run.ts: the store, HTML
// extraction, NLP) are imported when one of them runs.
import { type CommandContext, example, formatOption } from "./command.js";

const DATA_HELP = "data directory holding the store (default: $MUSCAT_DATA or ./data)";
const load = () => import("./evidence-run.js");

export function registerEvidenceCommands({ program, io, run }: CommandContext): void {
  const corpus = program
    .command("corpus")
    .description("the corpus of source documents (store under --data DIR)");
  example(
    corpus
      .command("add")
      .description("add text, Markdown or HTML files (or folders of them); all or nothing")
      .argument("<paths...>", "files or folders")
      .option("--data <dir>", DATA_HELP)
      .addOption(formatOption(["table", "json"]))
      .action((paths, opts) => run(async () => (await load()).cmdCorpusAdd(paths, opts, io))),
    "muscat corpus add ../shared/seeds --data ./data",
  );
  example(
    corpus
      .command("list")
      .description("the documents in the corpus")
      .option("--data <dir>", DATA_HELP)
      .addOption(formatOption(["table", "json"]))
      .action((opts) => run(async () => (await load()).cmdCorpusList(opts, io))),
    "muscat corpus list --format json",
  );
  example(
    corpus
      .command("show")
      .description("a document's text with furniture marked; --removed says why each block went")
      .argument("<doc>", "id prefix, file name or URL")
      .option("--removed", "the blocks removed as page furniture, with their scores and reasons")
      .option("--cleaned", "the cleaned text, each line with its original line number")
      .option("--data <dir>", DATA_HELP)
      .addOption(formatOption(["table", "json"]))
      .action((doc, opts) => run(async () => (await load()).cmdCorpusShow(doc, opts, io))),
    "muscat corpus show 000_6cfeaa24f288d15b.txt --removed",
  );
  example(
    program
      .command("evidence")
      .description("check every judgment's evidence against the corpus; print passages and coverage")
      .argument("[model]", "model file (default: the seed model)")
      .option("--corpus <dir>", "folder holding the source files (the store is used too)")
      .option("--data <dir>", DATA_HELP)
      .option("--all", "print every locator with its passage, not only problems")
      .addOption(formatOption(["table", "json"]))
      .action((model, opts) => run(async () => (await load()).cmdEvidence(model, opts, io))),
    "muscat evidence models/oman-2025.yaml --corpus ../shared/seeds --all",
  );
  example(
    program
      .command("ingest")
      .description("find actors, factors and conditional claims in an article; propose draft impacts")
      .argument("<file>", "article: .txt, .md or .html")
      .option("--model <model>", "model file (default: the seed model)")
      .option(
        "--accept <ids>",
        "draft ids to add, comma-separated (prints the edited model unless --write); ID:FROM:TO[:STRENGTH] puts a draft in another cell or places a gap (FROM, TO as factor=state)",
      )
      .option("--write", "write the accepted drafts into the model file (comments kept; refused if invalid)")
      .option(
        "--teach <entries>",
        "with --accept: words of a sentence to add to a state's keywords, ID:from|to:WORDS, or a name to an actor's aliases, ID:alias:NAME=ACTOR; comma-separated (e.g. g1a2b3c:to:come out of hibernation)",
      )
      .option(
        "--as-view",
        "record accepted drafts that contradict the model as a second view (author: the source)",
      )
      .option("--min-confidence <x>", "list only drafts whose confidence (0–1) is at least x")
      .addOption(formatOption(["table", "json"]))
      .action((file, opts) => run(async () => (await load()).cmdIngest(file, opts, io))),
    "muscat ingest ../shared/seeds/001_145ff31df8d6d8be.txt --model models/oman-2025.yaml",
  );
}
