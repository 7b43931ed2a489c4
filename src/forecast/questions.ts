// Forecast questions evaluated exactly on continuous-time paths (src/prob/path.ts): a question
// is compiled against a compiled model to factor and state indices and a window in days from
// asOf, then answered on each simulated path without sampling it on a grid.
//
// A path's scenario is piecewise constant and right-continuous: the state at instant t includes
// every change at a time ≤ t, so a scenario that starts at a change c holds on [c, next change).
// Over a window [from, to] (both ends included):
// - `by` C: C holds at some instant of the window (a scenario that began before `from` and
//   still holds at `from` counts; one that a change ends exactly at `from` does not);
// - `at` C: C holds at the instant `to` (a change exactly at `to` is counted);
// - `never` C: not `by` C;
// - sequence [S1, S2 within d2, …]: there are instants t1 ≤ t2 ≤ … in the window with S_k
//   holding at t_k and t_k − t_{k−1} ≤ d_k (no `within`: any later instant). The sets of such
//   instants are unions of intervals with exact open or closed ends, so a step that starts at
//   exactly d after the previous one stopped holding is outside (it stopped just before);
// - changes of factor f: the number of instants t in [from, to] at which f's state differs from
//   its state just before t (several recorded moves of f at one instant count once, or not at
//   all if they end where they began), within [atLeast, atMost];
// - observed states: the path counts only if each observed state holds at its instant, so the
//   conditional probability is (paths counted with yes) / (paths counted).
// Browser-safe (no Node imports).
import type { CompiledModel } from "../model/compiled.js";
import { addSteps, daysBetween, modelStep, parseDuration } from "../model/step.js";
import { durationDays } from "../model/tempo.js";
import type { Model, Question, QuestionCondition } from "../model/types.js";
import type { Path } from "../prob/path.js";

/** A condition on one scenario over factor and state indices (a tree: no expansion to DNF). */
export type StateTest =
  | { kind: "state"; factor: number; state: number }
  | { kind: "any"; of: StateTest[] }
  | { kind: "all"; of: StateTest[] }
  | { kind: "not"; test: StateTest };

/** What a compiled question asks about its window (a discriminated union on `kind`). */
export type CompiledEvent =
  | { kind: "by"; test: StateTest }
  | { kind: "at"; test: StateTest }
  | { kind: "never"; test: StateTest }
  /** `within` in days after the previous step; Infinity for none (always on the first step). */
  | { kind: "sequence"; steps: { test: StateTest; within: number }[] }
  /** Changes of `factor` in the window: yes when atLeast ≤ count ≤ atMost (Infinity: no bound). */
  | { kind: "changes"; factor: number; atLeast: number; atMost: number };

/** A state observed at an instant (days from asOf). */
export interface CompiledObservation {
  t: number;
  factor: number;
  state: number;
}

export interface CompiledQuestion {
  id: string;
  /** Start of the window, days from asOf (0 without a window start). */
  from: number;
  /** End of the window, days from asOf: the horizon instant. */
  to: number;
  event: CompiledEvent;
  /** Interventions (`given`): factor index → state index, held for the whole run by the simulation. */
  given: Map<number, number>;
  /** Observed states, in time order: a path counts only if each holds at its instant. */
  observed: CompiledObservation[];
}

/** The answer of one question on one path. `yes` is false whenever `counted` is. */
export interface PathAnswer {
  counted: boolean;
  yes: boolean;
}

function stateIndex(cm: CompiledModel, factor: string, state: string): { factor: number; state: number } {
  const f = cm.factorIds.indexOf(factor);
  const s = f < 0 ? -1 : cm.stateIds[f].indexOf(state);
  if (s < 0) throw new Error(`unresolved state reference '${factor}=${state}': validate the model first`);
  return { factor: f, state: s };
}

/** A condition over the model's factor and state indices (validated references). */
export function compileTest(cm: CompiledModel, c: QuestionCondition): StateTest {
  switch (c.kind) {
    case "state":
      return { kind: "state", ...stateIndex(cm, c.ref.factor, c.ref.state) };
    case "not":
      return { kind: "not", test: compileTest(cm, c.condition) };
    default:
      return { kind: c.kind, of: c.of.map((x) => compileTest(cm, x)) };
  }
}

/** Whether scenario z (state index per factor) passes the test. */
export function passes(test: StateTest, z: ArrayLike<number>): boolean {
  switch (test.kind) {
    case "state":
      return z[test.factor] === test.state;
    case "not":
      return !passes(test.test, z);
    case "any":
      return test.of.some((x) => passes(x, z));
    case "all":
      return test.of.every((x) => passes(x, z));
  }
}

/** A date, or k steps of the model's step, as days from asOf. */
function dayOf(model: Pick<Model, "asOf" | "step">, when: number | string): number {
  const date = typeof when === "number" ? addSteps(model.asOf, modelStep(model), when) : when;
  return daysBetween(model.asOf, date);
}

/**
 * A question's window in days from asOf: from the start of its first day (asOf without one) to
 * the END of its horizon's day (the start of the next day). "By 30 June" includes 30 June, as
 * scoring does (window.ts: both end dates inclusive), so an event on the horizon date is inside
 * the window the probability covers.
 */
export function questionWindowDays(
  model: Pick<Model, "asOf" | "step">,
  q: Pick<Question, "from" | "horizon">,
): { from: number; to: number } {
  return { from: q.from === undefined ? 0 : dayOf(model, q.from), to: dayOf(model, q.horizon) + 1 };
}

/** A duration (ISO 8601) in mean days. */
function withinDays(within: string | undefined): number {
  if (within === undefined) return Number.POSITIVE_INFINITY;
  const d = parseDuration(within);
  if (!d) throw new Error(`'${within}' is not a duration: validate the model first`);
  return durationDays(d);
}

/**
 * Compiles a (validated) question of `model` against its compiled model: state references to
 * indices, the window and observation dates to days from asOf (a horizon of k steps is the day
 * of step k, addSteps), each sequence step's `within` to mean days.
 */
export function compileQuestion(model: Model, cm: CompiledModel, q: Question): CompiledQuestion {
  const { from, to } = questionWindowDays(model, q);
  if (from > to)
    throw new Error(`question '${q.id}': its window ends before it starts: validate the model first`);
  const c = q.condition;
  let event: CompiledEvent;
  switch (c.kind) {
    case "never":
      event = { kind: "never", test: compileTest(cm, c.condition) };
      break;
    case "sequence":
      event = {
        kind: "sequence",
        steps: c.steps.map((st, k) => ({
          test: compileTest(cm, st.condition),
          within: k === 0 ? Number.POSITIVE_INFINITY : withinDays(st.within),
        })),
      };
      break;
    case "changes": {
      const f = cm.factorIds.indexOf(c.factor);
      if (f < 0) throw new Error(`unresolved factor '${c.factor}': validate the model first`);
      event = {
        kind: "changes",
        factor: f,
        atLeast: c.atLeast ?? 0,
        atMost: c.atMost ?? Number.POSITIVE_INFINITY,
      };
      break;
    }
    default:
      event = { kind: q.mode, test: compileTest(cm, c) };
  }
  const given = new Map<number, number>();
  for (const g of q.given) {
    const r = stateIndex(cm, g.factor, g.state);
    given.set(r.factor, r.state);
  }
  const observed = (q.observed ?? [])
    .map((o) => ({ t: daysBetween(model.asOf, o.date), ...stateIndex(cm, o.ref.factor, o.ref.state) }))
    .sort((a, b) => a.t - b.t);
  return { id: q.id, from, to, event, given, observed };
}

/** The last day a path must be simulated to for the question: its window's end, or a later observation. */
export function questionEnd(cq: CompiledQuestion): number {
  let end = cq.to;
  for (const o of cq.observed) if (o.t > end) end = o.t;
  return end;
}

/** The state of factor f at instant t (changes at exactly t included). */
function stateOf(path: Path, f: number, t: number): number {
  let s = path.start[f];
  for (let e = 0; e < path.length && path.times[e] <= t; e++) if (path.factors[e] === f) s = path.states[e];
  return s;
}

/**
 * Calls `visit` for each stretch of the path within [from, to] with its scenario `z`: [lo, hi)
 * for every stretch but the last, which is [lo, to] (a single instant when a change falls
 * exactly on `to`). `visit` returning true stops the walk. `z` is reused between calls.
 */
function walk(
  path: Path,
  from: number,
  to: number,
  visit: (lo: number, hi: number, closed: boolean, z: Int32Array) => boolean | undefined,
): void {
  const z = Int32Array.from(path.start);
  let e = 0;
  while (e < path.length && path.times[e] <= from) {
    z[path.factors[e]] = path.states[e];
    e++;
  }
  let lo = from;
  for (;;) {
    if (e >= path.length || path.times[e] > to) {
      visit(lo, to, true, z);
      return;
    }
    const t = path.times[e];
    if (visit(lo, t, false, z)) return;
    while (e < path.length && path.times[e] === t) {
      z[path.factors[e]] = path.states[e];
      e++;
    }
    lo = t;
  }
}

/** An interval of instants [lo, hi] (closed) or [lo, hi) (not closed); lo is always included. */
interface Interval {
  lo: number;
  hi: number;
  closed: boolean;
}

const nonEmpty = (x: Interval) => x.lo < x.hi || (x.lo === x.hi && x.closed);

/** Appends an interval to a sorted list, joining it to the last one when they touch or overlap. */
function append(list: Interval[], x: Interval): void {
  const last = list[list.length - 1];
  if (last && x.lo <= last.hi) {
    if (x.hi > last.hi) {
      last.hi = x.hi;
      last.closed = x.closed;
    } else if (x.hi === last.hi) last.closed ||= x.closed;
    return;
  }
  list.push({ ...x });
}

/** {t : t − s ∈ [0, d] for some s in the set}: each interval's end moved d later. */
function dilate(list: Interval[], d: number): Interval[] {
  const out: Interval[] = [];
  for (const x of list)
    append(out, { lo: x.lo, hi: x.hi + d, closed: x.closed || d === Number.POSITIVE_INFINITY });
  return out;
}

/** The intersection of two sorted lists of disjoint, non-touching intervals. */
function intersect(a: Interval[], b: Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i];
    const y = b[j];
    const lo = Math.max(x.lo, y.lo);
    const hi = Math.min(x.hi, y.hi);
    const closed = x.hi === y.hi ? x.closed && y.closed : x.hi < y.hi ? x.closed : y.closed;
    const r = { lo, hi, closed };
    if (nonEmpty(r)) out.push(r);
    if (x.hi <= y.hi) i++;
    if (y.hi <= x.hi) j++;
  }
  return out;
}

/** Whether a sequence happens within [from, to] on the path (see the top of this file). */
function sequenceHappens(
  path: Path,
  from: number,
  to: number,
  steps: { test: StateTest; within: number }[],
): boolean {
  const sets: Interval[][] = steps.map(() => []);
  walk(path, from, to, (lo, hi, closed, z) => {
    steps.forEach((st, k) => {
      if (passes(st.test, z)) append(sets[k], { lo, hi, closed });
    });
    return false;
  });
  let reach = sets[0];
  for (let k = 1; k < steps.length && reach.length > 0; k++)
    reach = intersect(sets[k], dilate(reach, steps[k].within));
  return reach.length > 0;
}

/** Instants in [from, to] at which factor f's state differs from its state just before. */
function countChanges(path: Path, f: number, from: number, to: number): number {
  let s = path.start[f];
  let count = 0;
  let e = 0;
  while (e < path.length && path.times[e] <= to) {
    const t = path.times[e];
    const before = s;
    while (e < path.length && path.times[e] === t) {
      if (path.factors[e] === f) s = path.states[e];
      e++;
    }
    if (t >= from && s !== before) count++;
  }
  return count;
}

/** Whether the event happens on the path (observations aside). */
function happens(cq: CompiledQuestion, path: Path): boolean {
  const ev = cq.event;
  switch (ev.kind) {
    case "at": {
      const z = Int32Array.from(path.start);
      for (let e = 0; e < path.length && path.times[e] <= cq.to; e++) z[path.factors[e]] = path.states[e];
      return passes(ev.test, z);
    }
    case "by":
    case "never": {
      let hit = false;
      walk(path, cq.from, cq.to, (_lo, _hi, _closed, z) => {
        hit = passes(ev.test, z);
        return hit;
      });
      return ev.kind === "by" ? hit : !hit;
    }
    case "sequence":
      return sequenceHappens(path, cq.from, cq.to, ev.steps);
    case "changes": {
      const n = countChanges(path, ev.factor, cq.from, cq.to);
      return n >= ev.atLeast && n <= ev.atMost;
    }
  }
}

/**
 * The question's answer on one path, exactly: `counted` is false when an observed state does
 * not hold at its instant (the path does not count towards the conditional probability), and
 * then `yes` is false too. Throws when the path stops before questionEnd(cq).
 */
export function evaluate(cq: CompiledQuestion, path: Path): PathAnswer {
  const end = questionEnd(cq);
  if (path.end < end)
    throw new Error(`question '${cq.id}' needs the path up to day ${end}, but it stops at day ${path.end}`);
  for (const o of cq.observed)
    if (stateOf(path, o.factor, o.t) !== o.state) return { counted: false, yes: false };
  return { counted: true, yes: happens(cq, path) };
}
