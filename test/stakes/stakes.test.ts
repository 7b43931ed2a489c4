import { describe, expect, it } from "vitest";
import { compileModel } from "../../src/model/compile.js";
import { parseModelText } from "../../src/model/load.js";
import { analyseStakes, expectedPayoff, leverAnalysis, stakeMatrix } from "../../src/stakes/index.js";

const TEXT = `id: toy
title: Toy
asOf: 2025-04-15
actors:
  - { id: r, name: R, kind: state }
  - { id: u, name: U, kind: state }
  - { id: n, name: N, kind: state }
factors:
  - id: talks
    name: Talks
    exogenous: true
    current: drag
    states: [{ id: deal, label: Deal }, { id: drag, label: Drag }, { id: fail, label: Fail }]
  - id: focus
    name: Focus
    exogenous: true
    current: on
    states: [{ id: on, label: On }, { id: off, label: Off }]
stakes:
  - { actor: r, state: focus=off, utility: 3 }
  - { actor: r, state: talks=drag, utility: 1 }
  - { actor: r, state: talks=fail, utility: 1 }
  - { actor: r, state: talks=deal, utility: -1 }
  - { actor: u, state: talks=deal, utility: 2 }
  - { actor: u, state: talks=fail, utility: -2 }
  - { actor: u, state: focus=off, utility: -1 }
`;
const model = parseModelText(TEXT).model!;
const cm = compileModel(model);

describe("stakes", () => {
  it("builds additive payoffs with each actor's best and worst (hand-worked)", () => {
    const sm = stakeMatrix(model, cm);
    expect(sm.actors).toEqual(["r", "u"]); // n has no stakes
    // r: best = max(-1,1,1) + max(0,3) = 4; worst = -1 + 0 = -1. u: best 2 + 0, worst -2 + -1.
    expect(sm.best).toEqual([4, 2]);
    expect(sm.worst).toEqual([-1, -3]);
  });

  it("payoffs, winners and losers against the current situation, regret over the set", () => {
    const scenarios = [
      { states: [0, 0], label: "deal, focused" },
      { states: [2, 1], label: "fail, diverted" },
      { states: [1, 1], label: "drag, diverted" },
    ];
    const r = analyseStakes(model, cm, scenarios);
    expect(r.reference).toBe("current");
    // current = drag, on: r = 1, u = 0.
    const pr = r.scenarios.map((s) => s.payoffs.find((p) => p.actor === "r")!);
    expect(pr.map((p) => p.payoff)).toEqual([-1, 4, 4]);
    expect(pr.map((p) => p.gain)).toEqual([-2, 3, 3]);
    expect(pr.map((p) => p.normalised)).toEqual([0, 1, 1]);
    expect(pr.map((p) => p.regret)).toEqual([5, 0, 0]);
    expect(r.scenarios[0].winners).toEqual(["u"]);
    expect(r.scenarios[0].losers).toEqual(["r"]);
    expect(r.scenarios[1].winners).toEqual(["r"]);
    expect(r.scenarios[1].losers).toEqual(["u"]);
    const rs = r.actors.find((a) => a.actor === "r")!;
    expect(rs.robustWinner).toBe(false); // loses in the deal scenario
    expect(rs.winsIn).toEqual([1, 2]);
    const only = analyseStakes(model, cm, scenarios.slice(1));
    expect(only.actors.find((a) => a.actor === "r")!.robustWinner).toBe(true);
    expect(only.actors.find((a) => a.actor === "u")!.robustLoser).toBe(true);
  });

  it("robust winner agrees with brute force on random stakes", () => {
    for (let seed = 1; seed <= 20; seed++) {
      let x = seed;
      const rnd = () => {
        x = (x * 1103515245 + 12345) % 2147483648;
        return x / 2147483648;
      };
      const stakes = ["talks=deal", "talks=drag", "talks=fail", "focus=on", "focus=off"].map(
        (s) => `  - { actor: r, state: ${s}, utility: ${Math.floor(rnd() * 7) - 3} }`,
      );
      const m = parseModelText(TEXT.replace(/stakes:[\s\S]*$/, `stakes:\n${stakes.join("\n")}\n`)).model!;
      const c = compileModel(m);
      const all = [0, 1, 2].flatMap((t) => [0, 1].map((f) => ({ states: [t, f] })));
      const set = all.filter(() => rnd() < 0.6);
      if (set.length === 0) continue;
      const r = analyseStakes(m, c, set);
      const s = r.actors.find((a) => a.actor === "r");
      if (!s) continue;
      // Brute force: payoff of r in each scenario vs its range midpoint and the current payoff.
      const util = (z: number[]) =>
        m.stakes
          .filter(
            (st) =>
              (st.state.factor === "talks" ? ["deal", "drag", "fail"][z[0]] : ["on", "off"][z[1]]) ===
              st.state.state,
          )
          .reduce((t, st) => t + st.utility, 0);
      const vals = all.map((z) => util(z.states));
      const mid = (Math.max(...vals) + Math.min(...vals)) / 2;
      const cur = util([1, 0]);
      const expectWin = set.every(
        (z) => util(z.states as number[]) > mid && util(z.states as number[]) > cur,
      );
      expect(s.robustWinner, `seed ${seed}`).toBe(expectWin);
    }
  });

  it("expected payoff and its interval under a Monte Carlo distribution", () => {
    const sm = stakeMatrix(model, cm);
    const d = {
      scenarios: [
        [0, 0],
        [2, 1],
      ],
      probabilities: [0.25, 0.75],
      runs: 400,
      source: "test",
    };
    const e = expectedPayoff(sm, cm, 0, d);
    expect(e.mean).toBeCloseTo(0.25 * -1 + 0.75 * 4, 12);
    const sd = Math.sqrt(0.25 * (-1 - e.mean) ** 2 + 0.75 * (4 - e.mean) ** 2);
    expect(e.sd).toBeCloseTo(sd, 12);
    expect(e.interval![1] - e.mean).toBeCloseTo((1.96 * sd) / 20, 12);
  });

  it("levers: the interventions that raise an actor's expectation, largest first", () => {
    const all = [0, 1, 2].flatMap((t) => [0, 1].map((f) => [t, f]));
    const uniform = (zs: number[][]) => ({
      scenarios: zs,
      probabilities: zs.map(() => 1 / zs.length),
      source: "uniform",
    });
    const levers = leverAnalysis(model, cm, uniform(all), (j, k) => uniform(all.filter((z) => z[j] === k)));
    const r = levers.find((l) => l.actor === "r")!;
    expect(r.levers[0]).toMatchObject({ factor: "focus", state: "off" });
    expect(r.levers[0].gain).toBeCloseTo(1.5, 12);
    const u = levers.find((l) => l.actor === "u")!;
    expect(u.levers[0]).toMatchObject({ factor: "talks", state: "deal" });
  });
});
