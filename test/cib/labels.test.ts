// Scenario names (src/cib/labels.ts): checked against brute force on random sets, and by hand
// on the seed model's kernel.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { distinguishingFactors, scenarioName, scenarioNames } from "../../src/cib/labels.js";

const names = (counts: number[]) => ({
  factorShort: counts.map((_, j) => `F${j}`),
  stateShort: counts.map((c) => Array.from({ length: c }, (_, k) => `s${k}`)),
});

/** Distinct scenarios over factors with 2–4 states each. */
const arbSet = fc.array(fc.integer({ min: 2, max: 4 }), { minLength: 1, maxLength: 7 }).chain((counts) =>
  fc
    .uniqueArray(fc.tuple(...counts.map((c) => fc.integer({ min: 0, max: c - 1 }))), {
      minLength: 1,
      maxLength: 12,
      selector: (z) => z.join(","),
    })
    .map((set) => ({ counts, set })),
);

/** The smallest number of factors that tells scenario i apart from the rest (all subsets). */
function smallestDistinguishing(set: number[][], i: number): number {
  const n = set[0].length;
  let best = n;
  for (let mask = 0; mask < 1 << n; mask++) {
    const bits = [...Array(n).keys()].filter((j) => mask & (1 << j));
    if (bits.length >= best) continue;
    if (set.every((o, k) => k === i || bits.some((j) => o[j] !== set[i][j]))) best = bits.length;
  }
  return best;
}

describe("scenario names", () => {
  it("the chosen factors tell each scenario apart from every other, and names are unique", () => {
    fc.assert(
      fc.property(arbSet, ({ counts, set }) => {
        set.forEach((s, i) => {
          const d = distinguishingFactors(set, i);
          for (let k = 0; k < set.length; k++)
            if (k !== i) expect(d.some((j) => set[k][j] !== s[j])).toBe(true);
          expect(d).toEqual([...d].sort((a, b) => a - b));
        });
        const all = scenarioNames(names(counts), set);
        expect(new Set(all).size).toBe(set.length);
      }),
      { numRuns: 300 },
    );
  });

  it("greedy stays within the set-cover bound of the smallest distinguishing set", () => {
    // Chvátal: greedy ≤ H(m) × optimum, m = number of scenarios to tell apart (here ≤ 11).
    const harmonic = (m: number) =>
      Array.from({ length: m }, (_, k) => 1 / (k + 1)).reduce((a, b) => a + b, 0);
    fc.assert(
      fc.property(arbSet, ({ set }) => {
        set.forEach((_, i) => {
          const opt = smallestDistinguishing(set, i);
          const got = distinguishingFactors(set, i).length;
          expect(got).toBeGreaterThanOrEqual(opt);
          expect(got).toBeLessThanOrEqual(Math.max(opt, Math.floor(opt * harmonic(set.length - 1))));
        });
      }),
      { numRuns: 200 },
    );
  });

  it("by hand: one factor suffices when it differs everywhere; ties go to the earlier factor", () => {
    const n = names([3, 2, 2]);
    const set = [
      [0, 0, 1],
      [1, 0, 1],
      [2, 1, 0],
    ];
    // Factor 0 differs across all three: each name is its state of F0.
    expect(scenarioNames(n, set)).toEqual(["F0: s0", "F0: s1", "F0: s2"]);
    // Two scenarios differing on F1 and F2 only: F1 is the earlier of the tie.
    expect(
      scenarioName(
        n,
        [
          [0, 0, 0],
          [0, 1, 1],
        ],
        0,
      ),
    ).toBe("F1: s0");
    // One scenario: nothing to tell apart.
    expect(scenarioName(n, [[0, 0, 0]], 0)).toBe("");
    // Needs two factors: [0,0,0] against [1,0,0] and [0,1,0].
    expect(
      scenarioName(
        n,
        [
          [0, 0, 0],
          [1, 0, 0],
          [0, 1, 0],
        ],
        0,
      ),
    ).toBe("F0: s0 · F1: s0");
  });
});
