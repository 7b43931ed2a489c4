import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { prepareDocument } from "../../src/evidence/document.js";
import { detectLanguages } from "../../src/evidence/language.js";
import { EvidenceInputError } from "../../src/evidence/text.js";
import { haveShared } from "../helpers/paths.js";
import { htmlDir, SEED0, SEED1, seedDoc } from "./helpers.js";

const keptLines = (d: ReturnType<typeof prepareDocument>) => d.clean.cleanedToOriginal;
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe.runIf(haveShared)("cleaning the seed articles", () => {
  it("seed 000: the cleaned text holds exactly lines 1–21, none of 22–33", () => {
    const d = seedDoc(SEED0);
    expect(keptLines(d)).toEqual(range(1, 21));
    // The cleaned text is those lines, in order; the mapping gives original line numbers back.
    expect(d.clean.cleanedText.split("\n")).toEqual(d.lines.slice(0, 21));
    for (const b of d.clean.blocks.slice(21)) {
      expect(b.kept).toBe(false);
      expect(b.reasons.length).toBeGreaterThan(0);
    }
  });

  it("seed 000: the Pashto appeal is detected as Pashto and removed for its language", () => {
    const d = seedDoc(SEED0);
    for (const line of [23, 24, 25, 26, 27]) {
      const b = d.clean.blocks[line - 1];
      expect(b.script).toBe("Arabic");
      expect(["pbu", "pus"]).toContain(b.language);
      expect(b.reasons.map((r) => r.rule)).toContain("language");
    }
    const rules = (l: number) => d.clean.blocks[l - 1].reasons.map((r) => r.rule);
    expect(rules(22)).toContain("orphan-heading");
    expect(rules(29)).toContain("appeal");
    expect(rules(31)).toContain("payment");
    expect(rules(33)).toContain("comments");
    expect(d.metadata.author).toBe(d.lines[1]);
    expect(d.clean.language).toBe("eng");
  });

  it("seed 001: every article line is kept (line 2 is blank), the dateline names the outlet", () => {
    const d = seedDoc(SEED1);
    expect(keptLines(d)).toEqual([1, ...range(3, 36)]);
    expect(d.clean.blocks[1].role).toBe("blank");
    expect(d.metadata.outlet).toBe("Shafaq News");
  });

  it("the document id is the sha256 of the normalised text (= the file's, for clean UTF-8)", () => {
    const d = seedDoc(SEED0);
    expect(d.id).toBe("a18b41da298e48574a3d6a373d1ec8cdd206db7909eb7b2d3a991607afc3ba3d");
    const crlf = Buffer.from(d.text.replace(/\n/g, "\r\n"));
    expect(prepareDocument(new Uint8Array([0xef, 0xbb, 0xbf, ...crlf]), "x.txt").id).toBe(d.id);
  });
});

describe("cleaning HTML pages", () => {
  it("a news page: article paragraphs kept; navigation, cookie banner, share, related links, comments, footer removed", () => {
    const bytes = readFileSync(join(htmlDir, "news-page.html"));
    const d = prepareDocument(bytes, "news-page.html");
    const kept = d.clean.cleanedText.split("\n");
    expect(kept[0]).toMatch(/^Harbour council agrees/);
    expect(kept).toContain("By Mara Quill");
    expect(kept).toContain("A fragile compromise");
    expect(kept.filter((l) => l.split(" ").length > 20)).toHaveLength(5);
    const removed = d.clean.blocks
      .filter((b) => b.role !== "blank" && !b.kept)
      .map((b) => d.lines[b.line - 1]);
    for (const furniture of [
      /cookies/i,
      /^Home$/,
      /^Sport$/,
      /Share on social/,
      /^Related stories$/,
      /Reservoir levels/,
      /^3 comments$/,
      /Finally some sense/,
      /Log in to comment/,
      /All rights reserved/,
    ])
      expect(
        removed.some((l) => furniture.test(l)),
        String(furniture),
      ).toBe(true);
    expect(kept.some((l) => /cookie|Finally some sense|Related|Home/.test(l))).toBe(false);
    expect(d.text).not.toMatch(/tracker|position:fixed/);
    expect(d.metadata).toMatchObject({
      title: "Harbour council agrees a water-sharing plan after long talks",
      outlet: "The Coastal Ledger",
      author: "Mara Quill",
      date: "2024-03-05T09:30:00Z",
      url: "https://ledger.example.org/2024/03/harbour-water-plan",
    });
    // Every removal says why.
    for (const b of d.clean.blocks)
      if (!b.kept && b.role !== "blank") expect(b.reasons.length).toBeGreaterThan(0);
  });

  it("an HTML page with no article is refused with a clear message", () => {
    const bytes = readFileSync(join(htmlDir, "no-article.html"));
    expect(() => prepareDocument(bytes, "no-article.html")).toThrow(EvidenceInputError);
    expect(() => prepareDocument(bytes, "no-article.html")).toThrow(
      /no-article.html: no article found: Readability extracted \d+ words/,
    );
  });
});

describe("Markdown", () => {
  it("front matter gives metadata and is not text; link lists are furniture", () => {
    const md = [
      "---",
      "title: Notes on the reservoir",
      "author: A. Writer",
      "date: 2024-03-01",
      "---",
      "# Notes on the reservoir",
      "",
      "The reservoir is shared by two users, and the council has decided how the water is divided in dry months, after long talks.",
      "",
      "- [Home](/) [News](/news) [Sport](/sport)",
      "",
      "Comments are closed.",
    ].join("\n");
    const d = prepareDocument(Buffer.from(md), "notes.md");
    expect(d.metadata).toMatchObject({
      title: "Notes on the reservoir",
      author: "A. Writer",
      date: "2024-03-01",
    });
    expect(d.clean.cleanedToOriginal).toEqual([6, 8]);
  });
});

describe("a block dropped for its language needs a clear verdict", () => {
  it("an English sentence franc calls Scots, with English still plausible, stays in an English article", () => {
    const scots = "If the talks collapse, Israel could strike Iran's nuclear sites on its own.";
    const [l] = detectLanguages([scots]);
    // franc's own verdict on the line: Scots first, English a runner-up below 0.8 of it.
    expect(l).toMatchObject({ language: "sco", method: "block" });
    expect(l.alternatives).not.toContain("eng");
    expect(l.plausible).toContain("eng");
    const lines = [
      "Factions and the deal",
      "",
      "A deal would leave the Iraqi factions with less reason to fight, and most of their leaders know it well.",
      "",
      scots,
      "",
      "Oil traders and Houthi commanders alike are watching the sanctions debate in Washington, where the mood has changed.",
      "",
      "Diplomats in the Gulf say that both sides now see more to gain from a longer negotiation than from a quick break.",
    ];
    const d = prepareDocument(Buffer.from(lines.join("\n")), "deal.txt");
    expect(d.clean.language).toBe("eng");
    const b = d.clean.blocks[4];
    expect(b.kept).toBe(true);
    expect(b.language).toBe("eng");
    expect(b.reasons.map((r) => r.rule)).not.toContain("language");
    // Paragraphs in French, Spanish, Italian and German are still dropped from the same article.
    for (const other of [
      "Les négociateurs se sont retrouvés samedi à Mascate pour une nouvelle série de discussions indirectes sur le programme nucléaire.",
      "Los negociadores se reunieron el sábado en Mascate para una nueva ronda de conversaciones indirectas sobre el programa nuclear.",
      "Gli negoziatori si sono incontrati sabato a Mascate per un nuovo ciclo di colloqui indiretti sul programma nucleare.",
      "Die Unterhändler trafen sich am Samstag in Maskat zu einer neuen Runde indirekter Gespräche über das Atomprogramm.",
    ]) {
      const fr = prepareDocument(Buffer.from([...lines, "", other].join("\n")), "deal-other.txt");
      const last = fr.clean.blocks[lines.length + 1];
      expect(last.kept, other).toBe(false);
      expect(
        last.reasons.map((r) => r.rule),
        other,
      ).toContain("language");
    }
  });
});

describe("language tags of lines that are not prose", () => {
  const url =
    "https://www.example-notizie.it/esteri/2025/04/12/iran-stati-uniti-negoziati-oman-programma-nucleare-accordo-notizie";
  const names =
    "Abbas Araghchi, Steve Witkoff, Badr Albusaidi, Ali Khamenei, Benjamin Netanyahu, Marco Rubio, Hassan Nasrallah";

  it("a long URL and a list of names get no language of their own ('und'), prose still does", () => {
    const [u, n, p] = detectLanguages([
      url,
      names,
      "Talks between the two delegations resumed in Muscat on Saturday, with Omani mediators carrying messages.",
    ]);
    // Enough letters for a guess: franc alone calls the URL Italian and the names Javanese.
    expect(url.replace(/[^a-z]/gi, "").length).toBeGreaterThan(60);
    expect(names.replace(/[^a-z]/gi, "").length).toBeGreaterThan(60);
    expect(u).toMatchObject({ language: "und", script: "Latin", method: "not-prose" });
    expect(n).toMatchObject({ language: "und", script: "Latin", method: "not-prose" });
    expect(p).toMatchObject({ language: "eng", method: "block" });
  });

  it("in an article, the list of names and the URL line are not removed for their language", () => {
    const prose =
      "The envoys met for four hours in Muscat on Saturday, and both delegations described the talks as serious and constructive in tone.";
    const lines = [
      "Who was in the room",
      prose,
      names,
      prose.replace("Saturday", "Sunday"),
      url,
      prose.replace("Saturday", "Monday"),
    ];
    const d = prepareDocument(Buffer.from(lines.join("\n")), "room.txt");
    for (const line of [3, 5]) {
      const b = d.clean.blocks[line - 1];
      expect(b.language, `line ${line}`).toBe("und");
      expect(
        b.reasons.map((r) => r.rule),
        `line ${line}`,
      ).not.toContain("language");
    }
    expect(d.clean.blocks[2].kept).toBe(true);
    expect(d.clean.language).toBe("eng");
  });
});
