// applyDrafts: the analyst's decisions on drafts written into the seed model's text — attach
// (evidence grows, no new impact), view (a second judgment with the source as author), accept
// (a new judgment next to the cell's other ones), and errors that name the draft.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import type { Draft } from "../../src/evidence/ingest.js";
import { applyDrafts } from "../../src/evidence/write.js";
import { parseModelText } from "../../src/model/load.js";
import type { Model } from "../../src/model/types.js";
import { seedModelPath } from "../helpers/paths.js";

const text = readFileSync(seedModelPath, "utf8");
const model = parseModelText(text).model as Model;

function draft(over: Partial<Draft>): Draft {
  return {
    id: "dtest1",
    from: "talks=breakthrough",
    to: "enrichment=capped",
    strength: 2,
    kind: "conditional",
    cue: "if",
    negated: false,
    source: "shafaq",
    line: 10,
    sentence: 1,
    evidence: "shafaq:10",
    confidence: 0.7,
    relation: "supports",
    ...over,
  };
}

/** The analyst's (author-less) cell judgment of from → to in a parsed model, with its index. */
function cell(m: Model, from: string, to: string, author?: string) {
  const i = m.impacts.findIndex(
    (x) =>
      x.kind === "cell" &&
      `${x.from.factor}=${x.from.state}` === from &&
      `${x.to.factor}=${x.to.state}` === to &&
      x.author === author,
  );
  return i < 0 ? undefined : { i, imp: m.impacts[i] as Extract<Model["impacts"][number], { kind: "cell" }> };
}

/** A cell of the seed model that nothing judges (no cell impact, no block), found by search. */
function unjudged(m: Model): { from: string; to: string } {
  for (const f of m.factors)
    for (const t of m.factors) {
      if (f.id === t.id) continue;
      if (m.impacts.some((x) => x.kind === "block" && x.from === f.id && x.to === t.id)) continue;
      for (const s of f.states)
        for (const u of t.states) {
          const from = `${f.id}=${s.id}`;
          const to = `${t.id}=${u.id}`;
          if (!cell(m, from, to)) return { from, to };
        }
    }
  throw new Error("the seed model judges every cell");
}

describe("applyDrafts", () => {
  it("attach: the supported judgment's evidence grows by the draft's locators, and no impact is added", () => {
    const before = cell(model, "talks=breakthrough", "enrichment=capped")!;
    const d = draft({ also: [{ line: 12, sentence: 2, evidence: "shafaq:12" }] });
    const d2 = { ...d, existing: { path: `impacts[${before.i}]`, strength: 3, evidence: ["shafaq:35"] } };
    const out = applyDrafts(text, [d2], [{ id: d.id, action: "attach" }]);
    const after = parseModelText(out.text);
    expect(after.problems.filter((p) => p.severity === "error")).toEqual([]);
    const m = after.model as Model;
    expect(m.impacts.length).toBe(model.impacts.length);
    const c = cell(m, "talks=breakthrough", "enrichment=capped")!;
    expect(c.imp.evidence.length).toBe(before.imp.evidence.length + 2);
    expect(c.imp.evidence.map((e) => `${e.source}:${e.from}`)).toEqual(
      expect.arrayContaining(["shafaq:10", "shafaq:12"]),
    );
    expect(c.imp.strength).toBe(before.imp.strength);
  });

  it("view: a contradicting draft becomes a second judgment by the source, next to the cell's factor", () => {
    const d = draft({
      id: "dview1",
      strength: -2,
      relation: "contradicts",
      source: "newsx",
      evidence: "newsx:4",
      existing: { path: "impacts[0]", strength: 3, evidence: ["shafaq:35"] },
    });
    const src = { id: "newsx", title: "A later analysis", sha256: "ab".repeat(32), lines: 20 };
    const out = applyDrafts(text, [d], [{ id: "dview1", action: "view" }], src);
    const after = parseModelText(out.text);
    expect(after.problems.filter((p) => p.severity === "error")).toEqual([]);
    const m = after.model as Model;
    expect(m.impacts.length).toBe(model.impacts.length + 1);
    expect(m.sources.map((s) => s.id)).toContain("newsx");
    const view = cell(m, "talks=breakthrough", "enrichment=capped", "newsx")!;
    expect(view.imp.strength).toBe(-2);
    expect(view.imp.evidence.map((e) => e.source)).toEqual(["newsx"]);
    // The analyst's own judgment is untouched.
    expect(cell(m, "talks=breakthrough", "enrichment=capped")!.imp.strength).toBe(3);
    // Placed right after the last impact whose from factor is 'talks'.
    const lastTalks = model.impacts.reduce(
      (k, x, i) => ((x.kind === "cell" ? x.from.factor : x.from) === "talks" ? i : k),
      -1,
    );
    expect(view.i).toBe(lastTalks + 1);
  });

  it("accept: a draft whose condition is the question a line before cites both lines", () => {
    const { from, to } = unjudged(model);
    const d = draft({
      id: "dq1",
      from,
      to,
      strength: 1,
      relation: "new",
      evidence: "dawat:5-6",
      conditionLine: 5,
      line: 6,
    });
    const out = applyDrafts(text, [d], [{ id: "dq1", action: "accept" }]);
    const c = cell(parseModelText(out.text).model as Model, from, to)!;
    expect(c.imp.evidence.map((e) => `${e.source}:${e.from}-${e.to}`)).toEqual(["dawat:5-6"]);
  });

  it("accept: a new draft becomes a judgment with its strength and locator, grouped with its from factor", () => {
    const { from, to } = unjudged(model);
    const d = draft({ id: "dnew1", from, to, strength: 1, relation: "new", evidence: "dawat:5" });
    const out = applyDrafts(text, [d], [{ id: "dnew1", action: "accept", strength: -1 }]);
    const m = parseModelText(out.text).model as Model;
    expect(m.impacts.length).toBe(model.impacts.length + 1);
    const c = cell(m, from, to)!;
    expect(c.imp.strength).toBe(-1);
    expect(c.imp.evidence.map((e) => `${e.source}:${e.from}`)).toEqual(["dawat:5"]);
    const prev = m.impacts[c.i - 1];
    const fromFactor = from.split("=")[0];
    const hasSameFrom = model.impacts.some(
      (x) => (x.kind === "cell" ? x.from.factor : x.from) === fromFactor,
    );
    if (hasSameFrom) expect(prev.kind === "cell" ? prev.from.factor : prev.from).toBe(fromFactor);
  });

  it("errors name the draft: unknown id, accept on a judged cell, attach with nothing to attach to, bad strength", () => {
    const judged = draft({ existing: { path: "impacts[0]", strength: 3, evidence: [] } });
    const { from, to } = unjudged(model);
    const fresh = draft({ id: "dnew2", from, to, relation: "new" });
    const cases: [Draft[], Parameters<typeof applyDrafts>[2], RegExp][] = [
      [[judged], [{ id: "nope", action: "accept" }], /nope/],
      [[judged], [{ id: "dtest1", action: "accept" }], /dtest1.*already judges/],
      [[fresh], [{ id: "dnew2", action: "attach" }], /dnew2.*nothing to attach/],
      [[fresh], [{ id: "dnew2", action: "accept", strength: 7 }], /dnew2.*strength 7/],
    ];
    for (const [ds, decs, re] of cases) {
      let err: unknown;
      try {
        applyDrafts(text, ds, decs);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InputError);
      expect((err as Error).message).toMatch(re);
    }
  });
});
