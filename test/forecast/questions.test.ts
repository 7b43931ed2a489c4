// Questions evaluated exactly on continuous-time paths (src/forecast/questions.ts): hand-made
// paths whose answers are worked out by hand (boundaries of the window, of `within`, counts at
// their bounds, failed observations), a brute-force check against a naive evaluator that reads
// the path on a fine grid plus every change instant, and the compilation of model questions.
import { describe, expect, it } from "vitest";
import { compileCondition, conditionText, holds } from "../../src/forecast/condition.js";
import {
  type CompiledEvent,
  type CompiledQuestion,
  compileQuestion,
  evaluate,
  passes,
  questionEnd,
  questionWindowDays,
  type StateTest,
} from "../../src/forecast/questions.js";
import { compileModel } from "../../src/model/compile.js";
import { parseModelText } from "../../src/model/load.js";
import type { Model, QuestionCondition } from "../../src/model/types.js";
import { type Path, pathOf, stateAt } from "../../src/prob/path.js";
import { makeRng, type Rng } from "../../src/random.js";

// Factors of the hand-made paths: 0 talks (0 deal, 1 drag, 2 collapse), 1 strikes (0 none,
// 1 strikes), 2 region (0 calm, 1 war). Every path starts in drag, none, calm.
const TALKS = 0;
const STRIKES = 1;
const REGION = 2;
const START = [1, 0, 0];
const is = (factor: number, state: number): StateTest => ({ kind: "state", factor, state });
const COLLAPSE = is(TALKS, 2);
const DRAG = is(TALKS, 1);
const STRIKE = is(STRIKES, 1);
const WAR = is(REGION, 1);

type Change = { t: number; factor: number; state: number };
const path = (changes: Change[], end = 100): Path => pathOf(START, changes, end);
const question = (
  event: CompiledEvent,
  from: number,
  to: number,
  observed: CompiledQuestion["observed"] = [],
): CompiledQuestion => ({ id: "q", from, to, event, given: new Map(), observed });
/** The answer (yes or no) of a question without observations. */
const yes = (event: CompiledEvent, from: number, to: number, changes: Change[]): boolean => {
  const r = evaluate(question(event, from, to), path(changes));
  expect(r.counted).toBe(true);
  return r.yes;
};
const by = (test: StateTest): CompiledEvent => ({ kind: "by", test });
const at = (test: StateTest): CompiledEvent => ({ kind: "at", test });
const never = (test: StateTest): CompiledEvent => ({ kind: "never", test });
const seq = (...steps: [StateTest, number?][]): CompiledEvent => ({
  kind: "sequence",
  steps: steps.map(([test, within]) => ({ test, within: within ?? Number.POSITIVE_INFINITY })),
});
const changes = (factor: number, atLeast = 0, atMost = Number.POSITIVE_INFINITY): CompiledEvent => ({
  kind: "changes",
  factor,
  atLeast,
  atMost,
});
const to = (t: number, factor: number, state: number): Change => ({ t, factor, state });

describe("by, at, never on hand-made paths", () => {
  const collapseAt30 = [to(30, TALKS, 2)];
  it("a change exactly at the window's end is inside it", () => {
    expect(yes(by(COLLAPSE), 0, 30, collapseAt30)).toBe(true);
    expect(yes(by(COLLAPSE), 0, 29.999, collapseAt30)).toBe(false);
    expect(yes(at(COLLAPSE), 0, 30, collapseAt30)).toBe(true);
    expect(yes(at(COLLAPSE), 0, 29.999, collapseAt30)).toBe(false);
    expect(yes(never(COLLAPSE), 0, 30, collapseAt30)).toBe(false);
    expect(yes(never(COLLAPSE), 0, 29.999, collapseAt30)).toBe(true);
  });

  it("a change exactly at the window's start is inside it; one that ends a state there is not", () => {
    const spell = [to(10, TALKS, 2), to(20, TALKS, 1)]; // collapse on [10, 20)
    expect(yes(by(COLLAPSE), 10, 30, spell)).toBe(true);
    expect(yes(by(COLLAPSE), 20, 30, spell)).toBe(false);
    expect(yes(by(COLLAPSE), 19.99, 30, spell)).toBe(true);
    expect(yes(by(COLLAPSE), 0, 9.99, spell)).toBe(false);
    expect(yes(never(COLLAPSE), 20, 30, spell)).toBe(true);
  });

  it("a state that began before the window and still holds at its start counts for by", () => {
    expect(yes(by(DRAG), 5, 10, [])).toBe(true);
    expect(yes(by(COLLAPSE), 40, 50, [to(3, TALKS, 2)])).toBe(true);
    expect(yes(never(COLLAPSE), 40, 50, [to(3, TALKS, 2)])).toBe(false);
  });

  it("at reads the instant `to`: simultaneous changes all applied, the start of the window ignored", () => {
    expect(yes(at(COLLAPSE), 0, 30, [to(30, TALKS, 2), to(30, TALKS, 1)])).toBe(false);
    expect(yes(at(DRAG), 0, 30, [to(30, TALKS, 2), to(30, TALKS, 1)])).toBe(true);
    expect(yes(at(COLLAPSE), 25, 30, [to(3, TALKS, 2)])).toBe(true);
    expect(yes(at(COLLAPSE), 0, 30, [to(30.0001, TALKS, 2)])).toBe(false);
  });

  it("a state that exists only between simultaneous changes holds at no instant", () => {
    const flicker = [to(12, TALKS, 2), to(12, TALKS, 1)];
    expect(yes(by(COLLAPSE), 0, 30, flicker)).toBe(false);
    expect(yes(by(DRAG), 12, 30, flicker)).toBe(true);
  });

  it("not, any, all", () => {
    const notDrag: StateTest = { kind: "not", test: DRAG };
    expect(yes(by(notDrag), 0, 9.99, [to(10, TALKS, 0)])).toBe(false);
    expect(yes(by(notDrag), 0, 10, [to(10, TALKS, 0)])).toBe(true);
    const both: StateTest = { kind: "all", of: [COLLAPSE, STRIKE] };
    const either: StateTest = { kind: "any", of: [COLLAPSE, STRIKE] };
    // collapse on [10, 20), strikes from 20: never both at once, but each at some time.
    const apart = [to(10, TALKS, 2), to(20, TALKS, 1), to(20, STRIKES, 1)];
    expect(yes(by(both), 0, 50, apart)).toBe(false);
    expect(yes(by(either), 0, 50, apart)).toBe(true);
    expect(yes(by(both), 0, 50, [to(10, TALKS, 2), to(19.5, STRIKES, 1)])).toBe(true);
  });
});

describe("sequences on hand-made paths", () => {
  it("B after A within d: just inside and just outside, measured from A's last instant", () => {
    const spell = [to(10, TALKS, 2), to(12, TALKS, 1)]; // collapse on [10, 12)
    expect(yes(seq([COLLAPSE], [STRIKE, 10]), 0, 50, [...spell, to(21.999, STRIKES, 1)])).toBe(true);
    // Strikes at 22: 22 − t1 ≤ 10 needs t1 ≥ 12, when the talks no longer collapse.
    expect(yes(seq([COLLAPSE], [STRIKE, 10]), 0, 50, [...spell, to(22, STRIKES, 1)])).toBe(false);
    expect(yes(seq([COLLAPSE], [STRIKE, 10.001]), 0, 50, [...spell, to(22, STRIKES, 1)])).toBe(true);
  });

  it("A still holding: any instant of A counts, not only the first (B 20 days after A began, d = 10)", () => {
    expect(yes(seq([COLLAPSE], [STRIKE, 10]), 0, 50, [to(10, TALKS, 2), to(30, STRIKES, 1)])).toBe(true);
    expect(yes(seq([COLLAPSE], [STRIKE, 10]), 0, 50, [to(10, TALKS, 2), to(30.5, STRIKES, 1)])).toBe(true);
  });

  it("B before A is no sequence; A and B at the same instant is one", () => {
    const bFirst = [to(5, STRIKES, 1), to(8, STRIKES, 0), to(10, TALKS, 2)];
    expect(yes(seq([COLLAPSE], [STRIKE, 10]), 0, 50, bFirst)).toBe(false);
    expect(yes(seq([STRIKE], [COLLAPSE, 10]), 0, 50, bFirst)).toBe(true);
    expect(yes(seq([STRIKE], [COLLAPSE, 1.99]), 0, 50, bFirst)).toBe(false);
    expect(yes(seq([STRIKE], [COLLAPSE, 2]), 0, 50, bFirst)).toBe(false); // strikes end at 8⁻
    expect(yes(seq([STRIKE], [COLLAPSE, 2.01]), 0, 50, bFirst)).toBe(true);
    const together = [to(10, TALKS, 2), to(10, STRIKES, 1), to(11, TALKS, 1), to(11, STRIKES, 0)];
    expect(yes(seq([COLLAPSE], [STRIKE, 0.0001]), 0, 50, together)).toBe(true);
  });

  it("the window bounds both steps: A before the window counts only where it still holds in it", () => {
    const a = [to(5, TALKS, 2), to(15, STRIKES, 1)];
    expect(yes(seq([COLLAPSE], [STRIKE, 3]), 10, 50, a)).toBe(true); // t1 = 12 … 15
    const ended = [to(5, TALKS, 2), to(10, TALKS, 1), to(11, STRIKES, 1)];
    expect(yes(seq([COLLAPSE], [STRIKE, 30]), 10, 50, ended)).toBe(false);
    expect(yes(seq([COLLAPSE], [STRIKE, 30]), 9.5, 50, ended)).toBe(true);
    // B exactly at the window's end is in; just after is out.
    expect(yes(seq([COLLAPSE], [STRIKE, 10]), 0, 30, [to(25, TALKS, 2), to(30, STRIKES, 1)])).toBe(true);
    expect(yes(seq([COLLAPSE], [STRIKE, 10]), 0, 30, [to(25, TALKS, 2), to(30.5, STRIKES, 1)])).toBe(false);
    // B exactly at the window's end and exactly d after A stopped: out (A stopped just before 20).
    const edge = [to(10, TALKS, 2), to(20, TALKS, 1), to(30, STRIKES, 1)];
    expect(yes(seq([COLLAPSE], [STRIKE, 10]), 0, 30, edge)).toBe(false);
    expect(yes(seq([COLLAPSE], [STRIKE, 10.5]), 0, 30, edge)).toBe(true);
  });

  it("three steps, each within its own time of the one before; no `within` means any later time", () => {
    const chain = [
      to(10, TALKS, 2),
      to(11, TALKS, 1),
      to(15, STRIKES, 1),
      to(16, STRIKES, 0),
      to(40, REGION, 1),
    ];
    expect(yes(seq([COLLAPSE], [STRIKE, 5], [WAR]), 0, 50, chain)).toBe(true);
    expect(yes(seq([COLLAPSE], [STRIKE, 5], [WAR, 25]), 0, 50, chain)).toBe(true); // 40 − 16⁻ < 25
    expect(yes(seq([COLLAPSE], [STRIKE, 5], [WAR, 24]), 0, 50, chain)).toBe(false); // strikes end at 16
    expect(yes(seq([COLLAPSE], [STRIKE, 4]), 0, 50, chain)).toBe(false); // collapse ends at 11
    expect(yes(seq([COLLAPSE], [STRIKE, 4.01], [WAR]), 0, 50, chain)).toBe(true);
    expect(yes(seq([COLLAPSE], [STRIKE, 5], [WAR]), 0, 39.99, chain)).toBe(false);
  });
});

describe("counts of changes on hand-made paths", () => {
  const spell = [to(10, REGION, 1), to(20, REGION, 0)];
  it("changes at both ends of the window are counted", () => {
    expect(yes(changes(REGION, 2, 2), 10, 20, spell)).toBe(true);
    expect(yes(changes(REGION, 1, 1), 10, 19.99, spell)).toBe(true);
    expect(yes(changes(REGION, 1, 1), 10.01, 20, spell)).toBe(true);
    expect(yes(changes(REGION, 0, 0), 10.01, 19.99, spell)).toBe(true);
  });

  it("at least / at most at their bounds", () => {
    expect(yes(changes(REGION, 2), 0, 50, spell)).toBe(true);
    expect(yes(changes(REGION, 3), 0, 50, spell)).toBe(false);
    expect(yes(changes(REGION, 0, 2), 0, 50, spell)).toBe(true);
    expect(yes(changes(REGION, 0, 1), 0, 50, spell)).toBe(false);
    expect(yes(changes(TALKS, 0, 0), 0, 50, spell)).toBe(true);
  });

  it("moves of one factor at one instant count once, or not at all if they end where they began", () => {
    expect(yes(changes(REGION, 1, 1), 0, 50, [to(15, REGION, 1), to(15, REGION, 0)])).toBe(false);
    expect(yes(changes(REGION, 0, 0), 0, 50, [to(15, REGION, 1), to(15, REGION, 0)])).toBe(true);
    expect(yes(changes(TALKS, 1, 1), 0, 50, [to(15, TALKS, 0), to(15, TALKS, 2)])).toBe(true);
    // A recorded move to the state the factor already has is no change.
    expect(yes(changes(TALKS, 0, 0), 0, 50, [to(15, TALKS, 1)])).toBe(true);
  });
});

describe("observed states", () => {
  const observed = (t: number, factor: number, state: number) => [{ t, factor, state }];
  it("counts a path only when each observed state holds at its instant", () => {
    const p = path([to(15, TALKS, 2), to(25, STRIKES, 1)]);
    const ask = (obs: CompiledQuestion["observed"]) => evaluate(question(by(STRIKE), 0, 30, obs), p);
    expect(ask(observed(15, TALKS, 2))).toEqual({ counted: true, yes: true });
    expect(ask(observed(14.99, TALKS, 2))).toEqual({ counted: false, yes: false });
    expect(ask(observed(14.99, TALKS, 1))).toEqual({ counted: true, yes: true });
    expect(ask([...observed(20, TALKS, 2), ...observed(20, STRIKES, 1)])).toEqual({
      counted: false,
      yes: false,
    });
    // An observation after the window: the path must reach it.
    expect(ask(observed(60, TALKS, 2))).toEqual({ counted: true, yes: true });
    expect(() => evaluate(question(by(STRIKE), 0, 30, observed(60, TALKS, 2)), path([], 50))).toThrow(
      /needs the path up to day 60, but it stops at day 50/,
    );
    expect(questionEnd(question(by(STRIKE), 0, 30, observed(60, TALKS, 2)))).toBe(60);
    expect(questionEnd(question(by(STRIKE), 0, 30, observed(10, TALKS, 2)))).toBe(30);
  });

  it("the conditional probability is yes over counted paths", () => {
    // Four paths: collapse by day 20 on three, strikes by day 30 on two of those and on the fourth.
    const paths = [
      path([to(10, TALKS, 2), to(25, STRIKES, 1)]),
      path([to(15, TALKS, 2), to(28, STRIKES, 1)]),
      path([to(18, TALKS, 2)]),
      path([to(5, STRIKES, 1)]),
    ];
    const cq = question(by(STRIKE), 0, 30, [{ t: 20, factor: TALKS, state: 2 }]);
    const answers = paths.map((p) => evaluate(cq, p));
    expect(answers.filter((a) => a.counted)).toHaveLength(3);
    expect(answers.filter((a) => a.yes)).toHaveLength(2); // P(strikes by 30 | collapse at 20) = 2/3
  });
});

// ---------------------------------------------------------------------------------------------
// Brute force: the exact evaluator against a naive one that reads the path at every instant of
// a fine grid, every change instant and the window's ends. Change times, window ends and
// `within` are whole days and the grid is ⅛ day, so every boundary case falls on the grid (the
// sets compared are unions of intervals with whole-day ends) and the naive answer is exact.
// ---------------------------------------------------------------------------------------------

const COUNTS = [3, 2, 2];
const GRID = 1 / 8;

function randomTest(rng: Rng, depth: number): StateTest {
  const r = rng.next();
  if (depth <= 0 || r < 0.5) {
    const f = rng.int(0, COUNTS.length - 1);
    return is(f, rng.int(0, COUNTS[f] - 1));
  }
  if (r < 0.65) return { kind: "not", test: randomTest(rng, depth - 1) };
  const of = Array.from({ length: rng.int(1, 3) }, () => randomTest(rng, depth - 1));
  return { kind: r < 0.82 ? "any" : "all", of };
}

function randomPath(rng: Rng, end: number): Path {
  const changes: Change[] = [];
  const n = rng.int(0, 12);
  for (let k = 0; k < n; k++) {
    const factor = rng.int(0, COUNTS.length - 1);
    // Whole days, often shared by several changes; now and then a move to the same state.
    changes.push({ t: rng.int(1, end - 4), factor, state: rng.int(0, COUNTS[factor] - 1) });
  }
  const start = COUNTS.map((c) => rng.int(0, c - 1));
  return pathOf(start, changes, end);
}

function randomQuestion(rng: Rng, end: number): CompiledQuestion {
  const from = rng.next() < 0.4 ? 0 : rng.int(0, 8);
  const to_ = rng.int(from + 1, end - 4);
  const kind = rng.int(0, 4);
  const test = () => randomTest(rng, 2);
  let event: CompiledEvent;
  if (kind === 0) event = by(test());
  else if (kind === 1) event = at(test());
  else if (kind === 2) event = never(test());
  else if (kind === 3)
    event = {
      kind: "sequence",
      steps: Array.from({ length: rng.int(2, 3) }, (_, k) => ({
        test: test(),
        within: k === 0 || rng.next() < 0.25 ? Number.POSITIVE_INFINITY : rng.int(1, 5),
      })),
    };
  else {
    const lo = rng.int(0, 3);
    event = changes(
      rng.int(0, COUNTS.length - 1),
      lo,
      rng.next() < 0.5 ? Number.POSITIVE_INFINITY : rng.int(lo, lo + 2),
    );
  }
  const observed = Array.from({ length: rng.next() < 0.6 ? 0 : rng.int(1, 2) }, () => {
    const factor = rng.int(0, COUNTS.length - 1);
    return { t: rng.int(0, end), factor, state: rng.int(0, COUNTS[factor] - 1) };
  }).sort((a, b) => a.t - b.t);
  return { id: "random", from, to: to_, event, given: new Map(), observed };
}

/** The naive evaluator: the path read at grid instants, change instants and the window's ends. */
function naive(cq: CompiledQuestion, p: Path): { counted: boolean; yes: boolean } {
  for (const o of cq.observed)
    if (stateAt(p, o.t)[o.factor] !== o.state) return { counted: false, yes: false };
  const instants = new Set<number>([cq.from, cq.to]);
  for (let t = 0; t <= p.end; t += GRID) instants.add(t);
  for (let e = 0; e < p.length; e++) instants.add(p.times[e]);
  const inWindow = [...instants].filter((t) => t >= cq.from && t <= cq.to).sort((a, b) => a - b);
  const z = (t: number) => stateAt(p, t);
  const ev = cq.event;
  let yes: boolean;
  switch (ev.kind) {
    case "by":
      yes = inWindow.some((t) => passes(ev.test, z(t)));
      break;
    case "never":
      yes = !inWindow.some((t) => passes(ev.test, z(t)));
      break;
    case "at":
      yes = passes(ev.test, z(cq.to));
      break;
    case "sequence": {
      let reach = inWindow.filter((t) => passes(ev.steps[0].test, z(t)));
      for (const st of ev.steps.slice(1))
        reach = inWindow.filter(
          (t) => passes(st.test, z(t)) && reach.some((s) => s <= t && t - s <= st.within),
        );
      yes = reach.length > 0;
      break;
    }
    case "changes": {
      // The state just before each instant is the state at the previous grid point or change.
      const all = [...instants, cq.from - GRID].sort((a, b) => a - b);
      let n = 0;
      for (let k = 1; k < all.length; k++) {
        const t = all[k];
        if (t < cq.from || t > cq.to) continue;
        if (z(all[k - 1])[ev.factor] !== z(t)[ev.factor]) n++;
      }
      yes = n >= ev.atLeast && n <= ev.atMost;
      break;
    }
  }
  return { counted: true, yes };
}

describe("brute force: the exact evaluator agrees with a naive one on random paths", () => {
  it("6000 random paths and questions (by, at, never, sequences, counts, observed states)", () => {
    const rng = makeRng(20250415);
    const seen = { yes: 0, no: 0, uncounted: 0, kinds: new Map<string, number>() };
    for (let i = 0; i < 6000; i++) {
      const end = 20;
      const p = randomPath(rng, end);
      const cq = randomQuestion(rng, end);
      const got = evaluate(cq, p);
      const want = naive(cq, p);
      if (got.counted !== want.counted || got.yes !== want.yes)
        throw new Error(
          `case ${i}: exact ${JSON.stringify(got)} vs naive ${JSON.stringify(want)}\n${JSON.stringify({ cq, p: { start: [...p.start], times: [...p.times], factors: [...p.factors], states: [...p.states] } }, (_k, v) => (v === Number.POSITIVE_INFINITY ? "∞" : v instanceof Map ? [...v] : v))}`,
        );
      if (!got.counted) seen.uncounted++;
      else if (got.yes) seen.yes++;
      else seen.no++;
      seen.kinds.set(`${cq.event.kind}:${got.yes}`, (seen.kinds.get(`${cq.event.kind}:${got.yes}`) ?? 0) + 1);
    }
    // Both answers occur for every kind of question, and observations fail on some paths.
    for (const kind of ["by", "at", "never", "sequence", "changes"])
      for (const answer of [true, false])
        expect(seen.kinds.get(`${kind}:${answer}`) ?? 0).toBeGreaterThan(20);
    expect(seen.uncounted).toBeGreaterThan(200);
  });
});

describe("brute force on sequences of single states, where ends meet exactly", () => {
  it("4000 random paths: whole-day changes and `within`, states of one factor each step", () => {
    const rng = makeRng(99);
    let yes = 0;
    for (let i = 0; i < 4000; i++) {
      const p = randomPath(rng, 16);
      const steps = Array.from({ length: rng.int(2, 3) }, (_, k) => {
        const f = rng.int(0, COUNTS.length - 1);
        return {
          test: is(f, rng.int(0, COUNTS[f] - 1)),
          within: k === 0 ? Number.POSITIVE_INFINITY : rng.int(1, 4),
        };
      });
      const from = rng.int(0, 4);
      const cq = question({ kind: "sequence", steps }, from, rng.int(from + 1, 12));
      const got = evaluate(cq, p);
      const want = naive(cq, p);
      if (got.yes) yes++;
      expect(got, `case ${i}`).toEqual(want);
    }
    expect(yes).toBeGreaterThan(1000);
    expect(yes).toBeLessThan(3000);
  });
});

// ---------------------------------------------------------------------------------------------
// Compiling the questions of a model.
// ---------------------------------------------------------------------------------------------

const MODEL = `id: toy
title: Toy
asOf: 2025-01-31
step: P1M
actors:
  - { id: a, name: Country A, kind: state }
factors:
  - id: talks
    name: Talks
    current: drag
    states: [{ id: deal, label: Deal }, { id: drag, label: Drag }, { id: collapse, label: Collapse }]
  - id: strikes
    name: Strikes
    current: none
    states: [{ id: none, label: None }, { id: strikes, label: Strikes }]
  - id: region
    name: Region
    current: calm
    states: [{ id: calm, label: Calm }, { id: war, label: War }]
impacts:
  - { from: talks=collapse, to: strikes=strikes, strength: 2 }
  - { from: strikes=strikes, to: region=war, strength: 2 }
  - { from: region=war, to: talks=collapse, strength: 1 }
questions:
  - { id: q-steps, text: Steps, condition: { not: talks=drag }, horizon: 1, mode: at }
  - { id: q-date, text: Date, condition: strikes=strikes, horizon: 2025-03-31, given: [talks=collapse] }
  - { id: q-never, text: Never, condition: region=war, mode: never, window: [2025-02-10, 2025-04-30] }
  - id: q-seq
    text: Sequence
    sequence: [{ condition: talks=collapse }, { condition: strikes=strikes, within: P1M }, { condition: region=war, within: P2W }]
    from: 2025-02-01
    horizon: 3
  - { id: q-changes, text: Changes, changes: { factor: region, atMost: 1 }, horizon: 2025-12-31 }
  - id: q-observed
    text: Observed
    condition: region=war
    horizon: 2025-06-30
    observed: [{ state: strikes=strikes, date: 2025-09-01 }, { state: talks=collapse, date: 2025-03-01 }]
`;

describe("compileQuestion", () => {
  const model: Model = parseModelText(MODEL).model!;
  const cm = compileModel(model);
  const q = (id: string) => compileQuestion(model, cm, model.questions!.find((x) => x.id === id)!);

  it("windows in days from asOf: a horizon of k steps is the day of step k (calendar months)", () => {
    // 2025-01-31 + P1M = 2025-02-28: 28 days; the window ends with the end of that day (29).
    // A window starts at the start of its first day and ends at the end of its last one.
    expect(q("q-steps")).toMatchObject({ from: 0, to: 29, event: { kind: "at" } });
    expect(q("q-date")).toMatchObject({ from: 0, to: 60, event: { kind: "by", test: STRIKE } });
    expect(q("q-never")).toMatchObject({ from: 10, to: 90, event: { kind: "never", test: WAR } });
    // 3 steps: 2025-04-30 (89 days, ending at 90); from 2025-02-01 (1 day).
    expect(q("q-seq")).toMatchObject({ from: 1, to: 90 });
    expect(questionWindowDays(model, { horizon: 3, from: "2025-02-01" })).toEqual({ from: 1, to: 90 });
  });

  it("conditions, sequences (within in mean days), counts, given and observed states to indices", () => {
    expect(q("q-steps").event).toEqual({ kind: "at", test: { kind: "not", test: DRAG } });
    expect(q("q-seq").event).toEqual({
      kind: "sequence",
      steps: [
        { test: COLLAPSE, within: Number.POSITIVE_INFINITY },
        { test: STRIKE, within: 30.436875 },
        { test: WAR, within: 14 },
      ],
    });
    expect(q("q-changes").event).toEqual({ kind: "changes", factor: REGION, atLeast: 0, atMost: 1 });
    expect(q("q-date").given).toEqual(new Map([[TALKS, 2]]));
    // Observations in time order; the last one sets how far paths must go.
    expect(q("q-observed").observed).toEqual([
      { t: 29, factor: TALKS, state: 2 },
      { t: 213, factor: STRIKES, state: 1 },
    ]);
    expect(questionEnd(q("q-observed"))).toBe(213);
    expect(questionEnd(q("q-date"))).toBe(60);
  });

  it("a compiled model question answers on a path as worked out by hand", () => {
    const cq = q("q-seq"); // window [1, 89]: collapse, strikes within 30.44 days, war within 14
    const ok = pathOf(START, [to(5, TALKS, 2), to(35, STRIKES, 1), to(48, REGION, 1)], 100);
    expect(evaluate(cq, ok)).toEqual({ counted: true, yes: true });
    const late = pathOf(
      START,
      [to(5, TALKS, 2), to(6, TALKS, 1), to(36.5, STRIKES, 1), to(48, REGION, 1)],
      100,
    );
    expect(evaluate(cq, late)).toEqual({ counted: true, yes: false }); // 36.5 − 6⁻ > 30.44
  });
});

// ---------------------------------------------------------------------------------------------
// condition.ts: `not` compiled to DNF, path conditions refused, texts.
// ---------------------------------------------------------------------------------------------

describe("condition.ts with not and path conditions", () => {
  const model: Model = parseModelText(MODEL).model!;
  const cm = compileModel(model);
  const ref = (factor: string, state: string): QuestionCondition => ({
    kind: "state",
    ref: { factor, state },
  });
  const FACTORS = ["talks", "strikes", "region"];

  function randomCondition(rng: Rng, depth: number): QuestionCondition {
    const t = randomTest(rng, depth);
    const conv = (x: StateTest): QuestionCondition =>
      x.kind === "state"
        ? ref(FACTORS[x.factor], cm.stateIds[x.factor][x.state])
        : x.kind === "not"
          ? { kind: "not", condition: conv(x.test) }
          : { kind: x.kind, of: x.of.map(conv) };
    return conv(t);
  }

  it("the DNF of a condition with negations holds in exactly the scenarios the tree does", () => {
    const rng = makeRng(7);
    const scenarios: number[][] = [];
    for (let a = 0; a < 3; a++)
      for (let b = 0; b < 2; b++) for (let c = 0; c < 2; c++) scenarios.push([a, b, c]);
    for (let i = 0; i < 300; i++) {
      const c = randomCondition(rng, 3);
      const dnf = compileCondition(cm, c);
      const test = (() => {
        const conv = (x: QuestionCondition): StateTest =>
          x.kind === "state"
            ? is(
                FACTORS.indexOf(x.ref.factor),
                cm.stateIds[FACTORS.indexOf(x.ref.factor)].indexOf(x.ref.state),
              )
            : x.kind === "not"
              ? { kind: "not", test: conv(x.condition) }
              : { kind: x.kind, of: x.of.map(conv) };
        return conv(c);
      })();
      for (const z of scenarios) expect(holds(dnf, z), conditionText(c)).toBe(passes(test, z));
    }
  });

  it("refuses path conditions, which are evaluated on paths", () => {
    for (const qid of ["q-never", "q-seq", "q-changes"])
      expect(() => compileCondition(cm, model.questions!.find((x) => x.id === qid)!.condition)).toThrow(
        /is a condition on the path through the window, not on one scenario/,
      );
  });

  it("texts of every form", () => {
    const text = (id: string) => conditionText(model.questions!.find((x) => x.id === id)!.condition);
    expect(text("q-steps")).toBe("not talks=drag");
    expect(text("q-never")).toBe("never region=war");
    expect(text("q-seq")).toBe("talks=collapse, then strikes=strikes within P1M, then region=war within P2W");
    expect(text("q-changes")).toBe("region changes at most 1 time");
    expect(conditionText({ kind: "changes", factor: "region", atLeast: 2 })).toBe(
      "region changes at least 2 times",
    );
    expect(conditionText({ kind: "changes", factor: "region", atLeast: 1, atMost: 1 })).toBe(
      "region changes exactly 1 time",
    );
    expect(
      conditionText({
        kind: "all",
        of: [ref("talks", "deal"), { kind: "not", condition: ref("region", "war") }],
      }),
    ).toBe("(talks=deal and not region=war)");
  });
});
