// Observations (what happened after asOf, with its evidence): loaded, validated with paths,
// serialised back to the same model.
import { describe, expect, it } from "vitest";
import { compileModel } from "../../src/model/compile.js";
import { parseModelText } from "../../src/model/load.js";
import { modelToJson, modelToYaml } from "../../src/model/serialize.js";
import type { Model } from "../../src/model/types.js";

const BASE = `id: toy
title: Toy
asOf: 2025-04-15
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
    exogenous: true
    current: none
    states: [{ id: none, label: None }, { id: strikes, label: Strikes }]
`;
const OBS = `observations:
  - state: talks=collapse
    date: 2025-05-20
    evidence: [wire:12-13]
    note: Talks suspended after the fourth round.
  - { state: strikes=strikes, date: 2025-06-13, evidence: { source: wire, lines: 15, note: the first strike } }
  - { state: talks=collapse, date: 2025-06-13, evidence: wire:16 }
`;

function load(text: string): Model {
  const r = parseModelText(text, { file: "toy.yaml" });
  expect(r.problems.filter((p) => p.severity === "error")).toEqual([]);
  return r.model!;
}
function said(text: string): string[] {
  return parseModelText(text, { file: "toy.yaml" }).problems.map(
    (p) => `${p.severity} ${p.code} ${p.path}: ${p.message}`,
  );
}
const bad = (from: string, to: string) => {
  expect(BASE + OBS).toContain(from);
  return said((BASE + OBS).replace(from, to));
};

describe("observations", () => {
  it("load, and serialise back to the same model (YAML, JSON, hash)", () => {
    expect(said(BASE + OBS)).toEqual([]);
    const m = load(BASE + OBS);
    expect(m.observations).toEqual([
      {
        ref: { factor: "talks", state: "collapse" },
        date: "2025-05-20",
        evidence: [{ source: "wire", from: 12, to: 13 }],
        note: "Talks suspended after the fourth round.",
      },
      {
        ref: { factor: "strikes", state: "strikes" },
        date: "2025-06-13",
        evidence: [{ source: "wire", from: 15, to: 15, note: "the first strike" }],
      },
      {
        ref: { factor: "talks", state: "collapse" },
        date: "2025-06-13",
        evidence: [{ source: "wire", from: 16, to: 16 }],
      },
    ]);
    expect(load(modelToYaml(m))).toEqual(m);
    expect(load(modelToJson(m))).toEqual(m);
    expect(compileModel(load(modelToYaml(m))).hash).toBe(compileModel(m).hash);
  });

  it("a model without observations has no observations key (and keeps its hash)", () => {
    const m = load(BASE);
    expect("observations" in m).toBe(false);
    expect(compileModel(load(`${BASE}observations: []\n`)).hash).toBe(compileModel(m).hash);
  });

  it("reports unknown states, dates before asOf or not on the calendar, disagreeing observations", () => {
    expect(
      bad("state: talks=collapse\n    date: 2025-05-20", "state: talk=collapse\n    date: 2025-05-20"),
    ).toEqual(["error unknown-reference observations[0].state: no factor 'talk' (did you mean 'talks'?)"]);
    expect(bad("date: 2025-05-20", "date: 2025-04-14")).toEqual([
      "error observed-before-asof observations[0].date: observed on 2025-04-14, before the model's asOf 2025-04-15: the model's current states describe asOf",
    ]);
    expect(bad("date: 2025-05-20", "date: 2025-02-29")).toEqual([
      'error invalid observations[0].date: a real calendar date YYYY-MM-DD (month 1–12, a day the month has) (got "2025-02-29")',
    ]);
    // Another state of the same factor on another date is no conflict.
    expect(bad("{ state: talks=collapse, date: 2025-06-13", "{ state: talks=deal, date: 2025-06-13")).toEqual(
      [],
    );
    expect(bad("{ state: talks=collapse, date: 2025-06-13", "{ state: talks=deal, date: 2025-05-20")).toEqual(
      [
        "error conflicting-observations observations[2].state: factor 'talks' is observed on 2025-05-20 in 'collapse' (observations[0]) and in 'deal'",
      ],
    );
    expect(bad("evidence: [wire:12-13]", "evidence: [wires:12-13]")).toEqual([
      "error unknown-reference observations[0].evidence[0]: no source 'wires' (did you mean 'wire'?)",
    ]);
    expect(bad("    note: Talks", "    notes: Talks")[0]).toMatch(
      /^error unknown-key observations\[0\]\.notes: unknown key 'notes' \(did you mean 'note'\?\)/,
    );
    expect(bad("  - state: talks=collapse\n", "  - stat: talks=collapse\n")[0]).toMatch(
      /^error missing-key observations\[0\]\.state: required key is missing/,
    );
  });

  it("warns: no evidence, the same observation twice, an observation on asOf against the current state", () => {
    expect(bad(", evidence: wire:16 }", " }")).toEqual([
      "warning no-evidence observations[2]: an observation without evidence: cite where it is reported (evidence: [source:line])",
    ]);
    expect(
      bad("{ state: talks=collapse, date: 2025-06-13", "{ state: talks=collapse, date: 2025-05-20"),
    ).toEqual([
      "warning duplicate-observation observations[2]: factor 'talks' is observed in 'collapse' on 2025-05-20 twice (first at observations[0])",
    ]);
    expect(bad("date: 2025-05-20", "date: 2025-04-15")).toEqual([
      "warning observed-against-current observations[0].state: observed 'collapse' on asOf, but factor 'talks' is 'drag' there (its current state)",
    ]);
  });

  it("an observation with a schema error is set aside, and the others still checked", () => {
    const text = (BASE + OBS)
      .replace("date: 2025-05-20", "date: 20 May")
      .replace("{ state: strikes=strikes, date: 2025-06-13", "{ state: strikes=strike, date: 2025-06-13");
    expect(said(text).map((x) => x.split(":")[0])).toEqual([
      "error bad-format observations[0].date",
      "error invalid observations[0].date",
      "error unknown-reference observations[1].state",
    ]);
  });
});
