// PDF → document lines, with Mozilla's pdf.js (pdfjs-dist, legacy build for Node), run in this
// thread (no worker), with no canvas, no font loading and no eval: only the text layer is read.
//
// What a line is. A PDF has no paragraphs, only positioned runs of glyphs. Runs are grouped into
// printed lines (a run that ends a line, or a run at another height, starts a new one; a space is
// put between two runs on one line when the gap between them is wider than a fifth of the font
// size), and printed lines into paragraphs: a new paragraph starts after a vertical gap clearly
// wider (relative to the font size) than the page's usual line spacing, or where the font size
// changes. One paragraph is one line of the extracted text, as one block element is for HTML,
// so that a sentence wrapped over two printed lines stays one sentence (sentences are split
// within a line). A hyphen at a printed line end is taken as hyphenation and dropped
// ("nego‐" + "tiations") when it is U+2010 or a soft hyphen (what typesetters print when they
// hyphenate), or when it is "-" between letters and a lower-case letter follows, unless the
// part before it is a common hyphenated prefix ("counter-", "anti-", "self-", …). A
// paragraph that runs over a page break or into the next column (no sentence end before the
// break, a lower-case start after it) is joined too. All of this depends only on the bytes.
//
// Running headers, footers and page numbers: a printed line near the top or bottom of a page
// whose text (digits folded) recurs at that place on at least half of the pages (and on two or
// more), or a bare page number ("7", "Page 7 of 12", "- 7 -"), is kept as a line of its own and
// reported to the cleaner as page furniture, so it is marked, not deleted.
//
// Stability. The extracted text depends only on the file's bytes and this code (same bytes →
// same text → same lines), so line locators into a PDF refer to the lines of its extracted text,
// which is stored with the document; EXTRACTOR_VERSION names this code's rules.
//
// Limits: at most MAX_PDF_PAGES pages and PDF_TIME_LIMIT_MS of work; an encrypted, corrupt or
// image-only PDF is refused with an EvidenceInputError that says so (never a pdf.js exception).
import { EvidenceInputError } from "./text.js";

export const EXTRACTOR_VERSION = "pdf/1";
export const MAX_PDF_PAGES = 500;
export const PDF_TIME_LIMIT_MS = 60_000;

export interface PdfExtraction {
  /** The extracted text's lines (paragraphs, headers, footers), pages in order. */
  lines: string[];
  /** Page (1-based) of each line. */
  pageOfLine: number[];
  pages: number;
  /** Lines (1-based) that are running headers, footers or page numbers, with why. */
  furniture: Map<number, string>;
  /** From the PDF's document information (title, author), when present. */
  metadata: { title?: string; author?: string };
}

export interface PdfOptions {
  maxPages?: number;
  timeLimitMs?: number;
}

interface Item {
  str: string;
  hasEOL: boolean;
  x: number;
  y: number;
  width: number;
  size: number;
}

interface Printed {
  text: string;
  y: number;
  size: number;
  page: number;
}

/** Offset of the "%PDF-" header within the first 1024 bytes (where readers accept it), or -1. */
export function pdfHeaderOffset(bytes: Uint8Array): number {
  return Buffer.from(bytes.subarray(0, 1024)).toString("latin1").indexOf("%PDF-");
}

/** Whether the bytes are a PDF whatever the file is called: "%PDF-" as the very first bytes. */
export function looksLikePdf(bytes: Uint8Array): boolean {
  return pdfHeaderOffset(bytes) === 0;
}

type PdfJs = typeof import("pdfjs-dist/legacy/build/pdf.mjs");
let pdfjsPromise: Promise<PdfJs> | undefined;
const loadPdfJs = () => {
  pdfjsPromise ??= import("pdfjs-dist/legacy/build/pdf.mjs");
  return pdfjsPromise;
};

class Timeout extends Error {}

/** Extracts the text of a PDF. Throws EvidenceInputError (only) for what cannot be read. */
export async function extractPdf(
  bytes: Uint8Array,
  file: string,
  opts: PdfOptions = {},
): Promise<PdfExtraction> {
  const maxPages = opts.maxPages ?? MAX_PDF_PAGES;
  const deadline = Date.now() + (opts.timeLimitMs ?? PDF_TIME_LIMIT_MS);
  const pdfjs = await loadPdfJs();
  // pdf.js transfers (detaches) the buffer it is given: pass a copy.
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    useWorkerFetch: false,
    isOffscreenCanvasSupported: false,
    stopAtErrors: false,
    verbosity: 0,
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Timeout()), Math.max(0, deadline - Date.now()));
  });
  const bounded = <T>(p: Promise<T>) => Promise.race([p, timeout]);
  try {
    const doc = await bounded(task.promise);
    if (doc.numPages > maxPages)
      throw new EvidenceInputError(
        "too-large",
        `the PDF has ${doc.numPages} pages, more than the ${maxPages} read for one document`,
        file,
      );
    const printed: Printed[][] = [];
    for (let p = 1; p <= doc.numPages; p++) {
      const page = await bounded(doc.getPage(p));
      const content = await bounded(page.getTextContent());
      const items: Item[] = [];
      for (const it of content.items)
        if ("str" in it)
          items.push({
            str: it.str,
            hasEOL: it.hasEOL,
            x: it.transform[4],
            y: it.transform[5],
            width: it.width,
            size: Math.hypot(it.transform[2], it.transform[3]) || it.height || 1,
          });
      printed.push(printedLines(items, p));
      page.cleanup();
    }
    const info = await bounded(doc.getMetadata().catch(() => undefined));
    const metadata = infoMetadata(info?.info as Record<string, unknown> | undefined);
    if (printed.every((lines) => lines.length === 0))
      throw new EvidenceInputError(
        "no-text-layer",
        `the PDF has ${doc.numPages} page${doc.numPages === 1 ? "" : "s"} but no text layer (a scan?): run OCR first (for example ocrmypdf file.pdf out.pdf) and add the result`,
        file,
      );
    return { ...assemble(printed), pages: doc.numPages, metadata };
  } catch (e) {
    throw asInputError(e, file, opts.timeLimitMs ?? PDF_TIME_LIMIT_MS);
  } finally {
    clearTimeout(timer);
    // Stops any work pdf.js still has queued (after a timeout too).
    await task.destroy().catch(() => undefined);
  }
}

function asInputError(e: unknown, file: string, limitMs: number): EvidenceInputError {
  if (e instanceof EvidenceInputError) return e;
  if (e instanceof Timeout)
    return new EvidenceInputError(
      "too-large",
      `reading the PDF took longer than ${limitMs >= 1000 ? `${Math.round(limitMs / 1000)} s` : `${limitMs} ms`}; it was stopped`,
      file,
    );
  const err = e as { name?: string; message?: string };
  if (err?.name === "PasswordException")
    return new EvidenceInputError(
      "encrypted",
      "the PDF is encrypted (it needs a password): save an unprotected copy and add that",
      file,
    );
  return new EvidenceInputError(
    "corrupt",
    `not a readable PDF (${err?.message ? err.message.replace(/\s+/g, " ").slice(0, 160) : "unknown error"})`,
    file,
  );
}

/** Runs of one page → printed lines, in the page's content order. */
function printedLines(items: Item[], page: number): Printed[] {
  const out: Printed[] = [];
  let text = "";
  let y = 0;
  let size = 0;
  let endX: number | undefined;
  const flush = () => {
    const t = text.replace(/\s+/g, " ").trim();
    if (t) out.push({ text: t, y, size, page });
    text = "";
    endX = undefined;
  };
  for (const it of items) {
    if (it.str !== "") {
      if (endX !== undefined && Math.abs(it.y - y) > Math.max(size, it.size) * 0.5) flush();
      if (endX === undefined) {
        y = it.y;
        size = it.size;
      } else if (it.x - endX > it.size * 0.2 && !/\s$/.test(text) && !/^\s/.test(it.str)) text += " ";
      text += it.str;
      endX = it.x + it.width;
      size = Math.max(size, it.size);
    }
    if (it.hasEOL) flush();
  }
  flush();
  return out;
}

const fold = (s: string) => s.replace(/\d+/g, "#").toLowerCase();
const PAGE_NUMBER =
  /^(?:(?:page|p\.|seite|página|pagina)\s*)?[-–—(]?\s*\d{1,4}\s*[-–—)]?(?:\s*(?:of|\/|von|de|di)\s*\d{1,4})?$/i;
/** Printed lines at each end of a page where running headers and footers are looked for. */
const EDGE = 2;
const SENTENCE_END = /[.!?…:]["'”’»)\]]*$/u;

/** Running headers, footers and page numbers among the printed lines, with why. */
function findFurniture(pages: Printed[][]): Map<Printed, string> {
  const out = new Map<Printed, string>();
  const edge = (lines: Printed[]) => {
    // By height on the page: the top and bottom EDGE lines.
    const byY = [...lines].sort((a, b) => b.y - a.y);
    return new Set([...byY.slice(0, EDGE), ...byY.slice(-EDGE)]);
  };
  const edges = pages.map(edge);
  const counts = new Map<string, number>();
  for (const e of edges)
    for (const k of new Set([...e].map((l) => fold(l.text)))) counts.set(k, (counts.get(k) ?? 0) + 1);
  const need = Math.max(2, Math.ceil(pages.length / 2));
  for (const e of edges)
    for (const l of e) {
      const n = counts.get(fold(l.text)) ?? 0;
      if (pages.length >= 2 && n >= need)
        out.set(
          l,
          `repeated at the top or bottom of ${n} of ${pages.length} pages (a running header or footer)`,
        );
      else if (PAGE_NUMBER.test(l.text)) out.set(l, "a page number");
    }
  return out;
}

/** Printed lines → paragraphs (one extracted line each), headers and footers on their own. */
function assemble(pages: Printed[][]): Omit<PdfExtraction, "pages" | "metadata"> {
  const furniture = findFurniture(pages);
  const lines: string[] = [];
  const pageOfLine: number[] = [];
  const marks = new Map<number, string>();
  /** Index of the last body paragraph, and whether it may continue on the next page. */
  let lastBody = -1;
  for (const page of pages) {
    // The usual line spacing, as a multiple of the font size (the lower quartile of the gaps
    // between consecutive lines of one size: most gaps are within paragraphs).
    const body = page.filter((l) => !furniture.has(l));
    const gaps: number[] = [];
    for (let k = 1; k < body.length; k++) {
      const g = body[k - 1].y - body[k].y;
      if (g > 0 && Math.abs(body[k].size - body[k - 1].size) < 0.5) gaps.push(g / body[k].size);
    }
    gaps.sort((a, b) => a - b);
    const usual = gaps.length ? gaps[Math.floor(gaps.length / 4)] : 0;
    let prev: Printed | undefined;
    for (const l of page) {
      const why = furniture.get(l);
      if (why) {
        lines.push(l.text);
        pageOfLine.push(l.page);
        marks.set(lines.length, why);
        continue;
      }
      const gap = prev ? (prev.y - l.y) / l.size : 0;
      const sameParagraph =
        prev !== undefined &&
        gap > 0 &&
        Math.abs(l.size - prev.size) < 0.5 &&
        (usual === 0 || gap <= usual * 1.25);
      // Over a page break, or up to the top of the next column: no sentence end before, a
      // lower-case start after.
      const continues =
        (prev === undefined || gap < 0) &&
        lastBody >= 0 &&
        !SENTENCE_END.test(lines[lastBody]) &&
        /^\p{Ll}/u.test(l.text);
      if (sameParagraph || continues) lines[lastBody] = joinWrapped(lines[lastBody], l.text);
      else {
        lines.push(l.text);
        pageOfLine.push(l.page);
        lastBody = lines.length - 1;
      }
      prev = l;
    }
  }
  return { lines, pageOfLine, furniture: marks };
}

/**
 * Two printed lines of one paragraph, joined: with a space, or with nothing after a line-end
 * hyphen that splits a word ("nego-" + "tiations"; a letter before, a lower-case letter after).
 */
export function joinWrapped(a: string, b: string): string {
  // U+2010 (hyphen) and U+00AD (soft hyphen) at a line end are what typesetters print when they
  // hyphenate: always dropped.
  if (/\p{L}[\u2010\u00ad]$/u.test(a) && /^\p{L}/u.test(b)) return a.slice(0, -1) + b;
  if (/\p{L}-$/u.test(a) && /^\p{Ll}/u.test(b)) {
    // "counter-" + "proposal" is a compound: keep the hyphen when the part before it is a
    // common hyphenated prefix; otherwise the hyphen is hyphenation.
    const before = /(\p{L}+)-$/u.exec(a)?.[1].toLowerCase() ?? "";
    return HYPHEN_PREFIXES.has(before) ? a + b : a.slice(0, -1) + b;
  }
  return `${a} ${b}`;
}

const HYPHEN_PREFIXES = new Set([
  "counter",
  "anti",
  "non",
  "pro",
  "self",
  "co",
  "ex",
  "post",
  "pre",
  "cross",
  "well",
  "long",
  "short",
  "high",
  "low",
  "half",
  "all",
  "so",
  "multi",
  "semi",
  "inter",
  "intra",
  "re",
  "de",
  "mid",
  "near",
  "quasi",
  "sub",
  "super",
  "ultra",
  "vice",
  "war",
  "cease",
]);

/**
 * The document information's title and author, when they look real (not "Untitled" or a file
 * name). Its creation date is the file's, not the article's: not used.
 */
function infoMetadata(info: Record<string, unknown> | undefined): PdfExtraction["metadata"] {
  if (!info) return {};
  const s = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : undefined);
  let title = s(info.Title);
  if (
    title &&
    (/^(untitled|about:blank|document\d*)$/i.test(title) ||
      /\.(docx?|pdf|indd|odt|pages|tex|html?)$/i.test(title) ||
      /^microsoft (word|powerpoint)/i.test(title))
  )
    title = undefined;
  const author = s(info.Author);
  return { ...(title ? { title } : {}), ...(author ? { author } : {}) };
}
