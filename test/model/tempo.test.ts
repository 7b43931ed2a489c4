// The dynamics' mode, β's prior range and the tempo (revisit rates per factor): loaded,
// validated with paths, serialised back, and compiled to rates per day.
import { describe, expect, it } from "vitest";
import { compileModel } from "../../src/model/compile.js";
import { compileMatrix } from "../../src/model/compiled.js";
import { parseModelText } from "../../src/model/load.js";
import { modelToJson, modelToYaml } from "../../src/model/serialize.js";
import { parseDuration } from "../../src/model/step.js";
import { DAYS_PER_MONTH, DAYS_PER_YEAR, durationDays } from "../../src/model/tempo.js";
import {
  DEFAULT_BETA_RANGE,
  DEFAULT_RATE,
  DEFAULT_RATE_RANGE,
  type Model,
  type Problem,
} from "../../src/model/types.js";

const BASE = `id: toy
title: Toy
asOf: 2025-04-15
step: P1M
sources:
  - { id: wire, title: Wire, lines: 20 }
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
  - id: oil
    name: Oil price
    exogenous: true
    current: low
    states: [{ id: low, label: Low }, { id: high, label: High }]
impacts:
  - { from: talks=collapse, to: strikes=strikes, strength: 2, evidence: [wire:3] }
  - { from: strikes=strikes, to: talks=collapse, strength: 1, evidence: [wire:4] }
`;

const TEMPO = `dynamics:
  mode: continuous
  beta: 1.5
  betaRange: [1, 3]
  tempo:
    unit: P1M
    rate: 2
    range: [1, 5]
    rationale: Diplomacy moves monthly.
    evidence: [wire:5]
    factors:
      - factor: strikes
        rate: 4
        range: [1, 10]
        rationale: A strike can follow a decision within days.
        evidence: [wire:8-9]
      - factor: talks
        rate: 0.5
`;

function load(text: string): Model {
  const r = parseModelText(text, { file: "toy.yaml" });
  expect(r.problems.filter((p) => p.severity === "error")).toEqual([]);
  return r.model!;
}
function problems(text: string): Problem[] {
  return parseModelText(text, { file: "toy.yaml" }).problems;
}
/** `severity code path: message` of every problem. */
function said(text: string): string[] {
  return problems(text).map((p) => `${p.severity} ${p.code} ${p.path}: ${p.message}`);
}

describe("dynamics: mode, β range, tempo", () => {
  it("loads every field, and serialises back to the same model (YAML and JSON)", () => {
    const m = load(BASE + TEMPO);
    expect(problems(BASE + TEMPO)).toEqual([]);
    expect(m.dynamics).toEqual({
      mode: "continuous",
      beta: 1.5,
      betaRange: [1, 3],
      responsiveness: {},
      shocks: [],
      tempo: {
        unit: "P1M",
        rate: 2,
        range: [1, 5],
        rationale: "Diplomacy moves monthly.",
        evidence: [{ source: "wire", from: 5, to: 5 }],
        factors: [
          {
            factor: "strikes",
            rate: 4,
            range: [1, 10],
            rationale: "A strike can follow a decision within days.",
            evidence: [{ source: "wire", from: 8, to: 9 }],
          },
          { factor: "talks", rate: 0.5, evidence: [] },
        ],
      },
    });
    expect(load(modelToYaml(m))).toEqual(m);
    expect(load(modelToJson(m))).toEqual(m);
    const minimal = load(`${BASE}dynamics:\n  mode: succession\n  tempo: {}\n`);
    expect(minimal.dynamics).toEqual({
      mode: "succession",
      responsiveness: {},
      shocks: [],
      tempo: { evidence: [], factors: [] },
    });
    expect(load(modelToYaml(minimal))).toEqual(minimal);
  });

  it("a model without the new keys keeps its normalised form (and hash)", () => {
    const plain = load(`${BASE}dynamics:\n  beta: 1\n`);
    expect(plain.dynamics).toEqual({ beta: 1, responsiveness: {}, shocks: [] });
    expect(Object.keys(load(BASE))).not.toContain("dynamics");
  });

  it("compiles rates per day: per the tempo's unit, own rate or the default, ranges scaled", () => {
    const cm = compileModel(load(BASE + TEMPO));
    const perDay = (x: number) => x / DAYS_PER_MONTH;
    expect(cm.mode).toBe("continuous");
    expect([...cm.rates]).toEqual([perDay(0.5), perDay(4), perDay(2)]);
    // talks: no range of its own → the tempo's [1, 5] scaled by 0.5 / 2; oil: the tempo's range.
    expect([...cm.rateRange]).toEqual([
      perDay(0.25),
      perDay(1.25),
      perDay(1),
      perDay(10),
      perDay(1),
      perDay(5),
    ]);
    expect(cm.betaRange).toEqual([1, 3]);
  });

  it("defaults: the model's step as unit, DEFAULT_RATE, DEFAULT_RATE_RANGE, β × DEFAULT_BETA_RANGE", () => {
    expect(DEFAULT_RATE).toBe(1);
    expect(DEFAULT_RATE_RANGE).toEqual([0.25, 4]);
    expect(DEFAULT_BETA_RANGE).toEqual([0.5, 2]);
    const none = compileModel(load(BASE));
    expect(none.mode).toBe("continuous");
    expect([...none.rates]).toEqual([1, 1, 1].map((r) => r / DAYS_PER_MONTH));
    expect([...none.rateRange.slice(0, 2)]).toEqual([0.25 / DAYS_PER_MONTH, 4 / DAYS_PER_MONTH]);
    expect(none.betaRange).toEqual([0.5, 2]);
    // The step is the default unit; a stated β (or a wider scale's default β) carries the range.
    const weekly = compileModel(load(`${BASE.replace("step: P1M", "step: P2W")}dynamics:\n  beta: 2\n`));
    expect(weekly.rates[0]).toBeCloseTo(1 / 14, 15);
    expect(weekly.betaRange).toEqual([1, 4]);
    const yearly = compileModel(load(`${BASE}dynamics:\n  tempo: { unit: P1Y, rate: 3 }\n`));
    expect(yearly.rates[0]).toBeCloseTo(3 / DAYS_PER_YEAR, 15);
    expect(yearly.rateRange[1]).toBeCloseTo(12 / DAYS_PER_YEAR, 15);
    // Models built from a bare matrix get the defaults too.
    const bare = compileMatrix(
      [
        { name: "A", variants: ["a1", "a2"] },
        { name: "B", variants: ["b1", "b2"] },
      ],
      [
        [0, 0, 1, -1],
        [0, 0, -1, 1],
        [1, -1, 0, 0],
        [-1, 1, 0, 0],
      ],
    );
    expect(bare.mode).toBe("continuous");
    expect([...bare.rates]).toEqual([1 / DAYS_PER_MONTH, 1 / DAYS_PER_MONTH]);
    expect(bare.betaRange).toEqual([0.5, 2]);
  });

  it("mean days of a duration: months 30.436875, years 365.2425, weeks 7", () => {
    expect(durationDays(parseDuration("P1M")!)).toBe(30.436875);
    expect(durationDays(parseDuration("P1Y")!)).toBe(365.2425);
    expect(durationDays(parseDuration("P2W3D")!)).toBe(17);
    expect(durationDays(parseDuration("P1Y6M")!)).toBeCloseTo(365.2425 * 1.5, 12);
  });

  it("reports every invalid tempo with its path and what was expected", () => {
    const bad = (from: string, to: string) => said((BASE + TEMPO).replace(from, to));
    expect(bad("        rate: 4\n", "        rate: 0\n")).toEqual([
      "error out-of-range dynamics.tempo.factors[0].rate: expected a value > 0, got number 0",
    ]);
    expect(bad("    rate: 2\n", "    rate: -1\n")).toEqual([
      "error out-of-range dynamics.tempo.rate: expected a value > 0, got number -1",
    ]);
    expect(bad("        rate: 4\n", "        rate: .inf\n")).toEqual([
      "error wrong-type dynamics.tempo.factors[0].rate: expected a number, got Infinity (a number too large to hold, or .inf)",
    ]);
    expect(bad("        range: [1, 10]", "        range: [10, 1]")).toEqual([
      "error bad-range dynamics.tempo.factors[0].range: range [10, 1] ends below its start: write [low, high]",
    ]);
    expect(bad("        range: [1, 10]", "        range: [5, 10]")).toEqual([
      "error bad-range dynamics.tempo.factors[0].range: rate 4 is outside its range [5, 10]",
    ]);
    expect(bad("        range: [1, 10]", "        range: [0, 10]")).toEqual([
      "error out-of-range dynamics.tempo.factors[0].range[0]: expected a value > 0, got number 0",
    ]);
    expect(bad("        range: [1, 10]", "        range: [1]")).toEqual([
      "error out-of-range dynamics.tempo.factors[0].range: expected two numbers [low, high]",
    ]);
    expect(bad("    range: [1, 5]", "    range: [3, 5]")).toEqual([
      "error bad-range dynamics.tempo.range: the default rate 2 is outside its range [3, 5]",
    ]);
    expect(bad("    unit: P1M", "    unit: P0D")).toEqual([
      "error bad-format dynamics.tempo.unit: 'P0D' is not a duration: write years, months, weeks or days such as P1M, P2W or P10D",
    ]);
    expect(bad("    unit: P1M", "    unit: 1 month")).toEqual([
      'error bad-format dynamics.tempo.unit: expected an ISO 8601 duration such as P1M or P2W, got "1 month"',
    ]);
    expect(bad("      - factor: strikes", "      - factor: strike")).toEqual([
      "error unknown-reference dynamics.tempo.factors[0].factor: no factor 'strike' (did you mean 'strikes'?)",
    ]);
    expect(bad("      - factor: talks", "      - factor: strikes")).toEqual([
      "error duplicate-tempo dynamics.tempo.factors[1].factor: factor 'strikes' has two tempo entries (first at dynamics.tempo.factors[0])",
    ]);
    expect(bad("        evidence: [wire:8-9]", "        evidence: [wire:8-29]")).toEqual([
      "error locator-out-of-range dynamics.tempo.factors[0].evidence[0]: locator wire:8-29 is beyond the end of 'wire' (20 lines)",
    ]);
    expect(bad("    evidence: [wire:5]", "    evidence: [wir:5]")).toEqual([
      "error unknown-reference dynamics.tempo.evidence[0]: no source 'wir' (did you mean 'wire'?)",
    ]);
    expect(bad("        rationale: A strike", "        rational: A strike")[0]).toMatch(
      /^error unknown-key dynamics\.tempo\.factors\[0\]\.rational: unknown key 'rational' \(did you mean 'rationale'\?\)/,
    );
    expect(bad("  betaRange: [1, 3]", "  betaRange: [2, 3]")).toEqual([
      "error bad-range dynamics.betaRange: β 1.5 is outside its range [2, 3]",
    ]);
    expect(bad("  betaRange: [1, 3]\n", "").length).toBe(0);
    expect(said(`${BASE}dynamics:\n  betaRange: [2, 3]\n`)).toEqual([
      "error bad-range dynamics.betaRange: the default β 1 is outside its range [2, 3]",
    ]);
    expect(bad("  mode: continuous", "  mode: stepwise")).toEqual([
      'error bad-value dynamics.mode: expected one of "continuous", "succession", got "stepwise"',
    ]);
  });

  it("problems carry the line of the bad value", () => {
    const p = problems((BASE + TEMPO).replace("      - factor: talks", "      - factor: talk"));
    expect(p).toHaveLength(1);
    expect(p[0].line).toBe((BASE + TEMPO).split("\n").indexOf("      - factor: talks") + 1);
  });

  it("warns about rates that are not used: an exogenous factor, a tempo in succession mode", () => {
    const text = (BASE + TEMPO)
      .replace("  mode: continuous", "  mode: succession")
      .replace("      - factor: talks", "      - factor: oil");
    expect(said(text)).toEqual([
      "warning unused-tempo dynamics.tempo: the tempo is not used in succession mode (one change per step); remove it or use mode: continuous",
      "warning unused-tempo dynamics.tempo.factors[1].factor: factor 'oil' is exogenous: it moves only by shocks, so its rate is not used",
    ]);
    expect(parseModelText(text).model).toBeDefined();
  });
});
