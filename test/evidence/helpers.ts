import { readFileSync } from "node:fs";
import { join } from "node:path";
import { prepareDocument } from "../../src/evidence/document.js";
import { type IngestDocument, ingestDocument } from "../../src/evidence/ingest.js";
import type { Model } from "../../src/model/types.js";
import { repoRoot, seedsDir } from "../helpers/paths.js";

export const SEED0 = "000_6cfeaa24f288d15b.txt";
export const SEED1 = "001_145ff31df8d6d8be.txt";
export const htmlDir = join(repoRoot, "test", "fixtures", "html");
export const conditionalsDir = join(repoRoot, "test", "fixtures", "conditionals");

export function seedDoc(name: string) {
  return prepareDocument(readFileSync(join(seedsDir, name)), name);
}

export function asIngest(d: ReturnType<typeof prepareDocument>): IngestDocument {
  return { ...d, blocks: d.clean.blocks, language: d.clean.language };
}

/** Ingests made-up lines (an English text document, one paragraph a line) against `model`. */
export function ingestLines(model: Model, lines: string[]) {
  const doc: IngestDocument = {
    id: "0".repeat(64),
    fileName: "made-up.txt",
    kind: "text",
    metadata: {},
    lines,
    blocks: lines.map((_, i) => ({
      line: i + 1,
      role: "paragraph",
      kept: true,
      script: "Latin",
      language: "eng",
    })) as unknown as IngestDocument["blocks"],
    language: "eng",
  };
  return ingestDocument(model, doc);
}

export { runCli } from "../helpers/cli.js";
