// Header lines of plain-text articles (title, outlet, date, URL, byline, notes) are metadata, not
// article text: they fill the document's metadata, are marked in the cleaning report with their
// original line numbers, and no article sentence is lost. The articles are written for the test.
import { describe, expect, it } from "vitest";
import { prepareDocument } from "../../src/evidence/document.js";
import { parseDate } from "../../src/evidence/header.js";
import { matchSource } from "../../src/evidence/ingest.js";
import { loadModelOrThrow } from "../../src/model/load-file.js";
import { haveShared, seedModelPath } from "../helpers/paths.js";
import { asIngest, SEED0, SEED1, seedDoc } from "./helpers.js";

const PROSE = [
  "Iran's allies across the region are watching the talks in Muscat closely, and several of them have quietly lowered their public profile while the envoys meet.",
  "A commander close to one of the armed factions said that his group would not act alone if the negotiations collapse, and would wait for guidance from Tehran.",
  "Diplomats in the Gulf say that the mood has changed since the spring, when a wider war looked likely, and that both sides now see more to gain from a longer negotiation.",
];

const doc = (lines: string[], name = "article.txt") => prepareDocument(Buffer.from(lines.join("\n")), name);
const proseLines = (lines: string[]) => lines.flatMap((l, i) => (PROSE.includes(l) ? [i + 1] : []));
const headerRule = (d: ReturnType<typeof doc>, line: number) => {
  const b = d.clean.blocks[line - 1];
  return b.role === "front-matter" && !b.kept && b.reasons.some((r) => r.rule === "metadata-header");
};
const model = () => loadModelOrThrow(seedModelPath).model;

describe("plain-text metadata header lines", () => {
  it("a URL line, an 'Outlet | Date | Title' line and a note: metadata, with the source id from the outlet", () => {
    const lines = [
      "https://www.al-monitor.example/originals/2025/04/iran-allies-oman-talks",
      "Al-Monitor | 21 April 2025 | Iran's allies weigh their options as the Oman talks go on",
      "Note: pasted from the website; photo captions removed.",
      "",
      ...PROSE,
    ];
    const d = doc(lines);
    expect(d.metadata).toMatchObject({
      url: "https://www.al-monitor.example/originals/2025/04/iran-allies-oman-talks",
      outlet: "Al-Monitor",
      date: "2025-04-21",
      title: "Iran's allies weigh their options as the Oman talks go on",
    });
    for (const l of [1, 2, 3]) expect(headerRule(d, l), `line ${l}`).toBe(true);
    // Every article sentence is kept, at its original line number.
    expect(d.clean.cleanedToOriginal).toEqual(proseLines(lines));
    expect(d.lines).toEqual(lines);
    expect(matchSource(model(), asIngest(d)).id).toBe("al-monitor");
  });

  it("'Key: value' lines (Title, Outlet, Date, By, URL) and an 'Accessed' line; a trailing editor's note", () => {
    const lines = [
      "Title: Gulf states quietly urge both sides to keep talking",
      "Outlet: The National",
      "Date: 2025-04-19",
      "By: Jane Doe",
      "URL: https://www.thenational.example/world/gulf-urges-talks",
      "Accessed 2025-04-21",
      "",
      ...PROSE,
      "",
      "[Editor's note: this article was updated to correct the name of a minister.]",
    ];
    const d = doc(lines);
    expect(d.metadata).toEqual({
      title: "Gulf states quietly urge both sides to keep talking",
      outlet: "The National",
      date: "2025-04-19",
      author: "Jane Doe",
      url: "https://www.thenational.example/world/gulf-urges-talks",
    });
    for (const l of [1, 2, 3, 4, 5, 6, 12]) expect(headerRule(d, l), `line ${l}`).toBe(true);
    expect(d.clean.cleanedToOriginal).toEqual(proseLines(lines));
    // The faults this fixes: the outlet was the word "Outlet", the title the URL, the id "outlet".
    expect(matchSource(model(), asIngest(d)).id).toBe("the-national");
  });

  it("a title line, a 'By Jane Doe' line, 'Source:' and 'Published:' with a written-out date", () => {
    const lines = [
      "Hezbollah weighs its next move after the Oman talks",
      "By Rana Haddad",
      "Source: Daily Star",
      "Published: Tuesday, April 22, 2025",
      ...PROSE,
    ];
    const d = doc(lines);
    expect(d.metadata).toMatchObject({
      title: "Hezbollah weighs its next move after the Oman talks",
      author: "Rana Haddad",
      outlet: "Daily Star",
      date: "2025-04-22",
    });
    expect(d.clean.blocks[0]).toMatchObject({ role: "title", kept: true });
    for (const l of [2, 3, 4]) expect(headerRule(d, l), `line ${l}`).toBe(true);
    expect(d.clean.cleanedToOriginal).toEqual([1, ...proseLines(lines)]);
  });

  it("'A | B | C' in another order: the title is the longest part, the date parses, the URL has a scheme", () => {
    const a = doc(["Iraq's armed factions and the talks: a long wait | Reuters | 2025-04-20", "", ...PROSE]);
    expect(a.metadata).toMatchObject({
      title: "Iraq's armed factions and the talks: a long wait",
      outlet: "Reuters",
      date: "2025-04-20",
    });
    const b = doc(["Apr 20, 2025 | https://shafaq.example/en/iraq-factions | Shafaq News", ...PROSE]);
    expect(b.metadata).toMatchObject({
      url: "https://shafaq.example/en/iraq-factions",
      outlet: "Shafaq News",
      date: "2025-04-20",
    });
    expect(b.clean.cleanedToOriginal).toEqual([2, 3, 4]);
    expect(matchSource(model(), asIngest(b)).id).toBe("shafaq-news");
  });

  it("Markdown: header lines after the front matter; a heading with a colon is not a header", () => {
    const lines = [
      "---",
      "title: From the front matter",
      "---",
      "Outlet: Gulf Monitor",
      "",
      "# Hezbollah: From Deterrent to Diplomatic Pawn?",
      "",
      ...PROSE,
    ];
    const d = doc(lines, "a.md");
    expect(d.metadata).toMatchObject({ title: "From the front matter", outlet: "Gulf Monitor" });
    expect(headerRule(d, 4)).toBe(true);
    expect(d.clean.blocks[5].kept).toBe(true);
    expect(d.clean.cleanedToOriginal).toEqual([6, 8, 9, 10]);
  });

  it("lines of the article that look a little like headers stay article text", () => {
    const lines = [
      "Talks in Muscat: what comes next",
      "Date of the next round: not yet fixed, officials said on Sunday evening in Muscat.",
      ...PROSE,
      "Source: officials familiar with the talks told us that the next round would be the decisive one.",
    ];
    const d = doc(lines);
    // A prose line is never a header line, even when it starts like one.
    expect(d.clean.blocks.some((b) => b.reasons.some((r) => r.rule === "metadata-header"))).toBe(false);
    expect(d.clean.cleanedToOriginal).toEqual([1, 2, 3, 4, 5, 6]);
    expect(d.metadata.title).toBe("Talks in Muscat: what comes next");
    expect(d.metadata.outlet).toBeUndefined();
  });

  it("a byline with a role gives the name; a place dateline in capitals is not the outlet", () => {
    const lines = [
      "Three scenarios for the months after Muscat",
      "By Leila Farahani, senior fellow",
      "",
      `BEIRUT — ${PROSE[0]}`,
      ...PROSE.slice(1),
    ];
    const d = doc(lines);
    expect(d.metadata.author).toBe("Leila Farahani");
    expect(headerRule(d, 2)).toBe(true);
    expect(d.metadata.outlet).toBeUndefined();
    expect(d.clean.cleanedToOriginal).toEqual([1, 4, 5, 6]);
    expect(matchSource(model(), asIngest(d)).id).toBe("three-scenarios-for-the-months-after-mus");
  });

  it("dates: the written forms parse to ISO, impossible dates do not", () => {
    expect(parseDate("2025-04-21")).toBe("2025-04-21");
    expect(parseDate("2025-04-21T09:30:00Z")).toBe("2025-04-21");
    expect(parseDate("21 April 2025")).toBe("2025-04-21");
    expect(parseDate("Monday, 21 Apr. 2025, 10:15 GMT")).toBe("2025-04-21");
    expect(parseDate("April 21st, 2025")).toBe("2025-04-21");
    expect(parseDate("2025-02-30")).toBeUndefined();
    expect(parseDate("31 June 2025")).toBeUndefined();
    expect(parseDate("Reuters")).toBeUndefined();
    expect(parseDate("The talks resumed on 21 April 2025")).toBeUndefined();
    // Numeric: day first unless only month first can be a date; e-mail (RFC 2822) dates.
    expect(parseDate("18/04/2025")).toBe("2025-04-18");
    expect(parseDate("18.04.2025")).toBe("2025-04-18");
    expect(parseDate("04/18/2025")).toBe("2025-04-18");
    expect(parseDate("05/04/2025")).toBe("2025-04-05");
    expect(parseDate("2025/04/18")).toBe("2025-04-18");
    expect(parseDate("31/02/2025")).toBeUndefined();
    expect(parseDate("Mon, 21 Apr 2025 06:30 +0300")).toBe("2025-04-21");
  });

  it("e-mail headers: Subject is the title, From the outlet (its name, not its address)", () => {
    const lines = [
      "Subject: Morning notes: Oman, Rome and the factions",
      "From: Gulf Morning Notes <notes@gulf.example>",
      "Date: Tue, 22 Apr 2025 07:00 +0400",
      "",
      ...PROSE,
    ];
    const d = doc(lines);
    expect(d.metadata).toMatchObject({
      title: "Morning notes: Oman, Rome and the factions",
      outlet: "Gulf Morning Notes",
      date: "2025-04-22",
    });
    expect(d.metadata.author).toBeUndefined();
    expect([1, 2, 3].every((l) => headerRule(d, l))).toBe(true);
  });

  it("a dash inside a compound ('US–Iran') is no dateline: the first words are not the outlet", () => {
    const lines = [
      "Before the second round",
      "",
      "The second round of US–Iran talks is due on Saturday, with Oman again in the middle. What to look for:",
      ...PROSE,
    ];
    expect(doc(lines).metadata.outlet).toBeUndefined();
  });
});

describe.runIf(haveShared)("header lines on the seed articles", () => {
  it("no line of either seed article is taken for a header line", () => {
    for (const name of [SEED0, SEED1]) {
      const d = seedDoc(name);
      const header = d.clean.blocks.filter((b) => b.reasons.some((r) => r.rule === "metadata-header"));
      expect(header, name).toEqual([]);
    }
  });
});

describe("more header forms: publication lines, bylines after a genre word, names and dates", () => {
  const meta = (header: string[]) =>
    doc(["Allies weigh their options as the Oman talks go on", ...header, "", ...PROSE]).metadata;

  it("'Posted on <date> by <name>', 'Updated <date>', '<date> · 6 min read', 'Sent: <date>'", () => {
    expect(meta(["Posted on April 14, 2025 by Jane Doe"])).toMatchObject({
      date: "2025-04-14",
      author: "Jane Doe",
    });
    expect(meta(["Updated April 15, 2025"])).toMatchObject({ date: "2025-04-15" });
    expect(meta(["14 April 2025 · 6 min read"])).toMatchObject({ date: "2025-04-14" });
    expect(meta(["Sent: Monday, April 14, 2025 9:00 AM"])).toMatchObject({ date: "2025-04-14" });
  });

  it("bylines: 'Analysis by …', 'Reporting by …; Editing by …', 'By … for <Outlet>', 'Author: Name (Outlet)'", () => {
    expect(meta(["Analysis by Jane Doe"])).toMatchObject({ author: "Jane Doe" });
    expect(meta(["Reporting by Jane Doe; Editing by John Roe"])).toMatchObject({ author: "Jane Doe" });
    expect(meta(["By Jane Doe for The Gulf Monitor"])).toMatchObject({
      author: "Jane Doe",
      outlet: "The Gulf Monitor",
    });
    expect(meta(["Author: Jane Doe (Gulf Policy Forum)"])).toMatchObject({
      author: "Jane Doe",
      outlet: "Gulf Policy Forum",
    });
  });

  it("'<Outlet> — <date>', several 'Key: value' parts on a line, and pipes with a genre word and a name", () => {
    expect(meta(["The Gulf Monitor — 14 April 2025"])).toMatchObject({
      outlet: "The Gulf Monitor",
      date: "2025-04-14",
    });
    expect(meta(["Outlet: The Gulf Monitor — Author: Jane Doe"])).toMatchObject({
      outlet: "The Gulf Monitor",
      author: "Jane Doe",
    });
    const m = meta(["Commentary | The Gulf Monitor | Jane Doe | 14/04/2025"]);
    expect(m).toMatchObject({ outlet: "The Gulf Monitor", author: "Jane Doe", date: "2025-04-14" });
    expect(m.title).not.toBe("Commentary");
  });

  it("an organisation's name is no author, and a byline elsewhere beats a name guessed from its shape", () => {
    expect(
      meta([
        "Caspian Policy Forum | 15 Apr 2025 | Russia and the Muscat talks: who gains while Washington looks away",
        "By Anna Korolenko, senior fellow",
      ]),
    ).toMatchObject({
      outlet: "Caspian Policy Forum",
      author: "Anna Korolenko",
    });
  });

  it("memo and e-mail headers: 'To:' and 'Desk:' are no metadata, 'Re:' is the title, 'From: Name, Role' the author, 'Issuer:' the outlet", () => {
    expect(
      meta([
        "To: Members of the Working Group",
        "From: Rana Ishaq, Senior Fellow",
        "Re: Keeping the Muscat track alive",
      ]),
    ).toMatchObject({ author: "Rana Ishaq", title: "Keeping the Muscat track alive" });
    const m = meta(["Issuer: Tidewater Marine Underwriting", "Desk: Cargo & Hull", "Date: 22.04.2025"]);
    expect(m).toMatchObject({ outlet: "Tidewater Marine Underwriting", date: "2025-04-22" });
    expect(m.author).toBeUndefined();
  });

  it("'Title:' wins even when it reads like a sentence; a question title does not end the header", () => {
    expect(
      meta([
        "Outlet: Radio Atlas",
        "Aired: 23 April 2025",
        "Title: A deal is not a catastrophe. A strike might be.",
      ]),
    ).toMatchObject({
      outlet: "Radio Atlas",
      date: "2025-04-23",
      title: "A deal is not a catastrophe. A strike might be.",
    });
    const d = doc([
      "https://example.org/2025/04/20/ras-isa",
      "After Ras Isa: can Muscat quiet the Red Sea now?",
      "Posted by Ines Carvalho on April 20, 2025",
      "",
      ...PROSE,
    ]);
    expect(d.metadata).toMatchObject({ author: "Ines Carvalho", date: "2025-04-20" });
  });

  it("'·' parts with a byline or a date; a genre label opening a pipe part; an outlet after a byline's names", () => {
    expect(meta(["Interview by Sofia Marquez · Parallax Review · April 21, 2025"])).toMatchObject({
      author: "Sofia Marquez",
      outlet: "Parallax Review",
      date: "2025-04-21",
    });
    expect(meta(["Yom Hadash | 24.04.2025 | Editorial, translated from the Hebrew"])).toMatchObject({
      outlet: "Yom Hadash",
    });
    expect(meta(["By Elena Varga and Tariq Hamdan, Meridian Newswire"])).toMatchObject({
      outlet: "Meridian Newswire",
    });
  });

  it("mastheads, labelled parts, roles after names, source lines; a first sentence is no title", () => {
    // a masthead with its section, then the title and a byline with a pipe and a date
    const a = doc([
      "THE CLOISTER · Politics",
      "Why everyone is watching Oman",
      "By Lena Ortiz, staff writer | May 2, 2025",
      "",
      ...PROSE,
    ]);
    expect(a.metadata).toMatchObject({
      outlet: "THE CLOISTER",
      title: "Why everyone is watching Oman",
      author: "Lena Ortiz",
      date: "2025-05-02",
    });
    // an outlet-shaped name with a description; "Key: value" parts, one of an unknown key
    const b = doc([
      "Proxy Watch — Levant Armed Groups Tracker",
      "Quiet week on the border",
      "Entry: 88/2025 | Updated: 3 March 2025 | Analyst: Omar Haddad",
      "",
      ...PROSE,
    ]);
    expect(b.metadata).toMatchObject({
      outlet: "Proxy Watch",
      title: "Quiet week on the border",
      author: "Omar Haddad",
      date: "2025-03-03",
    });
    // two short pipe parts: the first, outlet-shaped, is the outlet, the second its section;
    // several analysts; a role and a parenthesis after a name
    expect(meta(["Cedar Point Securities | Rates Strategy | 9 June 2025"])).toMatchObject({
      outlet: "Cedar Point Securities",
      date: "2025-06-09",
    });
    expect(meta(["Analysts: Mira Holm, Tomas Berg"])).toMatchObject({ author: "Mira Holm, Tomas Berg" });
    expect(meta(["Compiled by: Ruth Adler, Col (retd)"])).toMatchObject({ author: "Ruth Adler" });
    expect(meta(["Compiled by: Ruth Adler, Col (retd)"]).outlet).toBeUndefined();
    expect(meta(["Published by: Institute for Naval Studies", "Report date: 4 May 2025"])).toMatchObject({
      outlet: "Institute for Naval Studies",
      date: "2025-05-04",
    });
    expect(meta(["Transcript provided by Fjordline Transcripts", "Call date: 30 April 2025"])).toMatchObject({
      outlet: "Fjordline Transcripts",
      date: "2025-04-30",
    });
    // a genre with a parenthesis is no title; the next line is
    const c = doc([
      "Transcript (machine translation) | Caspian Monitor",
      "The spokesman's call, excerpts",
      "",
      ...PROSE,
    ]);
    expect(c.metadata).toMatchObject({ outlet: "Caspian Monitor", title: "The spokesman's call, excerpts" });
    // no header: a first line that is a statement opens the text, it is no title
    const e = doc([
      "1/ Some thoughts on the talks in Oman and what they mean for the war in Ukraine, in brief.",
      "",
      ...PROSE,
    ]);
    expect(e.metadata.title).toBeUndefined();
  });

  it("a document kind in capitals, roles among several authors, a caps outlet before its desk, a date with its time zone", () => {
    const a = doc([
      "CLIENT MEMORANDUM",
      "Brantley Voss LLP | Trade Controls",
      "2 May 2025",
      "What a deal would change for exporters",
      "Authors: Ada Lovell, Partner, and Omar Sayegh, Associate",
      "",
      ...PROSE,
    ]);
    expect(a.metadata).toMatchObject({
      outlet: "Brantley Voss LLP",
      date: "2025-05-02",
      title: "What a deal would change for exporters",
      author: "Ada Lovell and Omar Sayegh",
    });
    expect(
      meta(["NORDHAVN SHIPPING MANAGEMENT | Fleet Security Desk", "Date of issue: 9 MAY 2025"]),
    ).toMatchObject({
      outlet: "NORDHAVN SHIPPING MANAGEMENT",
      date: "2025-05-09",
    });
    expect(
      meta([
        "Radio Kaveh | Weekly programme notes",
        "Aired: 11 May 2025, 18:30 Eastern",
        "Summary by Leyla Nasseri",
      ]),
    ).toMatchObject({
      outlet: "Radio Kaveh",
      date: "2025-05-11",
      author: "Leyla Nasseri",
    });
    expect(meta(["Answered on 6 May 2025"])).toMatchObject({ date: "2025-05-06" });
  });

  it("a newsletter's name as in its URL, a name above the date, a profile line and a post's age", () => {
    const a = doc([
      "The Margin",
      "What the odds say after Rome",
      "Pricing diplomacy so you don't have to",
      "Ines Carvalho",
      "May 3, 2025",
      "https://themargin.substack.com/p/what-the-odds-say",
      "",
      ...PROSE,
    ]);
    expect(a.metadata).toMatchObject({
      outlet: "The Margin",
      title: "What the odds say after Rome",
      author: "Ines Carvalho",
      date: "2025-05-03",
    });
    // a section heading whose word is only part of a host label is no outlet
    const b = doc(["https://questions.example.org/detail/123", "Question", "", ...PROSE]);
    expect(b.metadata.outlet).toBeUndefined();
    const c = doc([
      "Lena Ortiz",
      "Director of Research at Harbour Analytics | ex-diplomat | energy, sanctions",
      "2d • Edited",
      "",
      ...PROSE,
    ]);
    expect(c.metadata.author).toBe("Lena Ortiz");
    expect(c.metadata.outlet).toBeUndefined();
    expect(c.metadata.title).toBeUndefined();
  });

  it("'Institute:', 'Series:', 'Interview by:' keys; an outlet's name alone on the first line; a staff byline is no outlet", () => {
    expect(
      meta(["Institute: Gulf Policy Circle", "Series: Commentary", "Author: Rana Aziz, nonresident fellow"]),
    ).toMatchObject({ outlet: "Gulf Policy Circle", author: "Rana Aziz" });
    expect(meta(["Interview by: Tomas Berg"])).toMatchObject({ author: "Tomas Berg" });
    const d = doc([
      "Basra Mirror",
      "Factions wait on the talks",
      "Staff reporter | 2 May 2025",
      "",
      ...PROSE,
    ]);
    expect(d.metadata).toMatchObject({
      outlet: "Basra Mirror",
      title: "Factions wait on the talks",
      date: "2025-05-02",
    });
  });

  it("a short title that ends like an outlet's name is still the title", () => {
    const t = doc(["A short test report", "", ...PROSE]);
    expect(t.metadata).toMatchObject({ title: "A short test report" });
    expect(t.metadata.outlet).toBeUndefined();
  });

  it("only the first paragraph opens with a dateline, and a dateline's words are capitalised", () => {
    const d = doc([
      "Risk matrix",
      "",
      ...PROSE,
      "Risk C: Israeli unilateral action is downgraded this week, for reasons set out below in some detail.",
    ]);
    expect(d.metadata.outlet).toBeUndefined();
    const q = doc([
      "Notes",
      "",
      "Quick context for new readers: The Houthis have attacked ships in the Red Sea since late 2023, and the pace has varied.",
    ]);
    expect(q.metadata.outlet).toBeUndefined();
  });

  it("a genre word in capitals is no outlet or title; 'By X · Updated <date>'; an outlet's name under the byline", () => {
    const a = doc(["ANALYSIS", "Why the factions wait", "By Jana Novak · Updated 5 May 2025", "", ...PROSE]);
    expect(a.metadata).toMatchObject({
      title: "Why the factions wait",
      author: "Jana Novak",
      date: "2025-05-05",
    });
    expect(a.metadata.outlet).toBeUndefined();
    expect(headerRule(a, 1)).toBe(true);
    const b = doc([
      "Envoys agree on a third round",
      "By Pavel Lind and Sara Quist",
      "Meridian Wire Service",
      "3 May 2025",
      "",
      ...PROSE,
    ]);
    expect(b.metadata).toMatchObject({
      title: "Envoys agree on a third round",
      author: "Pavel Lind and Sara Quist",
      outlet: "Meridian Wire Service",
      date: "2025-05-03",
    });
    const c = doc([
      "OPINION",
      "A strike would help the hardliners",
      "By Noa Levin",
      "The Harbour Review, 2 May 2025",
      "",
      ...PROSE,
    ]);
    expect(c.metadata).toMatchObject({
      outlet: "The Harbour Review",
      date: "2025-05-02",
      author: "Noa Levin",
    });
  });

  it("a number in a series and a running time are neither title nor outlet; an episode's title; 'Name, role'", () => {
    const a = doc([
      "Working Paper 2025/03 | Levant Institute for Policy Studies | 2 May 2025",
      "Waiting out the talks: Iraq's factions",
      "Jana Novak, non-resident fellow",
      "",
      ...PROSE,
    ]);
    expect(a.metadata).toMatchObject({
      outlet: "Levant Institute for Policy Studies",
      title: "Waiting out the talks: Iraq's factions",
      author: "Jana Novak",
      date: "2025-05-02",
    });
    const p = doc([
      "Deep Water | Episode 40: \u201cWhat comes after Rome\u201d",
      "Released 2 May 2025 | 52 min",
      "",
      ...PROSE,
    ]);
    expect(p.metadata).toMatchObject({
      outlet: "Deep Water",
      title: "What comes after Rome",
      date: "2025-05-02",
    });
    expect(p.metadata.author).toBeUndefined();
  });

  it("a masthead of five words in capitals; a committee, its inquiry and witnesses; authors with places; a rapporteur", () => {
    expect(
      doc([
        "EASTERN SEA SHIPOWNERS MUTUAL ASSOCIATION",
        "Notice 3/2025 - War risks",
        "Date: 2 May 2025",
        "",
        ...PROSE,
      ]).metadata,
    ).toMatchObject({ outlet: "EASTERN SEA SHIPOWNERS MUTUAL ASSOCIATION", date: "2025-05-02" });
    const c = doc([
      "Select Committee on Energy Security | Uncorrected oral evidence",
      "Inquiry: Gulf shipping and insurance",
      "Witnesses: Dr Ana Silva, Director, Harbour Institute",
      "",
      ...PROSE,
    ]);
    expect(c.metadata).toMatchObject({
      outlet: "Select Committee on Energy Security",
      title: "Gulf shipping and insurance",
    });
    expect(c.metadata.author).toBeUndefined();
    const places = meta(["Analysts: Ana Silva (Lisbon), Tom Berg (Oslo)"]);
    expect(places.author).toBe("Ana Silva, Tom Berg");
    expect(places.outlet).toBeUndefined();
    expect(meta(["Rapporteur: Léa Moreau"])).toMatchObject({ author: "Léa Moreau" });
  });

  it("a letter's signature under its last paragraph is the author; one plain word is no outlet", () => {
    const l = doc(["Letters", "", ...PROSE, "", "Hannah Adeyemi", "Bristol"]);
    expect(l.metadata.author).toBe("Hannah Adeyemi");
    expect(headerRule(l, l.lines.length - 1)).toBe(true);
    // Article text stays: every prose line is kept.
    for (const k of proseLines(["Letters", "", ...PROSE])) expect(l.clean.blocks[k - 1].kept).toBe(true);
    const q = doc(["Title: Iran: USA", "", "Question", "", ...PROSE]);
    expect(q.metadata.outlet).toBeUndefined();
  });

  it("a role after an author's name is dropped, also after 'Prepared by'; a section label in capitals or a salutation is no author", () => {
    const r = doc(["The quiet channel", "Author: Rana Haddad, Senior Researcher", "", ...PROSE]);
    expect(r.metadata.author).toBe("Rana Haddad");
    const p = doc([
      "KESTREL RISK | Weekly",
      "The quiet channel",
      "Prepared by Owen Marsh, MENA Analysis Desk",
      "",
      ...PROSE,
    ]);
    expect(p.metadata.author).toBe("Owen Marsh");
    for (const label of ["BOTTOM LINE", "Dear Partners,"]) {
      const d = doc(["Kestrel Capital Management", "Quarterly letter to investors", "", label, ...PROSE]);
      expect(d.metadata.author).toBeUndefined();
    }
    // A place in brackets after a reporter's name is no outlet; an outlet in brackets is.
    const place = doc(["REPORTER: Sam Marsh (Djibouti)", "", ...PROSE]);
    expect(place.metadata).toMatchObject({ author: "Sam Marsh" });
    expect(place.metadata.outlet).toBeUndefined();
    expect(doc(["Author: Sam Marsh (Gulf Monitor)", "", ...PROSE]).metadata).toMatchObject({
      author: "Sam Marsh",
      outlet: "Gulf Monitor",
    });
    // A name under the title is still its author.
    expect(doc(["The quiet channel", "Owen Marsh", "", ...PROSE]).metadata.author).toBe("Owen Marsh");
  });
});

describe("broadcast scripts, document kinds and mastheads in capitals", () => {
  it("'SLUG:' is the title; 'Tonight' is no date, the transmission date is", () => {
    const d = doc([
      "SLUG: RED SEA SHIPPING / IRAN TALKS",
      "PROG: World Tonight — Harbour Television",
      "TX: Mon 21/04/2025 22:00 BST",
      "",
      ...PROSE,
    ]);
    expect(d.metadata).toMatchObject({ title: "RED SEA SHIPPING / IRAN TALKS", date: "2025-04-21" });
    // With no written date at all, nothing is dated today.
    expect(doc(["PROG: World Tonight — Harbour Television", "", ...PROSE]).metadata.date).toBeUndefined();
  });

  it("a kind or number of the document with notes ('Commentary · No. 47/2025') is no title", () => {
    const d = doc([
      "EUPHRATES CENTRE FOR POLICY RESEARCH",
      "Commentary · No. 47/2025",
      "Between Muscat and Baghdad: what the talks mean for the factions",
      "",
      ...PROSE,
    ]);
    expect(d.metadata.title).toBe("Between Muscat and Baghdad: what the talks mean for the factions");
    const w = doc([
      "Issue 2025/17 · covering 18–24 April · issued 24 April 2025 · client distribution only",
      "Rome round buys time",
      "",
      ...PROSE,
    ]);
    expect(w.metadata).toMatchObject({ title: "Rome round buys time", date: "2025-04-24" });
  });

  it("a first line in capitals above a short title is who issues the document", () => {
    const d = doc(["CITY OF ASHBURY FALLS", "Minutes of the regular meeting of the council", "", ...PROSE]);
    expect(d.metadata).toMatchObject({
      outlet: "CITY OF ASHBURY FALLS",
      title: "Minutes of the regular meeting of the council",
    });
    // Above the text itself it is the title.
    expect(doc(["IRAN TALKS ENTER A NEW PHASE", "", ...PROSE]).metadata.title).toBe(
      "IRAN TALKS ENTER A NEW PHASE",
    );
  });
});

describe("more header layouts: genre parts, fact checks, datelines, letters, programmes", () => {
  it("'Opinion | Guest essay' and 'LIVE | …' are genres, not outlets; the outlet comes from its own line", () => {
    const o = doc([
      "Opinion | Guest essay",
      "Letting Israel go it alone",
      "Daniel Okafor",
      "The Lakeshore Standard — April 22, 2025",
      "",
      ...PROSE,
    ]);
    expect(o.metadata).toMatchObject({ outlet: "The Lakeshore Standard", date: "2025-04-22" });
    const l = doc([
      "LIVE | Iran–US talks: second round under way in Rome",
      "The Tidewater Chronicle — live coverage, Saturday 19 April 2025",
      "",
      ...PROSE,
    ]);
    expect(l.metadata).toMatchObject({ outlet: "The Tidewater Chronicle", date: "2025-04-19" });
  });

  it("a fact-checker's name is an outlet, the person beside it the author; 'BEIRUT — date — Name' gives the author", () => {
    const f = doc([
      "Would a collapse mean a regional war? We checked",
      "ClearSight Fact Check | Jonas Ekwueme | 24 April 2025",
      "",
      ...PROSE,
    ]);
    expect(f.metadata).toMatchObject({ outlet: "ClearSight Fact Check", author: "Jonas Ekwueme" });
    const d = doc([
      "The Cedar Post | Politics",
      "Hezbollah keeps its own counsel",
      "BEIRUT — 23.04.2025 — Nadim Karam",
      "",
      ...PROSE,
    ]);
    expect(d.metadata).toMatchObject({ author: "Nadim Karam", date: "2025-04-23" });
  });

  it("a letter signed under its valediction; a team's name is no author; a programme's broadcaster is the outlet", () => {
    const l = doc([
      "Quarterly letter",
      "",
      ...PROSE,
      "",
      "With thanks for your continued confidence,",
      "",
      "Ruth Calloway",
      "Chief Investment Officer",
    ]);
    expect(l.metadata.author).toBe("Ruth Calloway");
    const t = doc([
      "Update to members",
      "",
      ...PROSE,
      "",
      "With best wishes,",
      "International Programmes Team",
    ]);
    expect(t.metadata.author).toBeUndefined();
    expect(
      doc(["PROG: World Tonight — Harbour Television International", "", ...PROSE]).metadata.outlet,
    ).toBe("Harbour Television International");
  });
});

describe("header lines of newsletters, programmes, posts and reports", () => {
  it("a dated part with a time or a word of publication is the date; another dated part is a note, not the title", () => {
    const w = doc([
      "Analysts weigh the Rome round",
      "By Priya Castell",
      "Harbour Wire | April 19, 2025 6:42 PM GMT+1 | Updated 2 hours ago",
      "",
      ...PROSE,
    ]);
    expect(w.metadata).toMatchObject({
      title: "Analysts weigh the Rome round",
      date: "2025-04-19",
      outlet: "Harbour Wire",
    });
    const n = doc([
      "The Tigris Bridge",
      "Newsletter of the Friendship Association of Greater Lansing",
      "Spring 2025, Issue 22 | Mailed April 25, 2025 | Edited by Layla Haddad",
      "",
      ...PROSE,
    ]);
    expect(n.metadata).toMatchObject({
      title: "The Tigris Bridge",
      outlet: "Friendship Association of Greater Lansing",
      date: "2025-04-25",
      author: "Layla Haddad",
    });
    const r = doc([
      "Kestrel Ports & Logistics plc",
      "Annual Report and Accounts 2024",
      "Strategic Report | Principal risks and uncertainties (extract, pages 58 to 60)",
      "",
      ...PROSE,
    ]);
    expect(r.metadata).toMatchObject({
      outlet: "Kestrel Ports & Logistics plc",
      title: "Annual Report and Accounts 2024",
    });
    // Every line of the zone a header line: the title is guessed from the parts.
    expect(doc(["LIVE | Iran–US talks: second round under way in Rome", "", ...PROSE]).metadata.title).toBe(
      "Iran–US talks: second round under way in Rome",
    );
  });

  it("a programme's summary, a post's handle and bio, a press review in capitals, a convenor", () => {
    const p = doc([
      "Radio Westmoor | Night Lines with Gareth Penhallow",
      "Iran talks: should we hold our breath?",
      "Broadcast Tuesday 22 April 2025, 10pm to midnight | Summary by Kerry Anstice, programme assistant",
      "Listen again: https://www.radiowestmoor.example/nightlines/2025-04-22",
      "",
      ...PROSE,
    ]);
    expect(p.metadata).toMatchObject({
      title: "Iran talks: should we hold our breath?",
      author: "Kerry Anstice",
      url: "https://www.radiowestmoor.example/nightlines/2025-04-22",
    });
    const t = doc([
      "Noor Khalid @noorkb_levant",
      "Research fellow, Cedar & Olive Institute. Views my own.",
      "Thread | 21 Apr 2025, 9:14 AM",
      "",
      ...PROSE,
    ]);
    expect(t.metadata).toMatchObject({ author: "Noor Khalid", date: "2025-04-21" });
    expect(t.metadata.outlet).toBeUndefined();
    const m = doc([
      "PRESS REVIEW",
      "What Tehran's papers made of Rome",
      "Gulf Media Monitor | Monday 21 April 2025",
      "",
      ...PROSE,
    ]);
    expect(m.metadata).toMatchObject({
      outlet: "Gulf Media Monitor",
      title: "What Tehran's papers made of Rome",
    });
    expect(doc(["Seminar 9 handout", "Convenor: Anselm Rooke", "", ...PROSE]).metadata.author).toBe(
      "Anselm Rooke",
    );
  });
});

describe("roles, descriptions and social headers (the tenth set's forms)", () => {
  it("a role as the key, titles and ranks before a name, and 'submitted by' / 'for delivery by' lines", () => {
    const lesson = doc([
      "Kingsmead Sixth Form — Politics Department",
      "Topic: Can talks in Oman calm the Gulf?",
      "Tutor: Mr J. Pemberton-Lowe | 23 April 2025 | Room B2",
      "",
      ...PROSE,
    ]);
    expect(lesson.metadata).toMatchObject({
      title: "Can talks in Oman calm the Gulf?",
      author: "J. Pemberton-Lowe",
    });
    expect(
      doc([
        "CASTLEMERE RE",
        "Country Note — OMAN",
        "Economist: Dr Priya Valdano-Osei | 25 April 2025",
        "",
        ...PROSE,
      ]).metadata.author,
    ).toBe("Priya Valdano-Osei");
    expect(
      doc(["Prepared by: Watch Officer L. Marchetti-Abara", "Issued 26 April 2025", "", ...PROSE]).metadata
        .author,
    ).toBe("L. Marchetti-Abara");
    expect(
      doc(["Exercise report", "Game lead: Col. (retd) Daniel Oyelowo-Hart", "", ...PROSE]).metadata.author,
    ).toBe("Daniel Oyelowo-Hart");
    const evidence = doc([
      "SELECT PANEL ON GULF SECURITY",
      "Written evidence submitted by Professor Hana Ruiz-Tembo, Chair in Diplomacy, Wexcombe University (GS0012)",
      "Submitted 22 April 2025",
      "",
      ...PROSE,
    ]);
    expect(evidence.metadata).toMatchObject({
      author: "Hana Ruiz-Tembo",
      date: "2025-04-22",
    });
    const lecture = doc([
      "HOLLOWAY INSTITUTE OF WORLD POLITICS — Evening Talks",
      "“What the Oman talks mean for Kyiv”",
      "Remarks as prepared for delivery by Ambassador (ret.) Ines Varga-Lund",
      "Thursday 24 April 2025 | CHECK AGAINST DELIVERY",
      "",
      ...PROSE,
    ]);
    expect(lecture.metadata).toMatchObject({
      outlet: "HOLLOWAY INSTITUTE OF WORLD POLITICS",
      title: "What the Oman talks mean for Kyiv",
      author: "Ines Varga-Lund",
      date: "2025-04-24",
    });
    // A role is dropped only when a name is left: "Senior Analyst" alone stays as written.
    expect(doc(["Author: Senior Analyst", "", ...PROSE]).metadata.author).toBe("Senior Analyst");
  });

  it("a masthead with what the document is; an episode's title; a post's author with a network degree", () => {
    expect(
      doc([
        "Pellworth Advisory — internal notes export (not for clients)",
        "Channel: #levant | 24 April 2025 | 10:05–10:40 CET",
        "",
        ...PROSE,
      ]).metadata,
    ).toMatchObject({ outlet: "Pellworth Advisory", date: "2025-04-24" });
    const pod = doc([
      "Across the Gulf — a podcast on regional politics",
      "Episode 12: “Who gains when Tehran talks?”",
      "Published 22 April 2025 · 41 min · Host: Mara Quist",
      "",
      ...PROSE,
    ]);
    expect(pod.metadata).toMatchObject({ outlet: "Across the Gulf", title: "Who gains when Tehran talks?" });
    const post = doc([
      "Lena Okafor-Brandt • 2nd",
      "Energy security advisor | Former diplomat | Keynote speaker",
      "Posted 20 Apr 2025 • Edited",
      "",
      ...PROSE,
    ]);
    expect(post.metadata).toMatchObject({ author: "Lena Okafor-Brandt", date: "2025-04-20" });
    expect(post.metadata.outlet).toBeUndefined();
    expect(post.metadata.title).toBeUndefined();
  });
});

describe("a date written inside a line of the header zone", () => {
  it("is the document's date when no header line gave one, day first; the line stays article text", () => {
    const lines = [
      "Tanker market weekly",
      "Issue 17, out on Thursday 24th April 2025 to subscribers",
      "",
      ...PROSE,
    ];
    const d = doc(lines);
    expect(d.metadata.date).toBe("2025-04-24");
    expect(headerRule(d, 2)).toBe(false);
    expect(doc(["Gulf shipping notes", "Issue 4, circulated 03/04/25", "", ...PROSE]).metadata.date).toBe(
      "2025-04-03",
    );
  });

  it("needs day, month and year, and is no bound or period the text is about", () => {
    expect(doc(["Shipping notes", "Posted April 24th", "", ...PROSE]).metadata.date).toBeUndefined();
    expect(
      doc([
        "Will the two sides sign a framework before 1 September 2025? A forecaster's rationale",
        "",
        ...PROSE,
      ]).metadata.date,
    ).toBeUndefined();
    expect(doc(["Risk matrix for the week of 21 April 2025", "", ...PROSE]).metadata.date).toBeUndefined();
    // A header line's date wins over a date further down the zone.
    const both = doc(["Date: 22 April 2025", "Issue 17, out on Thursday 24th April 2025", "", ...PROSE]);
    expect(both.metadata.date).toBe("2025-04-22");
  });
});
