// Semantic checks of a model that passed the schema: duplicate ids, references that do not
// resolve (with a "did you mean"), values out of range, duplicate judgment cells, evidence
// locators against the sources' declared lengths and, when available, their texts.
import { createHash } from "node:crypto";
import { formatEvidence, formatStateRef, type PathSegment, suggestion } from "./paths.js";
import { DEFAULT_STEP, isCalendarDate, monthsBetween, resolveHorizon } from "./step.js";
import type { Evidence, Model, QuestionCondition, Severity, StateRef } from "./types.js";

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

export function validateModel(model: Model, opts: ValidateOptions = {}): SemanticProblem[] {
  const out: SemanticProblem[] = [];
  const err = (code: string, path: PathSegment[], message: string) =>
    out.push({ severity: "error", code, path, message });
  const warn = (code: string, path: PathSegment[], message: string) =>
    out.push({ severity: "warning", code, path, message });

  const dupes = (list: { id: string }[], where: PathSegment[], what: string) => {
    const seen = new Map<string, number>();
    list.forEach((x, i) => {
      const prev = seen.get(x.id);
      if (prev !== undefined)
        err(
          "duplicate-id",
          [...where, i, "id"],
          `duplicate ${what} id '${x.id}' (first at ${what}s[${prev}])`,
        );
      else seen.set(x.id, i);
    });
    return seen;
  };
  const sources = dupes(model.sources, ["sources"], "source");
  const actors = dupes(model.actors, ["actors"], "actor");
  const factors = dupes(model.factors, ["factors"], "factor");
  dupes(model.issues, ["issues"], "issue");

  // Factors and their states.
  model.factors.forEach((f, i) => {
    const states = new Map<string, number>();
    f.states.forEach((s, k) => {
      if (states.has(s.id))
        err(
          "duplicate-id",
          ["factors", i, "states", k, "id"],
          `duplicate state id '${s.id}' in factor '${f.id}'`,
        );
      else states.set(s.id, k);
    });
    if (f.states.length < 2)
      err(
        "too-few-states",
        ["factors", i, "states"],
        `factor '${f.id}' has ${f.states.length} state${f.states.length === 1 ? "" : "s"}; a factor needs at least two`,
      );
    f.owners.forEach((o, k) => {
      if (!actors.has(o))
        err(
          "unknown-reference",
          ["factors", i, "owners", k],
          `no actor '${o}'${suggestion(o, actors.keys())}`,
        );
    });
    if (f.current !== undefined && !states.has(f.current))
      err(
        "unknown-reference",
        ["factors", i, "current"],
        `factor '${f.id}' has no state '${f.current}'${suggestion(f.current, states.keys())}`,
      );
  });

  const factorById = new Map(model.factors.map((f) => [f.id, f]));
  const checkRef = (ref: StateRef, path: PathSegment[]): boolean => {
    const f = factorById.get(ref.factor);
    if (!f) {
      err("unknown-reference", path, `no factor '${ref.factor}'${suggestion(ref.factor, factors.keys())}`);
      return false;
    }
    if (!f.states.some((s) => s.id === ref.state)) {
      err(
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
  };

  // Evidence locators.
  const sourceById = new Map(model.sources.map((s) => [s.id, s]));
  const linesOf = new Map<string, string[]>();
  if (opts.sourceTexts) {
    for (const [id, text] of opts.sourceTexts) {
      const src = sourceById.get(id);
      const lines = textLines(text);
      linesOf.set(id, lines);
      const idx = sources.get(id)!;
      if (src?.sha256) {
        const got = createHash("sha256").update(text).digest("hex");
        if (got !== src.sha256)
          err(
            "source-changed",
            ["sources", idx, "sha256"],
            `the text of source '${id}' has sha256 ${got.slice(0, 12)}…, not the declared ${src.sha256.slice(0, 12)}…: the article changed, check its locators`,
          );
      }
      if (src?.lines && src.lines !== lines.length)
        err(
          "source-changed",
          ["sources", idx, "lines"],
          `source '${id}' declares ${src.lines} lines but its text has ${lines.length}`,
        );
    }
  }
  const checkEvidence = (list: Evidence[], path: PathSegment[]) => {
    list.forEach((e, k) => {
      const p = [...path, k];
      const src = sourceById.get(e.source);
      if (!src) {
        err("unknown-reference", p, `no source '${e.source}'${suggestion(e.source, sources.keys())}`);
        return;
      }
      if (e.to < e.from) {
        err("bad-locator", p, `locator ${formatEvidence(e)} ends before it starts`);
        return;
      }
      const lines = linesOf.get(e.source);
      const length = lines?.length ?? src.lines ?? undefined;
      if (length !== undefined && e.to > length) {
        err(
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
          warn("blank-locator", p, `locator ${formatEvidence(e)} points only at blank lines`);
      }
    });
  };

  // Impacts.
  const { min, max } = model.scale;
  const cells = new Map<string, number>();
  let impactsWithoutEvidence = 0;
  model.impacts.forEach((imp, i) => {
    const base: PathSegment[] = ["impacts", i];
    const author = imp.author ?? "";
    if (imp.kind === "cell") {
      const okFrom = checkRef(imp.from, [...base, "from"]);
      const okTo = checkRef(imp.to, [...base, "to"]);
      if (imp.strength < min || imp.strength > max)
        err(
          "out-of-range",
          [...base, "strength"],
          `strength ${imp.strength} is outside the scale ${min}..${max}`,
        );
      if (okFrom && okTo) {
        if (imp.from.factor === imp.to.factor)
          warn(
            "self-impact",
            base,
            `same-factor impact ${formatStateRef(imp.from)} → ${formatStateRef(imp.to)}: kept and summed (as ScenarioWizard does); use --ignore-self-impacts to drop`,
          );
        const key = `${author}|${formatStateRef(imp.from)}|${formatStateRef(imp.to)}`;
        const prev = cells.get(key);
        if (prev !== undefined)
          err(
            "duplicate-impact",
            base,
            `${formatStateRef(imp.from)} → ${formatStateRef(imp.to)} is judged twice${author ? ` by '${author}'` : ""} (first at impacts[${prev}])`,
          );
        else cells.set(key, i);
      }
    } else {
      const fFrom = factorById.get(imp.from);
      const fTo = factorById.get(imp.to);
      if (!fFrom)
        err(
          "unknown-reference",
          [...base, "from"],
          `no factor '${imp.from}'${suggestion(imp.from, factors.keys())}`,
        );
      if (!fTo)
        err(
          "unknown-reference",
          [...base, "to"],
          `no factor '${imp.to}'${suggestion(imp.to, factors.keys())}`,
        );
      if (fFrom && imp.matrix.length !== fFrom.states.length)
        err(
          "bad-shape",
          [...base, "matrix"],
          `expected ${fFrom.states.length} rows (the states of '${fFrom.id}'), got ${imp.matrix.length}`,
        );
      imp.matrix.forEach((row, r) => {
        if (fTo && row.length !== fTo.states.length)
          err(
            "bad-shape",
            [...base, "matrix", r],
            `expected ${fTo.states.length} columns (the states of '${fTo.id}'), got ${row.length}`,
          );
        row.forEach((v, c) => {
          if (v < min || v > max)
            err("out-of-range", [...base, "matrix", r, c], `value ${v} is outside the scale ${min}..${max}`);
        });
      });
      if (fFrom && fTo) {
        if (fFrom === fTo && imp.matrix.some((row) => row.some((v) => v !== 0)))
          warn(
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
              err(
                "duplicate-impact",
                [...base, "matrix", r, c],
                `${fFrom.id}=${fFrom.states[r].id} → ${fTo.id}=${fTo.states[c].id} is judged twice (first at impacts[${prev}])`,
              );
            else cells.set(key, i);
          }),
        );
      }
    }
    checkEvidence(imp.evidence, [...base, "evidence"]);
    if (imp.evidence.length === 0) impactsWithoutEvidence++;
  });
  if (impactsWithoutEvidence > 0 && model.sources.length > 0)
    warn(
      "no-evidence",
      ["impacts"],
      `${impactsWithoutEvidence} of ${model.impacts.length} impacts carry no evidence`,
    );

  // Factors that no impact reaches: any of their states is "consistent", whatever happens.
  const reached = new Set<string>();
  for (const imp of model.impacts) {
    if (imp.kind === "cell") {
      if (imp.strength !== 0 && imp.from.factor !== imp.to.factor) reached.add(imp.to.factor);
    } else if (imp.from !== imp.to && imp.matrix.some((r) => r.some((v) => v !== 0))) reached.add(imp.to);
  }
  if (model.impacts.length > 0)
    model.factors.forEach((f, i) => {
      if (!f.exogenous && !reached.has(f.id))
        warn(
          "unreached-factor",
          ["factors", i],
          `no impact reaches factor '${f.id}': every one of its states balances to 0; mark it exogenous or add judgments`,
        );
    });

  // Dynamics (stochastic succession): per-factor responsiveness and shocks.
  if (model.dynamics) {
    for (const fid of Object.keys(model.dynamics.responsiveness))
      if (!factors.has(fid))
        err(
          "unknown-reference",
          ["dynamics", "responsiveness", fid],
          `no factor '${fid}'${suggestion(fid, factors.keys())}`,
        );
    model.dynamics.shocks.forEach((sh, i) => {
      const base: PathSegment[] = ["dynamics", "shocks", i];
      checkRef(sh.to, [...base, "to"]);
      const hasP = sh.probability !== undefined;
      const hasAt = sh.at !== undefined;
      if (hasP === hasAt)
        err(
          "bad-shock",
          base,
          hasP
            ? "a shock has either a probability per step or a step 'at', not both"
            : "a shock needs a probability per step (probability: 0.05) or a step (at: 2)",
        );
      checkEvidence(sh.evidence, [...base, "evidence"]);
    });
  }

  // Stakes.
  const stakeKeys = new Map<string, number>();
  model.stakes.forEach((s, i) => {
    const base: PathSegment[] = ["stakes", i];
    if (!actors.has(s.actor))
      err(
        "unknown-reference",
        [...base, "actor"],
        `no actor '${s.actor}'${suggestion(s.actor, actors.keys())}`,
      );
    checkRef(s.state, [...base, "state"]);
    if (s.utility < -3 || s.utility > 3)
      err("out-of-range", [...base, "utility"], `utility ${s.utility} is outside −3..+3`);
    const key = `${s.actor}|${formatStateRef(s.state)}`;
    const prev = stakeKeys.get(key);
    if (prev !== undefined)
      err(
        "duplicate-stake",
        base,
        `actor '${s.actor}' has two stakes in ${formatStateRef(s.state)} (first at stakes[${prev}])`,
      );
    else stakeKeys.set(key, i);
    checkEvidence(s.evidence, [...base, "evidence"]);
  });

  // Bargaining issues.
  model.issues.forEach((iss, i) => {
    const base: PathSegment[] = ["issues", i];
    if (!(iss.min < iss.max))
      err("out-of-range", [...base, "max"], `max (${iss.max}) must exceed min (${iss.min})`);
    if (iss.reversion !== undefined && (iss.reversion < iss.min || iss.reversion > iss.max))
      err(
        "out-of-range",
        [...base, "reversion"],
        `reversion point ${iss.reversion} is outside the issue's range ${iss.min}..${iss.max}`,
      );
    const seen = new Map<string, number>();
    iss.positions.forEach((p, k) => {
      const pb: PathSegment[] = [...base, "positions", k];
      if (!actors.has(p.actor))
        err(
          "unknown-reference",
          [...pb, "actor"],
          `no actor '${p.actor}'${suggestion(p.actor, actors.keys())}`,
        );
      const prev = seen.get(p.actor);
      if (prev !== undefined)
        err(
          "duplicate-position",
          pb,
          `actor '${p.actor}' has two positions on '${iss.id}' (first at positions[${prev}])`,
        );
      else seen.set(p.actor, k);
      if (p.position < iss.min || p.position > iss.max)
        err(
          "out-of-range",
          [...pb, "position"],
          `position ${p.position} is outside the issue's range ${iss.min}..${iss.max}`,
        );
      checkEvidence(p.evidence, [...pb, "evidence"]);
    });
    if (iss.positions.length < 2)
      warn(
        "few-positions",
        [...base, "positions"],
        `issue '${iss.id}' has fewer than two positions: nothing to bargain over`,
      );
  });

  // Forecast questions.
  const questions = model.questions ?? [];
  dupes(questions, ["questions"], "question");
  questions.forEach((q, i) => {
    const base: PathSegment[] = ["questions", i];
    const walk = (c: QuestionCondition, path: PathSegment[]): boolean => {
      if (c.kind === "state") return checkRef(c.ref, path);
      let ok = true;
      c.of.forEach((x, k) => {
        ok = walk(x, [...path, c.kind, k]) && ok;
      });
      if (ok && c.kind === "all") {
        const seen = new Map<string, string>();
        for (const x of c.of) {
          if (x.kind !== "state") continue;
          const prev = seen.get(x.ref.factor);
          if (prev !== undefined && prev !== x.ref.state)
            err(
              "impossible-condition",
              path,
              `all-of condition asks factor '${x.ref.factor}' to be both '${prev}' and '${x.ref.state}'`,
            );
          seen.set(x.ref.factor, x.ref.state);
        }
      }
      return ok;
    };
    const condOk = walk(q.condition, [...base, "condition"]);
    const held = new Map<string, string>();
    q.given.forEach((g, k) => {
      if (!checkRef(g, [...base, "given", k])) return;
      const prev = held.get(g.factor);
      if (prev !== undefined && prev !== g.state)
        err(
          "conflicting-given",
          [...base, "given", k],
          `factor '${g.factor}' is given two states ('${prev}' and '${g.state}')`,
        );
      held.set(g.factor, g.state);
    });
    checkEvidence(q.evidence, [...base, "evidence"]);
    // Horizon: after asOf, at least one step, and (a warning) not too far out.
    const stepText = model.step ?? DEFAULT_STEP;
    if (typeof q.horizon === "string") {
      if (!isCalendarDate(q.horizon)) {
        err("bad-format", [...base, "horizon"], `'${q.horizon}' is not a calendar date`);
        return;
      }
      if (q.horizon <= model.asOf) {
        err(
          "horizon-before-asof",
          [...base, "horizon"],
          `horizon ${q.horizon} is not after the model's asOf ${model.asOf}`,
        );
        return;
      }
    }
    const h = resolveHorizon(model, q.horizon);
    if (h.steps < 1) {
      err(
        "horizon-too-short",
        [...base, "horizon"],
        `horizon ${q.horizon} is less than one step (${stepText}) after asOf ${model.asOf}`,
      );
      return;
    }
    const months = monthsBetween(model.asOf, h.date);
    if (months > QUESTION_HORIZON_MONTHS + 1e-9)
      warn(
        "long-horizon",
        [...base, "horizon"],
        `horizon ${q.horizon} (${h.steps} × ${stepText}, ${h.date}) is more than ${QUESTION_HORIZON_MONTHS} months after asOf ${model.asOf}`,
      );
    // A condition that already holds in the current situation answers itself.
    if (condOk && q.mode === "by" && q.given.length === 0) {
      const current = new Map(model.factors.map((f) => [f.id, f.current]));
      const holds = (c: QuestionCondition): boolean | undefined => {
        if (c.kind === "state") {
          const s = current.get(c.ref.factor);
          return s === undefined ? undefined : s === c.ref.state;
        }
        const vals = c.of.map(holds);
        if (c.kind === "any")
          return vals.some((v) => v === true) ? true : vals.includes(undefined) ? undefined : false;
        return vals.every((v) => v === true) ? true : vals.includes(false) ? false : undefined;
      };
      if (holds(q.condition) === true)
        warn(
          "already-true",
          [...base, "condition"],
          `question '${q.id}' asks about a condition that holds in the current situation: the answer is yes from the start`,
        );
    }
  });

  return out;
}
