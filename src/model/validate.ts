// Semantic checks of a model that passed the schema: duplicate ids, references that do not
// resolve (with a "did you mean"), values out of range, duplicate judgment cells, evidence
// locators against the sources' declared lengths and, when available, their texts.
//
// One rule function per section of the model; validateModel runs them in a fixed order (ids,
// factors, source texts, impacts, unreached factors, dynamics, stakes, issues, questions), so
// the problems always come out in that order.
import { createHash } from "node:crypto";
import { formatEvidence, formatStateRef, type PathSegment, suggestion } from "./paths.js";
import {
  addSteps,
  DEFAULT_STEP,
  isCalendarDate,
  modelStep,
  monthsBetween,
  parseDuration,
  resolveHorizon,
} from "./step.js";
import {
  type BargainingIssue,
  type BlockImpact,
  type CellImpact,
  DEFAULT_BETA,
  DEFAULT_RATE,
  type Evidence,
  type Factor,
  type Model,
  type ObservedState,
  type Question,
  type QuestionCondition,
  type Severity,
  type Source,
  type StateRef,
} from "./types.js";

/** Questions whose horizon lies further out than this after asOf get a warning. */
export const QUESTION_HORIZON_MONTHS = 18;

export interface SemanticProblem {
  severity: Severity;
  code: string;
  path: PathSegment[];
  message: string;
}

export interface ValidateOptions {
  /** Source texts by source id; enables locator checks against the real text. */
  sourceTexts?: Map<string, string>;
}

/** Splits a text into lines as a reader numbers them (a final newline ends the last line). */
export function textLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Records one problem (an error or a warning). */
type Report = (code: string, path: PathSegment[], message: string) => void;

/** What the section rules share: the model, the two ways to report, and the id indexes. */
interface Checker {
  model: Model;
  err: Report;
  warn: Report;
  /** Index of the first source / actor / factor with each id. */
  sources: Map<string, number>;
  actors: Map<string, number>;
  factors: Map<string, number>;
  /** The factor / source with each id (the last one when an id repeats). */
  factorById: Map<string, Factor>;
  sourceById: Map<string, Source>;
  /** Lines of the sources whose texts were given (ValidateOptions.sourceTexts), by source id. */
  linesOf: Map<string, string[]>;
}

export function validateModel(model: Model, opts: ValidateOptions = {}): SemanticProblem[] {
  const out: SemanticProblem[] = [];
  const err: Report = (code, path, message) => out.push({ severity: "error", code, path, message });
  const warn: Report = (code, path, message) => out.push({ severity: "warning", code, path, message });
  const cx: Checker = {
    model,
    err,
    warn,
    sources: indexIds(model.sources, ["sources"], "source", err),
    actors: indexIds(model.actors, ["actors"], "actor", err),
    factors: indexIds(model.factors, ["factors"], "factor", err),
    factorById: new Map(model.factors.map((f) => [f.id, f])),
    sourceById: new Map(model.sources.map((s) => [s.id, s])),
    linesOf: new Map(),
  };
  indexIds(model.issues, ["issues"], "issue", err);
  checkFactors(cx);
  checkSourceTexts(cx, opts.sourceTexts);
  checkImpacts(cx);
  checkUnreachedFactors(cx);
  checkDynamics(cx);
  checkStakes(cx);
  checkIssues(cx);
  checkQuestions(cx);
  checkNamedScenarios(cx);
  checkObservations(cx);
  return out;
}

/** Index of the first item with each id; every later repeat is a duplicate-id error. */
function indexIds(
  list: { id: string }[],
  where: PathSegment[],
  what: string,
  err: Report,
): Map<string, number> {
  const seen = new Map<string, number>();
  list.forEach((x, i) => {
    const prev = seen.get(x.id);
    if (prev !== undefined)
      err("duplicate-id", [...where, i, "id"], `duplicate ${what} id '${x.id}' (first at ${what}s[${prev}])`);
    else seen.set(x.id, i);
  });
  return seen;
}

/** A state reference names a factor of the model and one of its states (false: reported). */
function checkStateRef(cx: Checker, ref: StateRef, path: PathSegment[]): boolean {
  const f = cx.factorById.get(ref.factor);
  if (!f) {
    cx.err(
      "unknown-reference",
      path,
      `no factor '${ref.factor}'${suggestion(ref.factor, cx.factors.keys())}`,
    );
    return false;
  }
  if (!f.states.some((s) => s.id === ref.state)) {
    cx.err(
      "unknown-reference",
      path,
      `factor '${f.id}' has no state '${ref.state}'${suggestion(
        ref.state,
        f.states.map((s) => s.id),
      )}; its states are ${f.states.map((s) => s.id).join(", ")}`,
    );
    return false;
  }
  return true;
}

/**
 * Evidence locators: a known source, a range that does not end before it starts nor beyond the
 * source's length (its text's, else its declared `lines`), and (a warning) not only blank lines.
 */
function checkEvidence(cx: Checker, list: Evidence[], path: PathSegment[]): void {
  list.forEach((e, k) => {
    const p = [...path, k];
    const src = cx.sourceById.get(e.source);
    if (!src) {
      cx.err("unknown-reference", p, `no source '${e.source}'${suggestion(e.source, cx.sources.keys())}`);
      return;
    }
    if (e.to < e.from) {
      cx.err("bad-locator", p, `locator ${formatEvidence(e)} ends before it starts`);
      return;
    }
    const lines = cx.linesOf.get(e.source);
    const length = lines?.length ?? src.lines ?? undefined;
    if (length !== undefined && e.to > length) {
      cx.err(
        "locator-out-of-range",
        p,
        `locator ${formatEvidence(e)} is beyond the end of '${e.source}' (${length} lines)`,
      );
      return;
    }
    if (lines) {
      const blank: number[] = [];
      for (let l = e.from; l <= e.to; l++) if (lines[l - 1].trim() === "") blank.push(l);
      if (blank.length === e.to - e.from + 1)
        cx.warn("blank-locator", p, `locator ${formatEvidence(e)} points only at blank lines`);
    }
  });
}

/** Factors: unique state ids, at least two states, known owners, a current state of their own. */
function checkFactors(cx: Checker): void {
  cx.model.factors.forEach((f, i) => {
    const states = new Map<string, number>();
    f.states.forEach((s, k) => {
      if (states.has(s.id))
        cx.err(
          "duplicate-id",
          ["factors", i, "states", k, "id"],
          `duplicate state id '${s.id}' in factor '${f.id}'`,
        );
      else states.set(s.id, k);
    });
    if (f.states.length < 2)
      cx.err(
        "too-few-states",
        ["factors", i, "states"],
        `factor '${f.id}' has ${f.states.length} state${f.states.length === 1 ? "" : "s"}; a factor needs at least two`,
      );
    f.owners.forEach((o, k) => {
      if (!cx.actors.has(o))
        cx.err(
          "unknown-reference",
          ["factors", i, "owners", k],
          `no actor '${o}'${suggestion(o, cx.actors.keys())}`,
        );
    });
    if (f.current !== undefined && !states.has(f.current))
      cx.err(
        "unknown-reference",
        ["factors", i, "current"],
        `factor '${f.id}' has no state '${f.current}'${suggestion(f.current, states.keys())}`,
      );
  });
}

/**
 * Source texts given in the options: each must match its source's declared sha256 and line
 * count. Keeps their lines in cx.linesOf for the evidence checks that follow.
 */
function checkSourceTexts(cx: Checker, texts: Map<string, string> | undefined): void {
  if (!texts) return;
  for (const [id, text] of texts) {
    const src = cx.sourceById.get(id);
    const lines = textLines(text);
    cx.linesOf.set(id, lines);
    const idx = cx.sources.get(id)!;
    if (src?.sha256) {
      const got = createHash("sha256").update(text).digest("hex");
      if (got !== src.sha256)
        cx.err(
          "source-changed",
          ["sources", idx, "sha256"],
          `the text of source '${id}' has sha256 ${got.slice(0, 12)}…, not the declared ${src.sha256.slice(0, 12)}…: the article changed, check its locators`,
        );
    }
    if (src?.lines && src.lines !== lines.length)
      cx.err(
        "source-changed",
        ["sources", idx, "lines"],
        `source '${id}' declares ${src.lines} lines but its text has ${lines.length}`,
      );
  }
}

/**
 * Impacts (cells and blocks), their evidence, and (a warning) how many carry none when the
 * model has sources. `cells` maps author|from|to to the first impact judging that cell.
 */
function checkImpacts(cx: Checker): void {
  const { model } = cx;
  const cells = new Map<string, number>();
  let impactsWithoutEvidence = 0;
  model.impacts.forEach((imp, i) => {
    const base: PathSegment[] = ["impacts", i];
    if (imp.kind === "cell") checkCellImpact(cx, imp, i, cells);
    else checkBlockImpact(cx, imp, i, cells);
    checkEvidence(cx, imp.evidence, [...base, "evidence"]);
    if (imp.evidence.length === 0) impactsWithoutEvidence++;
  });
  if (impactsWithoutEvidence > 0 && model.sources.length > 0)
    cx.warn(
      "no-evidence",
      ["impacts"],
      `${impactsWithoutEvidence} of ${model.impacts.length} impacts carry no evidence`,
    );
}

/** One judged cell: known states, strength on the scale, same-factor (a warning), judged once. */
function checkCellImpact(cx: Checker, imp: CellImpact, i: number, cells: Map<string, number>): void {
  const { min, max } = cx.model.scale;
  const base: PathSegment[] = ["impacts", i];
  const author = imp.author ?? "";
  const okFrom = checkStateRef(cx, imp.from, [...base, "from"]);
  const okTo = checkStateRef(cx, imp.to, [...base, "to"]);
  if (imp.strength < min || imp.strength > max)
    cx.err(
      "out-of-range",
      [...base, "strength"],
      `strength ${imp.strength} is outside the scale ${min}..${max}`,
    );
  if (!(okFrom && okTo)) return;
  if (imp.from.factor === imp.to.factor)
    cx.warn(
      "self-impact",
      base,
      `same-factor impact ${formatStateRef(imp.from)} → ${formatStateRef(imp.to)}: kept and summed (as ScenarioWizard does); use --ignore-self-impacts to drop`,
    );
  const key = `${author}|${formatStateRef(imp.from)}|${formatStateRef(imp.to)}`;
  const prev = cells.get(key);
  if (prev !== undefined)
    cx.err(
      "duplicate-impact",
      base,
      `${formatStateRef(imp.from)} → ${formatStateRef(imp.to)} is judged twice${author ? ` by '${author}'` : ""} (first at impacts[${prev}])`,
    );
  else cells.set(key, i);
}

/**
 * One block: known factors, one row per state of `from` and one column per state of `to`,
 * values on the scale; then (when both factors exist) its cells as in checkBlockCells.
 */
function checkBlockImpact(cx: Checker, imp: BlockImpact, i: number, cells: Map<string, number>): void {
  const { min, max } = cx.model.scale;
  const base: PathSegment[] = ["impacts", i];
  const fFrom = cx.factorById.get(imp.from);
  const fTo = cx.factorById.get(imp.to);
  if (!fFrom)
    cx.err(
      "unknown-reference",
      [...base, "from"],
      `no factor '${imp.from}'${suggestion(imp.from, cx.factors.keys())}`,
    );
  if (!fTo)
    cx.err(
      "unknown-reference",
      [...base, "to"],
      `no factor '${imp.to}'${suggestion(imp.to, cx.factors.keys())}`,
    );
  if (fFrom && imp.matrix.length !== fFrom.states.length)
    cx.err(
      "bad-shape",
      [...base, "matrix"],
      `expected ${fFrom.states.length} rows (the states of '${fFrom.id}'), got ${imp.matrix.length}`,
    );
  imp.matrix.forEach((row, r) => {
    if (fTo && row.length !== fTo.states.length)
      cx.err(
        "bad-shape",
        [...base, "matrix", r],
        `expected ${fTo.states.length} columns (the states of '${fTo.id}'), got ${row.length}`,
      );
    row.forEach((v, c) => {
      if (v < min || v > max)
        cx.err("out-of-range", [...base, "matrix", r, c], `value ${v} is outside the scale ${min}..${max}`);
    });
  });
  if (fFrom && fTo) checkBlockCells(cx, imp, i, fFrom, fTo, cells);
}

/**
 * The cells of a block between two known factors: non-zero same-factor cells (a warning), and
 * every cell (within the factors' states) judged once per author, across cells and blocks.
 */
function checkBlockCells(
  cx: Checker,
  imp: BlockImpact,
  i: number,
  fFrom: Factor,
  fTo: Factor,
  cells: Map<string, number>,
): void {
  const base: PathSegment[] = ["impacts", i];
  const author = imp.author ?? "";
  if (fFrom === fTo && imp.matrix.some((row) => row.some((v) => v !== 0)))
    cx.warn(
      "self-impact",
      base,
      `same-factor block ${fFrom.id} → ${fTo.id} holds non-zero cells: kept and summed (as ScenarioWizard does); use --ignore-self-impacts to drop`,
    );
  imp.matrix.forEach((row, r) =>
    row.forEach((_v, c) => {
      if (r >= fFrom.states.length || c >= fTo.states.length) return;
      const key = `${author}|${fFrom.id}=${fFrom.states[r].id}|${fTo.id}=${fTo.states[c].id}`;
      const prev = cells.get(key);
      if (prev !== undefined)
        cx.err(
          "duplicate-impact",
          [...base, "matrix", r, c],
          `${fFrom.id}=${fFrom.states[r].id} → ${fTo.id}=${fTo.states[c].id} is judged twice (first at impacts[${prev}])`,
        );
      else cells.set(key, i);
    }),
  );
}

/**
 * Factors that no impact reaches (a warning, when the model has impacts): any of their states
 * is "consistent", whatever happens. Exogenous factors are exempt.
 */
function checkUnreachedFactors(cx: Checker): void {
  const { model } = cx;
  const reached = new Set<string>();
  for (const imp of model.impacts) {
    if (imp.kind === "cell") {
      if (imp.strength !== 0 && imp.from.factor !== imp.to.factor) reached.add(imp.to.factor);
    } else if (imp.from !== imp.to && imp.matrix.some((r) => r.some((v) => v !== 0))) reached.add(imp.to);
  }
  if (model.impacts.length > 0)
    model.factors.forEach((f, i) => {
      if (!f.exogenous && !reached.has(f.id))
        cx.warn(
          "unreached-factor",
          ["factors", i],
          `no impact reaches factor '${f.id}': every one of its states balances to 0; mark it exogenous or add judgments`,
        );
    });
}

/**
 * Dynamics (stochastic succession): responsiveness only for known factors; each shock sets a
 * known state with either a probability per step or a step `at`, and its evidence.
 */
function checkDynamics(cx: Checker): void {
  const { dynamics } = cx.model;
  if (!dynamics) return;
  for (const fid of Object.keys(dynamics.responsiveness))
    if (!cx.factors.has(fid))
      cx.err(
        "unknown-reference",
        ["dynamics", "responsiveness", fid],
        `no factor '${fid}'${suggestion(fid, cx.factors.keys())}`,
      );
  dynamics.shocks.forEach((sh, i) => {
    const base: PathSegment[] = ["dynamics", "shocks", i];
    checkStateRef(cx, sh.to, [...base, "to"]);
    const hasP = sh.probability !== undefined;
    const hasAt = sh.at !== undefined;
    if (hasP === hasAt)
      cx.err(
        "bad-shock",
        base,
        hasP
          ? "a shock has either a probability per step or a step 'at', not both"
          : "a shock needs a probability per step (probability: 0.05) or a step (at: 2)",
      );
    checkEvidence(cx, sh.evidence, [...base, "evidence"]);
  });
  checkBetaRange(cx);
  checkTempo(cx);
}

/** A 90 % prior range [low, high]: low ≤ high and, when given, low ≤ value ≤ high. */
function checkRange(
  cx: Checker,
  range: [number, number],
  value: number | undefined,
  what: string,
  path: PathSegment[],
): void {
  const [lo, hi] = range;
  if (lo > hi) cx.err("bad-range", path, `range [${lo}, ${hi}] ends below its start: write [low, high]`);
  else if (value !== undefined && (value < lo || value > hi))
    cx.err("bad-range", path, `${what} ${value} is outside its range [${lo}, ${hi}]`);
}

/** β's prior range holds the model's β (its own, else the scale's default). */
function checkBetaRange(cx: Checker): void {
  const d = cx.model.dynamics;
  if (!d?.betaRange) return;
  const { min, max } = cx.model.scale;
  const beta = d.beta ?? (DEFAULT_BETA * 3) / Math.max(-min, max);
  checkRange(cx, d.betaRange, beta, d.beta === undefined ? "the default β" : "β", ["dynamics", "betaRange"]);
}

/**
 * Tempo: a unit that is a duration, the default rate within the default range, and per factor
 * a known factor, listed once, its rate within its range, its evidence; (warnings) the rates
 * of exogenous factors, and a tempo in succession mode, are not used.
 */
function checkTempo(cx: Checker): void {
  const d = cx.model.dynamics;
  const t = d?.tempo;
  if (!t) return;
  const base: PathSegment[] = ["dynamics", "tempo"];
  if (t.unit !== undefined && !parseDuration(t.unit))
    cx.err(
      "bad-format",
      [...base, "unit"],
      `'${t.unit}' is not a duration: write years, months, weeks or days such as P1M, P2W or P10D`,
    );
  if (t.range) checkRange(cx, t.range, t.rate ?? DEFAULT_RATE, "the default rate", [...base, "range"]);
  checkEvidence(cx, t.evidence, [...base, "evidence"]);
  if (d.mode === "succession")
    cx.warn(
      "unused-tempo",
      base,
      "the tempo is not used in succession mode (one change per step); remove it or use mode: continuous",
    );
  const seen = new Map<string, number>();
  t.factors.forEach((ft, k) => {
    const p: PathSegment[] = [...base, "factors", k];
    const f = cx.factorById.get(ft.factor);
    if (!f)
      cx.err(
        "unknown-reference",
        [...p, "factor"],
        `no factor '${ft.factor}'${suggestion(ft.factor, cx.factors.keys())}`,
      );
    const prev = seen.get(ft.factor);
    if (prev !== undefined)
      cx.err(
        "duplicate-tempo",
        [...p, "factor"],
        `factor '${ft.factor}' has two tempo entries (first at dynamics.tempo.factors[${prev}])`,
      );
    else seen.set(ft.factor, k);
    if (ft.range) checkRange(cx, ft.range, ft.rate, "rate", [...p, "range"]);
    if (f?.exogenous)
      cx.warn(
        "unused-tempo",
        [...p, "factor"],
        `factor '${f.id}' is exogenous: it moves only by shocks, so its rate is not used`,
      );
    checkEvidence(cx, ft.evidence, [...p, "evidence"]);
  });
}

/** Stakes: a known actor and state, utility in −3..+3, one stake per actor and state, evidence. */
function checkStakes(cx: Checker): void {
  const stakeKeys = new Map<string, number>();
  cx.model.stakes.forEach((s, i) => {
    const base: PathSegment[] = ["stakes", i];
    if (!cx.actors.has(s.actor))
      cx.err(
        "unknown-reference",
        [...base, "actor"],
        `no actor '${s.actor}'${suggestion(s.actor, cx.actors.keys())}`,
      );
    checkStateRef(cx, s.state, [...base, "state"]);
    if (s.utility < -3 || s.utility > 3)
      cx.err("out-of-range", [...base, "utility"], `utility ${s.utility} is outside −3..+3`);
    const key = `${s.actor}|${formatStateRef(s.state)}`;
    const prev = stakeKeys.get(key);
    if (prev !== undefined)
      cx.err(
        "duplicate-stake",
        base,
        `actor '${s.actor}' has two stakes in ${formatStateRef(s.state)} (first at stakes[${prev}])`,
      );
    else stakeKeys.set(key, i);
    checkEvidence(cx, s.evidence, [...base, "evidence"]);
  });
}

/**
 * Bargaining issues: min below max, the reversion point in range, the positions (see
 * checkPositions), and (a warning) at least two positions to bargain over.
 */
function checkIssues(cx: Checker): void {
  cx.model.issues.forEach((iss, i) => {
    const base: PathSegment[] = ["issues", i];
    if (!(iss.min < iss.max))
      cx.err("out-of-range", [...base, "max"], `max (${iss.max}) must exceed min (${iss.min})`);
    if (iss.reversion !== undefined && (iss.reversion < iss.min || iss.reversion > iss.max))
      cx.err(
        "out-of-range",
        [...base, "reversion"],
        `reversion point ${iss.reversion} is outside the issue's range ${iss.min}..${iss.max}`,
      );
    checkPositions(cx, iss, base);
    if (iss.positions.length < 2)
      cx.warn(
        "few-positions",
        [...base, "positions"],
        `issue '${iss.id}' has fewer than two positions: nothing to bargain over`,
      );
  });
}

/** An issue's positions: a known actor, one position per actor, in the issue's range, evidence. */
function checkPositions(cx: Checker, iss: BargainingIssue, base: PathSegment[]): void {
  const seen = new Map<string, number>();
  iss.positions.forEach((p, k) => {
    const pb: PathSegment[] = [...base, "positions", k];
    if (!cx.actors.has(p.actor))
      cx.err(
        "unknown-reference",
        [...pb, "actor"],
        `no actor '${p.actor}'${suggestion(p.actor, cx.actors.keys())}`,
      );
    const prev = seen.get(p.actor);
    if (prev !== undefined)
      cx.err(
        "duplicate-position",
        pb,
        `actor '${p.actor}' has two positions on '${iss.id}' (first at positions[${prev}])`,
      );
    else seen.set(p.actor, k);
    if (p.position < iss.min || p.position > iss.max)
      cx.err(
        "out-of-range",
        [...pb, "position"],
        `position ${p.position} is outside the issue's range ${iss.min}..${iss.max}`,
      );
    checkEvidence(cx, p.evidence, [...pb, "evidence"]);
  });
}

/** Forecast questions: unique ids, then each question as in checkQuestion. */
function checkQuestions(cx: Checker): void {
  const questions = cx.model.questions ?? [];
  indexIds(questions, ["questions"], "question", cx.err);
  questions.forEach((q, i) => checkQuestion(cx, q, i));
}

/**
 * One question: what it asks (see checkEvent), its interventions (`given`: known states, one
 * per factor), its observed states, its evidence, its window, and (warnings) a question that
 * the current situation already answers.
 */
function checkQuestion(cx: Checker, q: Question, i: number): void {
  const base: PathSegment[] = ["questions", i];
  const eventOk = checkEvent(cx, q, base);
  const held = new Map<string, string>();
  q.given.forEach((g, k) => {
    if (!checkStateRef(cx, g, [...base, "given", k])) return;
    const prev = held.get(g.factor);
    if (prev !== undefined && prev !== g.state)
      cx.err(
        "conflicting-given",
        [...base, "given", k],
        `factor '${g.factor}' is given two states ('${prev}' and '${g.state}')`,
      );
    held.set(g.factor, g.state);
  });
  checkEvidence(cx, q.evidence, [...base, "evidence"]);
  const window = checkWindow(cx, q, base);
  checkObserved(cx, q.observed ?? [], held, window, [...base, "observed"]);
  if (!window || window.from !== cx.model.asOf || q.given.length > 0 || !eventOk) return;
  // A condition that already holds (or a count already reached) at the start answers itself.
  const c = q.condition;
  const now = (x: QuestionCondition) => holdsNow(cx.model, x) === true;
  if (q.mode === "by" && c.kind !== "never" && c.kind !== "sequence" && c.kind !== "changes" && now(c))
    cx.warn(
      "already-true",
      [...base, "condition"],
      `question '${q.id}' asks about a condition that holds in the current situation: the answer is yes from the start`,
    );
  if (c.kind === "never" && now(c.condition))
    cx.warn(
      "already-false",
      [...base, "condition"],
      `question '${q.id}' asks that a condition never hold, but it holds in the current situation: the answer is no from the start`,
    );
}

/**
 * What a question asks: a condition (by, at, never) with known states; a sequence whose steps
 * have known states and (after the first) a duration `within`; or a count of changes of a
 * known factor with 0 ≤ atLeast ≤ atMost. True when every reference resolved.
 */
function checkEvent(cx: Checker, q: Question, base: PathSegment[]): boolean {
  const c = q.condition;
  switch (c.kind) {
    case "never":
      return checkCondition(cx, c.condition, [...base, "condition"]);
    case "sequence": {
      let ok = true;
      c.steps.forEach((st, k) => {
        const p: PathSegment[] = [...base, "sequence", k];
        ok = checkCondition(cx, st.condition, [...p, "condition"]) && ok;
        if (st.within === undefined) return;
        if (k === 0)
          cx.err(
            "bad-within",
            [...p, "within"],
            "the first step of a sequence has no 'within': it may hold at any instant of the window",
          );
        else if (!parseDuration(st.within))
          cx.err(
            "bad-format",
            [...p, "within"],
            `'${st.within}' is not a duration: write years, months, weeks or days such as P3M, P2W or P10D`,
          );
      });
      return ok;
    }
    case "changes": {
      const p: PathSegment[] = [...base, "changes"];
      let ok = true;
      if (!cx.factorById.has(c.factor)) {
        cx.err(
          "unknown-reference",
          [...p, "factor"],
          `no factor '${c.factor}'${suggestion(c.factor, cx.factors.keys())}`,
        );
        ok = false;
      }
      if (c.atLeast === undefined && c.atMost === undefined)
        cx.err("missing-key", p, "a count of changes needs atLeast, atMost, or both");
      else if (!c.atLeast && c.atMost === undefined)
        cx.warn(
          "always-true",
          [...p, "atLeast"],
          `question '${q.id}' asks for at least 0 changes: the answer is always yes`,
        );
      else if (c.atLeast !== undefined && c.atMost !== undefined && c.atLeast > c.atMost)
        cx.err(
          "bad-range",
          [...p, "atMost"],
          `atMost (${c.atMost}) is below atLeast (${c.atLeast}): no count satisfies both`,
        );
      return ok;
    }
    default:
      return checkCondition(cx, c, [...base, "condition"]);
  }
}

/**
 * A condition tree: every state reference resolves (children first), and an all-of list does
 * not ask one factor for two states. True when every reference resolved.
 */
function checkCondition(cx: Checker, c: QuestionCondition, path: PathSegment[]): boolean {
  if (c.kind === "state") return checkStateRef(cx, c.ref, path);
  if (c.kind === "not") return checkCondition(cx, c.condition, [...path, "not"]);
  let ok = true;
  c.of.forEach((x, k) => {
    ok = checkCondition(cx, x, [...path, c.kind, k]) && ok;
  });
  if (ok && c.kind === "all") {
    const seen = new Map<string, string>();
    for (const x of c.of) {
      if (x.kind !== "state") continue;
      const prev = seen.get(x.ref.factor);
      if (prev !== undefined && prev !== x.ref.state)
        cx.err(
          "impossible-condition",
          path,
          `all-of condition asks factor '${x.ref.factor}' to be both '${prev}' and '${x.ref.state}'`,
        );
      seen.set(x.ref.factor, x.ref.state);
    }
  }
  return ok;
}

/**
 * A question's window: its end (checkHorizon) and its start `from`, a date on or after asOf and
 * before the end; (a warning) a start given to an `at` question, which only looks at the end.
 * The window as dates, or undefined after an error.
 */
function checkWindow(
  cx: Checker,
  q: Question,
  base: PathSegment[],
): { from: string; to: string } | undefined {
  const { model } = cx;
  if (!checkHorizon(cx, q, base)) return undefined;
  const to = typeof q.horizon === "string" ? q.horizon : addSteps(model.asOf, modelStep(model), q.horizon);
  if (q.from === undefined) return { from: model.asOf, to };
  if (q.from < model.asOf) {
    cx.err(
      "window-before-asof",
      [...base, "from"],
      `the window starts on ${q.from}, before the model's asOf ${model.asOf}: a forecast looks forward from asOf`,
    );
    return undefined;
  }
  if (q.from >= to) {
    cx.err(
      "bad-window",
      [...base, "from"],
      `the window starts on ${q.from}, not before its end ${to}${typeof q.horizon === "number" ? ` (${q.horizon} steps after asOf)` : ""}`,
    );
    return undefined;
  }
  if (q.mode === "at")
    cx.warn(
      "unused-from",
      [...base, "from"],
      "an 'at' question looks only at the end of its window: its start does not matter",
    );
  return { from: q.from, to };
}

/**
 * A conditional question's observed states: known states, dated on or after asOf, one state per
 * factor and date, none against a state `given` holds; (a warning) dated after the window.
 */
function checkObserved(
  cx: Checker,
  observed: ObservedState[],
  held: Map<string, string>,
  window: { from: string; to: string } | undefined,
  path: PathSegment[],
): void {
  const seen = new Map<string, { state: string; k: number }>();
  observed.forEach((o, k) => {
    const p = [...path, k];
    if (!checkStateRef(cx, o.ref, [...p, "state"])) return;
    if (o.date < cx.model.asOf) {
      cx.err(
        "observed-before-asof",
        [...p, "date"],
        `observed on ${o.date}, before the model's asOf ${cx.model.asOf}: the model's current states describe asOf`,
      );
      return;
    }
    const h = held.get(o.ref.factor);
    if (h !== undefined && h !== o.ref.state)
      cx.err(
        "conflicting-observed",
        [...p, "state"],
        `factor '${o.ref.factor}' is held in '${h}' by 'given', so it is never observed in '${o.ref.state}'`,
      );
    const key = `${o.ref.factor}|${o.date}`;
    const prev = seen.get(key);
    if (prev && prev.state !== o.ref.state)
      cx.err(
        "conflicting-observed",
        [...p, "state"],
        `factor '${o.ref.factor}' is observed on ${o.date} in '${prev.state}' (observed[${prev.k}]) and in '${o.ref.state}'`,
      );
    else if (!prev) seen.set(key, { state: o.ref.state, k });
    if (window && o.date > window.to)
      cx.warn(
        "observed-after-window",
        [...p, "date"],
        `observed on ${o.date}, after the window ends (${window.to}): the question is conditioned on a later state`,
      );
  });
}

/**
 * A question's horizon: a calendar date after asOf or a step count, at least one step, and (a
 * warning) not more than QUESTION_HORIZON_MONTHS out. False after an error.
 */
function checkHorizon(cx: Checker, q: Question, base: PathSegment[]): boolean {
  const { model } = cx;
  const stepText = model.step ?? DEFAULT_STEP;
  if (typeof q.horizon === "string") {
    if (!isCalendarDate(q.horizon)) {
      cx.err("bad-format", [...base, "horizon"], `'${q.horizon}' is not a calendar date`);
      return false;
    }
    if (q.horizon <= model.asOf) {
      cx.err(
        "horizon-before-asof",
        [...base, "horizon"],
        `horizon ${q.horizon} is not after the model's asOf ${model.asOf}`,
      );
      return false;
    }
  }
  const h = resolveHorizon(model, q.horizon);
  if (h.steps < 1) {
    cx.err(
      "horizon-too-short",
      [...base, "horizon"],
      `horizon ${q.horizon} is less than one step (${stepText}) after asOf ${model.asOf}`,
    );
    return false;
  }
  const months = monthsBetween(model.asOf, h.date);
  if (months > QUESTION_HORIZON_MONTHS + 1e-9)
    cx.warn(
      "long-horizon",
      [...base, "horizon"],
      `horizon ${q.horizon} (${h.steps} × ${stepText}, ${h.date}) is more than ${QUESTION_HORIZON_MONTHS} months after asOf ${model.asOf}`,
    );
  return true;
}

/** Whether a condition holds in the factors' current states (undefined: a state is unknown). */
function holdsNow(model: Model, condition: QuestionCondition): boolean | undefined {
  const current = new Map(model.factors.map((f) => [f.id, f.current]));
  const holds = (c: QuestionCondition): boolean | undefined => {
    if (c.kind === "state") {
      const s = current.get(c.ref.factor);
      return s === undefined ? undefined : s === c.ref.state;
    }
    if (c.kind === "not") {
      const v = holds(c.condition);
      return v === undefined ? undefined : !v;
    }
    const vals = c.of.map(holds);
    if (c.kind === "any")
      return vals.some((v) => v === true) ? true : vals.includes(undefined) ? undefined : false;
    return vals.every((v) => v === true) ? true : vals.includes(false) ? false : undefined;
  };
  return holds(condition);
}

/** Named scenarios: known states, one per factor, and no name given twice. */
function checkNamedScenarios(cx: Checker): void {
  const seen = new Map<string, number>();
  (cx.model.scenarios ?? []).forEach((sc, i) => {
    const factors = new Set<string>();
    sc.states.forEach((ref, k) => {
      const path: PathSegment[] = ["scenarios", i, "states", k];
      if (!checkStateRef(cx, ref, path)) return;
      if (factors.has(ref.factor))
        cx.err(
          "duplicate-factor",
          path,
          `the factor '${ref.factor}' is named twice; a scenario has one state of it`,
        );
      factors.add(ref.factor);
    });
    const key = sc.name.trim().toLowerCase();
    const first = seen.get(key);
    if (first !== undefined)
      cx.warn(
        "duplicate-name",
        ["scenarios", i, "name"],
        `the name '${sc.name}' is also scenarios[${first}]'s`,
      );
    else seen.set(key, i);
  });
}

/**
 * Observations: known states, dated on or after asOf, one state per factor and date (the same
 * one twice: a warning), and their evidence; (warnings) an observation with no evidence, one on
 * asOf against the factor's current state.
 */
function checkObservations(cx: Checker): void {
  const seen = new Map<string, { state: string; k: number }>();
  (cx.model.observations ?? []).forEach((o, k) => {
    const p: PathSegment[] = ["observations", k];
    checkEvidence(cx, o.evidence, [...p, "evidence"]);
    if (o.evidence.length === 0)
      cx.warn(
        "no-evidence",
        p,
        "an observation without evidence: cite where it is reported (evidence: [source:line])",
      );
    if (!checkStateRef(cx, o.ref, [...p, "state"])) return;
    if (o.date < cx.model.asOf) {
      cx.err(
        "observed-before-asof",
        [...p, "date"],
        `observed on ${o.date}, before the model's asOf ${cx.model.asOf}: the model's current states describe asOf`,
      );
      return;
    }
    const f = cx.factorById.get(o.ref.factor);
    if (o.date === cx.model.asOf && f?.current !== undefined && f.current !== o.ref.state)
      cx.warn(
        "observed-against-current",
        [...p, "state"],
        `observed '${o.ref.state}' on asOf, but factor '${f.id}' is '${f.current}' there (its current state)`,
      );
    const key = `${o.ref.factor}|${o.date}`;
    const prev = seen.get(key);
    if (prev === undefined) seen.set(key, { state: o.ref.state, k });
    else if (prev.state !== o.ref.state)
      cx.err(
        "conflicting-observations",
        [...p, "state"],
        `factor '${o.ref.factor}' is observed on ${o.date} in '${prev.state}' (observations[${prev.k}]) and in '${o.ref.state}'`,
      );
    else
      cx.warn(
        "duplicate-observation",
        p,
        `factor '${o.ref.factor}' is observed in '${o.ref.state}' on ${o.date} twice (first at observations[${prev.k}])`,
      );
  });
}
