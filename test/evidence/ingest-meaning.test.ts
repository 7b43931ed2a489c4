// Ingestion by meaning on sentences the seed articles do not contain: synonyms of the states'
// words, clause-scoped negation (a double negative flips twice) and modality, actor
// attribution, confidence order, merging of repeated claims, and gaps with their reasons.
import { describe, expect, it } from "vitest";
import { analyse } from "../../src/evidence/clauses.js";
import { FIT, SIGNALS } from "../../src/evidence/confidence.js";
import type { Draft } from "../../src/evidence/ingest.js";
import { buildIndex, mapSide } from "../../src/evidence/mapping.js";
import { loadModelOrThrow } from "../../src/model/load-file.js";
import { seedModelPath } from "../helpers/paths.js";
import { ingestLines as ingestLinesOf } from "./helpers.js";

const { model } = loadModelOrThrow(seedModelPath);

const ingestLines = (lines: string[]) => ingestLinesOf(model, lines);

const one = (line: string) => ingestLines([line]);
const cell = (ds: Draft[], from: string, to: string) => ds.find((d) => d.from === from && d.to === to);

describe("mapping by meaning", () => {
  it("synonyms: 'act alone' is a unilateral strike, 'fighting' a multi-front war, a 'framework' and a 'lower ceiling' a deal and a cap", () => {
    expect(
      cell(
        one("If the talks collapse, Israel could act alone against Iran's nuclear sites.").drafts,
        "talks=breakdown",
        "israel=unilateral-strike",
      ),
    ).toBeDefined();
    expect(
      cell(
        one("If the talks collapse, the region would see fighting.").drafts,
        "talks=breakdown",
        "region=multi-front-war",
      ),
    ).toBeDefined();
    const d = cell(
      one("If a framework is agreed, Iran will accept a lower ceiling on enrichment.").drafts,
      "talks=breakthrough",
      "enrichment=capped",
    );
    expect(d?.strength).toBe(2);
  });

  it("actor attribution: a unilateral Israeli strike is Israel's factor, not the US force factor", () => {
    const r = one("If the talks collapse, a unilateral Israeli strike is likely.");
    expect(cell(r.drafts, "talks=breakdown", "israel=unilateral-strike")).toBeDefined();
    expect(r.drafts.some((d) => d.to.startsWith("us-force="))).toBe(false);
    // The same threat by two actors lands on each actor's own factor.
    expect(one("Trump threatens to attack if diplomacy fails.").drafts.map((d) => d.to)).toEqual([
      "us-force=threats",
    ]);
    expect(one("Netanyahu threatens to attack if diplomacy fails.").drafts.map((d) => d.to)).toEqual([
      "israel=coercive",
    ]);
  });
});

describe("negation and modality by clause", () => {
  it("a double negative in condition and consequence flips twice; a single one once", () => {
    const dbl = cell(
      one("If Iran does not accept a cap on enrichment, there will be no deal.").drafts,
      "enrichment=capped",
      "talks=breakthrough",
    );
    expect(dbl).toMatchObject({ strength: 2, negated: false });
    const single = cell(
      one("If the talks collapse, Iran will not accept a cap on enrichment.").drafts,
      "talks=breakdown",
      "enrichment=capped",
    );
    expect(single).toMatchObject({ strength: -2, negated: true });
  });

  it("the modal and the negation of another clause (a relative clause) do not count", () => {
    const present = cell(
      one("If the talks collapse, Washington tightens sanctions, which will hurt Iran's economy.").drafts,
      "talks=breakdown",
      "sanctions=tightened",
    );
    expect(present?.strength).toBe(1);
    expect(present?.modal).toBeUndefined();
    const notElsewhere = cell(
      one("If the talks collapse, Washington will tighten sanctions, which would not help anyone.").drafts,
      "talks=breakdown",
      "sanctions=tightened",
    );
    expect(notElsewhere).toMatchObject({ strength: 2, negated: false, modal: "will" });
  });
});

describe("causal wording and the scope of nominal negation", () => {
  it("a causal verb after any subject and a modal: 'would make … more likely', 'would end', 'makes … less likely'", () => {
    const more = cell(
      one("A breakdown in Oman would make an American strike on Iran far more likely.").drafts,
      "talks=breakdown",
      "us-force=strikes",
    );
    // "far more likely" is near-certain wording: strength 3.
    expect(more).toMatchObject({ strength: 3, negated: false });
    const drawn = cell(
      one("Drawn-out talks would leave Washington distracted from Ukraine.").drafts,
      "talks=protracted",
      "us-focus=diverted",
    );
    expect(drawn).toMatchObject({ kind: "causal", cue: "leave", strength: 2 });
    const end = cell(
      one("An American bombing campaign would end the negotiations for good.").drafts,
      "us-force=strikes",
      "talks=breakdown",
    );
    expect(end).toMatchObject({ strength: 2, negated: false });
    const less = cell(
      one("Tougher sanctions make a deal less likely.").drafts,
      "sanctions=tightened",
      "talks=breakthrough",
    );
    expect(less).toMatchObject({ strength: -1, negated: true });
  });

  it("'because', 'when' and 'without' at the start give the cause; 'when' mid-sentence does not", () => {
    const because = one(
      "Russia gains leverage over Ukraine because Washington is distracted by the Iran file.",
    );
    expect(cell(because.drafts, "us-focus=diverted", "russia-leverage=stronger")).toMatchObject({
      kind: "causal",
      cue: "because",
    });
    // The reason given for a judgment made with a modal is no claim of its own: gaps, no draft;
    // the main clause's causal verb is still read.
    const reason = one(
      "Any agreement that bypasses Congress will be fragile, because Congress can block sanctions relief.",
    );
    expect(reason.drafts).toEqual([]);
    expect(reason.claims.map((c) => c.claim.because)).toContain(true);
    const slowed = one(
      "A signed framework is likely to slow the tempo of attacks on Red Sea shipping, because Tehran will want to protect whatever relief it wins.",
    );
    expect(slowed.drafts.map((d) => `${d.from} → ${d.to}`)).toEqual([
      "talks=breakthrough → houthis=scaled-back",
    ]);
    // "Every weekend spent in Muscat, …": time that goes on being spent is the talks dragging on.
    expect(
      cell(
        one("Every weekend spent in Muscat, Moscow gains leverage over Ukraine.").drafts,
        "talks=protracted",
        "russia-leverage=stronger",
      ),
    ).toMatchObject({ cue: "every" });
    // "No X until Y": Y must come first, a condition whose link is positive; a bare "until May"
    // after an affirmed clause says nothing.
    expect(
      cell(
        one("There will be no deal until Iran accepts a cap on enrichment.").drafts,
        "enrichment=capped",
        "talks=breakthrough",
      ),
    ).toMatchObject({ cue: "until", strength: 2 });
    expect(one("The talks will continue until May.").claims).toEqual([]);
    // The subject of a verb of receiving is no agent: the relief Tehran would see is Washington's
    // sanctions relief, not a regional easing that Tehran's own factors would favour.
    expect(
      one("Tehran won't see a dollar of relief until there is a cap on enrichment.").drafts.map(
        (d) => `${d.from} → ${d.to}`,
      ),
    ).toEqual(["enrichment=capped → sanctions=relief"]);
    // ", but if X, Y" opens a new clause: Y is the consequence, not what came before "but"; "the
    // group" is the armed group named before it.
    expect(
      one("Hezbollah is battered, but if Israel strikes Iran, the group would open a front.").drafts.map(
        (d) => `${d.from} → ${d.to}`,
      ),
    ).toEqual(["israel=unilateral-strike → hezbollah=reignite"]);
    // "given X," opening a clause is a condition; "given that X" is a reason, not read.
    expect(
      cell(
        one("Given a deal, Hezbollah would turn to politics.").drafts,
        "talks=breakthrough",
        "hezbollah=political-pivot",
      ),
    ).toMatchObject({ cue: "given" });
    expect(one("Given that the talks continue, Israel will wait.").drafts).toEqual([]);
    const when = one("When the talks stall, Iran pushes enrichment towards a breakout.");
    expect(cell(when.drafts, "talks=protracted", "enrichment=breakout")).toMatchObject({ cue: "when" });
    const without = one("Without a deal, Washington will tighten sanctions.");
    expect(cell(without.drafts, "talks=breakthrough", "sanctions=tightened")).toMatchObject({
      strength: -2,
      negated: true,
    });
    const temporal = one("The minister spoke to reporters when the round ended in Muscat.");
    expect(temporal.claims.filter((c) => c.claim.cue === "when")).toEqual([]);
  });

  it("'without' denies only its own noun phrase: 'talks drag on without limits' are still protracted talks", () => {
    const r = one(
      "If the talks drag on without producing limits on enrichment, Israel is likely to act alone.",
    );
    expect(cell(r.drafts, "talks=protracted", "israel=unilateral-strike")).toMatchObject({
      strength: 2,
      negated: false,
    });
    const noWar = one("If a deal is signed, no wider war will break out across the region.");
    expect(cell(noWar.drafts, "talks=breakthrough", "region=multi-front-war")).toMatchObject({
      strength: -2,
      negated: true,
    });
  });

  it("a multi-word actor name is no content: 'the United States strikes' is a strike, not unity", () => {
    const r = one("If the United States strikes Iran, the Houthis will resume attacks on shipping.");
    expect(cell(r.drafts, "us-force=strikes", "houthis=continued")).toBeDefined();
    expect(r.drafts.some((d) => d.from.startsWith("western-unity="))).toBe(false);
  });

  it("one shared generic word does not name a state whose factor the clause never names", () => {
    // "support" is a word of the Iran–Russia cooperation state's keywords, but nothing here
    // speaks of Iran and Russia.
    const r = one("If the talks collapse, the hotel will need more support staff.");
    expect(r.drafts.some((d) => d.to.startsWith("iran-russia="))).toBe(false);
  });
});

describe("decrease verbs and scenario paragraphs", () => {
  it("'the risk of fighting falls' is against the war state", () => {
    const d = cell(
      one("If a deal is signed, the risk of fighting across the region falls.").drafts,
      "talks=breakthrough",
      "region=multi-front-war",
    );
    expect(d).toMatchObject({ strength: -1, negated: true });
  });

  it("a verb on a probability is an operator: 'would lower the chances of war' flips, 'would raise the risk' does not", () => {
    const down = cell(
      one("Should the talks succeed, a deal would lower the chances of open war in the Gulf.").drafts,
      "talks=breakthrough",
      "region=multi-front-war",
    );
    expect(down).toMatchObject({ negated: true });
    expect(down!.strength).toBeLessThan(0);
    const up = cell(
      one("If the talks collapse, that would raise the risk of a wider war.").drafts,
      "talks=breakdown",
      "region=multi-front-war",
    );
    expect(up!.strength).toBeGreaterThan(0);
  });

  it("'X, not just Y': the alternative set aside is not the consequence", () => {
    const r = one("A breakdown of the talks would make American air strikes likely, not just more threats.");
    expect(cell(r.drafts, "talks=breakdown", "us-force=strikes")).toBeDefined();
    expect(cell(r.drafts, "talks=breakdown", "us-force=threats")).toBeUndefined();
  });

  it("an operation is a strike, 'close the channel' its suspension, 'stay out' no part in the fighting", () => {
    expect(
      cell(
        one("A failure of the talks would make an Israeli operation against Iran more likely.").drafts,
        "talks=breakdown",
        "israel=unilateral-strike",
      ),
    ).toBeDefined();
    expect(
      cell(
        one("American military action against Iran would shut the Omani channel.").drafts,
        "us-force=strikes",
        "oman-channel=suspended",
      ),
    ).toBeDefined();
    const r = one("If Israel strikes, the Houthis would stay out of the fight.");
    expect(r.drafts.some((d) => d.to === "houthis=continued" && d.strength > 0)).toBe(false);
  });

  it("an armed actor that 'responds' or 'acts' attacks: its own factor's escalation, not another's", () => {
    const r = one("If Israel strikes, the Houthis would respond.");
    expect(cell(r.drafts, "israel=unilateral-strike", "houthis=escalation")).toBeDefined();
    expect(r.drafts.some((d) => d.to.startsWith("us-force="))).toBe(false);
  });

  it("a capitalised common word at the start of a sentence is that word: 'Sanctions stay' keeps sanctions", () => {
    const r = one("Sanctions stay in place if the talks drag on.");
    expect(r.drafts.some((d) => d.to.startsWith("sanctions="))).toBe(true);
  });

  it("a place is no agent: 'a deal in Muscat' does not make the sentence about the Omani channel", () => {
    const r = one("A deal in Muscat would not stop the Houthi attacks on shipping.");
    expect(r.drafts.some((d) => d.to.startsWith("oman-channel="))).toBe(false);
  });

  it("a sentence opening with 'But' does not continue the previous sentence's condition", () => {
    const r = one(
      "If the talks were suspended, Oman would lose prestige. But American strikes would end the Omani channel.",
    );
    expect(r.drafts.some((d) => d.cue === "context")).toBe(false);
  });

  it("a list of actors is the agent of what follows: each named armed actor gets its own factor's state", () => {
    const r = one(
      "An Israeli strike would start a regional war, with Hezbollah, the Houthis and the Iraqi factions all pressed to respond.",
    );
    for (const to of ["hezbollah=reignite", "houthis=escalation", "pmf=reassert"])
      expect(cell(r.drafts, "israel=unilateral-strike", to), to).toBeDefined();
  });

  it("a clause with no agent goes on with the one named before it, never with one named after it", () => {
    const r = one(
      "If the talks collapse, tension would rise but no wider war would break out, and Hezbollah would stay cautious.",
    );
    expect(r.drafts.some((d) => d.to === "hezbollah=reignite")).toBe(false);
  });

  it("'while' the talks are running is a condition; 'while' of a contrast is not", () => {
    const r = one("Hezbollah would avoid any escalation with Israel while the talks are running.");
    const d = cell(r.drafts, "talks=protracted", "hezbollah=reignite");
    expect(d?.strength).toBeLessThan(0);
    const c = one("Hezbollah would avoid any escalation with Israel, while Europe hesitates.");
    expect(c.drafts.some((x) => x.cue === "while")).toBe(false);
  });

  it("no causal verb inside a name or an adjective: 'Popular Mobilization Forces', 'close to'", () => {
    const r = one("The Popular Mobilization Forces would not choose a war with America.");
    expect(r.claims.some((c) => c.claim.cue === "forces")).toBe(false);
    const q = one("A politician close to Hezbollah said the group was tired.");
    expect(q.claims.some((c) => c.claim.cue === "close")).toBe(false);
  });

  it("a named militia of the model's aliases is its actor: Kataib Hezbollah is Iraq's factions, not Hezbollah", () => {
    const r = one("If American jets strike Iran, Kataib Hezbollah would attack US bases in Iraq.");
    expect(r.drafts.some((d) => d.to === "pmf=reassert")).toBe(true);
    expect(r.actors.map((a) => a.id)).toContain("pmf");
    expect(r.actors.map((a) => a.id)).not.toContain("hezbollah");
  });

  it("a labelled list item is a condition and its consequence: '- Collapse: sanctions tightened'", () => {
    const r = ingestLines([
      "- Collapse: Washington tightens sanctions within days. Israel would strike soon after.",
      "- Bottom line: sanctions relief is far off.",
    ]);
    expect(cell(r.drafts, "talks=breakdown", "sanctions=tightened")).toMatchObject({ cue: "label" });
    expect(cell(r.drafts, "talks=breakdown", "israel=unilateral-strike")).toBeDefined();
    expect(r.claims.some((c) => c.line === 2 && c.claim.cue === "label")).toBe(false);
  });

  it("a side that denies one state and affirms another of the same factor is the affirmed one", () => {
    const r = one("- No deal, talks continue: sanctions stay in place.");
    expect(cell(r.drafts, "talks=protracted", "sanctions=maintained")).toBeDefined();
    expect(r.drafts.some((d) => d.from === "talks=breakthrough")).toBe(false);
  });

  it("a noun spelt like a causal verb is no cause: 'Hezbollah is a diminished force'", () => {
    const r = one("Five months after the ceasefire, Hezbollah is a diminished force.");
    expect(r.claims).toHaveLength(0);
  });

  it("a verb on a pronoun names nothing by itself: 'a deal would not stop it' is no suspended channel", () => {
    const r = one("A deal in Muscat would not stop it.");
    expect(r.drafts.some((d) => d.to.startsWith("oman-channel="))).toBe(false);
  });

  it("a weapon alone is no nuclear weapon: 'heavy weapons' is no breakout", () => {
    const r = one("If the talks succeed, the factions would hand over their heavy weapons.");
    expect(r.drafts.some((d) => d.to === "enrichment=breakout")).toBe(false);
  });

  it("what follows 'than' is set aside: 'more likely to slow the process down than to walk out'", () => {
    const r = one(
      "Should Washington return to threats, Tehran is more likely to slow the process down than to walk out.",
    );
    expect(cell(r.drafts, "us-force=threats", "talks=protracted")).toBeDefined();
    expect(r.drafts.some((d) => d.to === "talks=breakdown")).toBe(false);
  });

  it("a keyword phrase shares its weight among its words: 'fighting on several fronts' is a multi-front war", () => {
    const r = one("American strikes on Iran could produce fighting on several fronts.");
    expect(cell(r.drafts, "us-force=strikes", "region=multi-front-war")).toBeDefined();
  });

  it("'the group' is the armed group named last before it in the paragraph", () => {
    const r = one(
      "Hezbollah lost much of its arsenal last year. If the talks fail, the group is likely to rebuild quietly.",
    );
    expect(r.drafts.some((d) => d.to.startsWith("hezbollah="))).toBe(true);
    expect(r.drafts.some((d) => d.to.startsWith("pmf="))).toBe(false);
  });

  it("a consequence never names its condition's factor: 'an agreement would push the party into politics'", () => {
    const text =
      "Lebanese politicians believe a final agreement and a deal would push the group toward politics.";
    const a = analyse(text);
    const index = buildIndex(model);
    expect(mapSide(index, a, 0, text.length).picks.map((p) => p.id)).toEqual(["talks=breakthrough"]);
    expect(mapSide(index, a, 0, text.length, { exclude: ["talks"] }).picks.map((p) => p.id)).toEqual([
      "hezbollah=political-pivot",
    ]);
  });

  it("a consequence holds no other claim's condition: 'Absent a deal, Y, unless Israel strikes first'", () => {
    const r = one("Absent a deal, the Houthis will keep up their attacks, unless Israel strikes Iran first.");
    expect(r.drafts.some((d) => d.from === "israel=unilateral-strike" && d.to.startsWith("talks="))).toBe(
      false,
    );
    expect(r.drafts.some((d) => d.from.startsWith("talks=") && d.to === "israel=unilateral-strike")).toBe(
      false,
    );
  });

  it("readiness is no cause ('Moscow is ready to help'); a quoted 'If' still opens the condition", () => {
    expect(one("Lavrov has said Moscow is ready to help with the uranium.").claims).toHaveLength(0);
    const r = one(
      'On a deal: "If Washington and Tehran reach an understanding, Tehran will push the Iraqi factions to accept integration."',
    );
    expect(cell(r.drafts, "talks=breakthrough", "pmf=integration")).toBeDefined();
  });

  it("a causal verb keeps its modal and adverbs, whatever the tagger says: 'would almost certainly close'", () => {
    const r = one("American military action against Iran would almost certainly close the channel.");
    expect(cell(r.drafts, "us-force=strikes", "oman-channel=suspended")).toMatchObject({ strength: 3 });
  });

  it("'according to …' says who, not what: it names no state", () => {
    const r = one(
      "An Israeli strike on Iran would drag the region into war, according to a retired Lebanese army general.",
    );
    expect(r.drafts.some((d) => d.to.startsWith("hezbollah="))).toBe(false);
  });

  it("'it' as a cause is the cause before it: 'A capped programme takes away the case for a strike, and it lowers the odds of war'", () => {
    const r = one(
      "A capped programme takes away the case for an Israeli strike, and it lowers the odds of a multi-front war.",
    );
    expect(cell(r.drafts, "enrichment=capped", "israel=unilateral-strike")?.strength).toBeLessThan(0);
    expect(cell(r.drafts, "enrichment=capped", "region=multi-front-war")?.strength).toBeLessThan(0);
  });

  it("a possessor is an agent even after 'of': 'what is left of Hezbollah's rockets'", () => {
    const r = one("An Israeli strike would bring what is left of Hezbollah's rockets into play.");
    expect(cell(r.drafts, "israel=unilateral-strike", "hezbollah=reignite")).toBeDefined();
  });

  it("a clause's affirmed state goes before its denied one: talks that drag on without limits are protracted", () => {
    const r = one("If the talks drag on without producing real limits on enrichment, Israel will strike.");
    expect(r.drafts.some((d) => d.from === "talks=protracted")).toBe(true);
    expect(r.drafts.some((d) => d.from === "enrichment=capped")).toBe(false);
  });

  it("inverted and other conditionals: 'Were X to …', 'Had X …', 'Barring X' (against), 'X would mean Y', 'Y hinges on X'", () => {
    expect(
      cell(
        one("Were the talks to collapse, Israel would strike Iran.").drafts,
        "talks=breakdown",
        "israel=unilateral-strike",
      ),
    ).toMatchObject({ cue: "were", strength: 2 });
    expect(
      cell(
        one("Had the talks failed, Washington would have tightened sanctions.").drafts,
        "talks=breakdown",
        "sanctions=tightened",
      ),
    ).toMatchObject({ cue: "had" });
    expect(
      cell(
        one("Barring a deal, the Houthis will escalate their attacks.").drafts,
        "talks=breakthrough",
        "houthis=escalation",
      )?.strength,
    ).toBeLessThan(0);
    expect(
      cell(
        one("A breakdown would mean a wider regional war.").drafts,
        "talks=breakdown",
        "region=multi-front-war",
      ),
    ).toBeDefined();
    const hinge = one("Whether Israel strikes alone hinges on a collapse of the talks.");
    expect(cell(hinge.drafts, "talks=breakdown", "israel=unilateral-strike")).toBeDefined();
  });

  it("a country standing for its armed movement is its agent: 'drag Lebanon back into the fighting' is Hezbollah's", () => {
    const r = one("An Israeli strike on Iran would drag Lebanon back into the fighting.");
    expect(cell(r.drafts, "israel=unilateral-strike", "hezbollah=reignite")).toBeDefined();
  });

  it("more words of the trade: an 'arrangement' is a deal, 'bombers' strike, 'bad news for the Kremlin' weakens it, talks that 'grind on' drag", () => {
    expect(
      cell(
        one("Were Washington and Tehran to reach an arrangement, Iran would accept a ceiling on enrichment.")
          .drafts,
        "talks=breakthrough",
        "enrichment=capped",
      ),
    ).toBeDefined();
    expect(
      cell(
        one("If the talks are abandoned, the bombers come next.").drafts,
        "talks=breakdown",
        "us-force=strikes",
      ),
    ).toBeDefined();
    expect(
      cell(
        one("A longer negotiation with Tehran would be bad news for the Kremlin.").drafts,
        "talks=protracted",
        "russia-leverage=weaker",
      ),
    ).toBeDefined();
    expect(
      cell(
        one("If the talks grind on, the Houthis will keep attacking ships.").drafts,
        "talks=protracted",
        "houthis=continued",
      ),
    ).toBeDefined();
  });

  it("phrases with a gap: 'declare the negotiation over' is a breakdown, 'free Netanyahu's hand' an Israeli strike", () => {
    expect(
      cell(
        one("Should Trump declare the negotiation over, the Omani channel would fall silent.").drafts,
        "talks=breakdown",
        "oman-channel=suspended",
      ),
    ).toBeDefined();
    expect(
      cell(
        one("A collapse of the talks could free Netanyahu's hand.").drafts,
        "talks=breakdown",
        "israel=unilateral-strike",
      ),
    ).toBeDefined();
  });

  it("'X is bad news for Y', 'X is a gift to Y': Y's own factor moves", () => {
    expect(
      cell(
        one("A longer negotiation with Tehran is, paradoxically, bad news for the Kremlin.").drafts,
        "talks=protracted",
        "russia-leverage=weaker",
      ),
    ).toBeDefined();
    expect(
      cell(
        one("A drawn-out negotiation is a gift to Moscow.").drafts,
        "talks=protracted",
        "russia-leverage=stronger",
      ),
    ).toBeDefined();
  });

  it("'the better for Y', 'X would be bad for Y': Y's own factor moves, up or down", () => {
    const better = one("The longer the talks drag on, analysts say, the better for Russia.").drafts;
    expect(cell(better, "talks=protracted", "russia-leverage=stronger")?.strength).toBeGreaterThan(0);
    const good = one("A collapse of the talks would be good for Moscow.").drafts;
    expect(cell(good, "talks=breakdown", "russia-leverage=stronger")?.strength).toBeGreaterThan(0);
    const bad = one("A deal would be bad for Putin.").drafts;
    expect(cell(bad, "talks=breakthrough", "russia-leverage=weaker")?.strength).toBeGreaterThan(0);
    expect(bad.some((d) => d.to === "russia-leverage=stronger")).toBe(false);
  });

  it("an attribution set off by commas is no part of a side: ', it warned,' is no threat, ', analysts say,' no actor", () => {
    const warned = one("A failure in Rome, it warned, would set the whole region alight.").drafts;
    expect(warned.map((d) => `${d.from} → ${d.to}`)).toEqual(["talks=breakdown → region=multi-front-war"]);
    // The same clause is the claim's own when it is not set off: Trump's warning is the threat.
    const own = one("If Trump warned Iran again, the talks would collapse.").drafts;
    expect(own.some((d) => d.from === "us-force=threats")).toBe(true);
  });

  it("setting a region on fire is a fighting that spreads: the multi-front war", () => {
    const r = one(
      "Any use of force against Iranian nuclear facilities would set the whole region on fire.",
    ).drafts;
    expect(cell(r, "us-force=strikes", "region=multi-front-war")?.strength).toBeGreaterThan(0);
  });

  it("'With X <in a state>, Y' opening a sentence is a condition; 'With that, …' and a 'with' inside the sentence are not", () => {
    const stalled = one(
      "With the talks stalled, Israel could strike Iran's nuclear sites on its own.",
    ).drafts;
    expect(cell(stalled, "talks=protracted", "israel=unilateral-strike")?.cue).toBe("with");
    const closed = one("With the Omani channel closed, the talks would collapse.").drafts;
    expect(cell(closed, "oman-channel=suspended", "talks=breakdown")?.strength).toBeGreaterThan(0);
    for (const line of [
      "With that, the talks would collapse.",
      "With regard to the talks, Israel could strike Iran's nuclear sites.",
      "Israel could strike Iran's nuclear sites with the talks stalled, officials fear.",
    ])
      expect(ingestLines([line]).drafts.filter((d) => d.cue === "with")).toEqual([]);
  });

  it("a named party in a state as the subject of a modal is the condition: 'a divided West would …', 'a distracted Washington would …'", () => {
    const divided = one(
      "A divided West would give Russia a stronger hand in the Ukraine negotiations.",
    ).drafts;
    expect(cell(divided, "western-unity=eroding", "russia-leverage=stronger")?.cue).toBe("event:party");
    const distracted = one("A distracted Washington would let Russia gain leverage over Ukraine.").drafts;
    expect(cell(distracted, "us-focus=diverted", "russia-leverage=stronger")?.strength).toBeGreaterThan(0);
    // A name followed by a noun, or after a preposition, is no party in a state.
    for (const line of [
      "A senior Iranian official would not comment on the talks.",
      "A spokesman for Hezbollah would not say whether the group would fight.",
      "An ally of Iran under pressure would not say much.",
    ])
      expect(ingestLines([line]).drafts.filter((d) => d.cue === "event:party")).toEqual([]);
  });

  it("a phrasal verb of the lexicon is no decrease: a channel that would 'fall silent' is suspended, not less likely", () => {
    const r = one("Should the President lose patience, the Omani channel would fall silent.");
    expect(cell(r.drafts, "talks=breakdown", "oman-channel=suspended")?.strength).toBeGreaterThan(0);
    expect(r.drafts.some((d) => d.from.startsWith("western-unity="))).toBe(false);
  });

  it("a negation before an aside reaches its verb: 'would not, in my assessment, bring Lebanon back into the war'", () => {
    const r = one("A strike by Israel alone would not, in my assessment, bring Lebanon back into the war.");
    expect(cell(r.drafts, "israel=unilateral-strike", "hezbollah=reignite")?.strength).toBeLessThan(0);
  });

  it("the cases of a risk note are scenario labels: 'Downside case (20%): the talks collapse. Washington tightens sanctions.'", () => {
    const r = one("Downside case (20%): the talks collapse. Washington tightens sanctions within weeks.");
    expect(cell(r.drafts, "talks=breakdown", "sanctions=tightened")).toMatchObject({ cue: "scenario" });
  });

  it("an indirect question is no claim, and who speaks before a colon is no side of one", () => {
    const q = one(
      "We asked two analysts whether Israel should strike Iran's nuclear sites if the process drags on.",
    );
    expect(q.drafts).toHaveLength(0);
    const w = one(
      "[04:10] Leena Marsh, a former official, opened with a warning: if the talks collapse, Washington will tighten sanctions.",
    );
    expect(cell(w.drafts, "talks=breakdown", "sanctions=tightened")).toBeDefined();
    expect(w.drafts.some((d) => d.to === "us-force=threats" || d.from === "us-force=threats")).toBe(false);
  });

  it("'the longer …, the …' after a short opener: 'In his reading, the longer the Omani channel stays open, …'", () => {
    const r = one(
      "In his reading, the longer the Omani channel stays open, the less likely a breakdown of the talks becomes.",
    );
    expect(r.claims.some((c) => c.claim.cue === "the longer")).toBe(true);
    expect(r.drafts.some((d) => d.from === "oman-channel=active")).toBe(true);
  });

  it("more correlatives and late inversions: 'the closer …, the closer …', '… would profit were the talks to drag on'", () => {
    expect(
      cell(
        one("The closer the talks come to failure, the closer we come to a regional war.").drafts,
        "talks=breakdown",
        "region=multi-front-war",
      ),
    ).toBeDefined();
    expect(
      cell(
        one(
          "Diplomats said the Kremlin would be the first to profit were the negotiation to drag on through the summer.",
        ).drafts,
        "talks=protracted",
        "russia-leverage=stronger",
      ),
    ).toMatchObject({ cue: "were" });
  });

  it("'the bomb' is a nuclear weapon, 'bombs' a strike; 'America' is the United States", () => {
    expect(
      cell(
        one("A strike would turn a threshold state into one racing for the bomb.").drafts,
        "israel=unilateral-strike",
        "enrichment=breakout",
      ) ??
        cell(
          one("If Israel strikes, Iran would race for the bomb.").drafts,
          "israel=unilateral-strike",
          "enrichment=breakout",
        ),
    ).toBeDefined();
    expect(
      cell(
        one("If America bombs Iran, it would tie Tehran even closer to Moscow for years.").drafts,
        "us-force=strikes",
        "iran-russia=deepened",
      ),
    ).toBeDefined();
  });

  it("an adjective of small odds before a probability noun lowers it: 'the slimmer the chance of a deal'", () => {
    const slim = cell(
      one("The more Tehran leans on Moscow, the slimmer the chance of a deal by summer.").drafts,
      "iran-russia=deepened",
      "talks=breakthrough",
    );
    const great = cell(
      one("The more Tehran leans on Moscow, the greater the chance of a deal by summer.").drafts,
      "iran-russia=deepened",
      "talks=breakthrough",
    );
    expect(slim?.strength).toBeLessThan(0);
    expect(great?.strength).toBeGreaterThan(0);
  });

  it("an aside between an event subject and its modal ('a deal, on the other hand, would …') keeps the claim", () => {
    const plain = one(
      "A deal that caps enrichment would leave Israel little choice but to hold back.",
    ).drafts;
    const aside = one(
      "A deal that caps enrichment, on the other hand, would leave Israel little choice but to hold back.",
    ).drafts;
    expect(plain.length).toBeGreaterThan(0);
    expect(aside.map((d) => [d.from, d.to, d.strength])).toEqual(
      plain.map((d) => [d.from, d.to, d.strength]),
    );
  });

  it("idioms with a gap ('set the region alight', 'drags its feet'); 'if anything' is no condition", () => {
    expect(
      cell(
        one("If the talks collapse, the region would be set alight.").drafts,
        "talks=breakdown",
        "region=multi-front-war",
      ),
    ).toBeDefined();
    expect(
      cell(
        one("If Tehran drags its feet, Washington will tighten sanctions.").drafts,
        "talks=protracted",
        "sanctions=tightened",
      ),
    ).toBeDefined();
    const d = one("If anything, a deal would make Hezbollah more cautious.").drafts;
    expect(d.length).toBeGreaterThan(0);
    for (const x of d) expect(x.cue).not.toBe("if");
  });

  it("the object of a verb of attack is its target, not its agent: 'the factions would attack American forces'", () => {
    const d = one("If the talks collapse, the factions would attack American forces.").drafts;
    expect(cell(d, "talks=breakdown", "pmf=reassert")?.strength).toBeGreaterThan(0);
    expect(d.some((x) => x.to.startsWith("us-force="))).toBe(false);
  });

  it("negation raising: 'could not guarantee that … would not' is a double negative, 'do not think that …' a denial", () => {
    const s = (line: string) => cell(one(line).drafts, "talks=breakdown", "pmf=reassert")?.strength;
    expect(
      s(
        "If the talks collapse, the government could not guarantee that the factions would not attack American forces.",
      ),
    ).toBeGreaterThan(0);
    expect(
      s("If the talks collapse, I do not think that the factions would attack American forces."),
    ).toBeLessThan(0);
    expect(s("If the talks collapse, the factions would not attack American forces.")).toBeLessThan(0);
  });

  it("a claim opened by a negated verb of belief is denied: 'Nor do we judge that …', 'I don't think that …'", () => {
    const s = (line: string) =>
      cell(one(line).drafts, "talks=breakthrough", "russia-leverage=stronger")?.strength;
    expect(s("A deal would strengthen Russia's hand.")).toBeGreaterThan(0);
    expect(s("We judge that a deal would strengthen Russia's hand.")).toBeGreaterThan(0);
    expect(s("Nor do we judge that a deal would strengthen Russia's hand.")).toBeLessThan(0);
    expect(s("I don't think that a deal would strengthen Russia's hand.")).toBeLessThan(0);
  });

  it("a necessity, 'no X without Y', is a condition after its consequence: Y makes X likelier", () => {
    expect(
      cell(
        one("There will be no agreement without verified limits on enrichment.").drafts,
        "enrichment=capped",
        "talks=breakthrough",
      )?.strength,
    ).toBeGreaterThan(0);
    expect(
      cell(
        one("Iran will not accept limits on enrichment without sanctions relief.").drafts,
        "sanctions=relief",
        "enrichment=capped",
      )?.strength,
    ).toBeGreaterThan(0);
    expect(one("The talks went on without a result.").drafts).toEqual([]);
  });

  it("talks that run 'for months without a result' are drawn out, not broken down", () => {
    const text = "a negotiation that runs for months without a result";
    const picks = mapSide(buildIndex(model), analyse(text), 0, text.length).picks.map((p) => p.id);
    expect(picks).toEqual(["talks=protracted"]);
  });

  it("'a fresh wave of designations' tightens sanctions", () => {
    expect(
      cell(
        one("A collapse of the talks would almost certainly be followed by a fresh wave of designations.")
          .drafts,
        "talks=breakdown",
        "sanctions=tightened",
      )?.strength,
    ).toBe(3);
  });

  it("'even if X' and a mid-sentence ', should X,' are conditions; a modal 'should' is not", () => {
    expect(
      cell(
        one("Hezbollah is in no condition to open a front even if Israel were to strike Iran.").drafts,
        "israel=unilateral-strike",
        "hezbollah=reignite",
      )?.strength,
    ).toBeLessThan(0);
    expect(
      cell(
        one("An adviser told me that, should the talks fail, Washington would tighten sanctions.").drafts,
        "talks=breakdown",
        "sanctions=tightened",
      ),
    ).toMatchObject({ cue: "should" });
    expect(one("The envoys said the talks should continue next week.").drafts).toEqual([]);
  });

  it("a sentence opened by 'Then' takes the condition of the last conditional before it in the paragraph", () => {
    const d = one(
      "And if the talks fail? He did not hesitate. Then the Americans will strike, he said.",
    ).drafts;
    expect(cell(d, "talks=breakdown", "us-force=strikes")).toMatchObject({ cue: "then" });
    // no conditional before it: no claim
    expect(one("He did not hesitate. Then the Americans will strike, he said.").drafts).toEqual([]);
  });

  it("'a lull in the Red Sea' is the Houthis scaling back", () => {
    expect(
      cell(
        one("If Washington and Tehran find a framework, I'd expect a lull in the Red Sea within weeks.")
          .drafts,
        "talks=breakthrough",
        "houthis=scaled-back",
      )?.strength,
    ).toBeGreaterThan(0);
  });

  it("'on Russia's terms' is Russia's gain", () => {
    expect(
      cell(
        one("If the talks succeed, the next thing on offer is a Ukraine settlement on Russia's terms.")
          .drafts,
        "talks=breakthrough",
        "russia-leverage=stronger",
      ),
    ).toBeDefined();
  });

  it("verbs of multiplying and halving odds, and 'is followed by', are causal", () => {
    const s = (line: string, from: string, to: string) => cell(one(line).drafts, from, to)?.strength;
    expect(
      s(
        "A collapse more than doubles the chance of an Israeli strike.",
        "talks=breakdown",
        "israel=unilateral-strike",
      ),
    ).toBeGreaterThan(0);
    expect(
      s(
        "A deal would halve the chance of an Israeli strike.",
        "talks=breakthrough",
        "israel=unilateral-strike",
      ),
    ).toBeLessThan(0);
    expect(
      s(
        "A collapse of the talks is usually followed by American strikes.",
        "talks=breakdown",
        "us-force=strikes",
      ),
    ).toBeGreaterThan(0);
  });

  it("the later sentences of a 'Scenario two: …' paragraph follow from its opening", () => {
    const r = one(
      "Scenario three: collapse. The talks break down and Washington would then tighten sanctions.",
    );
    const d = cell(r.drafts, "talks=breakdown", "sanctions=tightened");
    expect(d).toMatchObject({ cue: "scenario", strength: 2 });
  });

  it("a question that ends a paragraph is the condition of the next paragraph's answer", () => {
    // "Then" after a speaker's name, the question's own condition in the line before.
    const then = ingestLines(["And if the talks break down?", "KARIMI: Then Israel will strike on its own."]);
    // Its locator spans the question and the answer.
    expect(cell(then.drafts, "talks=breakdown", "israel=unilateral-strike")).toMatchObject({
      cue: "then",
      line: 2,
      conditionLine: 1,
      evidence: expect.stringMatching(/:1-2$/),
    });
    expect(then.claims.find((c) => c.line === 2)?.claim).toMatchObject({
      conditionFrom: "earlier-paragraph",
      conditionLine: 1,
      condition: { text: "if the talks break down?" },
    });
    // A modal answer with no "Then", and a later present-tense sentence of the same answer.
    const answer = ingestLines([
      "Q: What happens to the Houthis if the talks collapse?",
      "A: They would escalate in the Red Sea. The Iraqi factions resume attacks on American bases.",
    ]);
    expect(cell(answer.drafts, "talks=breakdown", "houthis=escalation")).toMatchObject({ cue: "answer" });
    expect(cell(answer.drafts, "talks=breakdown", "pmf=reassert")).toMatchObject({ cue: "context" });
    // A question that asks only what follows: the sentence before it is the condition.
    const what = ingestLines(["The talks collapse. What happens then?", "The Houthis would escalate."]);
    expect(cell(what.drafts, "talks=breakdown", "houthis=escalation")).toBeDefined();
    // No question before: no claim; a statement before is no condition either.
    expect(ingestLines(["The talks collapse.", "The Houthis would escalate."]).drafts).toEqual([]);
    expect(ingestLines(["Who chairs the talks?", "The Houthis would escalate."]).drafts).toEqual([]);
  });

  it("a one-sentence scenario line: its first item is the scenario, the later items follow in it", () => {
    const r = one(
      "Central case (about 55%): the talks drag on through the summer; the Houthis keep attacking ships.",
    );
    expect(cell(r.drafts, "talks=protracted", "houthis=continued")).toMatchObject({ cue: "scenario" });
    expect(
      cell(
        one("Worst case: the talks collapse, and Israel strikes on its own.").drafts,
        "talks=breakdown",
        "israel=unilateral-strike",
      ),
    ).toBeDefined();
    // One item only: nothing follows in it.
    expect(one("Base case: more of the same.").claims).toEqual([]);
  });

  it("a paragraph opened by a scenario's name: its second sentence sets the scenario, the later ones follow", () => {
    const r = one(
      "Broken Chair. The talks collapse in the summer. Israel strikes on its own. The Houthis escalate their attacks on shipping.",
    );
    expect(cell(r.drafts, "talks=breakdown", "israel=unilateral-strike")).toMatchObject({ cue: "scenario" });
    expect(cell(r.drafts, "talks=breakdown", "houthis=escalation")).toMatchObject({ cue: "scenario" });
    // A section's heading or an imperative that turns to a topic is no scenario's name.
    for (const opening of ["SITUATION.", "Take Russia.", "Outlook."])
      expect(one(`${opening} The talks collapse in the summer. Israel strikes on its own.`).drafts).toEqual(
        [],
      );
  });

  it("'It would …' after a sentence whose subject is an event: the event is the condition", () => {
    const r = one(
      "A collapse of the talks is the outcome Baghdad fears most. It would almost certainly be followed by attacks on American bases by the Iraqi factions.",
    );
    expect(cell(r.drafts, "talks=breakdown", "pmf=reassert")).toMatchObject({ cue: "context", strength: 3 });
    // Not an event: no claim.
    expect(
      one(
        "The foreign minister is the man Baghdad trusts most. It would almost certainly be followed by attacks on American bases by the Iraqi factions.",
      ).drafts.filter((d) => d.from.startsWith("talks=")),
    ).toEqual([]);
  });

  it("a demonstrative subject points back: 'Such a move could …' goes on with the condition before it", () => {
    expect(
      one(
        "If the talks collapse, Israel could strike. Diplomats were gloomy. Such a move could push the Houthis to escalate.",
      )
        .drafts.map((x) => `${x.from} ${x.to} ${x.cue}`)
        .filter((x) => x.includes("houthis")),
    ).toEqual(["talks=breakdown houthis=escalation context"]);
  });

  it("a cause in the past tense is history, no draft; the same verb in the present or after a modal is a judgment", () => {
    for (const line of [
      "Tighter sanctions pushed Iran to deepen its ties with Russia.",
      "A US strike ended the talks.",
    ]) {
      const r = one(line);
      expect(r.drafts).toEqual([]);
      expect(r.claims.map((c) => c.claim.past)).toEqual([true]);
    }
    expect(
      cell(
        one("Tighter sanctions push Iran to deepen its ties with Russia.").drafts,
        "sanctions=tightened",
        "iran-russia=deepened",
      ),
    ).toBeDefined();
    expect(
      cell(one("A US strike ends the talks.").drafts, "us-force=strikes", "talks=breakdown"),
    ).toBeDefined();
    // "is followed by" is present; "was followed by" is past.
    expect(one("A collapse of the talks was followed by American strikes.").drafts).toEqual([]);
  });

  it("'Nobody expects X if Y' denies X; a question asserts nothing and gives no draft", () => {
    expect(
      cell(
        one("Nobody on the panel expected Hezbollah to open a front if the talks broke down.").drafts,
        "talks=breakdown",
        "hezbollah=reignite",
      )?.strength,
    ).toBeLessThan(0);
    const q = one("Does Hezbollah open a front if the talks break down?");
    expect(q.drafts).toEqual([]);
    expect(q.claims.map((c) => c.claim.question)).toEqual([true]);
    // The same words as a statement are a claim.
    expect(
      cell(
        one("Hezbollah opens a front if the talks break down.").drafts,
        "talks=breakdown",
        "hezbollah=reignite",
      ),
    ).toBeDefined();
  });

  it("a numbered paragraph or a speaker's line still opens with its event subject: '2. An agreement would …'", () => {
    for (const lead of ["2. ", "OMAR: ", ""])
      expect(
        cell(
          one(`${lead}An agreement would lead the Houthis to scale back their attacks on shipping.`).drafts,
          "talks=breakthrough",
          "houthis=scaled-back",
        ),
      ).toBeDefined();
  });
  it("a verb that ends or abates an activity says its factor's lower state; with none, it flips the sign", () => {
    const d = (line: string, from: string, to: string) => cell(one(line).drafts, from, to)?.strength;
    // Houthi attacks are the "continued" state; ending, slowing or a tailing-off of them is the
    // factor's one lower state, "scaled back", denied or not.
    expect(
      d(
        "Even a framework agreement would not end Houthi attacks on shipping.",
        "talks=breakthrough",
        "houthis=scaled-back",
      ),
    ).toBeLessThan(0);
    expect(
      d(
        "A deal would slow the tempo of Houthi attacks on shipping.",
        "talks=breakthrough",
        "houthis=scaled-back",
      ),
    ).toBeGreaterThan(0);
    expect(
      d(
        "If there is a deal, I expect attacks on merchant ships to tail off.",
        "talks=breakthrough",
        "houthis=scaled-back",
      ),
    ).toBeGreaterThan(0);
    expect(
      d(
        "If the talks succeed, Houthi attacks on shipping would come to a halt.",
        "talks=breakthrough",
        "houthis=scaled-back",
      ),
    ).toBeGreaterThan(0);
    // Israel's factor has no lower state: "will not halt its threats" is coercion, affirmed.
    expect(
      d(
        "If the talks fail, Israel will not halt its threats against Iran.",
        "talks=breakdown",
        "israel=coercive",
      ),
    ).toBeGreaterThan(0);
    // Said of the lower state itself, as its object, the verb denies it: ending the factions'
    // quiet or restraint is their balancing, denied.
    expect(
      d("If the talks collapse, the factions would end their restraint.", "talks=breakdown", "pmf=balancing"),
    ).toBeLessThan(0);
    // "end" that is the state's own word stays that state: ending the talks is their breakdown.
    expect(
      d("An Israeli strike would end the talks.", "israel=unilateral-strike", "talks=breakdown"),
    ).toBeGreaterThan(0);
  });

  it("an actor that owns one factor and steps up or stands down: that factor's higher or lower state", () => {
    const d = (line: string, from: string, to: string) => cell(one(line).drafts, from, to)?.strength;
    expect(
      d(
        "If Israel strikes Iran, the Houthis would go further.",
        "israel=unilateral-strike",
        "houthis=escalation",
      ),
    ).toBeGreaterThan(0);
    expect(
      d("If Israel strikes Iran, Hezbollah would do more.", "israel=unilateral-strike", "hezbollah=reignite"),
    ).toBeGreaterThan(0);
    expect(
      d("If the talks collapse, the Houthis would not stand down.", "talks=breakdown", "houthis=scaled-back"),
    ).toBeLessThan(0);
    // No actor, or an actor with several factors (Iran's), says no state.
    expect(one("If the talks fail, they will do more.").drafts).toEqual([]);
    expect(one("If Israel strikes, Iran would go further.").drafts).toEqual([]);
  });
});

describe("confidence, merging, relation, gaps", () => {
  it("drafts come most confident first; each confidence is the fitted logistic model of its signals", () => {
    const r = ingestLines([
      "If the talks collapse, Israel could act alone against Iran's nuclear sites.",
      "The talks may collapse. In this scenario, Washington would tighten sanctions.",
    ]);
    const c = r.drafts.map((d) => d.confidence);
    expect(c).toEqual([...c].sort((a, b) => b - a));
    for (const x of c) expect(x > 0 && x < 1).toBe(true);
    const explicit = cell(r.drafts, "talks=breakdown", "israel=unilateral-strike")!;
    const carried = cell(r.drafts, "talks=breakdown", "sanctions=tightened")!;
    expect(carried.cue).toBe("in this scenario");
    expect(explicit.signals).toMatchObject({ explicit: 1, carried: 0, event: 0 });
    expect(carried.signals).toMatchObject({ explicit: 0, carried: 1, event: 0 });
    // By hand: σ(b + δ + Σ wᵢ·xᵢ) with the shipped weights and unseen shift, rounded to 2 places.
    for (const d of [explicit, carried]) {
      let z = FIT.intercept + (FIT.unseen?.shift ?? 0);
      for (const k of SIGNALS) z += FIT.weights[k] * d.signals![k];
      expect(d.confidence).toBeCloseTo(1 / (1 + Math.exp(-z)), 2);
    }
    // The model's judgment is a prior: the same reading on a cell the model judges alike is surer
    // than on one it leaves empty.
    const judged = cell(r.drafts, "talks=breakdown", "israel=unilateral-strike")!;
    expect(judged.signals!.agrees + judged.signals!.blank).toBe(1);
  });

  it("two sentences with the same claim merge into one draft with both locators and a higher confidence", () => {
    const a = one("If the talks collapse, Israel could act alone against Iran's nuclear sites.");
    const b = ingestLines([
      "If the talks collapse, Israel could act alone against Iran's nuclear sites.",
      "Analysts agree: if the talks collapse, Israel may strike unilaterally.",
    ]);
    const single = cell(a.drafts, "talks=breakdown", "israel=unilateral-strike")!;
    const merged = b.drafts.filter(
      (d) => d.from === "talks=breakdown" && d.to === "israel=unilateral-strike",
    );
    expect(merged).toHaveLength(1);
    expect(merged[0].also?.map((x) => x.evidence)).toEqual([`${b.source.id}:2`]);
    expect(merged[0].confidence).toBeGreaterThan(single.confidence);
  });

  it("relation against the model: same sign within 1 supports; opposite sign or 2 apart contradicts", () => {
    for (const d of ingestLines([
      "If the talks collapse, Israel could act alone against Iran's nuclear sites.",
      "If the talks collapse, Iran will not accept a cap on enrichment.",
      "If the talks collapse, Washington tightens sanctions.",
    ]).drafts) {
      if (!d.existing) {
        expect(d.relation).toBe("new");
        continue;
      }
      const e = d.existing.strength;
      const agree = Math.sign(e) === Math.sign(d.strength) && Math.abs(e - d.strength) <= 1;
      expect(d.relation).toBe(agree ? "supports" : "contradicts");
      expect(d.existing.evidence.length).toBeGreaterThan(0);
    }
  });

  it("gaps say why: a factor with no state, an actor the model lacks, nothing of the model", () => {
    const r = ingestLines([
      "If the sanctions regime changes, Israel will strike alone.",
      "If Saudi Arabia normalises ties, the Gulf will change.",
      "If the weather is fine, the harvest will be good.",
    ]);
    const byLine = (n: number) => r.gaps.find((g) => g.line === n);
    expect(byLine(1)).toMatchObject({ reason: "no-state", missing: ["condition"] });
    expect(byLine(1)?.factors).toContain("sanctions");
    expect(byLine(2)).toMatchObject({ reason: "unknown-actor" });
    expect(byLine(2)?.names).toContain("Saudi Arabia");
    expect(byLine(3)).toMatchObject({ reason: "no-factor", missing: ["condition", "consequence"] });
    expect(r.drafts).toEqual([]);
  });
});
