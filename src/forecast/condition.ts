// A question's condition on factor states, compiled to disjunctive normal form (any of a few
// conjunctions of factor=state pairs) over factor and state indices, and evaluated on the
// recorded trajectories of the probability engine. Conditions on the path through a window
// (never, sequence, count of changes) are not conditions on one scenario: they are compiled and
// evaluated on continuous-time paths by questions.ts.
import { InputError } from "../errors.js";
import type { CompiledModel } from "../model/compiled.js";
import type { QuestionCondition, QuestionEvent } from "../model/types.js";

/** A conjunction: every (factors[q], states[q]) pair holds. */
export interface Conjunction {
  factors: number[];
  states: number[];
}

/** Any of the conjunctions holds (an empty list never holds). */
export type Dnf = Conjunction[];

/** Conjunctions a negated condition may expand to before compiling it is refused. */
export const MAX_DNF = 4096;

/** Whether a question's event is a condition on the path (never, sequence, changes). */
export function isPathCondition(c: QuestionEvent): c is Exclude<QuestionEvent, QuestionCondition> {
  return c.kind === "never" || c.kind === "sequence" || c.kind === "changes";
}

/**
 * Text of a condition: `f=s`, `(a=b or c=d)`, `(a=b and c=d)`, `not f=s`; of a path condition:
 * `never f=s`, `a=b, then c=d within P3M`, `f changes at least 2 times`.
 */
export function conditionText(c: QuestionEvent): string {
  switch (c.kind) {
    case "state":
      return `${c.ref.factor}=${c.ref.state}`;
    case "not":
      return `not ${conditionText(c.condition)}`;
    case "any":
    case "all": {
      const parts = c.of.map(conditionText);
      return parts.length === 1 ? parts[0] : `(${parts.join(c.kind === "any" ? " or " : " and ")})`;
    }
    case "never":
      return `never ${conditionText(c.condition)}`;
    case "sequence":
      return c.steps
        .map((s, k) =>
          k === 0
            ? conditionText(s.condition)
            : `then ${conditionText(s.condition)}${s.within ? ` within ${s.within}` : ""}`,
        )
        .join(", ");
    case "changes": {
      const times = (n: number) => `${n} time${n === 1 ? "" : "s"}`;
      if (c.atLeast !== undefined && c.atMost !== undefined)
        return c.atLeast === c.atMost
          ? `${c.factor} changes exactly ${times(c.atLeast)}`
          : `${c.factor} changes ${c.atLeast} to ${times(c.atMost)}`;
      if (c.atLeast !== undefined) return `${c.factor} changes at least ${times(c.atLeast)}`;
      return `${c.factor} changes at most ${times(c.atMost ?? 0)}`;
    }
  }
}

/** Every factor=state reference in a condition or path condition, in order. */
export function conditionRefs(c: QuestionEvent): { factor: string; state: string }[] {
  switch (c.kind) {
    case "state":
      return [c.ref];
    case "not":
    case "never":
      return conditionRefs(c.condition);
    case "any":
    case "all":
      return c.of.flatMap(conditionRefs);
    case "sequence":
      return c.steps.flatMap((s) => conditionRefs(s.condition));
    case "changes":
      return [];
  }
}

function and(a: Conjunction, b: Conjunction): Conjunction | undefined {
  const factors = a.factors.slice();
  const states = a.states.slice();
  for (let q = 0; q < b.factors.length; q++) {
    const k = factors.indexOf(b.factors[q]);
    if (k >= 0) {
      if (states[k] !== b.states[q]) return undefined; // contradictory: never holds
      continue;
    }
    factors.push(b.factors[q]);
    states.push(b.states[q]);
  }
  return { factors, states };
}

/** The conjunction of DNFs (every pair of conjunctions joined; contradictions dropped). */
function andAll(parts: Dnf[]): Dnf {
  let acc: Dnf = [{ factors: [], states: [] }];
  for (const p of parts) {
    const next: Dnf = [];
    for (const a of acc)
      for (const b of p) {
        const x = and(a, b);
        if (x) next.push(x);
      }
    if (next.length > MAX_DNF)
      throw new InputError(
        `the condition expands to more than ${MAX_DNF} alternatives: write it with fewer negations`,
        { code: "condition-too-large" },
      );
    acc = next;
  }
  return acc;
}

/**
 * not (c1 or c2 …) = (not c1) and (not c2) …; not (f1=s1 and f2=s2) = f1 in another state, or
 * f2 in another state.
 */
function negate(cm: CompiledModel, dnf: Dnf): Dnf {
  return andAll(
    dnf.map((conj) => {
      const alternatives: Dnf = [];
      conj.factors.forEach((f, q) => {
        for (let s = 0; s < cm.counts[f]; s++)
          if (s !== conj.states[q]) alternatives.push({ factors: [f], states: [s] });
      });
      return alternatives;
    }),
  );
}

/**
 * Compiles a condition to DNF over the model's factor and state indices (validated refs). A
 * path condition (never, sequence, changes) is no condition on one scenario: an InputError
 * says to evaluate it on paths (src/forecast/questions.ts).
 */
export function compileCondition(cm: CompiledModel, c: QuestionEvent): Dnf {
  switch (c.kind) {
    case "state": {
      const f = cm.factorIds.indexOf(c.ref.factor);
      const s = f < 0 ? -1 : cm.stateIds[f].indexOf(c.ref.state);
      if (s < 0) throw new Error(`unresolved state reference '${c.ref.factor}=${c.ref.state}'`);
      return [{ factors: [f], states: [s] }];
    }
    case "any":
      return c.of.flatMap((x) => compileCondition(cm, x));
    case "all":
      return andAll(c.of.map((x) => compileCondition(cm, x)));
    case "not":
      return negate(cm, compileCondition(cm, c.condition));
    default:
      throw new InputError(
        `'${conditionText(c)}' is a condition on the path through the window, not on one scenario: it is evaluated on continuous-time paths (compileQuestion and evaluate in src/forecast/questions.ts)`,
        { code: "path-condition" },
      );
  }
}

/** Whether scenario z (state index per factor, read from `z[offset + f]`) satisfies the DNF. */
export function holds(dnf: Dnf, z: ArrayLike<number>, offset = 0): boolean {
  for (const c of dnf) {
    let ok = true;
    for (let q = 0; q < c.factors.length; q++)
      if (z[offset + c.factors[q]] !== c.states[q]) {
        ok = false;
        break;
      }
    if (ok) return true;
  }
  return false;
}
