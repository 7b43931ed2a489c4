// A parser never throws: aliases that resolve to nothing or expand too far, nesting too deep
// for the stack, binary data, huge numbers, bytes that are not UTF-8 and broken .scw files come
// back as problems, each with a path and a line (the validator used to crash on some).
import { describe, expect, it } from "vitest";
import { tooDeep } from "../../src/model/depth.js";
import { importText } from "../../src/model/imported.js";
import { parseModelText } from "../../src/model/load.js";
import { decodeText, firstInvalidUtf8 } from "../../src/model/read.js";

describe("hostile YAML", () => {
  it("an alias with no anchor is a problem, not a crash", () => {
    const r = parseModelText("id: x\ntitle: *nope\n");
    expect(r.model).toBeUndefined();
    expect(r.problems[0]).toMatchObject({ severity: "error", code: "alias", line: 2, column: 8 });
    expect(r.problems[0].message).toContain("nope");
  });

  it("a billion-laughs expansion is refused", () => {
    const lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 12; i++)
      lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(", ")}]`);
    const r = parseModelText(`${lines.join("\n")}\nid: x\n`);
    expect(r.model).toBeUndefined();
    expect(r.problems[0]).toMatchObject({ code: "alias", line: 2 });
  });

  it("nesting deeper than the stack is a problem", () => {
    for (const text of [
      `id: x\nextra: ${"[".repeat(200_000)}${"]".repeat(200_000)}\n`,
      `${"- ".repeat(50_000)}x\n`,
    ]) {
      const r = parseModelText(text);
      expect(r.model).toBeUndefined();
      expect(r.problems).toHaveLength(1);
      expect(r.problems[0]).toMatchObject({
        severity: "error",
        code: "too-deep",
        line: text.startsWith("id") ? 2 : 1,
      });
    }
  });

  it("measures nesting where it is: 100 levels pass, 101 do not, at the bracket that goes over", () => {
    // A line at the top is one level, each bracket one more.
    const flow = (n: number) => `${"[".repeat(n - 1)}${"]".repeat(n - 1)}\n`;
    expect(tooDeep(flow(100))).toBeUndefined();
    expect(tooDeep(flow(101))).toEqual({ line: 1, column: 100 });
    // A minified JSON object with many keys on one line is one level, not one per key.
    expect(
      tooDeep(JSON.stringify(Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, -i])))),
    ).toBeUndefined();
    // Lines of `- ` inside a flow collection break out of it: they count.
    expect(tooDeep(`{\n"a": 1,\n${"- ".repeat(200)}x\n}`)).toMatchObject({ line: 3 });
    // Block nesting: each line one level under the last, plus each `- ` it starts with.
    const block = (n: number) => Array.from({ length: n }, (_, i) => `${" ".repeat(i)}k${i}:`).join("\n");
    // (The measure is an upper bound: a key's `:` counts one more for its own line.)
    expect(tooDeep(block(99))).toBeUndefined();
    expect(tooDeep(block(101))).toEqual({ line: 100, column: 103 });
    expect(tooDeep(`x:\n${"- ".repeat(99)}y\n`)).toBeUndefined();
    expect(tooDeep(`x:\n${"- ".repeat(100)}y\n`)).toMatchObject({ line: 2 });
    // Indentation and indicators add up: 30 lines of 30 `- ` is 900 levels.
    const stairs = Array.from({ length: 30 }, (_, i) => `${" ".repeat(i * 60)}${"- ".repeat(30)}k:`).join(
      "\n",
    );
    expect(tooDeep(stairs)?.line).toBe(4);
    // Brackets inside quotes and block texts are text, not nesting.
    expect(tooDeep(`a: "${"[".repeat(500)}"\nb: |\n  ${"{".repeat(500)}\n`)).toBeUndefined();
  });
});

describe("binary data, huge numbers, long lines", () => {
  const model = (strength: string) =>
    [
      "id: x",
      "title: X",
      "asOf: 2025-01-01",
      "actors: []",
      "factors:",
      "  - { id: a, name: A, states: [{ id: s1, label: S1 }, { id: s2, label: S2 }] }",
      "  - { id: b, name: B, states: [{ id: t1, label: T1 }, { id: t2, label: T2 }] }",
      "impacts:",
      `  - { from: a=s1, to: b=t1, strength: ${strength} }`,
      "",
    ].join("\n");

  it("a NUL character is binary data, at its line", () => {
    const r = parseModelText("id: x\ntitle: a\u0000b\n");
    expect(r.problems).toEqual([
      expect.objectContaining({ code: "binary", path: "(file)", line: 2, column: 9 }),
    ]);
  });

  it("numbers too large to hold, NaN and infinities are refused where they are; -0 is a number", () => {
    expect(parseModelText(model("2")).model).toBeDefined();
    expect(parseModelText(model("-0")).model).toBeDefined();
    for (const n of ["1e400", "-1e400", `1${"0".repeat(1000)}`, ".nan", ".inf", "-.inf"]) {
      const r = parseModelText(model(n));
      expect(r.model).toBeUndefined();
      expect(r.problems).toEqual([
        expect.objectContaining({ code: "wrong-type", path: "impacts[0].strength", line: 9 }),
      ]);
      expect(r.problems[0].message).toMatch(/Infinity|NaN/);
    }
  });

  it("an empty text and a lone scalar are not models, at line 1", () => {
    for (const text of ["", "   \n", "42", "[1, 2]"])
      expect(parseModelText(text).problems).toEqual([
        expect.objectContaining({ code: "not-a-model", line: 1 }),
      ]);
  });

  it("a 100,000-character key is an unknown key, quickly, and the message quotes only its start", () => {
    const start = performance.now();
    const r = parseModelText(`${model("1")}k${"y".repeat(100_000)}: 1\n`);
    expect(performance.now() - start).toBeLessThan(2000);
    expect(r.problems[0]).toMatchObject({ severity: "error", line: 10 });
    expect(r.problems[0].message.length).toBeLessThan(300);
  });
});

describe("bytes of a file", () => {
  const text = (r: ReturnType<typeof decodeText>) => ("text" in r ? r.text : undefined);

  it("UTF-8 with or without a byte-order mark, and UTF-16 with one, read as text", () => {
    const body = "id: é\n";
    expect(text(decodeText(Buffer.from(body), "m.yaml"))).toBe(body);
    expect(text(decodeText(Buffer.from(`\ufeff${body}`), "m.yaml"))).toBe(body);
    expect(
      text(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(body, "utf16le")]), "m.yaml")),
    ).toBe(body);
    const be = Buffer.from(body, "utf16le").swap16();
    expect(text(decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), be]), "m.yaml"))).toBe(body);
  });

  it("bytes that are not UTF-8 are a problem at their line and column", () => {
    const r = decodeText(Buffer.from("id: x\ntitle: caf\xe9\n", "latin1"), "m.yaml");
    expect("problems" in r && r.problems).toEqual([
      expect.objectContaining({ code: "encoding", path: "(file)", line: 2, column: 11 }),
    ]);
    // UTF-16 without a byte-order mark reads as UTF-8 with NUL characters: binary data.
    const u16 = text(decodeText(Buffer.from("id: x\n", "utf16le"), "m.yaml")) ?? "";
    expect(parseModelText(u16).problems[0]).toMatchObject({ code: "binary", line: 1 });
  });

  it("finds the first byte that breaks UTF-8 (overlong forms, surrogates, truncation)", () => {
    const at = (...b: number[]) => firstInvalidUtf8(Uint8Array.from(b));
    expect(at(0x61, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80)).toBe(-1);
    expect(at(0x61, 0xc0, 0x80)).toBe(1);
    expect(at(0x61, 0x62, 0xed, 0xa0, 0x80)).toBe(2);
    expect(at(0xe2, 0x82)).toBe(0);
    expect(at(0xf4, 0x90, 0x80, 0x80)).toBe(0);
    expect(at(0x80)).toBe(0);
  });

  it("a ScenarioWizard project that is not UTF-8 is read as Windows-1252", () => {
    expect(text(decodeText(Buffer.from("$ ScenarioWizard 4.0\nP\n&D\xe4\n", "latin1"), "m.scw"))).toBe(
      "$ ScenarioWizard 4.0\nP\n&Dä\n",
    );
  });
});

describe("ScenarioWizard import never throws, and every problem has a line", () => {
  const problems = (t: string) => importText("scw", t, "m.scw", "2025-01-01").problems;

  it("binary content, a descriptor with no states, and not a project at all", () => {
    expect(problems("$ ScenarioWizard 4.0\nP\n&D\n#\n\u0000")).toEqual([
      expect.objectContaining({ code: "scw", path: "(file)", line: 5 }),
    ]);
    expect(problems("$ ScenarioWizard 4.0\nP\n&D\n -s\n&E\n#\n")).toEqual([
      expect.objectContaining({ code: "scw", line: 5, message: "descriptor 2 ('E') has no states" }),
    ]);
    expect(problems("hello")).toEqual([expect.objectContaining({ code: "scw", line: 1 })]);
  });

  it("the imported model's problems point at the descriptor, the state or the matrix row", () => {
    // Two factors of two states; factor B receives no impact (a warning at B's `&B` line), and
    // the first factor's own block holds a non-zero cell (at its first matrix row).
    const scw = [
      "$ ScenarioWizard 4.0",
      "P",
      "&A",
      " -a1",
      " -a2",
      "&B",
      " -b1",
      " -b2",
      "#",
      "#",
      "#",
      "#",
      "#",
    ];
    scw.push("1,0,0,0", "0,0,0,0", "0,0,0,0", "0,0,0,0", "#");
    const ps = problems(scw.join("\n"));
    expect(ps.length).toBeGreaterThan(0);
    for (const p of ps) expect(p.line).toBeGreaterThanOrEqual(1);
    expect(ps.find((p) => p.code === "self-impact")).toMatchObject({ line: 14 });
    expect(ps.find((p) => p.path === "factors[1]")).toMatchObject({ line: 6 });
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
