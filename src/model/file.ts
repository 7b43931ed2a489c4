// Reading a model from a file of any kind the engines accept, loading each parser only when it
// is needed:
//   - a Muscat model (YAML or JSON): load.ts (the YAML parser and the zod schema), through the
//     content-addressed cache (cache.ts) when the build has one;
//   - a ScenarioWizard project (.scw, or text that starts as one) or a labelled matrix CSV:
//     imported as import does (scw.ts), then given the same semantic checks.
// A parser never throws here: an unreadable or malformed file is a list of problems, each at
// its line.
import { extname } from "node:path";
import { defaultModelCache, type ModelCache, readCached, writeCached } from "./cache.js";
import type { LoadResult } from "./load.js";
import { readTextOrProblem } from "./read.js";

export interface ReadModelOptions {
  /** Folder of the sources' texts: locators and hashes are checked against them (no cache). */
  sourcesDir?: string;
  /** The cache to use (default: from the environment and the build; null: none). */
  cache?: ModelCache | null;
  /** asOf of a model imported from .scw or .csv, which hold no date (default: today). */
  asOf?: string;
}

export type ModelFileKind = "scw" | "csv" | "model";

export function modelFileKind(file: string, text: string): ModelFileKind {
  const ext = extname(file).toLowerCase();
  if (ext === ".scw" || text.startsWith("$ ScenarioWizard")) return "scw";
  if (ext === ".csv") return "csv";
  return "model";
}

/** Today as YYYY-MM-DD: the asOf of a model imported from a format that holds no date. */
export const today = () => new Date().toISOString().slice(0, 10);

/** Reads and validates a model file; `model` is set when there are no errors. */
export async function readModelFile(path: string, opts: ReadModelOptions = {}): Promise<LoadResult> {
  const file = path;
  const read = readTextOrProblem(path);
  if (!("text" in read)) return read;
  const { text } = read;
  const kind = modelFileKind(path, text);
  if (kind !== "model") return importedModel(kind, text, file, opts.asOf ?? today());

  const cache = opts.sourcesDir || opts.cache === null ? undefined : (opts.cache ?? defaultModelCache());
  if (cache) {
    const hit = readCached(cache, file, text);
    if (hit) return { ...hit, file };
  }
  const { loadModelText } = await import("./load-file.js");
  const r = loadModelText(text, { file, sourcesDir: opts.sourcesDir });
  if (cache && r.model) writeCached(cache, file, text, r.model, r.problems);
  return r;
}

/** A .scw or .csv text imported and checked: a model, or the problems (never a throw). */
export async function importedModel(
  kind: "scw" | "csv",
  text: string,
  file: string,
  asOf: string,
): Promise<LoadResult> {
  const { importText } = await import("./imported.js");
  return importText(kind, text, file, asOf);
}
