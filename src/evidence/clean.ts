// Cleaning: separating article text from page furniture, block by block, with a score whose
// every term is named, so `muscat corpus show DOC --removed` can say why a block went.
//
// Method. A block is one line of the document (a paragraph, heading or list item; for HTML, one
// block element of the page). Each block gets shallow text features in the spirit of
// Kohlschütter, Fankhauser & Nejdl (2010), "Boilerplate detection using shallow text features"
// (WSDM '10): number of words, whether it ends a sentence, link density, digit density, and
// the same features of its neighbours. Unlike their trained decision tree, the weights here are
// a short hand-set list of named rules (below) so that each removal can be explained and
// argued with; and we add two signals they do not use: the block's language (franc, see
// language.ts; a block in another language or script than the article is furniture) and
// phrase patterns for the furniture news sites actually carry (donation and subscription
// appeals, payment details, comment notices, share/related/cookie/navigation lines). For HTML,
// Mozilla Readability decides first what the article is (html.ts); its choice enters the score
// as one more, heavy, rule.
//
// Metadata lines are not text: Markdown front matter, and the header lines of a plain-text
// article (title, outlet, date, URL, byline, notes: header.ts) are marked role "front-matter"
// with the rule that found them, and left out of the cleaned text, but stay in the stored text so
// that line numbers hold. For text from a PDF, running headers, footers and page numbers that
// repeat on every page (pdf.ts) enter as one more rule, "page-furniture".
//
// A block is kept when its score is ≥ 0. Nothing is dropped silently: every block's score and
// reasons are kept with the document.
import { type BlockLanguage, detectLanguages, differsFrom, mainLanguage } from "./language.js";

export type BlockRole = "title" | "byline" | "heading" | "paragraph" | "furniture" | "blank" | "front-matter";

export interface Reason {
  rule: string;
  weight: number;
  detail: string;
}

export interface BlockReport {
  /** Line number in the original text, 1-based. */
  line: number;
  kept: boolean;
  score: number;
  role: BlockRole;
  reasons: Reason[];
  language: string;
  script: string;
  /** Line number in the cleaned text (kept blocks only). */
  cleanedLine?: number;
}

export interface CleanResult {
  blocks: BlockReport[];
  /** The kept lines, joined with "\n". */
  cleanedText: string;
  /** cleanedToOriginal[i] = original line number of cleaned line i + 1. */
  cleanedToOriginal: number[];
  language: string;
  script: string;
  /** A dateline prefix found at the start of the first paragraph ("Shafaq News/ …"). */
  dateline?: string;
  /** A byline block near the top, without a leading "By". */
  byline?: string;
  /** The title block's text, if one was found. */
  title?: string;
}

export interface CleanOptions {
  kind: "text" | "markdown" | "html" | "pdf";
  /** HTML: original lines that Readability kept in the article. */
  extracted?: Set<number>;
  /** HTML: the line that holds the page's title (kept even if Readability dropped it). */
  titleLine?: number;
  /** Link density (0..1) per original line, when known (HTML, Markdown). */
  linkDensity?: Map<number, number>;
  /** Lines that are metadata, not text (Markdown front matter). */
  frontMatter?: Set<number>;
  /** Header lines (title, outlet, date, URL, byline, notes) with what each one is (header.ts). */
  metadataLines?: Map<number, string>;
  /** PDF: running headers/footers and page numbers repeated on the pages, with why (pdf.ts). */
  pageFurniture?: Map<number, string>;
}

/** Bump when rules or weights change: stored documents record which cleaner made them. */
export const CLEANER_VERSION = "clean/2";

export const WEIGHTS = {
  prose: 3,
  shortSentence: 1,
  title: 2,
  byline: 2,
  heading: 2,
  comments: -6,
  appeal: -5,
  appealStrong: -8,
  payment: -6,
  sharing: -5,
  digits: -2,
  foreign: -5,
  links: -3,
  outsideArticle: -10,
  orphanHeading: -3,
  furnitureRun: -2,
  frontMatter: -10,
  metadataHeader: -10,
  pageFurniture: -10,
} as const;

const COMMENT_RE =
  /^(comments are closed|comments? (are )?(disabled|off)|leave a (comment|reply)|post a comment|\d+ comments?$|log ?in to (comment|reply)|be the first to comment|join the (conversation|discussion))/i;
const APPEAL_RES: RegExp[] = [
  /\bjoin us\b/i,
  /\bsupport(ing)? us\b/i,
  /\bdonat(e|ion|ions|ing)\b/i,
  /\b(every|your) contribution\b/i,
  /\bour (journalism|reporting|work|future)\b/i,
  /\bconsider (supporting|subscribing|donating)\b/i,
  /\bsubscribe (now|today|to our)\b/i,
  /\bbecome a (member|patron|subscriber)\b/i,
  /\bthank you\b\.?$/i,
  /\bit only takes a minute\b/i,
  /\bpatreon\b|\bbuy me a coffee\b/i,
];
/** "Support Dawat Media Center": an imperative appeal heading. */
const APPEAL_HEADING_RE = /^(please\s+)?(support|donate to|subscribe to|help)\s+(us|our|the\s+)?\s*\p{Lu}/u;
const PAYMENT_RES: RegExp[] = [
  /\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,3})?\b/, // IBAN
  /\b(A\/?C|acct|account)\s*(no\.?|number|#)?\s*[:#]?\s*\d[\d\s-]{5,}/i,
  /\b(vipps|paypal|swish|venmo|swift|bic|iban|sort code|routing number)\b/i,
  /\bbank\b.*\d{4}/i,
  /#\s?\d{5,}/,
];
const SHARING_RE =
  /^(share( this| on)?|tweet|email this|print this|read more|related( articles| stories| posts)?|see also|more from|more stories|recommended|trending|most read|follow us|sign up|newsletter|subscribe|advertisement|sponsored|skip to|cookies?\b|we use cookies|this (web)?site uses cookies|accept( all)?( cookies)?$|manage (cookies|preferences)|privacy policy|terms of (use|service)|all rights reserved|©|copyright\b|tags?:|filed under)/i;

const SENTENCE_END = /[.!?…]["'”’»)\]]*\s*$/u;
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

function words(text: string): string[] {
  return text.match(WORD) ?? [];
}

/** The block's text without Markdown markers (# heading, > quote, - item, links). */
export function plainBlock(text: string, kind: CleanOptions["kind"]): string {
  if (kind !== "markdown") return text.trim();
  return text
    .replace(/^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)/, "")
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[*_`]{1,3}/g, "")
    .trim();
}

function digitRatio(text: string): number {
  let d = 0;
  let l = 0;
  for (const ch of text) {
    if (/\p{N}/u.test(ch)) d++;
    else if (/\p{L}/u.test(ch)) l++;
  }
  return d + l === 0 ? 0 : d / (d + l);
}

function isTitleCaseShort(text: string): boolean {
  const w = words(text);
  if (w.length === 0 || w.length > 6) return false;
  return w.every((x) => /^\p{Lu}/u.test(x)) && !/\d/.test(text);
}

// A dash ends a dateline only with a space after it ("BEIRUT — …"), never inside a compound
// ("US–Iran talks").
const DATELINE_RE = /^([\p{Lu}][\p{L}.&' -]{1,40}?)\s*(?:\/|[—–](?=\s)|\s-\s|:\s(?=\p{Lu}))\s*(?=\p{Lu})/u;

/**
 * Scores every block of a document and splits it into article text and furniture.
 * `lines` are the original text's lines (1-based numbering = index + 1).
 */
export function cleanLines(lines: string[], opts: CleanOptions): CleanResult {
  const plain = lines.map((l) => plainBlock(l, opts.kind));
  const langs: BlockLanguage[] = detectLanguages(plain);
  const main = mainLanguage(plain, langs);
  const n = lines.length;
  const blocks: BlockReport[] = [];
  const nonBlank: number[] = [];
  const isMeta = (line: number) => opts.frontMatter?.has(line) || opts.metadataLines?.has(line);
  // Ranks count the blocks that may be text: not metadata, not a PDF's running header.
  for (let i = 0; i < n; i++)
    if (plain[i] !== "" && !isMeta(i + 1) && !opts.pageFurniture?.has(i + 1)) nonBlank.push(i);
  const rank = new Map(nonBlank.map((i, r) => [i, r]));
  const isProse = (i: number) => words(plain[i]).length >= 20 && SENTENCE_END.test(plain[i]);

  let title: string | undefined;
  let byline: string | undefined;
  let dateline: string | undefined;
  let sawParagraph = false;
  let titleRank = -10;

  for (let i = 0; i < n; i++) {
    const text = plain[i];
    const lang = langs[i];
    // franc confuses close languages (English/Scots): label the block with the article's
    // language when that was still plausible for it (language.ts PLAUSIBLE).
    const language =
      lang.method === "block" && (lang.plausible ?? lang.alternatives)?.includes(main.language)
        ? main.language
        : lang.language;
    const base = { line: i + 1, language, script: lang.script };
    if (opts.frontMatter?.has(i + 1)) {
      blocks.push({
        ...base,
        kept: false,
        score: WEIGHTS.frontMatter,
        role: "front-matter",
        reasons: [{ rule: "front-matter", weight: WEIGHTS.frontMatter, detail: "metadata block, not text" }],
      });
      continue;
    }
    const header = opts.metadataLines?.get(i + 1);
    if (header !== undefined) {
      blocks.push({
        ...base,
        kept: false,
        score: WEIGHTS.metadataHeader,
        role: "front-matter",
        reasons: [{ rule: "metadata-header", weight: WEIGHTS.metadataHeader, detail: header }],
      });
      continue;
    }
    if (text === "") {
      blocks.push({ ...base, kept: false, score: 0, role: "blank", reasons: [] });
      continue;
    }
    const reasons: Reason[] = [];
    const add = (rule: string, weight: number, detail: string) => reasons.push({ rule, weight, detail });
    const w = words(text);
    // A PDF's running header has no rank: it is never the title, a byline or a dateline.
    const r = rank.get(i) ?? Number.NaN;
    const endsSentence = SENTENCE_END.test(text);
    let role: BlockRole = "paragraph";

    if (w.length >= 20 && endsSentence) add("prose", WEIGHTS.prose, `${w.length} words ending a sentence`);
    else if (w.length >= 8 && endsSentence)
      add("short-sentence", WEIGHTS.shortSentence, `${w.length} words ending a sentence`);

    // A first block that is a statement of eight words or more ending in a full stop ("1/ A
    // thread on …", a narrator's first line) is the text's opening, not its title.
    const statement = w.length >= 8 && /[.…]["'”’»)\]]*\s*$/u.test(text);
    const isTitle =
      opts.titleLine !== undefined ? opts.titleLine === i + 1 : r === 0 && w.length <= 30 && !statement;
    if (isTitle) {
      add("title", WEIGHTS.title, "the document's title");
      role = "title";
      titleRank = r;
      // A title in quotation marks ("“Who is Muscat good for?”") is the title without them.
      title = text.replace(/^#+\s*/, "").replace(/^["“](.+)["”]$/u, "$1");
    } else if (
      ((r >= 1 && r <= 2) || r === titleRank + 1) &&
      !endsSentence &&
      (/^by\s+\p{Lu}/iu.test(text)
        ? w.length <= 8
        : isTitleCaseShort(text) &&
          w.length >= 2 &&
          w.length <= 5 &&
          // A section label in capitals ("BOTTOM LINE") or a salutation ("Dear Partners,") is
          // no name.
          text !== text.toUpperCase() &&
          !/^dear\s/i.test(text)) &&
      lang.script !== "none" &&
      (lang.script === main.script || main.script === "none")
    ) {
      add("byline", WEIGHTS.byline, "a short name line under the title");
      role = "byline";
      byline = text.replace(/^by\s+/i, "");
    }

    const furniture = opts.pageFurniture?.get(i + 1);
    if (furniture !== undefined) add("page-furniture", WEIGHTS.pageFurniture, furniture);
    if (COMMENT_RE.test(text)) add("comments", WEIGHTS.comments, "a comment-section notice");
    const appeals = APPEAL_RES.filter((re) => re.test(text)).length + (APPEAL_HEADING_RE.test(text) ? 1 : 0);
    if (appeals >= 2) add("appeal", WEIGHTS.appealStrong, `${appeals} donation/subscription appeal phrases`);
    else if (appeals === 1 && (w.length <= 12 || !isProse(i)))
      add("appeal", WEIGHTS.appeal, "a donation/subscription appeal phrase");
    const payments = PAYMENT_RES.filter((re) => re.test(text)).length;
    if (payments > 0) add("payment", WEIGHTS.payment, "bank or payment details (account, IBAN, payment app)");
    if (SHARING_RE.test(text) && w.length <= 25)
      add("sharing", WEIGHTS.sharing, "share/related/navigation/cookie/legal line");
    const dr = digitRatio(text);
    if (dr >= 0.3 && w.length < 15) add("digits", WEIGHTS.digits, `${Math.round(dr * 100)}% digits`);

    // Language: a block in another script than the article's, or confidently in another
    // language, is not article text.
    if (differsFrom(lang, main))
      add(
        "language",
        WEIGHTS.foreign,
        lang.language === "und"
          ? `in ${lang.script} script; the article is in ${main.script} script`
          : `in ${lang.language} (${lang.script} script, by ${lang.method}); the article is in ${main.language}`,
      );

    const ld = opts.linkDensity?.get(i + 1);
    if (ld !== undefined && ld > 0.5 && w.length > 0)
      add("links", WEIGHTS.links, `${Math.round(ld * 100)}% of its text is links`);
    if (opts.extracted && !opts.extracted.has(i + 1) && !isTitle)
      add("outside-article", WEIGHTS.outsideArticle, "outside the article that Readability extracted");

    if (r === 0 && !isTitle) {
      // nothing
    }
    if (role !== "title" && role !== "byline" && !endsSentence && w.length <= 15) role = "heading";
    if (r <= 2 || role === "paragraph") {
      const m = DATELINE_RE.exec(text);
      // Only the first paragraph opens with a dateline ("Risk C: …" further down is a label).
      // A dateline names a place or an outlet: its words are capitalised ("Shafaq News/",
      // "BEIRUT —"), not a label such as "Quick context for new readers:".
      const named = m
        ? words(m[1]).every((w) => /^\p{Lu}/u.test(w) || /^(of|the|al|el|de|and)$/i.test(w))
        : false;
      if (m && named && !dateline && role === "paragraph" && !sawParagraph && words(m[1]).length <= 5)
        dateline = m[1].trim();
      if (role === "paragraph") sawParagraph = true;
    }
    blocks.push({ ...base, kept: false, score: 0, role, reasons });
  }

  // Preliminary decision, then context rules (one pass): headings, orphan headings, runs.
  const sum = (b: BlockReport) => b.reasons.reduce((s, x) => s + x.weight, 0);
  const prelim = blocks.map((b) => b.role !== "blank" && b.role !== "front-matter" && sum(b) >= 0);
  const nextNB = (k: number) => {
    const r = rank.get(k);
    return r === undefined || r + 1 >= nonBlank.length ? undefined : nonBlank[r + 1];
  };
  const prevNB = (k: number) => {
    const r = rank.get(k);
    return r === undefined || r === 0 ? undefined : nonBlank[r - 1];
  };
  for (const i of nonBlank) {
    const b = blocks[i];
    if (b.role === "heading") {
      const nx = nextNB(i);
      if (nx !== undefined && prelim[nx] && isProse(nx) && blocks[nx].language === b.language) {
        b.reasons.push({
          rule: "heading",
          weight: WEIGHTS.heading,
          detail: `heads the paragraph at line ${nx + 1}`,
        });
      } else if (nx !== undefined && prelim[nx] && isProse(nx) && b.language === "und") {
        b.reasons.push({
          rule: "heading",
          weight: WEIGHTS.heading,
          detail: `heads the paragraph at line ${nx + 1}`,
        });
      } else if ((rank.get(i) ?? 0) > 2 && (nx === undefined || !prelim[nx]))
        b.reasons.push({
          rule: "orphan-heading",
          weight: WEIGHTS.orphanHeading,
          detail:
            nx === undefined
              ? "a heading with no text after it (at the end of the page)"
              : `a heading followed by furniture (line ${nx + 1}): likely a related-article link`,
        });
    }
    const pv = prevNB(i);
    const nx = nextNB(i);
    if (pv !== undefined && nx !== undefined && !prelim[pv] && !prelim[nx] && sum(b) < WEIGHTS.prose)
      b.reasons.push({
        rule: "furniture-run",
        weight: WEIGHTS.furnitureRun,
        detail: `between furniture blocks (lines ${pv + 1} and ${nx + 1})`,
      });
  }
  const cleanedToOriginal: number[] = [];
  const kept: string[] = [];
  for (const b of blocks) {
    if (b.role === "blank" || b.role === "front-matter") continue;
    b.score = sum(b);
    b.kept = b.score >= 0;
    if (!b.kept) b.role = "furniture";
    else {
      cleanedToOriginal.push(b.line);
      b.cleanedLine = cleanedToOriginal.length;
      kept.push(lines[b.line - 1]);
    }
  }
  return {
    blocks,
    cleanedText: kept.join("\n"),
    cleanedToOriginal,
    language: main.language,
    script: main.script,
    dateline,
    byline,
    title,
  };
}

/** One-line summary of why a block was removed (or kept). */
export function explain(b: BlockReport): string {
  return b.reasons.map((r) => `${r.rule} ${r.weight > 0 ? "+" : ""}${r.weight} (${r.detail})`).join("; ");
}
