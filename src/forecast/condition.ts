// A question's condition on factor states, compiled to disjunctive normal form (any of a few
// conjunctions of factor=state pairs) over factor and state indices, and evaluated on the
// recorded trajectories of the probability engine.
import type { CompiledModel } from "../model/compiled.js";
import type { QuestionCondition } from "../model/types.js";

/** A conjunction: every (factors[q], states[q]) pair holds. */
export interface Conjunction {
  factors: number[];
  states: number[];
}

/** Any of the conjunctions holds (an empty list never holds). */
export type Dnf = Conjunction[];

/** Text of a condition: `f=s`, `(a=b or c=d)`, `(a=b and c=d)`. */
export function conditionText(c: QuestionCondition): string {
  if (c.kind === "state") return `${c.ref.factor}=${c.ref.state}`;
  const parts = c.of.map(conditionText);
  return parts.length === 1 ? parts[0] : `(${parts.join(c.kind === "any" ? " or " : " and ")})`;
}

/** Every factor=state reference in a condition, in order. */
export function conditionRefs(c: QuestionCondition): { factor: string; state: string }[] {
  return c.kind === "state" ? [c.ref] : c.of.flatMap(conditionRefs);
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

/** Compiles a condition to DNF over the model's factor and state indices (validated refs). */
export function compileCondition(cm: CompiledModel, c: QuestionCondition): Dnf {
  if (c.kind === "state") {
    const f = cm.factorIds.indexOf(c.ref.factor);
    const s = f < 0 ? -1 : cm.stateIds[f].indexOf(c.ref.state);
    if (s < 0) throw new Error(`unresolved state reference '${c.ref.factor}=${c.ref.state}'`);
    return [{ factors: [f], states: [s] }];
  }
  const parts = c.of.map((x) => compileCondition(cm, x));
  if (c.kind === "any") return parts.flat();
  let acc: Dnf = [{ factors: [], states: [] }];
  for (const p of parts) {
    const next: Dnf = [];
    for (const a of acc)
      for (const b of p) {
        const x = and(a, b);
        if (x) next.push(x);
      }
    acc = next;
  }
  return acc;
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
