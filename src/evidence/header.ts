// Metadata header lines of a plain-text article (also Markdown and text from a PDF): the lines
// at the top that say what the article is rather than being part of it, and notes at either end.
//
// Recognised forms (case-insensitive keys; a line is one of them or it is not a header line):
//   Key: value       Title/Headline/Subject/Slug, Source/Outlet/Publication/Publisher/Site/From,
//                    Date/Published/Updated, By/Author/Byline, URL/Link, Language,
//                    Note/Accessed/Retrieved (e-mail headers: "From: Name <address>" gives Name)
//   a bare URL       https://… or www.… alone on the line
//   By Jane Doe      a short "By" line with a capitalised name and no sentence end, maybe a
//                    role after a comma or dash ("By Jane Doe, senior fellow": Jane Doe)
//   a bare date      "2025-04-21", "21 April 2025", "April 21, 2025", "Mon, 21 Apr 2025 06:30
//                    +0300" (optionally a weekday/time), "18/04/2025" and "18.04.2025" (day
//                    first unless only a month-first reading is possible), "2025/04/18"
//   A | B | C        parts in any order: a date (it parses), a URL (its scheme), "By …" (the
//                    author), a Key: value; of the rest, the longest is the title and the
//                    shortest (or the one shaped like an outlet's name) the outlet
//   notes            "Note: …", "Editor's note …", a line wholly in [brackets], "Accessed …"
//   more keys        Published by/Provided by (outlet), Compiled by/Analyst(s) (author, a role
//                    after a comma dropped), Report date/Call date; "Entry:", "Issue:" are notes
//   a source line    "Transcript provided by X", "Compiled by Jane Doe", "Prepared by Jane Doe,
//                    MENA Desk" (the name); a role after an author's name is dropped
//   a kind of doc    "CLIENT MEMORANDUM", "SECURITY ADVISORY 2025-031" (capitals); a profile
//                    line "Head of Risk at X | …"; a post's age "1w • Edited": notes
//   name and site    a line that is only a name, above a date or profile line: the author; a
//                    short line equal to a label of the URL's host: the outlet
//   a masthead       the first line only: a short outlet-shaped or capitalised name and a
//                    section or description ("THE CLOISTER · Politics", "Proxy Watch — Tracker"),
//                    or a short outlet-shaped name alone ("Baghdad Mirror"); further down, such
//                    a name alone just under another header line ("Calder Wire Service")
//   series, running  in "A | B" parts: "Policy Brief 2025/07", "Episode 212", "48 min" are
//   time, episode    notes; "Episode 212: “Title”" gives the title
//   name and role    "Haider al-Mousawi, non-resident fellow": the author
//   a genre word     "OPINION", "EXPLAINER" alone in capitals: a note; a genre or a number in
//                    its series first, then notes: "Commentary · No. 47/2025" (a date among
//                    them counts)
//   caps masthead    a first line in capitals (two to six words) above a short line: the outlet
//                    ("CITY OF ASHBURY FALLS" / "Minutes of the regular meeting …")
//   a signature      a name alone (with at most two short lines under it) after the last
//                    paragraph, maybe under a valediction ("With best wishes,"): the author,
//                    when no other line named one; a team's name is none
//   dateline parts   "BEIRUT — 23.04.2025 — Nadim Karam": the date and the author
//   a programme      "PROG: World Tonight — Harbour Television": the broadcaster is the outlet
//   dated parts      in "A | B" parts, a written date with a time or a word of publication
//                    ("April 19, 2025 6:42 PM GMT+1", "Mailed April 25, 2025") is the date;
//                    another dated part ("Week of 21 April 2025") a note; neither is a title. A
//                    title guessed from the parts counts only when no line of the header block
//                    is left for a title
//   posts, issuers   "Noor Haddad @handle" (the author), a bio under it ("Research fellow,
//                    X. Views my own."), "Newsletter of the X" (the outlet), "Key: <URL>"
//   a date in a line when no header line gave a date, the first full date (day, month, year)
//                    written inside a line of the header zone, read by chrono-node: "Issue 17,
//                    out on Thursday 24th April 2025", its year written ("Tonight" is no date);
//                    not after "before/until/of …" (a bound or
//                    a period the text is about). The line stays article text.
// The header zone is the top of the document up to its first prose line (eight or more words
// ending a sentence), at most MAX_HEADER_LINES non-blank lines; non-header lines inside it (the
// title, a name under it) are left to the cleaner. After the last prose line, notes, bare URLs
// and Key: value lines are metadata too. A line that reads as a sentence (eight or more words
// ending in a full stop) is never a header line, unless it is a note. Header lines are never removed from the text: the
// cleaner marks them (role "front-matter", rule "metadata-header") so line numbers hold.

import * as chrono from "chrono-node";

export interface HeaderMetadata {
  title?: string;
  outlet?: string;
  author?: string;
  /** ISO YYYY-MM-DD when the date parsed, else the text as written. */
  date?: string;
  url?: string;
  language?: string;
}

export interface HeaderResult {
  /** Header lines (1-based) with what each one is, for the cleaning report. */
  lines: Map<number, string>;
  metadata: HeaderMetadata;
}

/** Non-blank lines from the top in which header lines are looked for. */
export const MAX_HEADER_LINES = 12;

type Field = keyof HeaderMetadata | "note";
const KEYS: [RegExp, Field][] = [
  [/^(title|headline|head|subject|re|regarding|inquiry|slug|topic|project title|working title)$/, "title"],
  [
    /^(source|outlet|publication|publisher|published by|provided by|produced by|site|website|newspaper|journal|media|medium|agency|from|sender|issuer|issued by|institute|institution|organisation|organization|think tank|firm)$/,
    "outlet",
  ],
  [
    /^(date|dated|published|publication date|date published|date of publication|release date|released|issued|filed|sent|posted|updated|last updated|aired|broadcast|air date|report date|call date|date of call|date of report|date of issue|issue date)$/,
    "date",
  ],
  [
    /^(by|author|authors|byline|writer|written by|compiled by|prepared by|submitted by|analyst|analysts|reporter|correspondent|interview by|interviewed by|reported by|reporting by|rapporteur|rapporteurs|convenor|convener|edited by|editor|economist|strategist|teacher|tutor|instructor|lecturer|principal investigator|lead author|[a-z]+ lead)$/,
    "author",
  ],
  [/^(url|link|source url|web|address|permalink|original)$/, "url"],
  [/^(language|lang)$/, "language"],
  [
    /^(notes?|editor['’]?s note|nb|n\.b\.|disclaimer|accessed|retrieved|archived|downloaded|translated by|translation|to|cc|bcc|attn|attention|programme|program|prog|show|episode|classification|distribution|fm|desk|ref|reference|section|category|tags?|topics?|entry|issue|vol|volume|no|number|id|series|format|type|witness|witnesses|speakers?|panel(?:lists)?|participants|moderator|chair|host|guests?|duration|length|runtime)$/,
    "note",
  ],
];
const KEY_VALUE =
  /^\s*[*_]{0,2}([A-Za-z][A-Za-z.'’& ]{0,24}?)[*_]{0,2}\s*[:：]\s*[*_]{0,2}(.*?)[*_]{0,2}\s*$/u;
const URL = /^<?((?:https?:\/\/|www\.)[^\s<>]+)>?$/i;
const BY =
  /^[Bb][Yy]:?\s+(\p{Lu}[\p{L}.'’-]*(?:\s+(?:and\s+|&\s+)?\p{Lu}[\p{L}.'’-]*){0,5})(?:\s*(?:,|\s[–—-]\s)\s*[^.!?|]{1,60})?\s*$/u;
const NOTE = [
  /^\[.*\]$/su,
  /^(notes?|editor['’]?s note|nb|n\.b\.|disclaimer)\b\s*[:.\-–—]/iu,
  /^(accessed|retrieved|archived|downloaded|saved)\b(\s+(on|from|at))?\s*[:]?\s*\S/iu,
];
const isNote = (t: string) => NOTE.some((re) => re.test(t));
const SENTENCE_END = /[.!?…]["'”’»)\]]*\s*$/u;
const WORDS = /[\p{L}\p{N}]+/gu;
const wordCount = (s: string) => (s.match(WORDS) ?? []).length;
const isProse = (s: string) => wordCount(s) >= 8 && SENTENCE_END.test(s);

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] as const;
const MONTH =
  "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
const WEEKDAY = "(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\\.?,?\\s+)?";
const TIME =
  "(?:,?\\s*(?:at\\s+)?\\d{1,2}[:.]\\d{2}(?::\\d{2})?\\s*(?:[ap]\\.?m\\.?)?(?:\\s*[A-Z]{2,5}|\\s*[+-]\\d{2}:?\\d{2}|Z)?)?";
const DATE_FORMS: [RegExp, (m: RegExpExecArray) => [number, number, number]][] = [
  [
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/,
    (m) => [+m[1], +m[2], +m[3]],
  ],
  // Numeric day-first dates, as most of the world writes them: 18/04/2025, 18.04.2025. A first
  // number above 12 can only be the day; a second above 12 only the day of a US-style date.
  [
    /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/,
    (m) => (+m[2] > 12 && +m[1] <= 12 ? [+m[3], +m[1], +m[2]] : [+m[3], +m[2], +m[1]]),
  ],
  [/^(\d{4})\/(\d{1,2})\/(\d{1,2})$/, (m) => [+m[1], +m[2], +m[3]]],
  [
    new RegExp(`^${WEEKDAY}(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH}\\.?,?\\s+(\\d{4})${TIME}$`, "i"),
    (m) => [+m[3], monthOf(m[2]), +m[1]],
  ],
  [
    new RegExp(`^${WEEKDAY}${MONTH}\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})${TIME}$`, "i"),
    (m) => [+m[3], monthOf(m[1]), +m[2]],
  ],
];

function monthOf(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase() as (typeof MONTHS)[number]) + 1;
}

/** A date written as a whole string, as ISO YYYY-MM-DD; undefined when it is not one. */
export function parseDate(text: string): string | undefined {
  const t = text.trim().replace(/\s+/g, " ");
  for (const [re, get] of DATE_FORMS) {
    const m = re.exec(t);
    if (!m) continue;
    const [y, mo, d] = get(m);
    const dt = new Date(Date.UTC(y, mo - 1, d));
    if (mo < 1 || y < 1900 || y > 2100 || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d)
      return undefined;
    return `${y}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
  }
  return undefined;
}

const OUTLET_SHAPE =
  /^(the\s+)?[\p{Lu}\p{N}][\p{L}\p{N}&.'’ -]*\b(news|times|post|monitor|journal|review|herald|agency|daily|tribune|gazette|institute|center|centre|council|foundation|press|observer|guardian|telegraph|wire|media|network|tv|radio|magazine|weekly|report|affairs|policy|chronicle|standard|express|mail|online|dispatch|insider|newswire|forum|group|project|initiative|programme|program|lab|desk|brief|bulletin|digest|newsletter|notes|insights?|intelligence|analytics|securities|markets|advisors|advisory|holdings|transcripts|ledger|strategies|mirror|circle|llp|plc|gmbh|asa|management|consulting|partners|associates|capital|research|studies|watch|eye|today|world|international|global|quarterly|monthly|week|society|association|union|commission|office|ministry|services?|bank|fund|trust|club|school|university|college|academy|company|corp|inc|ltd|llc|podcast|show|hour|radio|broadcasting|channel|fact[- ]?check|team|staff|secretariat|unit)$|^[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)*\.(com|org|net|info|news|co\.uk|ir|iq|om|lb|ae|sa|qa|il|ru|tr)$|^(?:radio|tv|television)\s+\p{L}+(?:\s+\p{L}+)?$|^(?:the\s+)?(?:(?:select|standing|joint|parliamentary)\s+)?(?:committee|commission|council|ministry|department|office|institute|centre|center|foundation|association|bureau|agency|parliament|senate)\s+(?:on|of|for)\s+[\p{L}\p{N} ,&'’-]{3,80}$/iu;

/**
 * Shaped like an outlet's name: OUTLET_SHAPE, or an acronym in capitals ("AFP", "IRNA"), which
 * needs its own case-sensitive test (OUTLET_SHAPE ignores case, and would take any short word).
 */
const isOutletShaped = (t: string) => OUTLET_SHAPE.test(t) || /^\p{Lu}{2,8}$/u.test(t);

function fieldOf(key: string): Field | undefined {
  const k = key.trim().toLowerCase().replace(/\s+/g, " ");
  return KEYS.find(([re]) => re.test(k))?.[1];
}

/**
 * `authorGuess`, `titleGuess`: read from a pipe line by shape alone; a byline or a "Title:" line
 * elsewhere wins.
 */
type Found = Partial<Record<Field | "authorGuess" | "titleGuess", string>>;

/** What one line says, if it is a header line: the fields it gives and a label for the report. */
function headerLine(line: string): { found: Found; label: string } | undefined {
  const t = line.trim().replace(/^#{1,6}\s+/, "");
  if (!t) return undefined;
  if (isNote(t)) return { found: { note: t }, label: "a note, not article text" };
  // A social post's age: "1w • Edited", "3d".
  if (/^\d{1,2}\s?(?:s|m|h|d|w|mo|y)\b(?:\s*[•·]\s*\p{L}+)*$/iu.test(t))
    return { found: { note: t }, label: "a post's age, not article text" };
  // "CLIENT MEMORANDUM", "MARITIME SECURITY ADVISORY 2025-031": a kind of document, in capitals.
  if (t === t.toUpperCase() && wordCount(t) <= 5 && (CAPS_GENRE.test(t) || isGenre(t.toLowerCase())))
    return { found: { note: t }, label: "the kind of document, not article text" };
  // A profile line: "Head of Risk at Calloway Advisory | ex-FCDO | energy" says who writes.
  if (t.includes("|") && t.split("|").some((p) => ROLE_AT.test(p.trim())))
    return { found: { note: t }, label: "the author's profile line" };
  // "Episode 87: “The allies in the waiting room”": an episode's number, then its title.
  const episode = EPISODE.exec(t);
  if (episode && wordCount(t) <= 30)
    return { found: { title: episode[1].trim() }, label: "an episode's title" };
  // "Geopolitical risk advisor to boards | Former diplomat | Keynote speaker": who the author is.
  if (t.includes("|") && t.split("|").every((p) => ROLE_PART.test(p.trim())))
    return { found: { note: t }, label: "the author's profile line" };
  // A title line may read like a sentence ("Title: A deal is not a catastrophe. …").
  const titled = KEY_VALUE.exec(t);
  if (titled && fieldOf(titled[1]) === "title" && titled[2].trim() && wordCount(titled[2]) <= 30)
    return { found: { title: titled[2].trim() }, label: `a "${titled[1].trim()}:" header line` };
  // A bio under a post's author: "Research fellow, Cedar & Olive Institute. Views my own."
  if (BIO.test(t) && wordCount(t) <= 14) return { found: { note: t }, label: "the author's profile line" };
  // A sentence of the article that starts like a header ("Source: officials said that …").
  if (isProse(t)) return undefined;
  const url = URL.exec(t);
  if (url) return { found: { url: url[1] }, label: "the article's URL" };
  const date = parseDate(t);
  if (date) return { found: { date }, label: "the article's date" };
  const by = BY.exec(t);
  if (by && !SENTENCE_END.test(t)) {
    // "By Elena Varga and Tariq Hamdan, Meridian Newswire": after the names, an outlet.
    const after = /^\s*(?:,|\s[–—|-]\s)\s*(.+)$/.exec(t.slice(t.indexOf(by[1]) + by[1].length))?.[1]?.trim();
    const found: Found = { author: by[1].trim() };
    if (after && isOutletShaped(after)) found.outlet = after;
    return { found, label: "the byline" };
  }
  // "Noor Haddad @noorh_levant": a post's author and handle.
  const handle = new RegExp(`^(${NAME})\\s+@[\\w.]{2,30}$`, "u").exec(t);
  if (handle && isPerson(handle[1]))
    return { found: { author: handle[1] }, label: "the author and their handle" };
  // "Newsletter of the Friendship Association of Lansing": who publishes it.
  const of =
    /^(?:the\s+)?(?:\p{L}+\s+)?(?:newsletter|bulletin|magazine|journal|blog|podcast|review)\s+of\s+(?:the\s+)?(\p{Lu}[^.!?|]{2,80})$/iu.exec(
      t,
    );
  if (of && wordCount(t) <= 14)
    return { found: { outlet: of[1].trim() }, label: "a line naming who publishes it" };
  const other = otherForms(t);
  if (other) return other;
  // "Entry: 2025/047 | Updated: 21 April 2025 | Analyst: …" is parts, read below.
  const kv = t.includes(" | ") ? null : KEY_VALUE.exec(t);
  // "Listen again: https://…": whatever the key, a URL alone after it is the document's.
  if (kv && !fieldOf(kv[1]) && URL.test(kv[2].trim()))
    return { found: { url: URL.exec(kv[2].trim())![1] }, label: "the article's URL" };
  if (kv) {
    const field = fieldOf(kv[1]);
    const value = kv[2].trim();
    if (field && value) {
      const found: Found = {};
      if (field === "date")
        found.date = parseDate(value) ?? parseDate(value.replace(/,?\s+\d{1,2}[:.]\d{2}\b.*$/, "")) ?? value;
      else if ((field === "outlet" || field === "title") && URL.test(value)) found.url = URL.exec(value)![1];
      // E-mail headers: "From: Levant Morning Brief <brief@example.org>" is the sender's name.
      else if (field === "outlet" && /<[^<>@\s]+@[^<>\s]+>\s*$/.test(value))
        found.outlet = value.replace(/\s*<[^<>]*>\s*$/, "").replace(/^["']|["']$/g, "") || value;
      // A memo's "From: Rana Ishaq, Senior Fellow" is its author.
      else if (/^from$/i.test(kv[1].trim()) && isPerson(value.split(",")[0].trim()) && value.includes(","))
        found.author = value.split(",")[0].trim();
      // "PROG: World Tonight — Harbour Television": a programme, then its broadcaster.
      else if (field === "note" && /^(programme|program|prog|show)$/i.test(kv[1].trim())) {
        const by = /\s[—–]\s(.+)$/.exec(value)?.[1].trim();
        if (by && isOutletShaped(by)) found.outlet = by;
        else found.note = t;
      } else if (field === "note") found.note = t;
      // "Author: Jane Doe (Gulf Monitor)": the affiliation is the outlet.
      // (A place in brackets, "Sam Achterberg (Djibouti)", is where the author files from.)
      else if (
        field === "author" &&
        /^([^()]+?)\s*\((\p{Lu}[^()]+)\)$/u.test(value) &&
        isOutletShaped(/\(([^()]+)\)$/.exec(value)![1])
      ) {
        const m = /^([^()]+?)\s*\((\p{Lu}[^()]+)\)$/u.exec(value)!;
        found.author = withoutRole(m[1]);
        found.outlet = m[2];
      } else if (field === "author") found.author = withoutRole(value.replace(/\s*\([^()]*\)/g, ""));
      else found[field] = value;
      return { found, label: `a "${kv[1].trim()}:" header line` };
    }
  }
  // "Commentary · No. 47/2025", "Issue 2025/17 · covering 18–24 April · issued 24 April 2025":
  // the kind of document or its number first, then notes on it (a date among them counts).
  if (!t.includes("|") && t.includes(" · ")) {
    const parts = t.split(" · ").map((p) => p.trim());
    if (
      (isGenre(parts[0]) || SERIAL.test(parts[0])) &&
      parts.every((p) => wordCount(p) <= 6 && !isProse(p))
    ) {
      const date = parts.map((p) => parseDate(p) ?? otherForms(p)?.found.date).find((d) => d !== undefined);
      return { found: date ? { date, note: t } : { note: t }, label: "the kind or number of the document" };
    }
  }
  // Parts by "|", or by " · " when one of them is a full date or a byline ("Interview by Sofia
  // Marquez · Parallax Review · April 21, 2025"; not a running header "Review · April 2025").
  const dotted =
    !t.includes("|") &&
    t.includes(" · ") &&
    t.split(" · ").some((p) => parseDate(p.trim()) !== undefined || /\b[Bb]y\s+\p{Lu}/u.test(p));
  if (t.includes("|") || dotted) {
    const parts = t
      .split(dotted ? " · " : "|")
      .map((p) => p.trim())
      .filter((p) => p !== "");
    if (parts.length >= 2 && wordCount(t) <= 40 && !parts.some(isProse)) return pipeLine(parts);
  }
  return undefined;
}

const NAME =
  "(?:(?:Dr|Prof|Sir|Dame)\\.?\\s+)?\\p{Lu}[\\p{L}'’.-]+(?:\\s+(?:(?:al|el|bin|ibn|van|von|de|da|di|du|le|la)[\\s-])?\\p{Lu}[\\p{L}'’.-]+){1,3}";
/** A person's name: two to four capitalised words, none of them an outlet's. */
const PERSON = new RegExp(`^${NAME}$`, "u");
const isPerson = (p: string) =>
  PERSON.test(p) && !isOutletShaped(p) && !/^the\s/i.test(p) && p !== p.toUpperCase() && !ROLE_WORD.test(p);
/** Titles and ranks before a name: "Dr", "Ms", "Col. (retd)", "Ambassador (ret.)". */
const HONORIFIC =
  /^(?:(?:Dr|Prof|Professor|Ms|Mr|Mrs|Miss|Mx|Sir|Dame|Col|Lt|Gen|Maj|Capt|Cdr|Adm|Brig|Amb|Ambassador|Rev|Revd|Imam|Rabbi|Sheikh|Hon|Senator|Sen)\.?\s+(?:\((?:retd?|rtd)\.?\)\s+)?)+/u;
/**
 * A name without the titles and the role written before it: "Ms R. Achterberg" is R.
 * Achterberg, "Duty Analyst K. Fairbanks-Oyelaran" is K. Fairbanks-Oyelaran. Unchanged unless
 * what is left is a person's name.
 */
function bareName(value: string): string {
  const t = value.trim();
  const titled = t.replace(HONORIFIC, "");
  const words = titled.split(/\s+/);
  for (let k = Math.min(3, words.length - 2); k >= 1; k--) {
    const rest = words.slice(k).join(" ");
    if (ROLE_WORD.test(words.slice(0, k).join(" ")) && isPerson(rest)) return rest;
  }
  return titled !== t && isPerson(titled) ? titled : t;
}

/**
 * "Alastair Penrose, Cdr (retd)" is Alastair Penrose; "Priya Raman, Jonas Keller" two authors;
 * "Dr Ottilie Brandvold-Nasser, Department of Politics" is Ottilie Brandvold-Nasser.
 */
function withoutRole(given: string): string {
  const value = bareName(given);
  const parts = value
    .split(/\s*,\s*(?:and\s+)?|\s+and\s+/)
    .filter((p) => p !== "")
    .map(bareName);
  if (parts.length < 2) return value;
  const persons = parts.filter(isPerson);
  if (persons.length === 0) return value;
  return persons.join(/\sand\s/.test(value) ? " and " : ", ");
}
/** A genre label that says what kind of text follows, neither a title nor an outlet. */
const GENRE =
  /^(commentary|analysis|opinion|op-?ed|editorial|briefing|brief|podcast|newsletter|client alert|alert|explainer|factbox|fact box|interview|blog|blog post|transcript|transcript excerpt|column|feature|news|report|note|research note|market note|q\s*&\s*a|letter|letters|long ?read|five things to know|what to watch|comment|sovereign comment|credit comment|(?:uncorrected\s+)?(?:oral|written)\s+evidence|hearing|session summary|minutes|circular|book review|review|essay|guest essay|live|live blog|live coverage|live updates|press review|media review|thread)$/i;
/** A genre label, alone or opening the part ("Editorial, translated from …", "a blog on …"). */
const isGenre = (p: string) =>
  GENRE.test(p) ||
  // "Transcript (unofficial translation)"
  GENRE.test(p.replace(/\s*\([^()]*\)$/, "")) ||
  (wordCount(p) <= 8 &&
    /^(?:an?\s+)?(commentary|analysis|opinion|op-?ed|editorial|blog|podcast|newsletter|transcript|column|interview|briefing|memo|policy memo)\b/i.test(
      p,
    ) &&
    (/^an?\s/i.test(p) || /,/.test(p)));
/**
 * A document's number in its series, neither title nor outlet: "Policy Brief 2025/07", "Circular
 * 14/2025", "Episode 212", "Panel 3", "Issue 7" (not a name with a year: "Beirut Dialogue 2025").
 */
const SERIAL =
  /^(?:(?:[\p{L}.]+\s+){0,3}(?:episode|ep\.?|issue|no\.?|number|vol\.?|volume|circular|brief|paper|note|report|bulletin|panel|session|part|memo|advisory|comment)\s+\d+(?:[/.-]\d+)?|(?:[\p{L}.]+\s+){1,3}\d+[/-]\d+)$/iu;
/** A running time: "48 min", "1 h 12 min", "32:15". */
const DURATION =
  /^(?:\d+\s*(?:h|hr|hrs|hours?)\.?\s*)?\d+\s*(?:min|mins|minutes?|m)\.?$|^\d{1,2}:\d{2}(?::\d{2})?$/i;
/** A span of clock time: "09:02–09:41 BST", "14.00-15.30". */
const CLOCK_SPAN = /^\d{1,2}[:.]\d{2}\s*[–—-]\s*\d{1,2}[:.]\d{2}(?:\s*\p{Lu}{2,5})?$/u;
/** "Episode 212: “Why the Gulf wants a deal”": an episode's number, then its title. */
const EPISODE = /^(?:episode|ep\.?)\s*\d+\s*[:–—-]\s*["“'‘]?(.+?)["”'’]?$/iu;
/** Words of a role after a name: "Haider al-Mousawi, non-resident fellow". */
const ROLE_WORD =
  /\b(fellow|director|analyst|editor|correspondent|professor|researcher|adviser|advisor|partner|associate|economist|strategist|chair|head|lecturer|officer|reporter|writer|contributor|columnist|consultant|counsel|scholar|expert)s?\b/i;
/** A name written in capitals, as a masthead: "THE QUADRANGLE", "KESTREL TANKERS MANAGEMENT". */
const isCapsName = (p: string) => p === p.toUpperCase() && /\p{Lu}{3}/u.test(p);
/** A document kind in a capitalised line ("CLIENT MEMORANDUM", "SECURITY ADVISORY 2025-031"). */
const CAPS_GENRE =
  /\b(MEMORANDUM|MEMO|ADVISORY|BULLETIN|ALERT|BRIEFING|BRIEF|NOTE|UPDATE|TRANSCRIPT|SUMMARY|COMMUNIQU[EÉ]|STATEMENT|PRESS RELEASE|READOUT|FACTSHEET|FACT SHEET)\b/u;
/** A role, a comma and where: "Research fellow, Cedar & Olive Institute. Views my own." */
const BIO =
  /^(?:(?:senior|research|non-resident|visiting|chief|deputy|associate|assistant|former)\s+)?(?:fellow|analyst|editor|correspondent|professor|researcher|economist|strategist|lecturer|reporter|writer|columnist|consultant|scholar)\s*,\s*\p{Lu}[^.!?]{2,60}[.!]?(?:\s+views (?:are )?my own\.?)?$/iu;
/** A job title at an organisation: "Head of Geopolitical Risk at Calloway Advisory". */
const ROLE_AT =
  /^(?:(?:senior|chief|deputy|associate|assistant|managing|executive|lead|principal)\s+)?(?:head|director|partner|founder|co-founder|analyst|fellow|professor|editor|correspondent|ceo|cfo|coo|cto|vp|vice president|manager|strategist|economist|researcher|advisor|adviser|consultant|officer)\b.{0,60}\bat\s+\p{Lu}/iu;
/** A part of a profile line: "Former diplomat", "Keynote speaker", "Advisor to boards". */
const ROLE_PART =
  /^(?:[\p{L}-]+\s+){0,3}(?:advisor|adviser|diplomat|speaker|author|founder|consultant|investor|mentor|coach|journalist|writer|editor|fellow|analyst|researcher|professor|strategist|economist|veteran)s?\b[^|]{0,40}$|^(?:former|ex-)/iu;
/** "· 6 min read", "(4-minute read)" after a date. */
const READ_TIME = /\s*[·•|–—-]?\s*\(?\d+[\s-]*min(?:ute)?s?\.?\s+read\)?\s*$/i;

/**
 * Header forms beyond "Key: value", a bare date and "By Name": a date after a word of
 * publication ("Posted on 14 April 2025 by Jane Doe", "Updated April 15, 2025"), a date with a
 * reading time, a byline after a word of genre ("Analysis by …", "Reporting by …; Editing by
 * …", "By Jane Doe for The Gulf Monitor"), several "Key: value" parts on one line, and two parts
 * around a dash or a comma of which one is a date ("The Gulf Monitor — 14 April 2025").
 */
function otherForms(t: string): { found: Found; label: string } | undefined {
  // Header lines are short; a long line is text (and long inputs stay linear).
  if (t.length > 300) return undefined;
  const posted = new RegExp(
    `^(?:posted|published|first published|updated|last updated|filed|issued|released|sent|answered|delivered|recorded|mailed|broadcast|aired|dated)(?:\\s+(?:on|at))?:?\\s+(.+?)(?:\\s+by\\s+(${NAME}))?$`,
    "iu",
  ).exec(t);
  if (posted) {
    // "Posted 21 Apr 2025 • Edited • 🌐": what follows the date is the post's state.
    const date = parseDate(posted[1].replace(READ_TIME, "").split(/\s+[•·]\s+/)[0]);
    if (date) {
      const found: Found = { date };
      if (posted[2]) found.author = posted[2];
      return { found, label: "a publication date line" };
    }
  }
  // "Posted by Ines Carvalho on April 20, 2025"
  const postedBy = new RegExp(
    `^(?:posted|published|written|filed)\\s+by\\s+(${NAME})\\s+(?:on|at)\\s+(.+)$`,
    "iu",
  ).exec(t);
  if (postedBy) {
    const date = parseDate(postedBy[2]);
    if (date) return { found: { author: postedBy[1], date }, label: "a byline with its date" };
  }
  const timed = parseDate(t.replace(READ_TIME, ""));
  if (timed && READ_TIME.test(t)) return { found: { date: timed }, label: "the article's date" };
  const byline = new RegExp(
    `^(?:(?:written|reported|reporting|analysis|commentary|op-?ed|opinion|words|text|interview|report|story|photos?|summary|notes|compiled|translated|edited)\\s+)?by\\s+(${NAME})(?:\\s+(?:for|in|at)\\s+(.{2,60}?))?(?:\\s*[;,]\\s*(?:additional reporting|editing|edited)\\s+by\\s+.*)?(?:,\\s+((?:[\\p{Ll}-]+\\s*){1,4}))?$`,
    "iu",
  ).exec(t);
  if (byline && !SENTENCE_END.test(t.replace(/\.$/, "")) && wordCount(t) <= 16) {
    const found: Found = { author: byline[1] };
    if (byline[2] && isOutletShaped(byline[2].trim())) found.outlet = byline[2].trim();
    return { found, label: "the byline" };
  }
  // "Transcript provided by Quarterline Transcripts", "Compiled by Jane Doe"
  const provided =
    /^(?:[\p{L}-]+\s+){0,2}(?:provided|published|produced|distributed|compiled|prepared)\s+by\s+([^.!?]{2,60})$/iu.exec(
      t,
    );
  if (provided && wordCount(t) <= 10) {
    const who = provided[1].trim();
    // "Prepared by Owen Farrant, MENA Analysis Desk": a name, then the desk it writes for.
    const first = who.split(",")[0].trim();
    if (!isPerson(who) && who.includes(",") && isPerson(first))
      return { found: { author: first }, label: "a line naming its source" };
    return { found: isPerson(who) ? { author: who } : { outlet: who }, label: "a line naming its source" };
  }
  // "Written evidence submitted by Dr Imogen Thwaite-Rahman, Senior Lecturer …", "Remarks as
  // prepared for delivery by Ambassador (ret.) Margit Solheim-Qureshi": a document's kind, then
  // who wrote or gives it.
  const given =
    /^(?:[\p{L}-]+\s+){0,4}(?:submitted|prepared(?:\s+for\s+delivery)?|written|delivered|presented)\s+by\s+(.{4,160})$/iu.exec(
      t,
    );
  if (given && wordCount(t) <= 30) {
    const who = withoutRole(bareName(given[1]).split(/\s*,\s*|\s+\(/)[0]);
    if (isPerson(who)) return { found: { author: who }, label: "a line naming who wrote it" };
  }
  // "Tobias Wren-Adeyemi • 2nd": a social post's author, with how far they are in one's network.
  const degree = new RegExp(
    `^(${NAME})\\s*[•·]\\s*(?:1st|2nd|3rd\\+?|he/him|she/her|they/them|author|verified)\\b.*$`,
    "iu",
  ).exec(t);
  if (degree && isPerson(degree[1])) return { found: { author: degree[1] }, label: "a post's author" };
  // "Outlet: X — Author: Y", "Date: … · Source: …"
  const kvParts = t.split(/\s+[—–·;]\s+|\s+-\s+/).map((p) => p.trim());
  if (kvParts.length >= 2 && kvParts.every((p) => KEY_VALUE.test(p) && fieldOf(KEY_VALUE.exec(p)![1]))) {
    const found: Found = {};
    for (const p of kvParts) Object.assign(found, { ...headerLine(p)?.found, ...found });
    return { found, label: "a line of “Key: value” parts" };
  }
  // "Haider al-Mousawi, non-resident fellow": a name and the writer's role.
  const role = new RegExp(`^(${NAME})\\s*,\\s*([^.!?|:]{3,60})$`, "u").exec(t);
  if (role && isPerson(role[1]) && ROLE_WORD.test(role[2]) && wordCount(role[2]) <= 6)
    return { found: { author: role[1] }, label: "the author and their role" };
  // "BEIRUT — 23.04.2025 — Nadim Karam": a dateline's place, the date and the author.
  const dashed = t.split(/\s[—–]\s/).map((p) => p.trim());
  if (dashed.length === 3 && wordCount(t) <= 12) {
    const at = dashed.findIndex((p) => parseDate(p) !== undefined);
    const others = dashed.filter((_, k) => k !== at);
    if (at >= 0 && others.some(isPerson) && others.every((p) => isPerson(p) || isCapsName(p)))
      return {
        found: { date: parseDate(dashed[at])!, author: others.find(isPerson)! },
        label: "a dateline, a date and a name",
      };
  }
  // "The Gulf Monitor — 14 April 2025", "Jane Doe, 14 April 2025"; "The Chronicle — live
  // coverage, Saturday 19 April 2025" (a few words before the date).
  const two = /^(.{2,60}?)\s*(?:\s[—–-]\s|,\s|\s·\s)\s*(.{6,40})$/u.exec(t);
  if (two) {
    for (const [a, b] of [
      [two[1], two[2]],
      [two[2], two[1]],
    ]) {
      const lastPart = b.split(/,\s+/).pop()!;
      const date =
        parseDate(b.replace(READ_TIME, "")) ??
        (wordCount(b) - wordCount(lastPart) <= 3 ? parseDate(lastPart) : undefined);
      if (!date || wordCount(a) > 8) continue;
      const found: Found = { date };
      if (isPerson(a.trim())) found.author = a.trim();
      else if (!GENRE.test(a.trim())) found.outlet = a.trim();
      return { found, label: "a name and a date" };
    }
  }
  return undefined;
}

/** "Outlet | Date | Title" in any order (see the file's comment). */
function pipeLine(parts: string[]): { found: Found; label: string } {
  const found: Found = {};
  const rest: string[] = [];
  for (const p of parts) {
    const episode = EPISODE.exec(p);
    if (episode && found.title === undefined) {
      found.title = episode[1].trim();
      continue;
    }
    // A number in a series, a running time and a span of clock time ("09:02–09:41 BST") are
    // neither title nor outlet.
    if (SERIAL.test(p) || DURATION.test(p) || CLOCK_SPAN.test(p)) continue;
    const sub = headerLine(p);
    const keys = sub ? (Object.keys(sub.found) as Field[]) : [];
    if (sub && keys.length && keys.every((k) => found[k] === undefined)) Object.assign(found, sub.found);
    else {
      // "April 19, 2025 6:42 PM GMT+1", "Week of 21 April 2025": a date part, not a title.
      const dated = datedPart(p);
      if (!dated) rest.push(p);
      else if (dated.date && found.date === undefined) found.date = dated.date;
    }
  }
  // A genre label ("Editorial, translated from the Hebrew", "a blog on Iraqi politics") is
  // neither title nor outlet; then a person's name, with something else left, is the author.
  for (const p of [...rest]) if (isGenre(p)) rest.splice(rest.indexOf(p), 1);
  // A labelled part whose label names no field ("Entry: 2025/047", "FIRs: TEHRAN (OIIX), …") is
  // neither title nor outlet.
  for (const p of [...rest]) {
    const kv = KEY_VALUE.exec(p);
    // ("Letter: Muscat is not Munich" is a genre, then a title.)
    if (kv && (wordCount(p) <= 4 || (wordCount(kv[1]) <= 2 && !isGenre(kv[1].trim()))))
      rest.splice(rest.indexOf(p), 1);
  }
  for (const p of [...rest])
    if (found.author === undefined && found.authorGuess === undefined && isPerson(p) && rest.length > 1) {
      found.authorGuess = p;
      rest.splice(rest.indexOf(p), 1);
    }
  const byLength = [...rest].sort((a, b) => b.length - a.length);
  const shaped = rest.filter((p) => isOutletShaped(p));
  if (byLength.length === 1) {
    const only = byLength[0];
    if (isOutletShaped(only) || wordCount(only) <= 4) found.outlet = only;
    else found.titleGuess = only;
  } else if (byLength.length >= 2) {
    // Of short parts only ("Harbourline Securities | Commodities Strategy"), the first shaped
    // like an outlet's name is the outlet and the rest a section; else the longest is the title.
    const short = wordCount(byLength[0]) <= 4;
    const caps = rest.filter(isCapsName);
    const outlet = short
      ? (rest.find((p) => shaped.includes(p) || caps.includes(p)) ?? rest[0])
      : (shaped.find((p) => p !== byLength[0]) ?? byLength[byLength.length - 1]);
    if (!short) found.titleGuess = byLength.find((p) => p !== outlet);
    found.outlet = outlet;
  }
  // "Gulf Ledger — Business": an outlet and its section.
  const section = found.outlet && /^(.{2,50}?)\s+[—–·]\s+\p{L}+(?:\s\p{L}+)?$/u.exec(found.outlet);
  if (section && wordCount(section[1]) <= 5) found.outlet = section[1];
  return { found, label: "an “A | B | C” header line (outlet, date, title…)" };
}

/**
 * A first line that names the outlet and a section or what it is: "THE QUADRANGLE · World",
 * "Militia Watch — Iraq Armed Groups Tracker". The name is short and shaped like an outlet's, or
 * in capitals like a masthead; the rest is short and no sentence.
 */
function masthead(line: string): { found: Found; label: string } | undefined {
  const t = line.trim();
  if (outletAlone(t)) return { found: { outlet: t }, label: "the outlet's masthead" };
  const m = /^(.{2,60}?)\s+[·|—–]\s+([^.!?:]{2,50})$/u.exec(t);
  if (!m || wordCount(m[1]) > 6 || wordCount(m[2]) > 6 || parseDate(m[2]) !== undefined) return undefined;
  const name = m[1].trim();
  // After the name, what the document is, in lower case or as a genre ("— internal chat export",
  // "— a podcast on Gulf politics"): any capitalised name of up to six words is who issues it.
  const described =
    (/^\p{Ll}/u.test(m[2].trim()) || isGenre(m[2].trim())) && /^\p{Lu}/u.test(name) && !isProse(name);
  if (!(isCapsName(name) || described || (isOutletShaped(name) && wordCount(name) <= 4))) return undefined;
  return { found: { outlet: name }, label: "the outlet's masthead" };
}

/**
 * A first line in capitals, two to six words and no sentence ("CITY OF ASHBURY FALLS", "ST AIDAN'S
 * PARISH, MANAMA"), above a short line that is no sentence either (the title): the name of who
 * issues the document, as a masthead.
 */
function capsMasthead(lines: string[], i: number): { found: Found; label: string } | undefined {
  const t = lines[i].trim();
  const words = wordCount(t);
  if (!isCapsName(t) || words < 2 || words > 6 || /[.!?:;]$/.test(t) || /\d/.test(t)) return undefined;
  const next =
    lines
      .slice(i + 1)
      .find((l) => l.trim() !== "")
      ?.trim() ?? "";
  if (!next || isProse(next) || wordCount(next) > 20 || headerLine(next)) return undefined;
  return { found: { outlet: t }, label: "the outlet's masthead" };
}

/**
 * A short line shaped like an outlet's name, alone, every word capitalised: "Baghdad Mirror",
 * "Calder Wire Service", "NORTH SOUND MUTUAL MARINE ASSOCIATION" (not a title such as "A short
 * test report"). Up to four words, six in capitals; one word only in capitals.
 */
function outletAlone(t: string): boolean {
  const named =
    t
      .split(/\s+/)
      .every((w) => /^(?:\p{Lu}|of$|the$|and$|for$|on$|&$|plc$|ltd$|llc$|inc$|gmbh$|ag$)/u.test(w)) &&
    !/^an?\s/i.test(t);
  const words = wordCount(t);
  // One word alone is an outlet only in capitals ("AFP"), not "Question" or "Summary".
  const sized = words === 1 ? isCapsName(t) : words <= 4 || (words <= 6 && isCapsName(t));
  return named && sized && isOutletShaped(t) && !/[.!?:]$/.test(t);
}

/**
 * Two forms read from their neighbours in the header zone (lines before `end`): a line that is
 * only a person's name, just above a date line (not the first line, which is more likely a
 * title) or above a profile line ("Jonah Whitcombe" / "Apr 21, 2025"), is the author; a short
 * line whose letters are a label of the URL's host ("The Spread", thespread.substack.com) is the
 * outlet.
 */
function nameAndSite(
  lines: string[],
  end: number,
  out: Map<number, string>,
  metadata: HeaderMetadata,
  skip: Set<number>,
): void {
  const zone: number[] = [];
  for (let k = 0; k < end && k < lines.length; k++)
    if (lines[k].trim() !== "" && !skip.has(k + 1)) zone.push(k);
  // the host's labels, letters and digits only: thespread.substack.com → thespread, substack, com
  const labels = (/^(?:https?:\/\/)?([^/?#]+)/i.exec(metadata.url ?? "")?.[1] ?? "")
    .toLowerCase()
    .split(".")
    .map((l) => l.replace(/[^a-z0-9]/g, ""));
  zone.forEach((k, z) => {
    if (out.has(k + 1)) return;
    const t = lines[k].trim();
    const next = zone[z + 1];
    const label = next === undefined ? "" : (out.get(next + 1) ?? "");
    if (
      metadata.author === undefined &&
      isPerson(t) &&
      wordCount(t) <= 3 &&
      ((z > 0 && label.startsWith("the article's date")) || label.startsWith("the author's profile"))
    ) {
      metadata.author = t;
      out.set(k + 1, "the author's name (author): metadata, not article text");
      return;
    }
    const squashed = t.toLowerCase().replace(/[^a-z0-9]/g, "");
    if (
      metadata.outlet === undefined &&
      wordCount(t) <= 4 &&
      squashed.length >= 4 &&
      labels.includes(squashed)
    ) {
      metadata.outlet = t;
      out.set(k + 1, "the site's name, as in its URL (outlet): metadata, not article text");
    }
  });
}

const LABEL_OF: Record<keyof Found, string> = {
  authorGuess: "author",
  titleGuess: "title",
  title: "title",
  outlet: "outlet",
  author: "author",
  date: "date",
  url: "URL",
  language: "language",
  note: "note",
};

/**
 * Finds the header lines of a document. `skip` are lines already known to be metadata (front
 * matter); they are not looked at. Never throws.
 */
export function parseHeader(lines: string[], skip: Set<number> = new Set()): HeaderResult {
  const out = new Map<number, string>();
  const metadata: HeaderMetadata = {};
  let guess: string | undefined;
  let titleGuess: string | undefined;
  const take = (i: number, h: { found: Found; label: string }) => {
    const given = (Object.keys(h.found) as (keyof Found)[]).filter((k) => k !== "note");
    for (const k of given) {
      if (k === "authorGuess") guess ??= h.found[k];
      else if (k === "titleGuess") titleGuess ??= h.found[k];
      else if (metadata[k] === undefined) metadata[k] = h.found[k];
    }
    const what = given.length ? ` (${given.map((k) => LABEL_OF[k]).join(", ")})` : "";
    out.set(i + 1, `${h.label}${what}: metadata, not article text`);
  };
  let seen = 0;
  let i = 0;
  // The last header line taken and the last non-blank line looked at.
  let lastTaken = -1;
  let prevLine = -2;
  for (; i < lines.length && seen < MAX_HEADER_LINES; i++) {
    if (skip.has(i + 1) || lines[i].trim() === "") continue;
    seen++;
    const h =
      headerLine(lines[i]) ??
      (seen === 1
        ? (masthead(lines[i]) ?? capsMasthead(lines, i))
        : // "Calder Wire Service" under a byline: an outlet's name alone, among header lines.
          metadata.outlet === undefined && lastTaken === prevLine && outletAlone(lines[i].trim())
          ? { found: { outlet: lines[i].trim() }, label: "the outlet's name" }
          : undefined);
    prevLine = i;
    if (h) {
      take(i, h);
      lastTaken = i;
    }
    // A question near the top is a title, not the first sentence ("Can Muscat quiet the Red Sea?").
    else if (
      isProse(lines[i].trim()) &&
      !(seen <= 3 && /\?["'”’]?\s*$/.test(lines[i]) && wordCount(lines[i]) <= 16)
    )
      break;
  }
  // Trailing notes: after the last prose line.
  let last = lines.length - 1;
  while (last >= i && (!isProse(lines[last].trim()) || isNote(lines[last].trim()))) last--;
  for (let k = Math.max(last + 1, i); k < lines.length; k++) {
    if (skip.has(k + 1) || lines[k].trim() === "") continue;
    const h = headerLine(lines[k]);
    if (h && !(Object.keys(h.found) as Field[]).some((f) => f === "title" || f === "author")) take(k, h);
  }
  // A signature: "Margaret Owusu" / "Leicester" under the last paragraph of a letter.
  if (metadata.author === undefined) {
    const tail: number[] = [];
    for (let k = Math.max(last + 1, i); k < lines.length; k++)
      if (!skip.has(k + 1) && lines[k].trim() !== "") tail.push(k);
    // "Yours sincerely," or "With thanks for your continued confidence," before the name.
    if (tail.length >= 2 && /,$/.test(lines[tail[0]].trim()) && wordCount(lines[tail[0]]) <= 8) tail.shift();
    const t0 = tail.length ? lines[tail[0]].trim() : "";
    if (
      tail.length >= 1 &&
      tail.length <= 3 &&
      !out.has(tail[0] + 1) &&
      isPerson(t0) &&
      wordCount(t0) <= 4 &&
      tail.slice(1).every((k) => wordCount(lines[k]) <= 6 && !SENTENCE_END.test(lines[k].trim()))
    ) {
      metadata.author = t0;
      out.set(tail[0] + 1, "the writer's signature (author): metadata, not article text");
    }
  }
  nameAndSite(lines, i, out, metadata, skip);
  metadata.date ??= dateInZone(lines, i, skip);
  if (metadata.author === undefined && guess !== undefined) metadata.author = guess;
  // A title guessed from a part of an "A | B" line only when the header zone has no line of its
  // own for a title (the cleaner takes the first such line).
  const ownLine = lines
    .slice(0, lastTaken + 1)
    .some((l, k) => l.trim() !== "" && !skip.has(k + 1) && !out.has(k + 1));
  if (metadata.title === undefined && titleGuess !== undefined && !ownLine) metadata.title = titleGuess;
  return { lines: out, metadata };
}

/**
 * A date written inside a line of the header zone (the lines above the first prose line), when no
 * header line gave one: "Issued 24 April 2025 | Week 17", "TX: 24/04/25", "Q1 results call, 29
 * April 2025". It is read by chrono-node (British order: day first), and only a date whose day,
 * month and year are all written counts. The line stays article text: this says only when the
 * document is dated, not that the line is metadata.
 */
/** A year written out ("2025") or after a numeric day and month ("21/04/25"). */
const WRITTEN_YEAR = /\b(?:1[89]|20|21)\d{2}\b|\d{1,2}[/.-]\d{1,2}[/.-]\d{2}\b/;
const BOUND =
  /\b(before|after|by|until|till|since|from|through|to|of|ahead of|no later than|deadline|due|between|and)[:,]?\s*$/i;

/** Words before a date that say the document came out then: "Mailed", "Posted on". */
const PUBLISHED =
  /^(?:posted|published|issued|mailed|broadcast|aired|updated|sent|dated|released|filed)(?:\s+(?:on|at))?:?$/i;

/**
 * A part of a header line that is a written date with a few words around it: the date when the
 * part says the document came out then ("April 19, 2025 6:42 PM GMT+1", "Mailed April 25, 2025"),
 * none when it is another date ("Week of 21 April 2025", "Community forecast on 27 April
 * 2025: 31%"). Undefined when the part is no date.
 */
function datedPart(p: string): { date?: string } | undefined {
  if (wordCount(p) > 10) return undefined;
  const d = writtenDates(p)[0];
  if (!d) return undefined;
  const before = p.slice(0, d.index).trim();
  const after = p.slice(d.index + d.text.length).trim();
  if (wordCount(before) + wordCount(after) > 5) return undefined;
  const published = (before === "" || PUBLISHED.test(before)) && after.replace(/[\s,.;:|–—-]+/g, "") === "";
  return published ? { date: d.iso } : {};
}

/**
 * The dates chrono-node reads in `t` whose day, month and year are all certain and whose year is
 * written ("Tonight", "today": chrono dates them from today, but no date is written), as ISO.
 */
function writtenDates(t: string): { index: number; text: string; year: number; iso: string }[] {
  const out: { index: number; text: string; year: number; iso: string }[] = [];
  for (const r of chrono.en.GB.parse(t)) {
    const d = r.start;
    if (!d.isCertain("day") || !d.isCertain("month") || !d.isCertain("year") || !WRITTEN_YEAR.test(r.text))
      continue;
    const [y, mo, day] = [d.get("year"), d.get("month"), d.get("day")];
    if (y === null || mo === null || day === null) continue;
    const iso = `${y}-${String(mo).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
    out.push({ index: r.index, text: r.text, year: y, iso });
  }
  return out;
}

function dateInZone(lines: string[], end: number, skip: Set<number>): string | undefined {
  for (let k = 0; k < Math.min(end, lines.length); k++) {
    const t = lines[k].trim();
    if (t === "" || skip.has(k + 1) || wordCount(t) > 20) continue;
    for (const d of writtenDates(t)) {
      // "before 1 September 2025", "the week of 21 April": a bound or a period the text is
      // about, not the day it was written.
      if (BOUND.test(t.slice(0, d.index)) || d.year < 1900 || d.year > 2100) continue;
      return d.iso;
    }
  }
  return undefined;
}
