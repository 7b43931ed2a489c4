// The richer question language (not, never, windows, sequences, counts of changes, observed
// states): loaded, validated with paths, and serialised back to the same model.
import { describe, expect, it } from "vitest";
import { compileModel } from "../../src/model/compile.js";
import { parseModelText } from "../../src/model/load.js";
import { modelToJson, modelToYaml } from "../../src/model/serialize.js";
import type { Model, Problem } from "../../src/model/types.js";

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
  - id: region
    name: Region
    current: calm
    states: [{ id: calm, label: Calm }, { id: war, label: War }]
impacts:
  - { from: talks=collapse, to: strikes=strikes, strength: 2, evidence: [wire:3] }
  - { from: strikes=strikes, to: region=war, strength: 2, evidence: [wire:4] }
  - { from: region=war, to: talks=collapse, strength: 1, evidence: [wire:5] }
questions:
`;

// One question of each kind; the index in the list is the question's index in the model.
const QUESTIONS = [
  `  - id: q-legacy
    text: Strikes by October?
    condition: { any: [strikes=strikes, { all: [talks=collapse, region=war] }] }
    horizon: 2025-10-15
    given: [talks=drag]
    rationale: The simplest form, unchanged.
    evidence: [wire:6]
`,
  `  - id: q-not
    text: No deal and no war in six months?
    condition: { all: [{ not: talks=deal }, { not: { any: [region=war, strikes=strikes] } }] }
    horizon: 6
    mode: at
`,
  `  - id: q-never
    text: Do the talks never collapse before 2026?
    condition: talks=collapse
    mode: never
    horizon: 2026-01-01
`,
  `  - id: q-window
    text: Strikes between June and December?
    condition: strikes=strikes
    window: [2025-06-01, 2025-12-01]
`,
  `  - id: q-from-steps
    text: War from June to the sixth step?
    condition: region=war
    from: 2025-06-01
    horizon: 6
`,
  `  - id: q-sequence
    text: Collapse, then strikes within three months, then war within two weeks?
    sequence:
      - condition: talks=collapse
      - { condition: strikes=strikes, within: P3M }
      - { condition: { any: [region=war] }, within: P2W }
      - { condition: { not: talks=deal } }
    horizon: 2026-04-15
`,
  `  - id: q-changes
    text: Does the region change at least twice?
    changes: { factor: region, atLeast: 2 }
    horizon: 12
`,
  `  - id: q-changes-between
    text: Do the talks change exactly once?
    changes: { factor: talks, atLeast: 1, atMost: 1 }
    window: [2025-05-01, 2025-11-01]
`,
  `  - id: q-observed
    text: War by March if the talks have collapsed by September?
    condition: region=war
    horizon: 2026-03-01
    observed: [{ state: talks=collapse, date: 2025-09-01 }, { state: region=calm, date: 2025-09-01 }]
`,
];
const TEXT = BASE + QUESTIONS.join("");

function load(text: string): Model {
  const r = parseModelText(text, { file: "toy.yaml" });
  expect(r.problems.filter((p) => p.severity === "error")).toEqual([]);
  return r.model!;
}
function problems(text: string): Problem[] {
  return parseModelText(text, { file: "toy.yaml" }).problems;
}
function said(text: string): string[] {
  return problems(text).map((p) => `${p.severity} ${p.code} ${p.path}: ${p.message}`);
}
/** The model with question k replaced by `question` (list items as in QUESTIONS). */
function withQuestion(k: number, question: string): string {
  return BASE + QUESTIONS.map((q, i) => (i === k ? question : q)).join("");
}
/** The problems of the model with question k's text changed. */
function bad(k: number, from: string, to: string): string[] {
  expect(QUESTIONS[k]).toContain(from);
  return said(withQuestion(k, QUESTIONS[k].replace(from, to)));
}
const s = (factor: string, state: string) => ({ kind: "state", ref: { factor, state } });

describe("the question language: loading and round trip", () => {
  it("loads every form without problems", () => {
    expect(problems(TEXT)).toEqual([]);
  });

  it("normalises each form", () => {
    const q = load(TEXT).questions!;
    expect(q[0]).toEqual({
      id: "q-legacy",
      text: "Strikes by October?",
      condition: {
        kind: "any",
        of: [s("strikes", "strikes"), { kind: "all", of: [s("talks", "collapse"), s("region", "war")] }],
      },
      horizon: "2025-10-15",
      mode: "by",
      given: [{ factor: "talks", state: "drag" }],
      rationale: "The simplest form, unchanged.",
      evidence: [{ source: "wire", from: 6, to: 6 }],
    });
    expect(q[1].condition).toEqual({
      kind: "all",
      of: [
        { kind: "not", condition: s("talks", "deal") },
        { kind: "not", condition: { kind: "any", of: [s("region", "war"), s("strikes", "strikes")] } },
      ],
    });
    expect(q[1].mode).toBe("at");
    expect(q[2]).toMatchObject({
      condition: { kind: "never", condition: s("talks", "collapse") },
      mode: "by",
    });
    expect(q[3]).toMatchObject({ from: "2025-06-01", horizon: "2025-12-01" });
    expect(q[4]).toMatchObject({ from: "2025-06-01", horizon: 6 });
    expect(q[5].condition).toEqual({
      kind: "sequence",
      steps: [
        { condition: s("talks", "collapse") },
        { condition: s("strikes", "strikes"), within: "P3M" },
        { condition: { kind: "any", of: [s("region", "war")] }, within: "P2W" },
        { condition: { kind: "not", condition: s("talks", "deal") } },
      ],
    });
    expect(q[5].mode).toBe("by");
    expect(q[6].condition).toEqual({ kind: "changes", factor: "region", atLeast: 2 });
    expect(q[7]).toMatchObject({
      condition: { kind: "changes", factor: "talks", atLeast: 1, atMost: 1 },
      from: "2025-05-01",
      horizon: "2025-11-01",
    });
    expect(q[8].observed).toEqual([
      { ref: { factor: "talks", state: "collapse" }, date: "2025-09-01" },
      { ref: { factor: "region", state: "calm" }, date: "2025-09-01" },
    ]);
    // Keys a question does not use stay absent (so models without them keep their hash).
    expect(Object.keys(q[0])).not.toContain("from");
    expect(Object.keys(q[0])).not.toContain("observed");
  });

  it("serialises every form back to the same model, in YAML and in JSON, with the same hash", () => {
    const m = load(TEXT);
    const yaml = modelToYaml(m);
    expect(load(yaml)).toEqual(m);
    expect(load(modelToJson(m))).toEqual(m);
    expect(compileModel(load(yaml)).hash).toBe(compileModel(m).hash);
    // The file forms the serialiser writes.
    expect(yaml).toContain("mode: never");
    expect(yaml).toContain("window: [2025-06-01, 2025-12-01]");
    expect(yaml).toMatch(/from: 2025-06-01\n\s+horizon: 6\n/);
    expect(yaml).toContain("not:");
    expect(yaml).not.toMatch(/mode: by/);
  });

  it("the spellings of one window load to the same question", () => {
    const a = load(withQuestion(3, QUESTIONS[3])).questions![3];
    const b = load(
      withQuestion(
        3,
        QUESTIONS[3].replace("window: [2025-06-01, 2025-12-01]", "from: 2025-06-01\n    horizon: 2025-12-01"),
      ),
    ).questions![3];
    expect(b).toEqual(a);
  });
});

describe("the question language: every invalid input, with its path", () => {
  it("asks exactly one thing", () => {
    expect(
      bad(0, "    condition: { any", "    changes: { factor: region, atLeast: 1 }\n    condition: { any"),
    ).toEqual([
      "error conflicting-keys questions[0].changes: a question asks one thing: 'condition' and 'changes' cannot both be given",
    ]);
    expect(bad(5, "    sequence:", "    condition: talks=deal\n    sequence:")).toEqual([
      "error conflicting-keys questions[5].sequence: a question asks one thing: 'condition' and 'sequence' cannot both be given",
    ]);
    expect(bad(2, "    condition: talks=collapse\n", "")).toEqual([
      "error missing-key questions[2].condition: required key is missing: a condition (with mode by, at or never), a sequence, or changes",
    ]);
    expect(bad(6, "    horizon: 12", "    horizon: 12\n    mode: at")).toEqual([
      "error conflicting-keys questions[6].mode: mode (by, at, never) applies to a condition; a count of changes is judged over the whole window",
    ]);
    expect(bad(5, "    horizon: 2026-04-15", "    horizon: 2026-04-15\n    mode: never")).toEqual([
      "error conflicting-keys questions[5].mode: mode (by, at, never) applies to a condition; a sequence is judged over the whole window",
    ]);
    expect(bad(2, "    mode: never", "    mode: sometimes")).toEqual([
      'error bad-value questions[2].mode: expected one of "by", "at", "never", got "sometimes"',
    ]);
  });

  it("every problem of a question at once (a question with only its id)", () => {
    expect(said(withQuestion(2, "  - id: q-bare\n"))).toEqual([
      "error missing-key questions[2].text: required key is missing (expected a text)",
      "error missing-key questions[2].condition: required key is missing: a condition (with mode by, at or never), a sequence, or changes",
      "error missing-key questions[2].horizon: required key is missing: a horizon (steps or a date) or a window: [from, to]",
    ]);
  });

  it("conditions: unknown references at their place in the tree", () => {
    expect(bad(1, "{ not: talks=deal }", "{ not: talks=dea }")).toEqual([
      "error unknown-reference questions[1].condition.all[0].not: factor 'talks' has no state 'dea' (did you mean 'deal'?); its states are deal, drag, collapse",
    ]);
    expect(bad(1, "{ any: [region=war,", "{ any: [regin=war,")).toEqual([
      "error unknown-reference questions[1].condition.all[1].not.any[0]: no factor 'regin' (did you mean 'region'?)",
    ]);
    expect(bad(2, "condition: talks=collapse", "condition: talks=colapse")[0]).toMatch(
      /^error unknown-reference questions\[2\]\.condition: factor 'talks' has no state 'colapse'/,
    );
    expect(bad(1, "{ not: talks=deal }", "{ nott: talks=deal }")).toEqual([
      "error missing-key questions[1].condition.all[0].not: required key is missing (expected a text)",
      "error unknown-key questions[1].condition.all[0].nott: unknown key 'nott' (did you mean 'not'?); expected one of: any, all, not",
    ]);
  });

  it("windows: dates after asOf and in order, not both spellings", () => {
    expect(bad(3, "[2025-06-01, 2025-12-01]", "[2025-04-01, 2025-12-01]")).toEqual([
      "error window-before-asof questions[3].window[0]: the window starts on 2025-04-01, before the model's asOf 2025-04-15: a forecast looks forward from asOf",
    ]);
    expect(bad(3, "[2025-06-01, 2025-12-01]", "[2025-12-01, 2025-06-01]")).toEqual([
      "error bad-window questions[3].window[0]: the window starts on 2025-12-01, not before its end 2025-06-01",
    ]);
    expect(bad(3, "[2025-06-01, 2025-12-01]", "[2025-06-01, 2025-04-10]")).toEqual([
      "error horizon-before-asof questions[3].window[1]: horizon 2025-04-10 is not after the model's asOf 2025-04-15",
    ]);
    expect(bad(3, "[2025-06-01, 2025-12-01]", "[2025-06-01, 2025-06-31]")).toEqual([
      'error invalid questions[3].window[1]: a real calendar date YYYY-MM-DD (month 1–12, a day the month has) (got "2025-06-31")',
    ]);
    expect(bad(3, "[2025-06-01, 2025-12-01]", "[2025-06-01]")).toEqual([
      "error out-of-range questions[3].window: expected two dates [from, to]",
    ]);
    expect(bad(4, "    from: 2025-06-01", "    from: 2025-11-01")).toEqual([
      "error bad-window questions[4].from: the window starts on 2025-11-01, not before its end 2025-10-15 (6 steps after asOf)",
    ]);
    expect(
      bad(3, "    window: [2025-06-01, 2025-12-01]", "    window: [2025-06-01, 2025-12-01]\n    horizon: 3"),
    ).toEqual([
      "error conflicting-keys questions[3].horizon: give the window either as window: [from, to] or as from and horizon, not both ('window' and 'horizon')",
    ]);
    expect(bad(4, "    horizon: 6\n", "")).toEqual([
      "error missing-key questions[4].horizon: required key is missing: a horizon (steps or a date) or a window: [from, to]",
    ]);
  });

  it("sequences: at least two steps, a duration 'within', none on the first step", () => {
    expect(
      bad(5, "      - condition: talks=collapse\n", "      - { condition: talks=collapse, within: P1M }\n"),
    ).toEqual([
      "error bad-within questions[5].sequence[0].within: the first step of a sequence has no 'within': it may hold at any instant of the window",
    ]);
    expect(bad(5, "within: P3M", "within: P0M")).toEqual([
      "error bad-format questions[5].sequence[1].within: 'P0M' is not a duration: write years, months, weeks or days such as P3M, P2W or P10D",
    ]);
    expect(bad(5, "within: P3M", "within: 3 months")).toEqual([
      'error bad-format questions[5].sequence[1].within: expected an ISO 8601 duration such as P1M or P2W, got "3 months"',
    ]);
    expect(
      bad(5, "{ condition: strikes=strikes, within: P3M }", "{ condition: strikes=strike, within: P3M }")[0],
    ).toMatch(
      /^error unknown-reference questions\[5\]\.sequence\[1\]\.condition: factor 'strikes' has no state 'strike'/,
    );
    expect(
      said(
        withQuestion(
          5,
          "  - id: q-one\n    text: One step\n    sequence: [{ condition: talks=collapse }]\n    horizon: 3\n",
        ),
      ),
    ).toEqual(["error out-of-range questions[5].sequence: at least two steps (one step is a `by` question)"]);
  });

  it("counts of changes: a known factor, whole numbers ≥ 0, atLeast ≤ atMost", () => {
    expect(bad(6, "factor: region", "factor: regions")).toEqual([
      "error unknown-reference questions[6].changes.factor: no factor 'regions' (did you mean 'region'?)",
    ]);
    expect(bad(7, "atLeast: 1, atMost: 1", "atLeast: 3, atMost: 1")).toEqual([
      "error bad-range questions[7].changes.atMost: atMost (1) is below atLeast (3): no count satisfies both",
    ]);
    expect(bad(6, "atLeast: 2", "atLeast: -1")).toEqual([
      "error out-of-range questions[6].changes.atLeast: expected a value ≥ 0, got number -1",
    ]);
    expect(bad(6, "atLeast: 2", "atLeast: 1.5")).toEqual([
      "error wrong-type questions[6].changes.atLeast: expected an integer, got number 1.5",
    ]);
    expect(bad(6, "{ factor: region, atLeast: 2 }", "{ factor: region }")).toEqual([
      "error missing-key questions[6].changes: a count of changes needs atLeast, atMost, or both",
    ]);
    expect(bad(6, "atLeast: 2", "atLeast: 0")).toEqual([
      "warning always-true questions[6].changes.atLeast: question 'q-changes' asks for at least 0 changes: the answer is always yes",
    ]);
  });

  it("observed states: known, on or after asOf, one per factor and date, not against 'given'", () => {
    expect(bad(8, "state: talks=collapse", "state: talks=collapsed")[0]).toMatch(
      /^error unknown-reference questions\[8\]\.observed\[0\]\.state: factor 'talks' has no state 'collapsed' \(did you mean 'collapse'\?\)/,
    );
    expect(bad(8, "talks=collapse, date: 2025-09-01", "talks=collapse, date: 2025-03-01")).toEqual([
      "error observed-before-asof questions[8].observed[0].date: observed on 2025-03-01, before the model's asOf 2025-04-15: the model's current states describe asOf",
    ]);
    expect(bad(8, "region=calm", "talks=drag")).toEqual([
      "error conflicting-observed questions[8].observed[1].state: factor 'talks' is observed on 2025-09-01 in 'collapse' (observed[0]) and in 'drag'",
    ]);
    expect(bad(8, "    horizon: 2026-03-01", "    horizon: 2026-03-01\n    given: [talks=deal]")).toEqual([
      "error conflicting-observed questions[8].observed[0].state: factor 'talks' is held in 'deal' by 'given', so it is never observed in 'collapse'",
    ]);
    expect(bad(8, "region=calm, date: 2025-09-01", "region=calm, date: 2026-09-01")).toEqual([
      "warning observed-after-window questions[8].observed[1].date: observed on 2026-09-01, after the window ends (2026-03-01): the question is conditioned on a later state",
    ]);
    expect(bad(8, "date: 2025-09-01 }, {", "date: 2025-09-31 }, {")).toEqual([
      'error invalid questions[8].observed[0].date: a real calendar date YYYY-MM-DD (month 1–12, a day the month has) (got "2025-09-31")',
    ]);
  });

  it("warnings: a never condition that already holds, a window start on an 'at' question", () => {
    expect(bad(2, "condition: talks=collapse", "condition: talks=drag")).toEqual([
      "warning already-false questions[2].condition: question 'q-never' asks that a condition never hold, but it holds in the current situation: the answer is no from the start",
    ]);
    expect(bad(1, "    mode: at", "    mode: at\n    from: 2025-05-01")).toEqual([
      "warning unused-from questions[1].from: an 'at' question looks only at the end of its window: its start does not matter",
    ]);
    // A `not` that holds now answers a `by` question from the start …
    expect(bad(3, "condition: strikes=strikes", "condition: { not: strikes=strikes }")).toEqual([]);
    expect(
      bad(4, "condition: region=war\n    from: 2025-06-01\n", "condition: { not: region=war }\n"),
    ).toEqual([
      "warning already-true questions[4].condition: question 'q-from-steps' asks about a condition that holds in the current situation: the answer is yes from the start",
    ]);
  });

  it("a question with a schema error is set aside and the rest still checked", () => {
    const text = withQuestion(6, QUESTIONS[6].replace("atLeast: 2", "atLeast: -1")).replace(
      "talks=collapse, date: 2025-09-01",
      "talks=collapse, date: 2025-03-01",
    );
    expect(said(text).map((x) => x.split(":")[0])).toEqual([
      "error out-of-range questions[6].changes.atLeast",
      "error observed-before-asof questions[8].observed[0].date",
    ]);
  });
});
