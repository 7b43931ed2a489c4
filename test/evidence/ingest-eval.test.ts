// The scorer of bench/ingest on a hand-made case: two articles' worth of fake drafts against
// fake labels, with every figure worked out by hand below (not the real ingestion's scores,
// which change as the rules improve). Also the labels parser's messages.

import { describe, expect, it } from "vitest";
import { type ArticleLabels, parseLabels } from "../../bench/ingest/labels.js";
import {
  type ArticleOutput,
  add,
  cutByConfidence,
  figures,
  isoDate,
  scoreArticle,
  wilson,
  zero,
} from "../../bench/ingest/score.js";

const A: ArticleLabels = {
  file: "a.txt",
  header: true,
  metadata: { title: "A", outlet: "Out", date: "2025-04-20", author: null, url: null },
  judgments: [
    { line: 3, quote: "q", from: "talks=breakdown", to: "houthis=escalation", sign: "+", strength: 2 },
    {
      line: 5,
      quote: "q",
      from: "enrichment=capped",
      to: "talks=breakthrough",
      sign: "+",
      strength: 2,
      alt: [{ from: "enrichment=status-quo", to: "talks=breakthrough", sign: "-" }],
    },
    { line: 7, quote: "q", from: "talks=breakthrough", to: "region=de-escalation", sign: "+", strength: 3 },
  ],
  gaps: [{ line: 9, quote: "q", kind: "actor", missing: "Saudi Arabia" }],
};
const outA: ArticleOutput = {
  drafts: [
    { line: 3, from: "talks=breakdown", to: "houthis=escalation", strength: 1, confidence: 0.9 }, // ✓ |1−2| = 1
    { line: 5, from: "enrichment=status-quo", to: "talks=breakthrough", strength: -2, confidence: 0.4 }, // ✓ alt, 0
    { line: 7, from: "talks=breakthrough", to: "region=de-escalation", strength: -2, confidence: 0.8 }, // ✗ sign
    { line: 8, from: "talks=breakdown", to: "us-force=strikes", strength: 2, confidence: 0.7 }, // ✗ no label
  ],
  gaps: [{ line: 9 }, { line: 2 }],
  metadata: { title: "A.", outlet: "Outlet", date: "20 April 2025", author: "", url: undefined },
};
const B: ArticleLabels = {
  file: "b.txt",
  header: false,
  metadata: null,
  judgments: [
    { line: 2, quote: "q", from: "us-force=strikes", to: "talks=breakdown", sign: "+", strength: 3 },
    { line: 4, quote: "q", from: "pmf=reassert", to: "region=multi-front-war", sign: "+", strength: 1 },
  ],
  gaps: [{ line: 6, quote: "q", kind: "factor", missing: "oil" }],
};
const outB: ArticleOutput = {
  drafts: [
    // merged: its own line 10 is unlabelled, the merged sentence on line 2 carries the label
    { line: 10, also: [{ line: 2 }], from: "us-force=strikes", to: "talks=breakdown", strength: 3 }, // ✓ 0
    { line: 2, from: "us-force=strikes", to: "talks=breakdown", strength: 2 }, // ✓ (same label) 1
    { line: 4, from: "pmf=reassert", to: "region=contained", strength: 1 }, // ✗ cell
  ],
  gaps: [],
  metadata: {},
};

describe("bench/ingest scorer", () => {
  const a = scoreArticle(A, outA);
  const b = scoreArticle(B, outB);
  const total = add(a.counts, b.counts);
  const f = figures(total);

  it("judges each draft by cell and sign on its lines", () => {
    expect(a.verdicts).toEqual([0, 1, -1, -1]);
    expect(b.verdicts).toEqual([0, 0, -1]);
    expect(a.missed).toEqual([2]);
    expect(b.missed).toEqual([1]);
  });

  it("gives the hand-computed precision, recall, mapping, sign and strength figures", () => {
    // correct 2 + 2 of 4 + 3 drafts; found 2 + 1 of 3 + 2 labels
    expect([total.drafts, total.correct, total.labels, total.found]).toEqual([7, 4, 5, 3]);
    expect(f.precision).toBeCloseTo(4 / 7, 12);
    expect(f.recall).toBeCloseTo(3 / 5, 12);
    // on a labelled line: A 3 (not line 8), B 3 (the merged draft through line 2)
    expect(f.mapping).toBeCloseTo(4 / 6, 12);
    // labelled cell whatever the sign: A 3, B 2; right sign 4
    expect(f.sign).toBeCloseTo(4 / 5, 12);
    // |Δ| over the correct drafts: 1, 0, 0, 1
    expect(f.strengthError).toBeCloseTo(2 / 4, 12);
  });

  it("counts gaps by line and reads metadata leniently but not wrongly", () => {
    expect(f.gapRecall).toBeCloseTo(1 / 2, 12);
    // title "A." = "A"; outlet "Outlet" ≠ "Out"; "20 April 2025" = 2025-04-20; "" and undefined = null
    expect(a.metadata.map((m) => m.ok)).toEqual([true, false, true, true, true]);
    expect([total.metaOk, total.metaFields]).toEqual([4, 5]);
    expect(isoDate("2025-04-20T09:00:00Z")).toBe("2025-04-20");
    expect(isoDate("no date")).toBeNull();
  });

  it("cuts drafts by confidence, or says it cannot", () => {
    const cut = cutByConfidence(outA, 0.5)!;
    expect(cut.drafts.map((d) => d.line)).toEqual([3, 7, 8]);
    const s = scoreArticle(A, cut).counts;
    expect([s.drafts, s.correct, s.found]).toEqual([3, 1, 1]);
    expect(cutByConfidence(outB, 0.5)).toBeNull();
  });

  it("gives Wilson intervals that match published values", () => {
    // Newcombe (1998) and standard tables: 5/10 → 0.2366–0.7634, 0/10 → 0–0.2775
    const [lo, hi] = wilson(5, 10);
    expect(lo).toBeCloseTo(0.2366, 4);
    expect(hi).toBeCloseTo(0.7634, 4);
    expect(wilson(0, 10)[0]).toBe(0);
    expect(wilson(0, 10)[1]).toBeCloseTo(0.2775, 4);
    expect(wilson(0, 0)).toEqual([0, 1]);
    const [pl, ph] = f.precisionCI;
    expect(pl).toBeLessThan(4 / 7);
    expect(ph).toBeGreaterThan(4 / 7);
    expect(add(zero(), total)).toEqual(total);
  });
});

describe("bench/ingest labels parser", () => {
  const states = new Set(["talks=breakdown", "houthis=escalation", "talks=breakthrough"]);
  const lines = (f: string) =>
    f === "a.txt" ? ["Title", "", "If the talks fail, the Houthis escalate."] : undefined;
  const labels = (j: object, file = "a.txt") =>
    JSON.stringify({ articles: [{ file, header: false, metadata: null, judgments: [j], gaps: [] }] });
  const good = {
    line: 3,
    quote: "talks fail",
    from: "talks=breakdown",
    to: "houthis=escalation",
    sign: "+",
    strength: 2,
  };

  it("accepts labels that fit the article and the model", () => {
    const r = parseLabels(labels(good), "labels.json", { states, lines });
    expect(r.problems).toEqual([]);
    expect(r.labels?.articles[0]?.judgments).toHaveLength(1);
  });

  it("names the file, article and line of each problem, and never throws", () => {
    const r = parseLabels(
      labels({ ...good, quote: "not there", to: "houthis=unknown", strength: 5 }),
      "labels.json",
      { states, lines },
    );
    expect(r.labels).toBeUndefined();
    expect(r.problems).toEqual([
      'labels.json: a.txt judgments[0] (line 3): quote "not there" is not on line 3',
      `labels.json: a.txt judgments[0] (line 3): 'to' "houthis=unknown" is not a factor=state id of the model`,
      "labels.json: a.txt judgments[0] (line 3): strength 5 is not 1, 2 or 3",
    ]);
    const cell = parseLabels(labels({ ...good, to: "houthis=unknown" }), "labels.json", { states, lines });
    expect(cell.problems[0]).toContain("'to' \"houthis=unknown\" is not a factor=state id");
    expect(parseLabels(labels(good, "zz.txt"), "l.json", { states, lines }).problems).toEqual([
      "l.json: zz.txt: no such article",
    ]);
    expect(parseLabels("{", "l.json", { states, lines }).problems[0]).toMatch(/^l\.json: not JSON/);
  });
});
