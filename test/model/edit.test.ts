import { describe, expect, it } from "vitest";
import { parsePath, setInModelText } from "../../src/model/edit.js";
import { parseModelText } from "../../src/model/load.js";

const text = `# A toy model, with the analyst's comments.
id: toy
title: Toy   # trailing comment
asOf: 2025-04-15
actors: [{ id: a, name: A, kind: state }]
factors:
  - id: f
    name: F
    exogenous: true
    states: [{ id: x, label: X }, { id: y, label: Y }]
  # the factor that matters
  - id: g
    name: G
    states: [{ id: x, label: X }, { id: y, label: Y }]
impacts:
  # f pushes g
  - from: f=x
    to: g=y
    strength: 2   # was 3 before the workshop
    rationale: why
`;

describe("editing a model file keeps the analyst's comments and order", () => {
  it("changes one value and nothing else", () => {
    const out = setInModelText(text, parsePath("impacts[0].strength"), 1);
    const before = text.split("\n");
    const after = out.split("\n");
    expect(after.length).toBe(before.length);
    const changed = after.map((l, i) => (l === before[i] ? -1 : i)).filter((i) => i >= 0);
    expect(changed).toEqual([18]);
    expect(after[18]).toBe("    strength: 1   # was 3 before the workshop");
    expect(parseModelText(out).model?.impacts[0]).toMatchObject({ strength: 1 });
  });

  it("edits inside flow mappings and adds new keys", () => {
    const out = setInModelText(text, parsePath("factors[1].states[0].label"), "Ex, with comma");
    expect(out).toContain('states: [{ id: x, label: "Ex, with comma" }, { id: y, label: Y }]');
    expect(parseModelText(out).model?.factors[1].states[0].label).toBe("Ex, with comma");
    const added = setInModelText(text, parsePath("impacts[0].confidence"), 4);
    expect(added).toContain("# f pushes g");
    expect(parseModelText(added).model?.impacts[0]).toMatchObject({ confidence: 4 });
  });

  it("parses paths in both spellings", () => {
    expect(parsePath("impacts[12].to")).toEqual(["impacts", 12, "to"]);
    expect(parsePath("factors.3.states.1.id")).toEqual(["factors", 3, "states", 1, "id"]);
  });
});
