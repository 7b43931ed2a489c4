// The evaluation sets of bench/ingest: where each lives, and how one is read, checked against the
// seed model and ingested with the library entry the CLI's `ingest` command uses. Shared by
// run.ts (the scores) and fit-confidence.ts (the fit of the drafts' confidence).

import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { readDocumentFile } from "../../src/evidence/document.js";
import { ingestDocument, ingestInput } from "../../src/evidence/ingest.js";
import { parseModelText } from "../../src/model/load.js";
import type { Model } from "../../src/model/types.js";
import { type ArticleLabels, META_FIELDS, parseLabels } from "./labels.js";
import type { ArticleOutput } from "./score.js";

const here = fileURLToPath(new URL(".", import.meta.url));
export const root = join(here, "..", "..");

/**
 * dev: the 22 articles the rules were first tuned on; heldout: 12 articles written later without
 * sight of the rules, read since (heldout/README.md); heldout2 to heldout12: later
 * held-out sets, each written by a labeller who had not seen the rules (their README.md).
 */
export const SETS: Record<string, { dir: string; name: string }> = {
  dev: { dir: here, name: "development set" },
  heldout: { dir: join(here, "heldout"), name: "first held-out set" },
  heldout2: { dir: join(here, "heldout2"), name: "second held-out set" },
  heldout3: { dir: join(here, "heldout3"), name: "third held-out set" },
  heldout4: { dir: join(here, "heldout4"), name: "fourth held-out set" },
  heldout5: { dir: join(here, "heldout5"), name: "fifth held-out set" },
  heldout6: { dir: join(here, "heldout6"), name: "sixth held-out set" },
  heldout7: { dir: join(here, "heldout7"), name: "seventh held-out set" },
  heldout8: { dir: join(here, "heldout8"), name: "eighth held-out set" },
  heldout9: { dir: join(here, "heldout9"), name: "ninth held-out set" },
  heldout10: { dir: join(here, "heldout10"), name: "tenth held-out set" },
  heldout11: { dir: join(here, "heldout11"), name: "eleventh held-out set" },
  heldout12: { dir: join(here, "heldout12"), name: "twelfth held-out set" },
};

export type Ingested = ArticleOutput & { raw: ReturnType<typeof ingestDocument> };

export interface LoadedSet {
  name: string;
  articlesDir: string;
  labelsFile: string;
  files: string[];
  byFile: Map<string, ArticleLabels>;
  ingest(file: string): Ingested;
}

/** The seed model, or the problems that stop it loading. */
export function seedModel(): { model?: Model; problems: string[] } {
  const modelPath = join(root, "models", "oman-2025.yaml");
  const loaded = parseModelText(readFileSync(modelPath, "utf8"), { file: relative(root, modelPath) });
  if (!loaded.model)
    return {
      problems: loaded.problems.map(
        (p) => `${p.file ?? "model"}: ${p.path}: ${p.message ?? JSON.stringify(p)}`,
      ),
    };
  return { model: loaded.model, problems: [] };
}

/** Reads set `set` and checks its labels against its articles and the model. */
export function loadSet(set: string, model: Model): { set?: LoadedSet; problems: string[] } {
  const spec = SETS[set];
  if (!spec) return { problems: [`--set: '${set}' is none of ${Object.keys(SETS).join(", ")}`] };
  const articlesDir = join(spec.dir, "articles");
  const labelsFile = join(spec.dir, "labels.json");
  const states = new Set(model.factors.flatMap((f) => f.states.map((s) => `${f.id}=${s.id}`)));
  let files: string[];
  try {
    files = readdirSync(articlesDir)
      .filter((f) => f.endsWith(".txt"))
      .sort();
  } catch {
    return { problems: [`${relative(root, articlesDir)}: no such directory`] };
  }
  const texts = new Map(files.map((f) => [f, readFileSync(join(articlesDir, f), "utf8")]));
  let labelsText: string;
  try {
    labelsText = readFileSync(labelsFile, "utf8");
  } catch {
    return { problems: [`${relative(root, labelsFile)}: cannot be read`] };
  }
  const parsed = parseLabels(labelsText, relative(root, labelsFile), {
    states,
    lines: (f) => texts.get(f)?.split(/\r\n|\r|\n/),
  });
  if (!parsed.labels) return { problems: parsed.problems };
  const byFile = new Map(parsed.labels.articles.map((a) => [a.file, a]));
  const unlabelled = files.filter((f) => !byFile.has(f));
  if (unlabelled.length)
    return { problems: unlabelled.map((f) => `${relative(root, join(articlesDir, f))}: no labels`) };
  const ingest = (file: string): Ingested => {
    const doc = readDocumentFile(join(articlesDir, file));
    const r = ingestDocument(model, ingestInput(doc));
    // The document metadata the ingestion reports, completed by the prepared document's.
    const fromResult = r.document as Record<string, unknown>;
    const metadata: ArticleOutput["metadata"] = {};
    for (const f of META_FIELDS) {
      const v = fromResult[f] ?? doc.metadata[f];
      metadata[f] = typeof v === "string" ? v : null;
    }
    return { drafts: r.drafts, gaps: r.gaps, metadata, raw: r };
  };
  return { set: { name: spec.name, articlesDir, labelsFile, files, byFile, ingest }, problems: [] };
}
