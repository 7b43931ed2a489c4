// A parser never throws: aliases that resolve to nothing or expand too far, and nesting too
// deep for the stack, come back as problems (the validator used to crash on them).
import { describe, expect, it } from "vitest";
import { parseModelText } from "../../src/model/load.js";

describe("hostile YAML", () => {
  it("an alias with no anchor is a problem, not a crash", () => {
    const r = parseModelText("id: x\ntitle: *nope\n");
    expect(r.model).toBeUndefined();
    expect(r.problems[0]).toMatchObject({ severity: "error", code: "alias" });
    expect(r.problems[0].message).toContain("nope");
  });

  it("a billion-laughs expansion is refused", () => {
    const lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 12; i++)
      lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(", ")}]`);
    const r = parseModelText(`${lines.join("\n")}\nid: x\n`);
    expect(r.model).toBeUndefined();
    expect(r.problems[0].code).toBe("alias");
  });

  it("nesting deeper than the stack is a problem", () => {
    for (const text of [
      `id: x\nextra: ${"[".repeat(200_000)}${"]".repeat(200_000)}\n`,
      `${"- ".repeat(50_000)}x\n`,
    ]) {
      const r = parseModelText(text);
      expect(r.model).toBeUndefined();
      expect(r.problems.length).toBeGreaterThan(0);
      expect(r.problems[0].severity).toBe("error");
    }
  });
});

describe("dates", () => {
  it("a date that is not on the calendar is refused where it is written", () => {
    const r = parseModelText("id: x\ntitle: X\nasOf: 2025-13-45\nactors: []\nfactors: []\n");
    expect(r.model).toBeUndefined();
    expect(r.problems[0]).toMatchObject({ path: "asOf", line: 3 });
    expect(r.problems[0].message).toContain("calendar");
    expect(
      parseModelText("id: x\ntitle: X\nasOf: 2024-02-29\nactors: []\nfactors: []\n").model,
    ).toBeDefined();
    expect(
      parseModelText("id: x\ntitle: X\nasOf: 2025-02-29\nactors: []\nfactors: []\n").model,
    ).toBeUndefined();
  });
});
