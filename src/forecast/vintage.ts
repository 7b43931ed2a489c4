// Vintages: forecasts as issued, kept so that they can be scored later exactly as they were
// made, whatever happens to the model afterwards. A vintage holds the model's id and content
// hash, the engines' versions, the seed and runs, its as-of date, the time it was made, and
// every question's definition, probability, intervals, drivers and indicators. Scoring reads
// the vintage only.
//
// Two dates (format 2):
// - `asOf`, the information date: the forecast speaks for what was known on that date. By
//   default the model's own asOf; a hindcast is a vintage issued as of a past date. It is never
//   before the model's asOf (the model holds knowledge as of its own date, so it cannot speak
//   for an earlier one); a later one is allowed. What is dated before `asOf` was known then: a
//   forecast conditioned on observations (the model's record of what happened) may use those
//   dated before it, never one dated on or after it (makeVintage refuses that). Scoring counts
//   a resolution dated before `asOf` as known when the vintage was issued, and leaves it out.
// - `made`, the wall-clock time the vintage was made, kept for the record (and in its id).
// A format-1 vintage (made before vintages carried an as-of date) has no `asOf`: its model's
// asOf stands for it, and the score says so (vintageAsOf).
//
// This module makes, checks and scores vintages; it keeps none. Their one home is the store
// (src/store/forecasts.ts), which the CLI and the server share. A vintage moves between stores
// as a JSON file (vintageJson / parseVintage): the object exactly as issued, whose id ends with
// a hash of its content, so an edited file is refused rather than scored.

import { createHash } from "node:crypto";
import { InputError } from "../errors.js";
import { addSteps, isCalendarDate } from "../model/step.js";
import type { ForecastResult, QuestionForecast } from "./forecast.js";
import type { Resolution } from "./resolutions.js";
import { type Outcome, type ScoreSummary, scoreOutcomes } from "./scoring.js";
import { type QuestionWindow, questionWindow } from "./window.js";

/** 2: vintages carry `asOf`, their information date (format 1 had none). */
export const VINTAGE_FORMAT = 2;

/** Vintage ids as makeVintage writes them: model id, UTC stamp, 8 hex digits of the content hash. */
export const VINTAGE_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}-\d{8}T\d{6}Z-[0-9a-f]{8}$/;

/** A question's forecast as a vintage keeps it: with its window's start when it has one. */
export interface VintageQuestion extends QuestionForecast {
  /**
   * The window's start (YYYY-MM-DD, after the model's asOf) when the question gives one: taken
   * from the model when the vintage is made (makeVintage's `model`). Absent: the model's asOf.
   */
  from?: string;
}

export interface Vintage extends Omit<ForecastResult, "kind" | "questions"> {
  kind: "forecast.vintage";
  questions: VintageQuestion[];
  format: number;
  id: string;
  /** When the vintage was made, by the wall clock (ISO 8601, UTC): for the record. */
  made: string;
  /**
   * The information date (YYYY-MM-DD) the vintage is issued as of: resolutions dated before it
   * count as known. Absent from format-1 vintages: their model's asOf stands for it (vintageAsOf).
   */
  asOf?: string;
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

/**
 * What is wrong with `asOf` as the as-of date of a forecast from a model dated `modelAsOf`
 * (undefined when nothing is): not a real date YYYY-MM-DD ("bad-date"), before the model's date
 * ("before-model"), or, given the observations the forecast was conditioned on, one of them
 * dated on or after it ("observed-after"): the forecast would use what was not yet known as of
 * its date (a resolution on the as-of date itself is scored, so an observation of that day is
 * not known either).
 */
export function asOfProblem(
  asOf: string,
  modelAsOf: string,
  observed: readonly { state: string; date: string }[] = [],
): { code: "bad-date" | "before-model" | "observed-after"; message: string } | undefined {
  if (!isCalendarDate(asOf))
    return { code: "bad-date", message: `the as-of date must be a real date YYYY-MM-DD; got '${asOf}'` };
  if (asOf < modelAsOf)
    return {
      code: "before-model",
      message: `the as-of date ${asOf} is before the model's date (asOf ${modelAsOf}): the model holds knowledge as of its own date, so it cannot issue a forecast as of an earlier one (use a version of the model dated ${asOf} or earlier)`,
    };
  const late = observed.filter((o) => o.date >= asOf);
  if (late.length) {
    const last = late.reduce((a, b) => (b.date > a.date ? b : a));
    return {
      code: "observed-after",
      message: `the forecast is conditioned on ${late.length === 1 ? "an observation" : `${late.length} observations`} dated on or after the as-of date ${asOf} (${late.map((o) => `${o.state} on ${o.date}`).join(", ")}), not yet known as of that date: issue it as of ${dayAfter(last.date)} or later, or forecast with only the observations dated before ${asOf} (observed until ${dayBefore(asOf)})`,
    };
  }
  return undefined;
}

const ONE_DAY = { years: 0, months: 0, weeks: 0, days: 1 };
/** The day after a date YYYY-MM-DD. */
export function dayAfter(date: string): string {
  return addSteps(date, ONE_DAY, 1);
}
/** The day before a date YYYY-MM-DD. */
export function dayBefore(date: string): string {
  return addSteps(date, ONE_DAY, -1);
}

/**
 * A vintage of a forecast: id = model id, UTC time made, and a short hash of the content.
 * `asOf` (default: the model's asOf) is the information date; one that is not a date, is before
 * the model's asOf, or is not after every observation the forecast was conditioned on, throws a
 * VintageError (code "invalid-as-of"; asOfProblem says which).
 */
export function makeVintage(
  result: ForecastResult,
  opts: { made?: Date; file?: string; asOf?: string; model?: { questions?: readonly { id: string }[] } } = {},
): Vintage {
  const made = (opts.made ?? new Date()).toISOString();
  const asOf = opts.asOf ?? result.model.asOf;
  const bad = asOfProblem(asOf, result.model.asOf, result.observations?.used);
  if (bad)
    throw new VintageError(bad.message, [{ path: "asOf", message: bad.message }], { code: "invalid-as-of" });
  const { kind: _k, ...issued } = result;
  const rest = opts.model ? { ...issued, questions: withWindowStarts(issued.questions, opts.model) } : issued;
  const body = {
    kind: "forecast.vintage" as const,
    format: VINTAGE_FORMAT,
    made,
    asOf,
    file: opts.file,
    ...rest,
  };
  return { ...body, id: `${result.model.id}-${stampOf(made)}-${digestOf(body)}` };
}

/**
 * The questions' forecasts, each with its window start (`from`) as the model gives it when the
 * forecast does not carry it, so that the vintage alone says each question's window.
 */
function withWindowStarts(
  questions: QuestionForecast[],
  model: { questions?: readonly { id: string }[] },
): VintageQuestion[] {
  const from = new Map<string, string>();
  for (const q of model.questions ?? []) {
    const f = (q as { from?: unknown }).from;
    if (typeof f === "string") from.set(q.id, f);
  }
  return questions.map((q) => {
    const f = from.get(q.id);
    return f === undefined || "from" in q ? q : { ...q, from: f };
  });
}

/** Where a vintage's as-of date comes from: the vintage itself, or (format 1) its model's asOf. */
export interface VintageAsOf {
  date: string;
  from: "vintage" | "model";
  /** In words: which date, and what it decides. */
  note: string;
}

/** The as-of date a vintage is scored from (see the top of this file). */
export function vintageAsOf(v: Pick<Vintage, "asOf" | "made" | "model">): VintageAsOf {
  if (v.asOf !== undefined)
    return {
      date: v.asOf,
      from: "vintage",
      note: `as of ${v.asOf}, the vintage's as-of date${v.asOf === v.model.asOf ? " (its model's asOf)" : ` (its model's asOf is ${v.model.asOf})`}: resolutions dated before ${v.asOf} were known when it was issued and are not scored`,
    };
  return {
    date: v.model.asOf,
    from: "model",
    note: `as of ${v.model.asOf}, its model's asOf: the vintage was made (${v.made.slice(0, 10)}) before vintages carried an as-of date, so its model's date, which the forecast's knowledge comes from, stands for it; resolutions dated before ${v.model.asOf} are not scored`,
  };
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
  field(
    q,
    "from",
    path,
    problem,
    (x) => isString(x) && isCalendarDate(x as string),
    "the window's start, a date YYYY-MM-DD",
    true,
  );
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
  if (typeof x.format === "number" && x.format >= 2)
    field(
      x,
      "asOf",
      "",
      problem,
      (v) => isString(v) && isCalendarDate(v as string),
      "the as-of date YYYY-MM-DD",
    );
  else if (x.asOf !== undefined)
    problem("asOf", `a format-1 vintage has no as-of date (format 2 added it), got ${show(x.asOf)}`);
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
  if (
    problems.length === 0 &&
    typeof x.asOf === "string" &&
    isObject(x.model) &&
    typeof x.model.asOf === "string" &&
    x.asOf < x.model.asOf
  )
    problem("asOf", `the as-of date ${x.asOf} is before the model's asOf ${x.model.asOf}`);
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
  /** The question's true window (window.ts): the resolution date is compared with it. */
  window: QuestionWindow;
}

/**
 * Why a resolution is left out of the score: `known`, dated before the vintage's as-of date
 * (known when it was issued); `before-window`, a "yes" dated before the question's window opens
 * (it happened before the window, which does not answer whether it happens within it).
 */
export type ExclusionCode = "known" | "before-window";

export interface VintageScore {
  kind: "forecast.score";
  vintage: {
    id: string;
    made: string;
    /** The as-of date the score used (asOf.date). */
    asOf: string;
    model: { id: string; hash: string; asOf: string };
    seed: number;
    runs: number;
  };
  /** The as-of date the score used and where it comes from (vintageAsOf). */
  asOf: VintageAsOf;
  scored: ScoredQuestion[];
  /** Questions of the vintage with no resolution yet. */
  unresolved: string[];
  /** Resolutions of questions the vintage does not hold. */
  unknown: string[];
  /** Resolutions left out of the score, each with why (code) in words (reason). */
  excluded: { id: string; code: ExclusionCode; reason: string; date: string; window: QuestionWindow }[];
  warnings: string[];
  summary: ScoreSummary;
}

/**
 * Scores a vintage against resolutions (question id, outcome, date, source). Dates are whole
 * days, compared as such:
 * - a resolution dated before the vintage's as-of date is known: excluded. One dated on the
 *   as-of date itself is scored (the forecast speaks from that day on);
 * - a "yes" dated before the question's window opens (a window start later than the model's
 *   date) is excluded: it does not count as yes within the window;
 * - the window's end is inclusive: a "yes" on the end date is inside it; a "yes" dated after it
 *   is scored as recorded, with a warning (the date is when the outcome became known, which can
 *   lag the event: the analyst checks it).
 */
export function scoreVintage(
  v: Vintage,
  resolutions: Resolution[],
  opts: { bins?: number; minForDecomposition?: number } = {},
): VintageScore {
  const byId = new Map<string, VintageQuestion>(v.questions.map((q) => [q.id, q]));
  const asOf = vintageAsOf(v);
  const seen = new Set<string>();
  const scored: ScoredQuestion[] = [];
  const unknown: string[] = [];
  const excluded: VintageScore["excluded"] = [];
  const warnings: string[] = [];
  for (const r of resolutions) {
    const q = byId.get(r.question);
    if (!q) {
      unknown.push(r.question);
      continue;
    }
    seen.add(r.question);
    const window = questionWindow(v.model, q);
    const said = r.outcome === 1 ? "yes" : "no";
    if (r.date < asOf.date) {
      excluded.push({
        id: r.question,
        code: "known",
        reason: `resolved ${said} on ${r.date}, before the vintage's as-of date ${asOf.date}: known when it was issued`,
        date: r.date,
        window,
      });
      continue;
    }
    if (r.date < window.from) {
      if (r.outcome === 1) {
        excluded.push({
          id: r.question,
          code: "before-window",
          reason: `resolved yes on ${r.date}, before the question's window opens on ${window.from} (window ${window.from} to ${window.to}): a yes before the window does not count as yes within it; record the outcome within the window`,
          date: r.date,
          window,
        });
        continue;
      }
      warnings.push(
        `${r.question}: resolved no on ${r.date}, before the question's window opens on ${window.from} (check the resolution; scored as no)`,
      );
    }
    if (r.outcome === 1 && r.date > window.to)
      warnings.push(
        `${r.question}: resolved yes on ${r.date}, after the end of the question's window ${window.to} (check the resolution; scored as yes)`,
      );
    scored.push({
      id: r.question,
      p: q.p,
      outcome: r.outcome,
      date: r.date,
      source: r.source,
      brier: (q.p - r.outcome) ** 2,
      window,
    });
  }
  if (unknown.length) warnings.push(`resolutions for questions not in the vintage: ${unknown.join(", ")}`);
  const items: Outcome[] = scored.map((s) => ({ id: s.id, p: s.p, outcome: s.outcome }));
  return {
    kind: "forecast.score",
    vintage: {
      id: v.id,
      made: v.made,
      asOf: asOf.date,
      model: { id: v.model.id, hash: v.model.hash, asOf: v.model.asOf },
      seed: v.seed,
      runs: v.runs,
    },
    asOf,
    scored,
    unresolved: v.questions.filter((q) => !seen.has(q.id)).map((q) => q.id),
    unknown,
    excluded,
    warnings,
    summary: scoreOutcomes(items, opts),
  };
}
