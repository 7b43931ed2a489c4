// Loading a model from a file on disk (Node only): the model's text, and with `sourcesDir` the
// texts of its sources, so that every locator is checked against them. Parsing itself is
// load.ts, which the browser uses too.
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { type LoadResult, ModelError, parseModelText } from "./load.js";
import { readTextOrProblem } from "./read.js";
import type { Model } from "./types.js";

/** Reads source texts for a model from a folder (by each source's `file`), if present. */
export function readSourceTexts(model: Pick<Model, "sources">, dir: string): Map<string, string> {
  const texts = new Map<string, string>();
  for (const s of model.sources) {
    if (!s.file) continue;
    const p = join(dir, basename(s.file));
    if (existsSync(p) && statSync(p).isFile()) texts.set(s.id, readFileSync(p, "utf8"));
  }
  return texts;
}

/**
 * Loads a model file. With `sourcesDir`, the sources' texts are read from that folder and
 * every locator is checked against them.
 */
export function loadModelFile(path: string, opts: { sourcesDir?: string } = {}): LoadResult {
  const read = readTextOrProblem(path);
  return "text" in read ? loadModelText(read.text, { file: path, sourcesDir: opts.sourcesDir }) : read;
}

/** Parses model text read from `file`; with `sourcesDir`, checks evidence against the sources. */
export function loadModelText(text: string, opts: { file: string; sourcesDir?: string }): LoadResult {
  const { file } = opts;
  let sourceTexts: Map<string, string> | undefined;
  if (opts.sourcesDir) {
    // A first parse tells which files to read; a cheap pass, the real one follows.
    const first = parseModelText(text, { file });
    if (first.model) sourceTexts = readSourceTexts(first.model, resolve(opts.sourcesDir));
    else return first;
  }
  return parseModelText(text, { file, sourceTexts });
}

/** Loads a model and throws a ModelError listing every error if it is invalid. */
export function loadModelOrThrow(
  path: string,
  opts: { sourcesDir?: string } = {},
): LoadResult & { model: Model } {
  const r = loadModelFile(path, opts);
  if (!r.model) throw new ModelError(r.problems, path);
  return r as LoadResult & { model: Model };
}
