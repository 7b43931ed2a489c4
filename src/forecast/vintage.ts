// Vintages: forecasts as issued, saved as JSON files (one per vintage) under
// <data>/vintages, so that they can be scored later exactly as they were made, whatever
// happens to the model afterwards. A vintage holds the model's id and content hash, the
// engines' versions, the seed and runs, the date made, and every question's definition,
// probability, intervals, drivers and indicators. Scoring reads the vintage only.

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { InputError } from "../errors.js";
import type { ForecastResult, QuestionForecast } from "./forecast.js";
import type { Resolution } from "./resolutions.js";
import { type Outcome, type ScoreSummary, scoreOutcomes } from "./scoring.js";

export const VINTAGE_FORMAT = 1;

export interface Vintage extends Omit<ForecastResult, "kind"> {
  kind: "forecast.vintage";
  format: number;
  id: string;
  /** When the forecast was made (ISO 8601, UTC). */
  made: string;
  /** The model file it was made from, as given (informative). */
  file?: string;
}

export class VintageError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = "VintageError";
  }
}

/** The vintages folder of a data directory. */
export function vintagesDir(dataDir: string): string {
  return join(resolve(dataDir), "vintages");
}

/** A vintage of a forecast: id = model id, UTC time made, and a short hash of the content. */
export function makeVintage(result: ForecastResult, opts: { made?: Date; file?: string } = {}): Vintage {
  const made = (opts.made ?? new Date()).toISOString();
  const { kind: _k, ...rest } = result;
  const body = { kind: "forecast.vintage" as const, format: VINTAGE_FORMAT, made, file: opts.file, ...rest };
  const digest = createHash("sha256").update(JSON.stringify(body)).digest("hex").slice(0, 8);
  const stamp = made.replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return { ...body, id: `${result.model.id}-${stamp}-${digest}` };
}

/** Saves a vintage as <dir>/<id>.json (atomically; never overwrites). Returns the path. */
export function saveVintage(dir: string, v: Vintage): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${v.id}.json`);
  if (existsSync(path)) throw new VintageError(`vintage ${v.id} already exists (${path})`);
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(v, null, 2)}\n`);
  renameSync(tmp, path);
  return path;
}

function readVintage(path: string): Vintage {
  let v: Vintage;
  try {
    v = JSON.parse(readFileSync(path, "utf8")) as Vintage;
  } catch (e) {
    throw new VintageError(`cannot read vintage ${path}: ${(e as Error).message}`);
  }
  if (v?.kind !== "forecast.vintage" || !Array.isArray(v.questions))
    throw new VintageError(`${path} is not a forecast vintage`);
  if (v.format > VINTAGE_FORMAT)
    throw new VintageError(
      `${path} has vintage format ${v.format}; this muscat reads up to ${VINTAGE_FORMAT}`,
    );
  return v;
}

export interface VintageSummary {
  id: string;
  made: string;
  model: { id: string; hash: string };
  questions: number;
  seed: number;
  runs: number;
  path: string;
}

/** Every vintage in a folder, oldest first. */
export function listVintages(dir: string): VintageSummary[] {
  if (!existsSync(dir)) return [];
  const out: VintageSummary[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith(".json")) continue;
    const path = join(dir, f);
    const v = readVintage(path);
    out.push({
      id: v.id,
      made: v.made,
      model: { id: v.model.id, hash: v.model.hash },
      questions: v.questions.length,
      seed: v.seed,
      runs: v.runs,
      path,
    });
  }
  return out.sort((a, b) => (a.made < b.made ? -1 : a.made > b.made ? 1 : a.id < b.id ? -1 : 1));
}

/** Loads a vintage by file path, by id, by unique id prefix, or `latest`. */
export function loadVintage(dir: string, ref: string): Vintage {
  if (ref.endsWith(".json") && existsSync(ref)) return readVintage(ref);
  const all = listVintages(dir);
  if (all.length === 0)
    throw new VintageError(`no vintages in ${dir} (save one with muscat forecast --save)`);
  if (ref === "latest") return readVintage(all[all.length - 1].path);
  const exact = all.find((v) => v.id === ref);
  if (exact) return readVintage(exact.path);
  const prefix = all.filter((v) => v.id.startsWith(ref));
  if (prefix.length === 1) return readVintage(prefix[0].path);
  if (prefix.length > 1)
    throw new VintageError(
      `'${ref}' matches ${prefix.length} vintages: ${prefix.map((v) => v.id).join(", ")}`,
    );
  throw new VintageError(`no vintage '${ref}' in ${dir}; vintages: ${all.map((v) => v.id).join(", ")}`);
}

export interface ScoredQuestion {
  id: string;
  p: number;
  outcome: 0 | 1;
  date: string;
  source: string;
  brier: number;
}

export interface VintageScore {
  kind: "forecast.score";
  vintage: { id: string; made: string; model: { id: string; hash: string }; seed: number; runs: number };
  scored: ScoredQuestion[];
  /** Questions of the vintage with no resolution yet. */
  unresolved: string[];
  /** Resolutions of questions the vintage does not hold. */
  unknown: string[];
  /** Resolutions left out of the score (resolved before the forecast was made). */
  excluded: { id: string; reason: string }[];
  warnings: string[];
  summary: ScoreSummary;
}

/** Scores a vintage against resolutions (question id, outcome, date, source). */
export function scoreVintage(
  v: Vintage,
  resolutions: Resolution[],
  opts: { bins?: number; minForDecomposition?: number } = {},
): VintageScore {
  const byId = new Map<string, QuestionForecast>(v.questions.map((q) => [q.id, q]));
  const seen = new Set<string>();
  const scored: ScoredQuestion[] = [];
  const unknown: string[] = [];
  const excluded: { id: string; reason: string }[] = [];
  const warnings: string[] = [];
  const madeDay = v.made.slice(0, 10);
  for (const r of resolutions) {
    const q = byId.get(r.question);
    if (!q) {
      unknown.push(r.question);
      continue;
    }
    seen.add(r.question);
    if (r.date < madeDay) {
      excluded.push({
        id: r.question,
        reason: `resolved on ${r.date}, before the forecast was made (${madeDay})`,
      });
      continue;
    }
    if (r.outcome === 1 && r.date > q.horizon.date)
      warnings.push(
        `${r.question}: resolved yes on ${r.date}, after the question's horizon ${q.horizon.date} (check the resolution)`,
      );
    scored.push({
      id: r.question,
      p: q.p,
      outcome: r.outcome,
      date: r.date,
      source: r.source,
      brier: (q.p - r.outcome) ** 2,
    });
  }
  if (unknown.length) warnings.push(`resolutions for questions not in the vintage: ${unknown.join(", ")}`);
  const items: Outcome[] = scored.map((s) => ({ id: s.id, p: s.p, outcome: s.outcome }));
  return {
    kind: "forecast.score",
    vintage: {
      id: v.id,
      made: v.made,
      model: { id: v.model.id, hash: v.model.hash },
      seed: v.seed,
      runs: v.runs,
    },
    scored,
    unresolved: v.questions.filter((q) => !seen.has(q.id)).map((q) => q.id),
    unknown,
    excluded,
    warnings,
    summary: scoreOutcomes(items, opts),
  };
}
