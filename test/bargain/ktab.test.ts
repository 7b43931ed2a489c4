import { describe, expect, it } from "vitest";
import { readKtabCsvFile } from "../../src/bargain/csv.js";
import { describeKtabTurn, type KtabOptions, ktabSmp } from "../../src/bargain/ktab.js";
import { pce } from "../../src/bargain/pce.js";
import type { SpatialScenario } from "../../src/bargain/types.js";
import { fixture, getCase, loadCases, readFixture } from "./helpers.js";

/** Independent reader of KTAB's reference log: history tables, fractional changes, number of states. */
function parseRefLog(text: string) {
  const ls = text.split(/\r?\n/);
  const states = Number(/There were (\d+) states/.exec(text)?.[1]);
  const fractional = ls
    .filter((l) => l.startsWith("Fractional change compared to first step:"))
    .map((l) => Number(l.split(":")[1].trim().split(/\s+/)[0]));
  const pos = new Map<string, number[][]>();
  const prob = new Map<string, number[]>();
  let mode = "";
  for (const l of ls) {
    if (l.startsWith("History of actor positions")) mode = "pos";
    else if (l.startsWith("History of actors' winning") || l.startsWith("History of probabilities"))
      mode = "prob";
    else if (mode && /^\S.*, .*:/.test(l)) {
      const [head, rest] = [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1)];
      const name = head.split(",")[0];
      const vals = rest.trim().split(/\s+/).map(Number);
      if (mode === "pos") {
        const arr = pos.get(name) ?? [];
        arr.push(vals);
        pos.set(name, arr);
      } else prob.set(name, vals);
    } else if (mode === "prob" && !/^\S.*, .*:/.test(l)) mode = l.startsWith("History") ? mode : "";
  }
  return { states, fractional, pos, prob };
}

describe("KTAB SMP reproduces KTAB's deterministic reference runs", () => {
  for (const [csv, log] of [
    ["ktab/dummyData_3Dim.csv", "ktab/20170530_ref-dummyData_3Dim.txt"],
    ["ktab/SOE-Pol-Comp.csv", "ktab/20170530_ref-SOE-Pol-Comp.txt"],
  ]) {
    it(`${csv}: states, positions per turn (0.1), probabilities (1e-4), fractional changes`, () => {
      const ref = parseRefLog(readFixture(log));
      const sc = readKtabCsvFile(fixture(csv));
      const r = ktabSmp(sc);
      expect(ref.states).toBeGreaterThan(1);
      expect(r.states.length).toBe(ref.states);
      expect(ref.pos.size).toBe(sc.actors.length);
      sc.actors.forEach((a, i) => {
        const rp = ref.pos.get(a.name);
        const pr = ref.prob.get(a.name);
        expect(rp?.length).toBe(sc.dimensions.length);
        expect(pr?.length).toBe(ref.states);
        for (let k = 0; k < sc.dimensions.length; k++)
          r.states.forEach((s, t) => {
            expect(
              Math.abs(s.positions[i][k] - (rp?.[k][t] ?? Number.NaN)),
              `${a.name} dim ${k} turn ${t}`,
            ).toBeLessThanOrEqual(0.05 + 1e-9);
          });
        r.states.forEach((s, t) => {
          expect(
            Math.abs(s.winProb[i] - (pr?.[t] ?? Number.NaN)),
            `${a.name} prob turn ${t}`,
          ).toBeLessThanOrEqual(5e-5 + 1e-12);
        });
      });
      const frac = r.states.slice(1).map((s) => s.fractionalChange ?? Number.NaN);
      expect(frac.length).toBe(ref.fractional.length);
      frac.forEach((f, k) => {
        expect(Math.abs(f - ref.fractional[k])).toBeLessThanOrEqual(5e-5 + 1e-12);
      });
    });
  }

  it("dummyData_3Dim: turn-0 risk attitudes and first challenges as logged", () => {
    const r = ktabSmp(readKtabCsvFile(fixture("ktab/dummyData_3Dim.csv")));
    const text = readFixture("ktab/20170530_ref-dummyData_3Dim.txt");
    const block = text.split("Inferred risk attitudes:")[1].split("Risk-aware")[0];
    const logged = block.trim().split(/\s+/).map(Number);
    r.states[0].risk.forEach((v, i) => {
      expect(Math.abs(v - logged[i])).toBeLessThanOrEqual(5e-4);
    });
    // "In turn 0 actor i has most advantageous target j worth w"
    const re = /In turn 0 actor (\d+) has most advantageous target (\d+) worth ([\d.]+)/g;
    const loggedCh = [...text.matchAll(re)].map((m) => [Number(m[1]), Number(m[2]), Number(m[3])]);
    expect(loggedCh.length).toBe(r.states[0].challenges?.length);
    for (const [i, j, w] of loggedCh) {
      const c = r.states[0].challenges?.find((x) => x.initiator === i);
      expect(c?.target).toBe(j);
      expect(Math.abs((c?.gain ?? 0) - w)).toBeLessThanOrEqual(5e-4);
    }
    expect(describeKtabTurn(r, 0).length).toBeGreaterThan(0);
  });

  it("the case file agrees with the log for dummyData_3Dim", () => {
    const c = getCase("KTAB-dummyData_3Dim");
    const r = ktabSmp(readKtabCsvFile(fixture("ktab/dummyData_3Dim.csv")));
    expect(r.states.length).toBe(c.expected.states);
    r.names.forEach((n, i) => {
      r.states.forEach((s, t) => {
        expect(Math.abs(s.winProb[i] - c.expected.win_prob_by_turn[n][t])).toBeLessThanOrEqual(5e-5 + 1e-12);
      });
    });
  });
});

const oneDim = (c: {
  actors: { name: string; cap: number; pos: number; sal: number }[];
}): SpatialScenario => ({
  name: "case",
  description: "",
  dimensions: ["issue"],
  actors: c.actors.map((a) => ({
    name: a.name.replace(/ /g, "_"),
    capability: a.cap,
    position: [a.pos],
    salience: [a.sal],
  })),
});

describe("KTAB SMP on the cross-model cases (KTAB defaults)", () => {
  for (const c of loadCases().filter((k) => k.expected?.ktab_default_states)) {
    it(`${c.id}: number of states, final positions (0.1) and probabilities (1e-4)`, () => {
      const r = ktabSmp(oneDim(c));
      expect(r.states.length).toBe(c.expected.ktab_default_states);
      r.names.forEach((n, i) => {
        expect(Math.abs(r.final.positions[i][0] - c.expected.ktab_final_positions[n])).toBeLessThanOrEqual(
          0.05 + 1e-9,
        );
        expect(Math.abs(r.final.winProb[i] - c.expected.ktab_final_win_prob[n])).toBeLessThanOrEqual(
          5e-5 + 1e-12,
        );
      });
      expect(Math.abs(r.final.mostLikely[0] - c.expected.ktab_max_prob_position)).toBeLessThanOrEqual(
        0.05 + 1e-9,
      );
      expect(
        Math.abs(r.final.probabilityWeighted[0] - c.expected.ktab_prob_weighted_outcome),
      ).toBeLessThanOrEqual(0.011);
    });
  }
});

describe("KTAB SMP options and robustness", () => {
  const sc = readKtabCsvFile(fixture("ktab/dummyData_3Dim.csv"));
  it("every actor at an end of the scale runs (KTAB aborts) and is flagged", () => {
    const ext: SpatialScenario = {
      name: "ends",
      description: "",
      dimensions: ["d"],
      actors: [0, 100, 0, 100, 100].map((p, i) => ({
        name: `A${i}`,
        capability: 10 + i,
        position: [p],
        salience: [50 + i],
      })),
    };
    const r = ktabSmp(ext);
    expect(r.states.length).toBeGreaterThanOrEqual(2);
    for (const s of r.states) for (const p of s.positions) expect(p[0]).toBeGreaterThanOrEqual(0);
  });
  it("stochastic transitions are reproducible from the seed and differ across seeds", () => {
    const o: Partial<KtabOptions> = { stateTransitions: "Stochastic", seed: 42 };
    const a = ktabSmp(sc, o);
    const b = ktabSmp(sc, o);
    expect(a).toEqual(b);
    const runs = [1, 2, 3, 4, 5].map((seed) => JSON.stringify(ktabSmp(sc, { ...o, seed }).final.positions));
    expect(new Set(runs).size).toBeGreaterThan(1);
  });
  it("all option values run and give valid probabilities", () => {
    const variants: Partial<KtabOptions>[] = [
      { victoryProbModel: "Square" },
      { victoryProbModel: "Quartic" },
      { victoryProbModel: "Octic" },
      { victoryProbModel: "Binary" },
      { pceModel: "MarkovUniform" },
      { pceModel: "MarkovIncentive" },
      { votingRule: "Binary" },
      { votingRule: "PropBin" },
      { votingRule: "PropCbc" },
      { votingRule: "Cubic" },
      { votingRule: "ASymProsp" },
      { bigRAdjust: "None" },
      { bigRAdjust: "Full" },
      { bigRRange: "Min" },
      { bigRRange: "Max" },
      { thirdPartyCommit: "FullCommit" },
      { thirdPartyCommit: "NoCommit" },
      { interVecBrgn: "S1P1" },
      { interVecBrgn: "S2PMax" },
      { bargnModel: "InitRcvrInterp" },
      { bargnModel: "PWCompInterp" },
    ];
    const base = ktabSmp(sc);
    let differ = 0;
    for (const v of variants) {
      const r = ktabSmp(sc, { ...v, maxTurns: 12 });
      for (const s of r.states) for (const p of s.winProb) expect(p).toBeGreaterThanOrEqual(0);
      if (JSON.stringify(r.final.positions) !== JSON.stringify(base.final.positions)) differ++;
    }
    expect(differ).toBeGreaterThan(variants.length / 2);
  });
});

describe("PCE models (hand-worked)", () => {
  it("Conditional PCE on two options equals the pairwise victory probability", () => {
    // C = [[eps, 3], [1, eps]] → P[0≻1] = 0.75, p0 ∝ 0.5·0.75, p1 ∝ 0.5·0.25
    const c = Float64Array.from([1e-8, 3, 1, 1e-8]);
    const r = pce("Conditional", "Linear", c, 2);
    expect(r.p[0]).toBeCloseTo(0.75, 12);
  });
  it("MarkovIncentive gives 1/3 each on a pure 3-cycle and finds a Condorcet winner", () => {
    const cyc = Float64Array.from([1e-8, 2, 1, 1, 1e-8, 2, 2, 1, 1e-8]);
    const r = pce("MarkovIncentive", "Linear", cyc, 3);
    for (const p of r.p) expect(p).toBeCloseTo(1 / 3, 6);
    const win = Float64Array.from([1e-8, 9, 9, 1e-8, 1e-8, 1, 1e-8, 1, 1e-8]);
    const w = pce("MarkovIncentive", "Binary", win, 3);
    expect(w.p[0]).toBeGreaterThan(0.99);
  });
});
