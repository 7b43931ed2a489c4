// Vintages: forecasts as issued, kept so that they can be scored later exactly as they were
// made, whatever happens to the model afterwards. A vintage holds the model's id and content
// hash, the engines' versions, the seed and runs, the date made, and every question's
// definition, probability, intervals, drivers and indicators. Scoring reads the vintage only.
//
// This module makes, checks and scores vintages; it keeps none. Their one home is the store
// (src/store/forecasts.ts), which the CLI and the server share. A vintage moves between stores
// as a JSON file (vintageJson / parseVintage): the object exactly as issued, whose id ends with
// a hash of its content, so an edited file is refused rather than scored.

import { createHash } from "node:crypto";
import { InputError } from "../errors.js";
import type { ForecastResult, QuestionForecast } from "./forecast.js";
import type { Resolution } from "./resolutions.js";
import { type Outcome, type ScoreSummary, scoreOutcomes } from "./scoring.js";

export const VINTAGE_FORMAT = 1;

/** Vintage ids as makeVintage writes them: model id, UTC stamp, 8 hex digits of the content hash. */
export const VINTAGE_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}-\d{8}T\d{6}Z-[0-9a-f]{8}$/;

export interface Vintage extends Omit<ForecastResult, "kind"> {
  kind: "forecast.vintage";
  format: number;
  id: string;
  /** When the forecast was made (ISO 8601, UTC). */
  made: string;
  /** The model file it was made from, as given (informative). */
  file?: string;
}

/** Something wrong in a vintage, where (a JSON path such as questions.3.p). */
export interface VintageProblem {
  path: string;
  message: string;
}

export class VintageError extends InputError {
  readonly problems: VintageProblem[];
  constructor(message: string, problems: VintageProblem[] = [], opts: { code?: string } = {}) {
    super(message, opts);
    this.name = "VintageError";
    this.problems = problems;
  }
}

const stampOf = (made: string) => made.replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
const digestOf = (body: unknown) =>
  createHash("sha256").update(JSON.stringify(body)).digest("hex").slice(0, 8);

/** The engine version a vintage's forecast was made with, as runs record it (forecast/x.y.z). */
export function vintageEngineVersion(v: Pick<Vintage, "engine">): string {
  return `forecast/${v.engine.version}`;
}

/** A vintage of a forecast: id = model id, UTC time made, and a short hash of the content. */
export function makeVintage(result: ForecastResult, opts: { made?: Date; file?: string } = {}): Vintage {
  const made = (opts.made ?? new Date()).toISOString();
  const { kind: _k, ...rest } = result;
  const body = { kind: "forecast.vintage" as const, format: VINTAGE_FORMAT, made, file: opts.file, ...rest };
  return { ...body, id: `${result.model.id}-${stampOf(made)}-${digestOf(body)}` };
}

/** A vintage as a file: its JSON exactly as issued, indented, with a final newline. */
export function vintageJson(v: Vintage): string {
  return `${JSON.stringify(v, null, 2)}\n`;
}

// ---- checking a vintage read from a file or a request ---------------------------------------

type Check = (path: string, message: string) => void;
const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && !Array.isArray(x);
const show = (x: unknown) => {
  const s = JSON.stringify(x);
  return s === undefined ? String(x) : s.length > 40 ? `${s.slice(0, 37)}...` : s;
};
const got = (x: unknown) => (x === undefined ? "missing" : `got ${show(x)}`);
const ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

function field(
  o: Record<string, unknown>,
  key: string,
  path: string,
  problem: Check,
  test: (x: unknown) => boolean,
  expected: string,
  optional = false,
): void {
  const x = o[key];
  const at = path ? `${path}.${key}` : key;
  if (x === undefined) {
    if (!optional) problem(at, `missing (expected ${expected})`);
  } else if (!test(x)) problem(at, `expected ${expected}, got ${show(x)}`);
}

const isString = (x: unknown) => typeof x === "string";
const isNonEmpty = (x: unknown) => typeof x === "string" && x.length > 0;
const isInt = (min: number) => (x: unknown) => Number.isInteger(x) && (x as number) >= min;
const isProb = (x: unknown) => typeof x === "number" && x >= 0 && x <= 1;
const isIntOrNull = (x: unknown) => x === null || isInt(1)(x);

function checkInterval(o: unknown, path: string, problem: Check): void {
  if (!isObject(o)) {
    problem(path, `expected an object { lo, hi }, ${got(o)}`);
    return;
  }
  field(o, "lo", path, problem, isProb, "a probability in [0, 1]");
  field(o, "hi", path, problem, isProb, "a probability in [0, 1]");
}

function checkQuestion(q: unknown, path: string, problem: Check): void {
  if (!isObject(q)) {
    problem(path, `expected a question's forecast (an object), got ${show(q)}`);
    return;
  }
  field(q, "id", path, problem, (x) => typeof x === "string" && ID.test(x), "a question id");
  field(q, "text", path, problem, isString, "the question's text");
  field(q, "condition", path, problem, isString, "the question's condition");
  field(q, "mode", path, problem, (x) => x === "by" || x === "at", '"by" or "at"');
  field(q, "p", path, problem, isProb, "a probability in [0, 1]");
  field(
    q,
    "given",
    path,
    problem,
    (x) => Array.isArray(x) && x.every(isString),
    "a list of factor=state strings",
  );
  if (!isObject(q.horizon)) problem(`${path}.horizon`, `expected { given, steps, date }, ${got(q.horizon)}`);
  else {
    field(q.horizon, "steps", `${path}.horizon`, problem, isInt(0), "a whole number of steps");
    field(
      q.horizon,
      "date",
      `${path}.horizon`,
      problem,
      (x) => isString(x) && DAY.test(x as string),
      "a date YYYY-MM-DD",
    );
  }
  checkInterval(q.interval, `${path}.interval`, problem);
  checkInterval(q.mc, `${path}.mc`, problem);
}

const MAX_PROBLEMS = 20;

/**
 * Checks that `x` is a vintage as makeVintage writes it: every field the scores and the store
 * read, of the right type, and an id that matches the content (model id, time made and content
 * hash). Throws a VintageError naming `source` and every problem with its path.
 */
export function checkVintage(x: unknown, source: string): Vintage {
  const problems: VintageProblem[] = [];
  const problem: Check = (path, message) => {
    problems.push({ path, message });
  };
  const fail = () => {
    const shown = problems.slice(0, MAX_PROBLEMS);
    const more = problems.length - shown.length;
    return new VintageError(
      `${source} is not a valid vintage: ${shown.map((p) => `${p.path}: ${p.message}`).join("; ")}${more > 0 ? `; and ${more} more` : ""}`,
      problems,
      { code: "invalid-vintage" },
    );
  };
  if (!isObject(x)) {
    problem("(file)", `expected a vintage (a JSON object), got ${show(x)}`);
    throw fail();
  }
  if (x.kind !== "forecast.vintage") {
    problem("kind", `expected "forecast.vintage", got ${show(x.kind)}`);
    throw fail();
  }
  if (typeof x.format === "number" && x.format > VINTAGE_FORMAT)
    throw new VintageError(
      `${source} has vintage format ${x.format}; this muscat reads up to ${VINTAGE_FORMAT}`,
      [{ path: "format", message: `format ${x.format} is newer than ${VINTAGE_FORMAT}` }],
      { code: "vintage-format" },
    );
  field(x, "format", "", problem, isInt(1), `a format number (1 to ${VINTAGE_FORMAT})`);
  field(
    x,
    "id",
    "",
    problem,
    (v) => isString(v) && VINTAGE_ID_PATTERN.test(v as string),
    "a vintage id <model>-YYYYMMDDTHHMMSSZ-<8 hex>",
  );
  field(
    x,
    "made",
    "",
    problem,
    (v) => isString(v) && INSTANT.test(v as string) && !Number.isNaN(Date.parse(v as string)),
    "a UTC time YYYY-MM-DDTHH:MM:SS.sssZ",
  );
  field(x, "file", "", problem, isString, "the model file's name", true);
  if (!isObject(x.engine)) problem("engine", `expected { name, version, prob }, ${got(x.engine)}`);
  else
    for (const k of ["name", "version", "prob"])
      field(x.engine, k, "engine", problem, isNonEmpty, "a non-empty string");
  if (!isObject(x.model)) problem("model", `expected { id, title, hash, asOf, step }, ${got(x.model)}`);
  else {
    field(x.model, "id", "model", problem, (v) => isString(v) && ID.test(v as string), "a model id");
    field(x.model, "hash", "model", problem, isNonEmpty, "the model's content hash");
    for (const k of ["title", "asOf", "step"]) field(x.model, k, "model", problem, isString, "a string");
  }
  field(x, "seed", "", problem, isInt(0), "a whole number ≥ 0");
  field(x, "runs", "", problem, isInt(1), "a whole number ≥ 1");
  field(x, "runsPerMatrix", "", problem, isInt(1), "a whole number ≥ 1");
  field(x, "uncertainty", "", problem, (v) => typeof v === "boolean", "true or false");
  field(x, "driverRuns", "", problem, isIntOrNull, "a whole number ≥ 1 or null");
  field(x, "indicatorRuns", "", problem, isIntOrNull, "a whole number ≥ 1 or null");
  field(x, "interval", "", problem, isString, "a string");
  field(x, "start", "", problem, isObject, "{ states, inferred }");
  if (!Array.isArray(x.questions) || x.questions.length === 0)
    problem("questions", `expected a non-empty list of question forecasts, ${got(x.questions)}`);
  else {
    const seen = new Set<unknown>();
    x.questions.forEach((q, i) => {
      checkQuestion(q, `questions.${i}`, problem);
      if (isObject(q) && typeof q.id === "string") {
        if (seen.has(q.id)) problem(`questions.${i}.id`, `question '${q.id}' appears twice`);
        seen.add(q.id);
      }
    });
  }
  if (problems.length) throw fail();
  // The id names the content: model id, time made, hash of everything else.
  const v = x as unknown as Vintage;
  const { id, ...body } = v;
  const expected = `${v.model.id}-${stampOf(v.made)}-${digestOf(body)}`;
  if (id !== expected) {
    problem(
      "id",
      id.startsWith(`${v.model.id}-${stampOf(v.made)}-`)
        ? `the content does not match the id (its hash is ${expected.slice(-8)}, the id says ${id.slice(-8)}): the vintage was changed after it was made`
        : `expected ${expected} (model id, time made and content hash), got ${id}`,
    );
    throw fail();
  }
  return v;
}

/** Parses and checks a vintage file's text (see checkVintage); JSON errors name line and column. */
export function parseVintage(text: string, source: string): Vintage {
  let x: unknown;
  try {
    x = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const at = /at position (\d+)/.exec(msg);
    let where = "";
    if (at && !/\(line \d+/.test(msg)) {
      const before = text.slice(0, Number(at[1]));
      const line = before.split("\n").length;
      where = ` (line ${line}, column ${Number(at[1]) - before.lastIndexOf("\n")})`;
    }
    throw new VintageError(
      `${source} is not JSON${where}: ${msg}`,
      [{ path: "(file)", message: `not JSON${where}` }],
      { code: "invalid-vintage" },
    );
  }
  return checkVintage(x, source);
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
