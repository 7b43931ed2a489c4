import { describe, expect, it } from "vitest";
import { parseScholzCsv, readScholzCsvFile } from "../../src/bargain/csv.js";
import { describeScholzRound, scholzEum } from "../../src/bargain/scholz.js";
import type { IssueActor } from "../../src/bargain/types.js";
import { fixture, getCase, loadCases, readFixture } from "./helpers.js";

interface LogMove {
  actor: string;
  type: string;
  with: string;
  euSelf: number;
  euOther: number;
  to: number;
}
/** Independent parser of the reference log (Example.log of the open replication). */
function parseLog(text: string): { initialMean: number; rounds: { moves: LogMove[]; mean: number }[] } {
  const ls = text.split(/\r?\n/);
  const rounds: { moves: LogMove[]; mean: number }[] = [];
  let initialMean = Number.NaN;
  let cur: { moves: LogMove[]; mean: number } | undefined;
  for (let k = 0; k < ls.length; k++) {
    const l = ls[k];
    if (l.startsWith("ROUND")) {
      cur = { moves: [], mean: Number.NaN };
      rounds.push(cur);
    } else if (l.startsWith("Mean position:")) {
      const v = Number(l.split(":")[1]);
      if (cur) cur.mean = v;
      else initialMean = v;
    } else {
      const m = /^(.+?) (compromises with|loses confrontation to|capitulates to) (.+)$/.exec(l);
      if (m && cur) {
        const [a, b] = ls[k + 1].trim().split(" vs ").map(Number);
        const to = Number(ls[k + 2].split("=")[1]);
        const type = m[2].startsWith("compromises")
          ? "compromise"
          : m[2].startsWith("loses")
            ? "confrontation"
            : "capitulation";
        cur.moves.push({ actor: m[1], type, with: m[3], euSelf: a, euOther: b, to });
      }
    }
  }
  return { initialMean, rounds };
}

describe("Scholz EUM reproduces the reference run Example.log", () => {
  const { actors } = readScholzCsvFile(fixture("scholz/ExampleActors.csv"));
  const log = parseLog(readFixture("scholz/Example.log"));
  const res = scholzEum(actors, { rounds: log.rounds.length, audit: "full" });

  it("has 10 rounds in the log and in the run", () => {
    expect(log.rounds.length).toBe(10);
    expect(res.rounds.length).toBe(10);
    expect(res.initial.mean).toBeCloseTo(log.initialMean, 10);
  });
  it("same moves, EUs, new positions and weighted means per round (1e-4)", () => {
    log.rounds.forEach((lr, r) => {
      const rr = res.rounds[r];
      expect(
        rr.moves.map((m) => [m.actor, m.type, m.with]),
        `round ${r + 1}`,
      ).toEqual(lr.moves.map((m) => [m.actor, m.type, m.with]));
      rr.moves.forEach((m, k) => {
        expect(Math.abs(m.euSelf - lr.moves[k].euSelf)).toBeLessThan(1e-4);
        expect(Math.abs(m.euOther - lr.moves[k].euOther)).toBeLessThan(1e-4);
        expect(Math.abs(m.to - lr.moves[k].to)).toBeLessThan(1e-4);
      });
      expect(Math.abs(rr.mean - lr.mean)).toBeLessThan(1e-4);
    });
  });
  it("round-1 risk exponents and positions by round match cases.json", () => {
    const c = getCase("BDM-Scholz-EC-emissions");
    c.expected.names.forEach((name: string, i: number) => {
      expect(res.rounds[0].risk[i]).toBeCloseTo(c.expected.round1_risk_exponent_r[name], 4);
    });
    c.expected.positions_by_round.slice(1).forEach((row: number[], r: number) => {
      row.forEach((p, i) => {
        expect(Math.abs(res.rounds[r].positions[i] - p)).toBeLessThan(1e-4);
      });
    });
    expect(res.initial.median).toBe(c.expected.initial.median_condorcet);
  });
  it("audit: perceptions cover every ordered pair with distinct positions, and explain moves", () => {
    const r1 = res.rounds[0];
    expect(r1.perceptions?.length).toBeGreaterThan(0);
    const bel = r1.perceptions?.find((p) => p.actor === "Belgium" && p.other === "France");
    expect(bel?.quadrant).toBe("compromise-give");
    expect(describeScholzRound(r1)[0]).toContain("Belgium compromises with France");
  });
});

describe("Scholz EUM on the cross-model cases", () => {
  for (const c of loadCases().filter((k) => k.expected?.scholz_bdm_weighted_mean_by_round)) {
    it(`${c.id}: weighted mean per round and final positions`, () => {
      const actors: IssueActor[] = c.actors.map(
        (a: { name: string; cap: number; pos: number; sal: number }) => ({
          name: a.name,
          clout: a.cap,
          position: a.pos,
          salience: a.sal / 100,
        }),
      );
      const res = scholzEum(actors, { rounds: 10 });
      const means = [res.initial.mean, ...res.rounds.map((r) => r.mean)];
      means.forEach((m, r) => {
        expect(Math.abs(m - c.expected.scholz_bdm_weighted_mean_by_round[r])).toBeLessThan(0.011);
      });
      actors.forEach((a, i) => {
        const want = c.expected.scholz_bdm_final_positions[a.name];
        expect(Math.abs(res.rounds[9].positions[i] - want)).toBeLessThan(0.011);
      });
    });
  }
});

describe("Scholz EUM variants and edge cases", () => {
  const { actors } = parseScholzCsv(readFixture("scholz/ExampleActors.csv"));
  it("paper probabilities sum to one per pair: EU differs from the Scholz-code run", () => {
    const a = scholzEum(actors, { rounds: 1, probability: "paper" });
    const b = scholzEum(actors, { rounds: 1 });
    expect(a.rounds[0].moves).not.toEqual(b.rounds[0].moves);
  });
  it("all actors at one position: nothing moves", () => {
    const r = scholzEum(actors.map((a) => ({ ...a, position: 5 })));
    expect(r.rounds).toEqual([]);
    expect(r.forecast.mean).toBeCloseTo(5, 12);
  });
  it("Sultan data: nobody moves in 10 rounds (known behaviour)", () => {
    const { actors: s } = readScholzCsvFile(fixture("scholz/Sultan.csv"));
    const r = scholzEum(s);
    expect(r.rounds.every((rd) => rd.moves.length === 0)).toBe(true);
  });
});
