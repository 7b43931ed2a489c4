import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compromiseModel } from "../../src/bargain/baselines.js";
import { type ExchangeIssue, exchangeModel } from "../../src/bargain/exchange.js";
import { BargainInputError, type IssueActor } from "../../src/bargain/types.js";

const A = (name: string, position: number, clout: number, salience: number): IssueActor => ({
  name,
  position,
  clout,
  salience,
});

describe("exchange model: hand-worked examples", () => {
  it("three actors, two issues: the supplier on P reaches its partner's position", () => {
    // Issue P: A x=0 c=1 s=0.8 (weight c·s = 0.8), B x=100 c=1 s=0.3 (0.3), C x=40 c=1.8 s=0.5 (0.9).
    //   Σ c·s = 2.0, O_P = (0.8·0 + 0.3·100 + 0.9·40) / 2 = (0 + 30 + 36) / 2 = 33.
    //   Weight shares w = c·s / 2: A 0.4, B 0.15, C 0.45.
    // Issue Q: A x=100 c=1 s=0.4 (0.4), B x=0 c=1 s=0.6 (0.6), C x=60 c=1 s=1 (1.0).
    //   Σ c·s = 2.0, O_Q = (40 + 0 + 60) / 2 = 50. Shares: A 0.2, B 0.3, C 0.5.
    // Sides (preferred position vs outcome): P: A below (0 < 33), B above, C above (40 > 33);
    //   Q: A above (100 > 50), B below, C above (60 > 50).
    //   A–B are on opposite sides on both issues; A–C and B–C share a side on one issue: only A–B can trade.
    // Salience ratios P/Q: A 0.8/0.4 = 2, B 0.3/0.6 = 0.5 → A cares relatively more about P:
    //   A gives way on Q (towards B's 0), B gives way on P (towards A's 0).
    // Equal gain: gain_A = 0.8·D_P − 0.4·D_Q, gain_B = 0.6·D_Q − 0.3·D_P; equal when
    //   D_Q = D_P·(0.8 + 0.3)/(0.4 + 0.6) = 1.1·D_P, and then gain = D_P·(0.8·0.6 − 0.4·0.3)/(0.4 + 0.6) = 0.36·D_P.
    // Volume caps on D_P: B moves at most to A's position: 0.15·|0 − 100| = 15;
    //   O_P not past A's position: |0 − 33| = 33; A moves on Q at most to B's position: 0.2·|0 − 100| / 1.1 = 18.18;
    //   O_Q not past B's position: |0 − 50| / 1.1 = 45.45. Smallest: 15 (B reaches A).
    // So D_P = 15, D_Q = 16.5; B's move on P = 15 / 0.15 = 100 (100 → 0); A's move on Q = 16.5 / 0.2 = 82.5
    //   (100 → 17.5); gain = 0.36·15 = 5.4.
    // New outcomes: O_P = (0.8·0 + 0.3·0 + 0.9·40) / 2 = 18; O_Q = (0.4·17.5 + 0.6·0 + 1·60) / 2 = 33.5.
    // Check gains: A: before −(0.8·33 + 0.4·50) = −46.4, after −(0.8·18 + 0.4·66.5) = −41.0 → +5.4;
    //   B: before −(0.3·67 + 0.6·50) = −50.1, after −(0.3·82 + 0.6·33.5) = −44.7 → +5.4.
    // Then A and B have used both issues ("once"), and C still shares a side with each: no more exchanges.
    const issues: ExchangeIssue[] = [
      { id: "P", actors: [A("A", 0, 1, 0.8), A("B", 100, 1, 0.3), A("C", 40, 1.8, 0.5)] },
      { id: "Q", actors: [A("A", 100, 1, 0.4), A("B", 0, 1, 0.6), A("C", 60, 1, 1)] },
    ];
    for (const perIssue of ["once", "repeat"] as const) {
      const r = exchangeModel(issues, { perIssue });
      expect(r.engine).toBe("exchange");
      expect(r.exchanges).toHaveLength(1);
      const e = r.exchanges[0];
      expect([e.a, e.b, e.issueA, e.issueB, e.limit]).toEqual(["A", "B", "Q", "P", "b-reaches-a"]);
      expect(e.shiftA).toBeCloseTo(-82.5, 10);
      expect(e.shiftB).toBeCloseTo(-100, 10);
      expect(e.gain).toBeCloseTo(5.4, 10);
      expect(r.outcomes[0]).toMatchObject({ issue: "P", before: 33 });
      expect(r.outcomes[0].position).toBeCloseTo(18, 10);
      expect(r.outcomes[1]).toMatchObject({ issue: "Q", before: 50 });
      expect(r.outcomes[1].position).toBeCloseTo(33.5, 10);
      expect(r.positions.P).toEqual({ A: 0, B: 0, C: 40 });
      expect(r.positions.Q.A).toBeCloseTo(17.5, 10);
      expect(r.positions.Q.B).toBe(0);
      expect(r.stopped).toBe("no-exchange-left");
    }
  });

  it("the outcome reaches the demander's position first (third actor beyond the demander)", () => {
    // Issue U: a x=100 c=3 s=0.25 (0.75), b x=0 c=1 s=0.75 (0.75). Σ = 1.5, O_U = 75/1.5 = 50; shares 0.5, 0.5.
    // Issue V: a x=20 c=1 s=0.5 (0.5), b x=100 c=2 s=0.5 (1.0), C x=0 c=1 s=0.5 (0.5), C is not on U.
    //   Σ = 2, O_V = (10 + 100 + 0)/2 = 55; shares a 0.25, b 0.5, C 0.25.
    // Sides: U: a above, b below; V: a below (20 < 55), b above. Ratios V/U: a 0.5/0.25 = 2, b 0.5/0.75 = 2/3,
    //   so a gives way on U (towards 0), b on V (towards 20).
    // Rate D_U = D_V·(0.5 + 0.5)/(0.25 + 0.75) = D_V; gain = D_V·(0.5·0.75 − 0.25·0.5)/(0.25 + 0.75) = 0.25·D_V.
    // Caps on D_V: b to a's position 0.5·80 = 40; O_V not past a's position |20 − 55| = 35;
    //   a to b's position on U 0.5·100 = 50; O_U not past b's position |0 − 50| = 50. Smallest: 35 (outcome).
    // b moves 35/0.5 = 70 (100 → 30); a moves 35/0.5 = 70 (100 → 30); gain = 8.75.
    // O_V = (0.5·20 + 1·30 + 0)/2 = 20 (= a's position); O_U = (0.75·30 + 0)/1.5 = 15.
    // Check: a: −(0.25·50 + 0.5·35) = −30 → −(0.25·85 + 0.5·0) = −21.25 (+8.75);
    //        b: −(0.75·50 + 0.5·45) = −60 → −(0.75·15 + 0.5·80) = −51.25 (+8.75).
    const r = exchangeModel([
      { id: "U", actors: [A("a", 100, 3, 0.25), A("b", 0, 1, 0.75)] },
      { id: "V", actors: [A("a", 20, 1, 0.5), A("b", 100, 2, 0.5), A("C", 0, 1, 0.5)] },
    ]);
    expect(r.exchanges).toHaveLength(1);
    const e = r.exchanges[0];
    expect([e.a, e.b, e.issueA, e.issueB, e.limit]).toEqual(["a", "b", "U", "V", "outcome-reaches-a"]);
    expect(e.shiftA).toBeCloseTo(-70, 10);
    expect(e.shiftB).toBeCloseTo(-70, 10);
    expect(e.gain).toBeCloseTo(8.75, 10);
    expect(r.outcomes.map((o) => o.before)).toEqual([50, 55]);
    expect(r.outcomes[0].position).toBeCloseTo(15, 10);
    expect(r.outcomes[1].position).toBeCloseTo(20, 10);
    expect(r.positions.V.C).toBe(0);
  });
});

describe("exchange model: reduces to the compromise model", () => {
  const actorArb = fc.record({
    position: fc.double({ min: 0, max: 100, noNaN: true }),
    clout: fc.double({ min: 0, max: 10, noNaN: true }),
    salience: fc.double({ min: 0, max: 1, noNaN: true }),
  });
  it("a single issue equals compromiseModel", () => {
    fc.assert(
      fc.property(fc.array(actorArb, { minLength: 1, maxLength: 8 }), (raw) => {
        const actors = raw.map((a, k) => ({ ...a, name: `n${k}` }));
        const r = exchangeModel([{ id: "only", actors }]);
        const c = compromiseModel(actors).position;
        expect(r.exchanges).toEqual([]);
        expect(r.outcomes).toEqual([{ issue: "only", before: c, position: c }]);
        expect(r.positions.only).toEqual(Object.fromEntries(actors.map((a) => [a.name, a.position])));
      }),
      { numRuns: 200 },
    );
  });
  it("no exchange when partners share a side, have equal salience ratios, or share no issue", () => {
    // P: O = (0.5·0 + 0.5·10 + 1·100)/2 = 52.5, A and B both below; C is on P only.
    const sameSide = exchangeModel([
      { id: "P", actors: [A("A", 0, 1, 0.5), A("B", 10, 1, 0.5), A("C", 100, 2, 0.5)] },
      { id: "Q", actors: [A("A", 100, 1, 0.1), A("B", 0, 1, 0.9)] },
    ]);
    expect(sameSide.exchanges).toEqual([]);
    const equalRatios = exchangeModel([
      { id: "P", actors: [A("A", 0, 1, 0.8), A("B", 100, 1, 0.4)] },
      { id: "Q", actors: [A("A", 100, 1, 0.4), A("B", 0, 1, 0.2)] },
    ]);
    expect(equalRatios.exchanges).toEqual([]);
    const disjoint = exchangeModel([
      { id: "P", actors: [A("A", 0, 1, 0.8), A("B", 100, 1, 0.4)] },
      { id: "Q", actors: [A("A", 100, 1, 0.4), A("C", 0, 1, 0.9)] },
    ]);
    expect(disjoint.exchanges).toEqual([]);
    for (const r of [sameSide, equalRatios, disjoint])
      for (const o of r.outcomes) expect(o.position).toBe(o.before);
  });
  it("an issue on which every weight is zero keeps the equal-weight fallback and is not traded", () => {
    // Z: c·s = 0 for both, so the compromise model falls back to the plain mean (0 + 100)/2 = 50.
    const r = exchangeModel([
      { id: "P", actors: [A("A", 0, 1, 0.8), A("B", 100, 1, 0.3)] },
      { id: "Z", actors: [A("A", 100, 0, 0.4), A("B", 0, 0, 0.6)] },
    ]);
    expect(r.exchanges).toEqual([]);
    expect(r.outcomes[1]).toEqual({ issue: "Z", before: 50, position: 50 });
  });
});

// ---------------------------------------------------------------------------------------------------------
// Invariants against an independent computation: plain weighted means and utilities, and a brute-force
// search (by bisection on the volumes, not the closed form) for the best equal-gain exchange at each step.

type Pos = Record<string, Record<string, number>>; // issue → actor → voting position

const mean = (issue: ExchangeIssue, y: Record<string, number>): number => {
  let num = 0;
  let den = 0;
  for (const a of issue.actors) {
    num += a.clout * a.salience * y[a.name];
    den += a.clout * a.salience;
  }
  return den > 0 ? num / den : issue.actors.reduce((t, a) => t + y[a.name], 0) / issue.actors.length;
};
const utility = (issues: ExchangeIssue[], y: Pos, actor: string): number => {
  let u = 0;
  for (const issue of issues) {
    const me = issue.actors.find((a) => a.name === actor);
    if (me) u -= me.salience * Math.abs(me.position - mean(issue, y[issue.id]));
  }
  return u;
};
const clonePos = (y: Pos): Pos => Object.fromEntries(Object.entries(y).map(([k, v]) => [k, { ...v }]));
const pref = (issue: ExchangeIssue, name: string) => issue.actors.find((a) => a.name === name)!;

/**
 * Best equal-gain exchange "a gives way on u, b on v" from state y, found numerically: for a move m_b of b
 * towards a on v, bisect a's move m_a towards b on u until both gains are equal; the largest feasible m_b
 * (moves within the partner's position, outcomes not past the demander's position) gives the gain.
 */
function bruteGain(
  issues: ExchangeIssue[],
  y: Pos,
  a: string,
  b: string,
  u: ExchangeIssue,
  v: ExchangeIssue,
) {
  const Ou = mean(u, y[u.id]);
  const Ov = mean(v, y[v.id]);
  const sgn = (d: number) => (Math.abs(d) < 1e-9 ? 0 : Math.sign(d));
  const dirU = sgn(pref(u, b).position - Ou);
  const dirV = sgn(pref(v, a).position - Ov);
  if (dirU === 0 || dirV === 0) return 0;
  if (sgn(pref(u, a).position - Ou) !== -dirU || sgn(pref(v, b).position - Ov) !== -dirV) return 0;
  if (pref(u, a).clout * pref(u, a).salience <= 0 || pref(v, b).clout * pref(v, b).salience <= 0) return 0;
  const maxA = Math.max(0, dirU * (pref(u, b).position - y[u.id][a]));
  const maxB = Math.max(0, dirV * (pref(v, a).position - y[v.id][b]));
  const ua0 = utility(issues, y, a);
  const ub0 = utility(issues, y, b);
  const apply = (ma: number, mb: number) => {
    const z = clonePos(y);
    z[u.id][a] += dirU * ma;
    z[v.id][b] += dirV * mb;
    return z;
  };
  // returns [gain, feasible] for b's move mb
  const solve = (mb: number): [number, boolean] => {
    const h = (ma: number) => {
      const z = apply(ma, mb);
      return utility(issues, z, a) - ua0 - (utility(issues, z, b) - ub0);
    };
    if (h(maxA) > 0) return [0, false]; // even a's largest move leaves a ahead: b's move is too large
    let lo = 0;
    let hi = maxA;
    for (let k = 0; k < 50; k++) {
      const mid = (lo + hi) / 2;
      if (h(mid) > 0) lo = mid;
      else hi = mid;
    }
    const z = apply(lo, mb);
    const okV = dirV * (pref(v, a).position - mean(v, z[v.id])) >= -1e-9;
    const okU = dirU * (pref(u, b).position - mean(u, z[u.id])) >= -1e-9;
    return [utility(issues, z, a) - ua0, okU && okV];
  };
  let lo = 0;
  let hi = maxB;
  if (solve(hi)[1]) lo = hi;
  else
    for (let k = 0; k < 50; k++) {
      const mid = (lo + hi) / 2;
      if (solve(mid)[1]) lo = mid;
      else hi = mid;
    }
  return Math.max(0, solve(lo)[0]);
}

const caseArb = fc
  .record({ nActors: fc.integer({ min: 2, max: 4 }), nIssues: fc.integer({ min: 2, max: 3 }) })
  .chain(({ nActors, nIssues }) =>
    fc.array(
      fc.array(
        fc.record({
          position: fc.double({ min: 0, max: 100, noNaN: true }),
          clout: fc.double({ min: 0.1, max: 5, noNaN: true }),
          salience: fc.double({ min: 0.05, max: 1, noNaN: true }),
          present: fc.boolean(),
        }),
        { minLength: nActors, maxLength: nActors },
      ),
      { minLength: nIssues, maxLength: nIssues },
    ),
  )
  .map((rows): ExchangeIssue[] =>
    rows.map((row, d) => ({
      id: `I${d}`,
      actors: row
        .map((a, k) => ({
          name: `A${k}`,
          position: a.position,
          clout: a.clout,
          salience: a.salience,
          ok: a.present || k < 2,
        }))
        .filter((a) => a.ok)
        .map(({ ok: _, ...a }) => a),
    })),
  );

describe("exchange model: invariants on random cases (independent computation)", () => {
  for (const perIssue of ["once", "repeat"] as const)
    it(`every exchange is allowed, equal and non-negative for both partners (${perIssue})`, () => {
      fc.assert(
        fc.property(caseArb, (issues) => {
          const r = exchangeModel(issues, { perIssue });
          const y: Pos = Object.fromEntries(
            issues.map((i) => [i.id, Object.fromEntries(i.actors.map((a) => [a.name, a.position]))]),
          );
          const byId = Object.fromEntries(issues.map((i) => [i.id, i]));
          const direction = new Map<string, number>(); // "issue/actor" → sign of its moves
          const demanded = new Set<string>();
          for (const e of r.exchanges) {
            const [u, v] = [byId[e.issueA], byId[e.issueB]];
            const before = { a: utility(issues, y, e.a), b: utility(issues, y, e.b) };
            const [Ou, Ov] = [mean(u, y[u.id]), mean(v, y[v.id])];
            // sides: opposite on both issues; each moves towards its partner's side
            expect(Math.sign(pref(u, e.a).position - Ou)).toBe(-Math.sign(pref(u, e.b).position - Ou));
            expect(Math.sign(pref(v, e.a).position - Ov)).toBe(-Math.sign(pref(v, e.b).position - Ov));
            expect(Math.sign(e.shiftA)).toBe(Math.sign(pref(u, e.b).position - Ou));
            expect(Math.sign(e.shiftB)).toBe(Math.sign(pref(v, e.a).position - Ov));
            // a cares relatively more about v (where b gives way) than b does
            expect(pref(v, e.a).salience / pref(u, e.a).salience).toBeGreaterThan(
              pref(v, e.b).salience / pref(u, e.b).salience,
            );
            y[u.id][e.a] += e.shiftA;
            y[v.id][e.b] += e.shiftB;
            const ga = utility(issues, y, e.a) - before.a;
            const gb = utility(issues, y, e.b) - before.b;
            expect(ga).toBeGreaterThanOrEqual(0);
            expect(Math.abs(ga - e.gain)).toBeLessThan(1e-7);
            expect(Math.abs(gb - e.gain)).toBeLessThan(1e-7);
            // no overshoot: a voting position stops at the partner's position, an outcome at the demander's
            expect(Math.sign(e.shiftA) * (pref(u, e.b).position - y[u.id][e.a])).toBeGreaterThanOrEqual(
              -1e-9,
            );
            expect(Math.sign(e.shiftB) * (pref(v, e.a).position - y[v.id][e.b])).toBeGreaterThanOrEqual(
              -1e-9,
            );
            expect(Math.sign(e.shiftA) * (pref(u, e.b).position - mean(u, y[u.id]))).toBeGreaterThanOrEqual(
              -1e-9,
            );
            expect(Math.sign(e.shiftB) * (pref(v, e.a).position - mean(v, y[v.id]))).toBeGreaterThanOrEqual(
              -1e-9,
            );
            // roles: an actor never moves back on an issue, and never gives way where it demanded
            for (const [key, s] of [
              [`${u.id}/${e.a}`, Math.sign(e.shiftA)],
              [`${v.id}/${e.b}`, Math.sign(e.shiftB)],
            ] as const) {
              if (perIssue === "once") expect(direction.has(key)).toBe(false);
              expect(direction.get(key) ?? s).toBe(s);
              expect(demanded.has(key)).toBe(false);
              direction.set(key, s);
            }
            for (const key of [`${u.id}/${e.b}`, `${v.id}/${e.a}`]) {
              expect(direction.has(key)).toBe(false);
              if (perIssue === "once") expect(demanded.has(key)).toBe(false);
              demanded.add(key);
            }
          }
          // final positions and outcomes as replayed; outcomes within the range of preferred positions
          for (const issue of issues) {
            for (const a of issue.actors)
              expect(r.positions[issue.id][a.name]).toBeCloseTo(y[issue.id][a.name], 9);
            const o = r.outcomes.find((k) => k.issue === issue.id)!;
            expect(o.before).toBeCloseTo(compromiseModel(issue.actors).position, 12);
            expect(o.position).toBeCloseTo(mean(issue, y[issue.id]), 9);
            const xs = issue.actors.map((a) => a.position);
            expect(o.position).toBeGreaterThanOrEqual(Math.min(...xs) - 1e-9);
            expect(o.position).toBeLessThanOrEqual(Math.max(...xs) + 1e-9);
          }
        }),
        { numRuns: 150 },
      );
    });

  it("each realised exchange is the best one available, and none is left at the end (brute force, once)", () => {
    fc.assert(
      fc.property(caseArb, (issues) => {
        const r = exchangeModel(issues);
        const y: Pos = Object.fromEntries(
          issues.map((i) => [i.id, Object.fromEntries(i.actors.map((a) => [a.name, a.position]))]),
        );
        const used = new Set<string>();
        const names = [...new Set(issues.flatMap((i) => i.actors.map((a) => a.name)))];
        const bestAvailable = () => {
          let best = 0;
          for (const u of issues)
            for (const v of issues) {
              if (u === v) continue;
              for (const a of names)
                for (const b of names) {
                  if (a === b) continue;
                  if (
                    ![u, v].every(
                      (i) => i.actors.some((k) => k.name === a) && i.actors.some((k) => k.name === b),
                    )
                  )
                    continue;
                  if (
                    [`${u.id}/${a}`, `${u.id}/${b}`, `${v.id}/${a}`, `${v.id}/${b}`].some((k) => used.has(k))
                  )
                    continue;
                  best = Math.max(best, bruteGain(issues, y, a, b, u, v));
                }
            }
          return best;
        };
        for (const e of r.exchanges) {
          expect(e.gain).toBeGreaterThanOrEqual(bestAvailable() - 1e-6);
          y[e.issueA][e.a] += e.shiftA;
          y[e.issueB][e.b] += e.shiftB;
          for (const k of [
            `${e.issueA}/${e.a}`,
            `${e.issueA}/${e.b}`,
            `${e.issueB}/${e.a}`,
            `${e.issueB}/${e.b}`,
          ])
            used.add(k);
        }
        expect(bestAvailable()).toBeLessThan(1e-6);
      }),
      { numRuns: 40 },
    );
  });
});

describe("exchange model: input errors name the path", () => {
  const ok = (): ExchangeIssue[] => [
    { id: "P", actors: [A("A", 0, 1, 0.8), A("B", 100, 1, 0.3)] },
    { id: "Q", actors: [A("A", 100, 1, 0.4), A("B", 0, 1, 0.6)] },
    { id: "R", actors: [A("A", 10, 1, 0.4), A("B", 20, 1, 0.6)] },
  ];
  const expectPath = (f: () => unknown, path: string) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(BargainInputError);
      expect((e as BargainInputError).path).toBe(path);
      expect((e as Error).message).toContain(path);
      return;
    }
    throw new Error(`no error for ${path}`);
  };
  it("rejects bad issues, actors and options", () => {
    expectPath(() => exchangeModel([]), "issues");
    const bad = ok();
    bad[2].actors[0].salience = 1.5;
    expectPath(() => exchangeModel(bad), "issues[2].actors[0].salience");
    const neg = ok();
    neg[1].actors[1].clout = -1;
    expectPath(() => exchangeModel(neg), "issues[1].actors[1].clout");
    const nan = ok();
    nan[0].actors[1].position = Number.NaN;
    expectPath(() => exchangeModel(nan), "issues[0].actors[1].position");
    const empty = ok();
    empty[1].actors = [];
    expectPath(() => exchangeModel(empty), "issues[1].actors");
    const dup = ok();
    dup[2].actors[1].name = "A";
    expectPath(() => exchangeModel(dup), "issues[2].actors[1].name");
    const dupId = ok();
    dupId[2].id = "P";
    expectPath(() => exchangeModel(dupId), "issues[2].id");
    expectPath(() => exchangeModel(ok(), { minGain: -1 }), "options.minGain");
    expectPath(() => exchangeModel(ok(), { maxExchanges: 1.5 }), "options.maxExchanges");
    // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong option
    expectPath(() => exchangeModel(ok(), { perIssue: "twice" as any }), "options.perIssue");
  });
  it("maxExchanges bounds the exchanges and says so", () => {
    const r = exchangeModel(ok(), { maxExchanges: 0 });
    expect(r.exchanges).toEqual([]);
    expect(r.stopped).toBe("max-exchanges");
    for (const o of r.outcomes) expect(o.position).toBe(o.before);
  });
});
