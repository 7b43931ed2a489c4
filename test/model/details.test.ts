// Editing the metadata, stakes, issues and positions, questions and sources one value at a time
// (src/model/details.ts, what the Build view's Details forms write): every edit reads back as
// the intended model, changes only the lines it is about, and an invalid value becomes a
// problem at the field's path with the message of `muscat check`.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  insertInModel,
  keyOrder,
  problemsAt,
  readCondition,
  readHorizon,
  readList,
  readModelData,
  readNumber,
  setInModel,
  showList,
} from "../../src/model/details.js";
import { parseModelText } from "../../src/model/load.js";
import type { Problem } from "../../src/model/types.js";

const seed = readFileSync(join(import.meta.dirname, "..", "..", "models", "oman-2025.yaml"), "utf8");

/** The lines that differ between two texts: what went and what came, around one place. */
function changed(a: string, b: string): { removed: string[]; added: string[] } {
  const x = a.split("\n");
  const y = b.split("\n");
  let i = 0;
  while (i < x.length && x[i] === y[i]) i++;
  let j = 0;
  while (j < x.length - i && j < y.length - i && x[x.length - 1 - j] === y[y.length - 1 - j]) j++;
  return { removed: x.slice(i, x.length - j), added: y.slice(i, y.length - j) };
}

const errors = (text: string) => parseModelText(text).problems.filter((p) => p.severity === "error");

describe("editing the details of a model in its text", () => {
  it("sets a question's horizon in place: one line, the model reads it", () => {
    const out = setInModel(seed, ["questions", 0, "horizon"], 12);
    expect(changed(seed, out)).toEqual({ removed: ["    horizon: 2025-10-15"], added: ["    horizon: 12"] });
    expect(parseModelText(out).model?.questions?.[0].horizon).toBe(12);
  });

  it("an invalid value goes into the text and is a problem at its path, with the check's message", () => {
    const out = setInModel(seed, ["questions", 0, "horizon"], "soon");
    const p = errors(out).filter((e) => e.path === "questions[0].horizon");
    expect(p.map((e) => e.message)).toContain('expected a date YYYY-MM-DD, got "soon"');
    expect(problemsAt(parseModelText(out).problems, ["questions", 0, "horizon"]).length).toBe(p.length);
    const zero = setInModel(seed, ["questions", 0, "horizon"], 0);
    expect(errors(zero).map((e) => `${e.path}: ${e.message}`)).toEqual([
      "questions[0].horizon: expected a value ≥ 1, got number 0",
    ]);
  });

  it("adds an optional key in the schema's order and removes it again, byte for byte", () => {
    const out = setInModel(seed, ["questions", 0, "mode"], "at");
    expect(changed(seed, out)).toEqual({ removed: [], added: ["    mode: at"] });
    const lines = out.split("\n");
    expect(lines[lines.indexOf("    mode: at") - 1]).toBe("    horizon: 2025-10-15");
    expect(parseModelText(out).model?.questions?.[0].mode).toBe("at");
    expect(setInModel(out, ["questions", 0, "mode"], undefined)).toBe(seed);
  });

  it("adds a question with only its id: the missing fields are problems at their paths", () => {
    const n = parseModelText(seed).model!.questions!.length;
    const out = insertInModel(seed, ["questions"], { id: "q-new" });
    expect(changed(seed, out)).toEqual({ removed: [], added: ["  - id: q-new"] });
    expect(errors(out).map((e) => e.path)).toEqual([
      `questions[${n}].text`,
      `questions[${n}].condition`,
      `questions[${n}].horizon`,
    ]);
    // filled in field by field, it is a valid question
    let t = out;
    t = setInModel(t, ["questions", n, "text"], "Will the talks break down by October 2025?");
    t = setInModel(t, ["questions", n, "condition"], {
      any: ["talks=breakdown", "israel=unilateral-strike"],
    });
    t = setInModel(t, ["questions", n, "horizon"], 6);
    expect(errors(t)).toEqual([]);
    const q = parseModelText(t).model!.questions![n];
    expect(q).toMatchObject({ id: "q-new", horizon: 6, mode: "by" });
    expect(q.condition).toMatchObject({ kind: "any" });
    expect(changed(seed, t)).toEqual({
      removed: [],
      added: [
        "  - id: q-new",
        "    text: Will the talks break down by October 2025?",
        "    condition: { any: [talks=breakdown, israel=unilateral-strike] }",
        "    horizon: 6",
      ],
    });
  });

  it("removes a question: its lines go, nothing else", () => {
    const out = setInModel(seed, ["questions", 0], undefined);
    const { removed, added } = changed(seed, out);
    expect(added).toEqual([]);
    expect(removed[0]).toBe("  - id: framework-deal-2025-10");
    expect(removed.at(-1)).toBe("    evidence: [shafaq:8, shafaq:35]");
    expect(parseModelText(out).model?.questions?.[0].id).toBe("framework-deal-2026-04");
  });

  it("edits stakes written as flow mappings over two lines without reflowing them", () => {
    const out = setInModel(seed, ["stakes", 0, "utility"], 2);
    expect(changed(seed, out)).toEqual({
      removed: ["  - { actor: us, state: enrichment=capped, utility: 3, evidence: [shafaq:6],"],
      added: ["  - { actor: us, state: enrichment=capped, utility: 2, evidence: [shafaq:6],"],
    });
    const ev = setInModel(seed, ["stakes", 0, "evidence"], ["shafaq:6", "dawat:9-10"]);
    expect(parseModelText(ev).model?.stakes[0].evidence).toEqual([
      { source: "shafaq", from: 6, to: 6 },
      { source: "dawat", from: 9, to: 10 },
    ]);
    // a new stake in the layout of its neighbours, after the stakes of the same actor
    const added = insertInModel(seed, ["stakes"], { actor: "us", state: "talks=protracted", utility: 1 }, 3);
    expect(changed(seed, added)).toEqual({
      removed: [],
      added: ["  - { actor: us, state: talks=protracted, utility: 1 }"],
    });
    expect(parseModelText(added).model?.stakes[3]).toMatchObject({ actor: "us", utility: 1 });
    // at the end of a group: after the group's last stake, before the blank line and the
    // comment that opens the next group
    const stakes = parseModelText(seed).model!.stakes;
    const lastUs = stakes.map((x) => x.actor).lastIndexOf("us");
    const grouped = insertInModel(seed, ["stakes"], { actor: "us" }, lastUs + 1).split("\n");
    const at = grouped.indexOf("  - { actor: us }");
    expect(grouped[at - 1]).toMatch(/^ {6}rationale: .*\}$/);
    expect(grouped[at + 1]).toBe("");
    expect(grouped[at + 2]).toMatch(/^ {2}# ----- Iran/);
    const removed = setInModel(seed, ["stakes", 1], undefined);
    expect(changed(seed, removed).removed).toHaveLength(2);
    expect(parseModelText(removed).model?.stakes.length).toBe(parseModelText(seed).model!.stakes.length - 1);
  });

  it("adds an actor's position on an issue; an out-of-range salience is a problem at its path", () => {
    const n = parseModelText(seed).model!.issues[0].positions.length;
    let t = insertInModel(seed, ["issues", 0, "positions"], { actor: "oman" });
    expect(errors(t).map((e) => e.path)).toEqual([
      `issues[0].positions[${n}].position`,
      `issues[0].positions[${n}].salience`,
      `issues[0].positions[${n}].clout`,
    ]);
    t = setInModel(t, ["issues", 0, "positions", n, "position"], 30);
    t = setInModel(t, ["issues", 0, "positions", n, "salience"], 1.5);
    t = setInModel(t, ["issues", 0, "positions", n, "clout"], 0.2);
    expect(errors(t).map((e) => `${e.path}: ${e.message}`)).toEqual([
      `issues[0].positions[${n}].salience: expected a value ≤ 1, got number 1.5`,
    ]);
    t = setInModel(t, ["issues", 0, "positions", n, "salience"], 0.4);
    expect(errors(t)).toEqual([]);
    expect(parseModelText(t).model?.issues[0].positions[n]).toMatchObject({
      actor: "oman",
      position: 30,
      salience: 0.4,
      clout: 0.2,
    });
    expect(changed(seed, t).added).toEqual([
      "      - actor: oman",
      "        position: 30",
      "        salience: 0.4",
      "        clout: 0.2",
    ]);
  });

  it("keeps a folded text folded, and writes a text with line breaks as a literal block", () => {
    const folded = setInModel(seed, ["questions", 0, "text"], `${"word ".repeat(40)}end`);
    const lines = folded.split("\n");
    const at = lines.indexOf("    text: >-");
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1].length).toBeLessThanOrEqual(100);
    expect(parseModelText(folded).model?.questions?.[0].text).toBe(`${"word ".repeat(40)}end`);
    const literal = setInModel(seed, ["sources", 0, "title"], "First line\nsecond line");
    expect(readModelData(literal).data?.sources).toMatchObject([{ title: "First line\nsecond line" }, {}]);
    expect(literal).toContain("    title: |-\n      First line\n      second line\n");
  });

  it("metadata: a new scale on one line where the schema puts it; an empty optional field removes its key", () => {
    const noScale = setInModel(seed, ["scale"], undefined);
    expect(changed(seed, noScale)).toEqual({ removed: ["scale: { min: -3, max: 3 }"], added: [] });
    const min = setInModel(noScale, ["scale", "min"], -5);
    expect(changed(noScale, min).added).toEqual(["scale: { min: -5 }"]);
    expect(errors(min).map((e) => e.path)).toContain("scale.max");
    const title = setInModel(seed, ["title"], "Talks: round one # of two");
    expect(parseModelText(title).model?.title).toBe("Talks: round one # of two");
    const author = setInModel(seed, ["sources", 1, "author"], "A. Writer");
    expect(changed(seed, author)).toEqual({
      removed: ["    author: null"],
      added: ["    author: A. Writer"],
    });
    expect(setInModel(seed, ["sources", 1, "author"], undefined).includes("author: null")).toBe(false);
  });

  it("a list emptied is `[]`; a `[]` filled is a block list under its key", () => {
    const text = "id: t\ntitle: T\nasOf: 2025-01-01\nfactors: []\nstakes: []\n";
    const one = insertInModel(text, ["stakes"], { actor: "a" });
    expect(one).toBe("id: t\ntitle: T\nasOf: 2025-01-01\nfactors: []\nstakes:\n  - actor: a\n");
    expect(setInModel(one, ["stakes", 0], undefined)).toBe(text);
    const questions = insertInModel(text, ["questions"], { id: "q" });
    expect(readModelData(questions).data?.questions).toEqual([{ id: "q" }]);
  });

  it("edits a JSON model as JSON", () => {
    const json = JSON.stringify({ id: "j", title: "J", asOf: "2025-01-01", factors: [] }, null, 2);
    const out = insertInModel(json, ["questions"], { id: "q1", text: "T", condition: "f=x", horizon: 3 });
    expect(JSON.parse(out).questions).toEqual([{ id: "q1", text: "T", condition: "f=x", horizon: 3 }]);
  });

  it("refuses text that does not parse and places that do not exist", () => {
    expect(() => setInModel("id: [", ["title"], "x")).toThrow(/does not parse/);
    expect(() => setInModel(seed, ["questions", 99, "text"], "x")).toThrow(/no such place/);
    expect(readModelData("id: [").error).toMatch(/^line 1/);
  });

  it("keys in the order the schema declares them", () => {
    expect(keyOrder(["questions", 0])).toEqual([
      "id",
      "text",
      "condition",
      "sequence",
      "changes",
      "horizon",
      "from",
      "window",
      "mode",
      "given",
      "observed",
      "rationale",
      "evidence",
    ]);
    expect(keyOrder(["issues", 0, "positions", 0]).slice(0, 4)).toEqual([
      "actor",
      "position",
      "salience",
      "clout",
    ]);
  });
});

describe("form fields: what is shown and how what is typed is read", () => {
  it("numbers, horizons, lists and conditions", () => {
    expect(readNumber("")).toBeUndefined();
    expect(readNumber(" 0.5 ")).toBe(0.5);
    expect(readNumber("-3")).toBe(-3);
    expect(readNumber("abc")).toBe("abc");
    expect(readHorizon("6")).toBe(6);
    expect(readHorizon("2025-10-15")).toBe("2025-10-15");
    expect(readList("shafaq:6, dawat:9-10, { source: x, lines: 3 }")).toEqual([
      "shafaq:6",
      "dawat:9-10",
      { source: "x", lines: 3 },
    ]);
    expect(readList("shafaq:36", "shafaq:35")).toBe("shafaq:36");
    expect(readList("shafaq:36", ["shafaq:35"])).toEqual(["shafaq:36"]);
    expect(readList("  ")).toBeUndefined();
    expect(() => readList("{ source: ")).toThrow(/cannot read the list/);
    expect(showList(["a:1", { source: "x", lines: "3-4" }])).toBe("a:1, { source: x, lines: 3-4 }");
    expect(readCondition("talks=breakdown")).toBe("talks=breakdown");
    expect(readCondition("{ any: [a=b, c=d] }")).toEqual({ any: ["a=b", "c=d"] });
  });

  it("problems by place: a field's own, and an entry's that no field shows", () => {
    const ps = ["questions[1].horizon", "questions[1]", "questions[1].foo", "questions[10].id", "title"].map(
      (path) => ({ path }) as Problem,
    );
    expect(problemsAt(ps, ["questions", 1, "horizon"]).map((p) => p.path)).toEqual(["questions[1].horizon"]);
    expect(problemsAt(ps, ["questions", 1], ["horizon", "id"]).map((p) => p.path)).toEqual([
      "questions[1]",
      "questions[1].foo",
    ]);
    expect(problemsAt(ps, [], ["questions"]).map((p) => p.path)).toEqual(["title"]);
  });
});
