// The reviewer's own reading of a claim: the candidate states each side of a draft or gap
// offers (mapping.ts SideMapping.ranked), a draft written in the cell the analyst chose instead
// of its own, and a gap (a claim the model had no state for) placed in a cell and written.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { analyse, terms } from "../../src/evidence/clauses.js";
import type { Gap } from "../../src/evidence/ingest.js";
import { buildIndex, mapSide, RANKED } from "../../src/evidence/mapping.js";
import { applyDrafts, decidedDraft } from "../../src/evidence/write.js";
import { parseModelText } from "../../src/model/load.js";
import type { Model } from "../../src/model/types.js";
import { seedModelPath } from "../helpers/paths.js";
import { ingestLines as ingestLinesOf } from "./helpers.js";

const text = readFileSync(seedModelPath, "utf8");
const model = parseModelText(text).model as Model;

const ingestLines = (lines: string[]) => ingestLinesOf(model, lines);

/** The model's author-less cell judgment of from → to, found by a plain scan of its impacts. */
function judgment(m: Model, from: string, to: string): number | undefined {
  const [ff, fs] = from.split("=");
  const [tf, ts] = to.split("=");
  for (const imp of m.impacts) {
    if (imp.author) continue;
    if (imp.kind === "cell") {
      if (imp.from.factor === ff && imp.from.state === fs && imp.to.factor === tf && imp.to.state === ts)
        return imp.strength;
    } else if (imp.from === ff && imp.to === tf) {
      const r = m.factors.find((f) => f.id === ff)!.states.findIndex((s) => s.id === fs);
      const c = m.factors.find((f) => f.id === tf)!.states.findIndex((s) => s.id === ts);
      return imp.matrix[r][c];
    }
  }
  return undefined;
}

// A claim whose consequence ("less reason to fight") names the factions but none of their states
// clearly enough: a gap, whose candidates still hold the states an analyst would pick.
const GAP_LINE = "A deal would leave the Iraqi factions with less reason to fight.";

describe("candidate states", () => {
  it("a side's ranked states share a word with it, best first, at most RANKED, and hold every state the mapping weighed that fits", () => {
    const sentence = "If the talks collapse, Israel could strike Iran's nuclear sites on its own.";
    const a = analyse(sentence);
    const index = buildIndex(model);
    const at = sentence.indexOf("Israel");
    const traced = new Map<string, number>();
    const m = mapSide(index, a, at, sentence.length, {
      trace: (_c, _w, per) => {
        for (const list of per.values())
          for (const x of list) traced.set(x.id, Math.max(traced.get(x.id) ?? 0, x.score));
      },
    });
    expect(m.ranked.length).toBeGreaterThan(0);
    expect(m.ranked.length).toBeLessThanOrEqual(RANKED);
    for (let i = 1; i < m.ranked.length; i++)
      expect(m.ranked[i - 1].score).toBeGreaterThanOrEqual(m.ranked[i].score);
    // Each ranked state shares a term with the side (its words, by clauses.ts terms).
    const first = a.tokens.findIndex((t) => t.start >= at);
    const sideTerms = new Set(terms(a.tokens, first).map((t) => t.term));
    for (const r of m.ranked) {
      const st = index.states.find((x) => `${x.factor}=${x.state}` === r.id)!;
      expect(
        [...st.doc.weights.keys()].some((k) => sideTerms.has(k)),
        r.id,
      ).toBe(true);
    }
    // The states the mapping weighed for a pick (the trace) are ranked, with the same score,
    // unless RANKED others scored higher.
    const last = m.ranked[m.ranked.length - 1].score;
    for (const [id, score] of traced)
      if (score > last || m.ranked.length < RANKED)
        expect(m.ranked.find((r) => r.id === id)?.score).toBeCloseTo(score, 9);
    // The picked state is the best-ranked one here.
    expect(m.picks[0]?.id).toBe(m.ranked[0].id);
  });

  it("a draft's candidates start with its own cell", () => {
    const r = ingestLines(["If the talks collapse, Israel could strike Iran's nuclear sites on its own."]);
    expect(r.drafts.length).toBeGreaterThan(0);
    for (const d of r.drafts) {
      expect(d.candidates?.condition[0]).toBe(d.from);
      expect(d.candidates?.consequence[0]).toBe(d.to);
    }
  });

  it("a gap has an id, a locator and candidates; the unmapped side's candidates hold the state the words point at", () => {
    const r = ingestLines(["Background line.", GAP_LINE]);
    expect(r.drafts).toEqual([]);
    const g = r.gaps.find((x) => x.line === 2) as Gap;
    expect(g).toBeDefined();
    expect(g.id).toMatch(/^g[0-9a-f]{6}$/);
    expect(g.evidence).toBe(`${g.source}:2`);
    expect(g.missing).toEqual(["consequence"]);
    expect(g.candidates.condition[0]).toBe("talks=breakthrough");
    expect(g.candidates.consequence.slice(0, 3)).toEqual(
      expect.arrayContaining(["pmf=integration", "pmf=reassert"]),
    );
    // A side whose words score no state offers none.
    const none = ingestLines(["If the talks collapse, ferry bookings would drop."]).gaps[0];
    expect(none.missing).toEqual(["consequence"]);
    expect(none.candidates.consequence).toEqual([]);
    // Stable: the same document gives the same id.
    expect(ingestLines(["Background line.", GAP_LINE]).gaps.find((x) => x.line === 2)?.id).toBe(g.id);
  });
});

describe("sentences to read", () => {
  it("a sentence naming two factors with no claim read is a 'no-claim' gap: the factors named, the sentence's candidates", () => {
    const line = "Oil traders and Houthi commanders alike are watching the sanctions debate in Washington.";
    const r = ingestLines([line]);
    expect(r.claims).toEqual([]);
    expect(r.drafts).toEqual([]);
    const g = r.gaps.find((x) => x.reason === "no-claim")!;
    expect(g).toBeDefined();
    expect(new Set(g.factors)).toEqual(new Set(r.sentences[0].factors));
    expect(g.factors!.length).toBeGreaterThanOrEqual(2);
    // Its candidates are the whole sentence's ranked states (mapping.ts), for both sides.
    const a = analyse(line);
    const ranked = mapSide(buildIndex(model), a, 0, line.length).ranked.map((x) => x.id);
    expect(g.candidates.condition).toEqual(ranked);
    expect(g.candidates.consequence).toEqual(ranked);
    expect(g.candidates.condition.some((c) => c.startsWith("sanctions="))).toBe(true);
    // One factor alone, or a sentence with a claim, is none.
    expect(
      ingestLines(["The sanctions debate in Washington drags on."]).gaps.filter(
        (x) => x.reason === "no-claim",
      ),
    ).toEqual([]);
    expect(ingestLines([GAP_LINE]).gaps.filter((x) => x.reason === "no-claim")).toEqual([]);
    // It can be placed like any gap.
    const d = decidedDraft(model, [], r.gaps, {
      id: g.id,
      action: "accept",
      from: "sanctions=tightened",
      to: "houthis=escalation",
      strength: 1,
    });
    expect(d).toMatchObject({ from: "sanctions=tightened", to: "houthis=escalation", evidence: g.evidence });
  });
});

describe("the analyst's cell", () => {
  const r = ingestLines(["Background line.", GAP_LINE]);
  const gap = r.gaps.find((x) => x.line === 2) as Gap;

  it("a gap placed in a cell becomes a draft of that cell, related to the model's judgment of it", () => {
    const d = decidedDraft(model, [], r.gaps, {
      id: gap.id,
      action: "accept",
      from: "talks=breakthrough",
      to: "pmf=reassert",
      strength: -2,
    });
    expect(d).toMatchObject({ from: "talks=breakthrough", to: "pmf=reassert", strength: -2, line: 2 });
    expect(d.evidence).toBe(gap.evidence);
    const has = judgment(model, "talks=breakthrough", "pmf=reassert");
    if (has === undefined) expect(d.relation).toBe("new");
    else {
      expect(d.existing?.strength).toBe(has);
      expect(d.relation).toBe(Math.sign(has) !== -1 || Math.abs(has + 2) >= 2 ? "contradicts" : "supports");
    }
  });

  it("a draft given another cell is looked up again in the model", () => {
    const line = "If the talks collapse, Israel could strike Iran's nuclear sites on its own.";
    const rr = ingestLines([line]);
    const d0 = rr.drafts[0];
    // Every other state of the consequence's factor, each checked against the plain scan.
    const factor = model.factors.find((f) => f.id === d0.to.split("=")[0])!;
    for (const s of factor.states) {
      const to = `${factor.id}=${s.id}`;
      const d = decidedDraft(model, rr.drafts, [], { id: d0.id, action: "accept", to });
      expect(d.to).toBe(to);
      expect(d.from).toBe(d0.from);
      expect(d.strength).toBe(d0.strength);
      expect(d.existing?.strength).toBe(judgment(model, d0.from, to));
      expect(d.reviewed).toBe(true);
    }
  });

  it("bad cells and incomplete gap decisions are refused with the id and the field", () => {
    const bad = (dec: Parameters<typeof decidedDraft>[3]) => {
      try {
        decidedDraft(model, [], r.gaps, dec);
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return { message: (e as Error).message, path: (e as InputError).path };
      }
      throw new Error("not refused");
    };
    expect(bad({ id: gap.id, action: "accept", strength: 1 }).message).toMatch(
      new RegExp(`gap ${gap.id}: choose its cell`),
    );
    expect(
      bad({ id: gap.id, action: "accept", from: "talks=breakthrough", to: "us-force=threats" }).message,
    ).toMatch(/give the strength/);
    const noState = bad({
      id: gap.id,
      action: "accept",
      from: "talks=nope",
      to: "us-force=threats",
      strength: 1,
    });
    expect(noState.message).toMatch(/'from' "talks=nope" is no factor=state/);
    expect(noState.path).toBe(`${gap.id}.from`);
    expect(
      bad({ id: gap.id, action: "accept", from: "talks=breakthrough", to: "talks=breakdown", strength: 1 })
        .message,
    ).toMatch(/within one factor/);
    expect(bad({ id: "gzzzzzz", action: "accept" }).message).toMatch(/no draft or gap 'gzzzzzz'/);
  });

  it("applyDrafts writes a placed gap as a new judgment with the sentence's locator", () => {
    // A cell the seed model does not judge, next to the gap's condition.
    const from = "talks=breakthrough";
    const to = model.factors
      .filter((f) => f.id !== "talks")
      .flatMap((f) => f.states.map((s) => `${f.id}=${s.id}`))
      .find(
        (c) =>
          judgment(model, from, c) === undefined &&
          !model.impacts.some((x) => x.kind === "block" && x.from === "talks" && x.to === c.split("=")[0]),
      );
    expect(to).toBeDefined();
    const out = applyDrafts(
      text,
      [],
      [{ id: gap.id, action: "accept", from, to: to!, strength: 1 }],
      { id: gap.source, title: "Made up", file: "made-up.txt", lines: 2 },
      r.gaps,
    );
    const after = parseModelText(out.text).model as Model;
    expect(judgment(after, from, to!)).toBe(1);
    const imp = after.impacts.find(
      (x) =>
        x.kind === "cell" &&
        `${x.from.factor}=${x.from.state}` === from &&
        `${x.to.factor}=${x.to.state}` === to,
    )!;
    expect(imp.evidence.map((e) => `${e.source}:${e.from}`)).toEqual([gap.evidence]);
    expect(imp.rationale).toMatch(/cell chosen in review/);
    // Nothing else moved: the rest of the impacts are the seed's.
    expect(after.impacts.length).toBe(model.impacts.length + 1);
  });
});

describe("teaching the model from review", () => {
  // Every case places its gap in talks=breakdown → pmf=reassert (accepted, or attached where the
  // seed judges the cell) with what it teaches, from a made-up article of its own.
  const judged = judgment(model, "talks=breakdown", "pmf=reassert") !== undefined;
  const place = (gap: Gap, gaps: Gap[], teach: unknown) =>
    applyDrafts(
      text,
      [],
      [
        {
          id: gap.id,
          action: judged ? "attach" : "accept",
          from: "talks=breakdown",
          to: "pmf=reassert",
          strength: 2,
          teach: teach as { to: string[] },
        },
      ],
      { id: gap.source, title: "Made up", file: "made-up.txt", lines: 1 },
      gaps,
    );
  /** The InputError placing the gap with `teach` throws. */
  const refusal = (gap: Gap, gaps: Gap[], teach: unknown): InputError => {
    try {
      place(gap, gaps, teach);
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return e as InputError;
    }
    throw new Error("expected a refusal");
  };

  it("the words an analyst marks join the states' keywords, and the next article worded so maps there", () => {
    const taught = "If the talks collapse, the Iraqi factions would come out of hibernation.";
    const later = "Should the talks collapse, Baghdad's armed groups would come out of hibernation.";
    // Before: both sentences reach the factions' factor but none of its states.
    const first = ingestLines([taught]);
    expect(first.drafts).toEqual([]);
    const gap = first.gaps.find((g) => g.reason === "no-state")!;
    expect(gap).toBeDefined();
    expect(ingestLines([later]).drafts.some((d) => d.to === "pmf=reassert")).toBe(false);
    // The analyst places the gap and marks the words that said it.
    const out = place(gap, first.gaps, { to: ["come out of hibernation"] });
    const after = parseModelText(out.text).model as Model;
    const pmf = after.factors.find((f) => f.id === "pmf")!;
    expect(pmf.states.find((s) => s.id === "reassert")!.keywords).toContain("come out of hibernation");
    // After: the later article's sentence is a draft in that cell.
    const next = ingestLinesOf(after, [later]);
    expect(next.drafts.map((d) => `${d.from} → ${d.to}`)).toContain("talks=breakdown → pmf=reassert");
  });

  it("a name the model has no actor for joins an actor's aliases, and later sentences find the actor", () => {
    const line = "If the talks collapse, Saraya Awliya al-Dam would reassert itself.";
    const first = ingestLines([line]);
    const gap = first.gaps.find((g) => g.reason === "unknown-actor")!;
    expect(gap?.names).toContain("Saraya Awliya");
    expect(first.drafts).toEqual([]);
    const out = place(gap, first.gaps, { aliases: [{ name: "Saraya Awliya al-Dam", actor: "pmf" }] });
    const after = parseModelText(out.text).model as Model;
    expect(after.actors.find((a) => a.id === "pmf")!.aliases).toContain("Saraya Awliya al-Dam");
    const next = ingestLinesOf(after, [
      "Should the talks collapse, Saraya Awliya al-Dam would reassert itself.",
    ]);
    expect(next.drafts.map((d) => `${d.from} → ${d.to}`)).toContain("talks=breakdown → pmf=reassert");
    // A name that already finds another actor, or an unknown actor, is refused by its index.
    for (const [alias, msg] of [
      [{ name: "Tehran", actor: "pmf" }, /already names actor 'iran'/],
      [{ name: "Saraya Awliya al-Dam", actor: "nobody" }, /no actor 'nobody'/],
    ] as const) {
      const err = refusal(gap, first.gaps, { aliases: [alias] });
      expect(err.message).toMatch(msg);
      expect(err.path).toBe(`${gap.id}.teach.aliases[0]`);
    }
  });

  it("refuses words that are no keyword, naming the decision's field, and writes nothing", () => {
    const r = ingestLines(["If the talks collapse, the Iraqi factions would come out of hibernation."]);
    const gap = r.gaps.find((g) => g.reason === "no-state")!;
    const attempt = (teach: unknown) => refusal(gap, r.gaps, teach);
    const long = attempt({ to: ["one two three four five six seven"] });
    expect(long.message).toMatch(/teach\.to: .*one to six words/);
    expect(long.path).toBe(`${gap.id}.teach.to`);
    expect(attempt({ from: "collapse" }).path).toBe(`${gap.id}.teach.from`);
  });
});
