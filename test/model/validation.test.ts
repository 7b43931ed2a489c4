import { describe, expect, it } from "vitest";
import { parseModelText } from "../../src/model/load.js";
import type { Problem } from "../../src/model/types.js";

const BASE = `id: toy
title: Toy
asOf: 2025-04-15
sources:
  - id: wire
    title: Wire
    lines: 10
actors:
  - { id: a, name: Country A, kind: state }
  - { id: b, name: Country B, kind: state }
factors:
  - id: talks
    name: Talks
    owners: [a, b]
    exogenous: true
    states:
      - { id: deal, label: Deal }
      - { id: collapse, label: Collapse }
  - id: strikes
    name: Strikes
    states:
      - { id: none, label: None }
      - { id: strikes, label: Strikes }
impacts:
  - from: talks=collapse
    to: strikes=strikes
    strength: 2
    rationale: B strikes if talks fail.
    evidence: [wire:3]
  - from: talks=deal
    to: strikes=none
    strength: 2
    rationale: A deal removes the reason.
    evidence: wire:4-5
`;

function problems(text: string, opts = {}): Problem[] {
  return parseModelText(text, { file: "toy.yaml", ...opts }).problems;
}
function only(text: string, code: string, opts = {}): Problem {
  const ps = problems(text, opts).filter((p) => p.code === code);
  expect(ps, JSON.stringify(problems(text, opts), null, 1)).toHaveLength(1);
  return ps[0];
}

describe("model validation", () => {
  it("accepts the base toy model without problems and normalises shorthands", () => {
    const r = parseModelText(BASE, { file: "toy.yaml" });
    expect(r.problems).toEqual([]);
    expect(r.model?.impacts[1]).toMatchObject({
      kind: "cell",
      evidence: [{ source: "wire", from: 4, to: 5 }],
    });
    expect(r.model?.factors[0].short).toBe("talks");
  });

  it("reports a YAML syntax error with its line", () => {
    const ps = problems(BASE.replace("owners: [a, b]", "owners: [a, b"));
    expect(ps.length).toBeGreaterThan(0);
    expect(ps.every((p) => p.code === "syntax" && p.severity === "error")).toBe(true);
    expect(ps[0].line).toBe(15);
  });

  it("reports an unknown key with its path, line and a did-you-mean", () => {
    const p = only(BASE.replace("    rationale: B strikes", "    rationa1e: B strikes"), "unknown-key");
    expect(p.path).toBe("impacts[0].rationa1e");
    expect(p.line).toBe(28);
    expect(p.message).toContain("did you mean 'rationale'");
  });

  it("reports a missing required key and a wrong type", () => {
    const miss = only(BASE.replace("title: Toy\n", ""), "missing-key");
    expect(miss.path).toBe("title");
    const wrong = only(
      BASE.replace("strength: 2\n    rationale: B", "strength: two\n    rationale: B"),
      "wrong-type",
    );
    expect(wrong.path).toBe("impacts[0].strength");
    expect(wrong.message).toContain('got "two"');
    expect(wrong.line).toBe(27);
  });

  it("reports a non-integer strength and an out-of-scale strength", () => {
    expect(
      only(BASE.replace("strength: 2\n    rationale: B", "strength: 1.5\n    rationale: B"), "wrong-type")
        .message,
    ).toContain("integer");
    const p = only(
      BASE.replace("strength: 2\n    rationale: B", "strength: 5\n    rationale: B"),
      "out-of-range",
    );
    expect(p.path).toBe("impacts[0].strength");
    expect(p.message).toContain("-3..3");
  });

  it("accepts wider declared scales", () => {
    const text = BASE.replace("asOf: 2025-04-15", "asOf: 2025-04-15\nscale: { min: -20, max: 20 }").replace(
      "strength: 2\n    rationale: B",
      "strength: 15\n    rationale: B",
    );
    expect(problems(text)).toEqual([]);
  });

  it("reports duplicate ids", () => {
    const p = only(BASE.replace("{ id: b, name: Country B", "{ id: a, name: Country B"), "duplicate-id");
    expect(p.path).toBe("actors[1].id");
    const s = only(
      BASE.replace("{ id: collapse, label: Collapse }", "{ id: deal, label: Collapse }"),
      "duplicate-id",
    );
    expect(s.path).toBe("factors[0].states[1].id");
  });

  it("reports unresolved references with a did-you-mean, in every place they occur", () => {
    const p = only(BASE.replace("to: strikes=strikes", "to: strikes=strike"), "unknown-reference");
    expect(p.path).toBe("impacts[0].to");
    expect(p.message).toContain("did you mean 'strikes'");
    expect(p.line).toBe(26);
    const f = only(BASE.replace("from: talks=deal", "from: talk=deal"), "unknown-reference");
    expect(f.message).toContain("no factor 'talk'");
    expect(f.message).toContain("did you mean 'talks'");
    const o = only(BASE.replace("owners: [a, b]", "owners: [a, c]"), "unknown-reference");
    expect(o.path).toBe("factors[0].owners[1]");
    const s = only(BASE.replace("evidence: [wire:3]", "evidence: [wir:3]"), "unknown-reference");
    expect(s.path).toBe("impacts[0].evidence[0]");
    expect(s.message).toContain("did you mean 'wire'");
  });

  it("reports a factor with fewer than two states", () => {
    const text = BASE.replace("      - { id: strikes, label: Strikes }\n", "").replace(
      "to: strikes=strikes",
      "to: strikes=none",
    );
    const p = only(
      text.replace(
        "    to: strikes=none\n    strength: 2\n    rationale: A deal",
        "    to: talks=deal\n    strength: 2\n    rationale: A deal",
      ),
      "too-few-states",
    );
    expect(p.path).toBe("factors[1].states");
  });

  it("reports evidence beyond the declared length of a source", () => {
    const p = only(BASE.replace("evidence: [wire:3]", "evidence: [wire:9-11]"), "locator-out-of-range");
    expect(p.message).toContain("10 lines");
  });

  it("checks locators and the hash against the source text when it is available", () => {
    const text = "l1\nl2\nclaim three\n\nl5\nl6\nl7\nl8\nl9\nl10\n";
    const withHash = BASE.replace("    lines: 10", `    lines: 10\n    sha256: "${"0".repeat(64)}"`);
    const changed = only(withHash, "source-changed", { sourceTexts: new Map([["wire", text]]) });
    expect(changed.path).toBe("sources[0].sha256");
    const blank = only(BASE.replace("evidence: wire:4-5", "evidence: wire:4"), "blank-locator", {
      sourceTexts: new Map([["wire", text]]),
    });
    expect(blank.severity).toBe("warning");
    const shorter = problems(BASE, { sourceTexts: new Map([["wire", "just\ntwo\n"]]) });
    expect(shorter.map((p) => p.code)).toContain("locator-out-of-range");
  });

  it("warns (not errors) on a same-factor impact", () => {
    const text = BASE.replace("to: strikes=strikes", "to: talks=deal");
    const ps = problems(text);
    const self = ps.find((p) => p.code === "self-impact");
    expect(self?.severity).toBe("warning");
    expect(ps.some((p) => p.severity === "error")).toBe(false);
  });

  it("reports a judgment given twice, and compact blocks of the wrong shape", () => {
    const dup = `${BASE}  - { from: talks=collapse, to: strikes=strikes, strength: 1 }\n`;
    expect(only(dup, "duplicate-impact").path).toBe("impacts[2]");
    const block = `${BASE}  - from: strikes\n    to: talks\n    matrix: [[1, -1], [0, 1, 2]]\n`;
    const p = only(block, "bad-shape");
    expect(p.path).toBe("impacts[2].matrix[1]");
  });

  it("reports several problems at once, including after a schema error in one impact", () => {
    const text = BASE.replace("to: strikes=strikes", "to: strikes=strike").replace(
      "from: talks=deal\n    to: strikes=none\n    strength: 2",
      "from: talks=deal\n    to: strikes=none\n    strength: 2.5",
    );
    const ps = problems(text);
    expect(ps.map((p) => p.path).sort()).toEqual(["impacts[0].to", "impacts[1].strength"]);
  });

  it("reports positions outside an issue's range and stakes out of range", () => {
    const text = `${BASE}stakes:\n  - { actor: a, state: talks=deal, utility: 4 }\nissues:\n  - id: cap\n    name: Cap\n    min: 0\n    max: 90\n    positions:\n      - { actor: a, position: 95, salience: 0.5, clout: 1 }\n      - { actor: b, position: 10, salience: 1.5, clout: 1 }\n`;
    const ps = problems(text).filter((p) => p.severity === "error");
    const paths = ps.map((p) => p.path).sort();
    expect(paths).toEqual([
      "issues[0].positions[0].position",
      "issues[0].positions[1].salience",
      "stakes[0].utility",
    ]);
    // Lines point at the offending values.
    expect(ps.find((p) => p.path === "issues[0].positions[1].salience")?.line).toBe(44);
  });

  it("does not report references to an element that was set aside for a schema error", () => {
    const ps = problems(BASE.replace("    lines: 10", "    lines: ten"));
    expect(ps.map((p) => `${p.code} ${p.path}`)).toEqual(["wrong-type sources[0].lines"]);
  });

  it("rejects a document that is not a mapping", () => {
    expect(only("- just\n- a list\n", "not-a-model").severity).toBe("error");
  });
});
