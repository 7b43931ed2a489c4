// A source file → a prepared document: its text (normalised), id, metadata, and cleaning.
//
// Plain text and Markdown are stored as they are (normalised); their lines are the file's
// lines. Their header lines (title, outlet, date, URL, byline, notes: header.ts) give metadata
// and are marked as metadata, not text, in the cleaning report. HTML is stored as the page's
// text, one line per block element (see html.ts). A PDF (recognised by its %PDF- bytes, or
// its .pdf name) is stored as the text extracted from it, one line per paragraph, running
// headers and footers on lines of their own (see pdf.ts): its line locators refer to the lines
// of that stored text. The raw file's sha256 is kept too. The id is the sha256 of the stored
// (normalised) text, so adding the same text again is a no-op, whatever the file is called.
//
// Reading a PDF is asynchronous: prepareDocumentAsync and readDocument read every kind;
// prepareDocument and readDocumentFile (synchronous) refuse a PDF with a message saying so.

import { readFileSync, statSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { basename, extname } from "node:path";
import { parse as parseYaml } from "yaml";
import { CLEANER_VERSION, type CleanResult, cleanLines } from "./clean.js";
import { parseHeader } from "./header.js";
import { type DocumentMetadata, extractHtml } from "./html.js";
import { EXTRACTOR_VERSION, extractPdf, looksLikePdf, type PdfExtraction, pdfHeaderOffset } from "./pdf.js";
import {
  decodeText,
  documentId,
  EvidenceInputError,
  formatBytes,
  MAX_DOCUMENT_BYTES,
  sha256Hex,
  textLines,
} from "./text.js";

export type DocumentKind = "text" | "markdown" | "html" | "pdf";

export interface PreparedDocument {
  /** sha256 of the normalised stored text. */
  id: string;
  kind: DocumentKind;
  fileName?: string;
  /** sha256 of the file's bytes. */
  rawSha256: string;
  metadata: DocumentMetadata;
  /** The stored text (for HTML: the page's blocks, one per line). */
  text: string;
  lines: string[];
  clean: CleanResult;
  cleaner: string;
}

export const DOCUMENT_EXTENSIONS: Record<string, DocumentKind> = {
  ".txt": "text",
  ".text": "text",
  ".md": "markdown",
  ".markdown": "markdown",
  ".html": "html",
  ".htm": "html",
  ".xhtml": "html",
  ".pdf": "pdf",
};

export function kindOf(fileName: string, text?: string): DocumentKind | undefined {
  const k = DOCUMENT_EXTENSIONS[extname(fileName).toLowerCase()];
  if (k) return k;
  if (text !== undefined && /^\s*(<!doctype html|<html[\s>])/i.test(text.slice(0, 500))) return "html";
  return undefined;
}

function frontMatter(lines: string[]): { lines: Set<number>; data: Record<string, unknown> } {
  const set = new Set<number>();
  if (lines[0]?.trim() !== "---") return { lines: set, data: {} };
  const end = lines.findIndex((l, i) => i > 0 && l.trim() === "---");
  if (end < 0) return { lines: set, data: {} };
  for (let i = 0; i <= end; i++) set.add(i + 1);
  try {
    const data = parseYaml(lines.slice(1, end).join("\n"));
    return { lines: set, data: data && typeof data === "object" ? (data as Record<string, unknown>) : {} };
  } catch {
    return { lines: set, data: {} };
  }
}

const str = (v: unknown): string | undefined =>
  typeof v === "string" && v.trim() ? v.trim() : v instanceof Date ? v.toISOString().slice(0, 10) : undefined;

/** Metadata values that are only a header's key word ("Outlet", "Title:"): never metadata. */
const KEY_WORD =
  /^(title|headline|source|outlet|publication|publisher|date|published|by|author|url|link|note)s?:?$/i;

/** Whether bytes named `fileName` (or of the forced kind) are a PDF. */
export function isPdfInput(bytes: Uint8Array, fileName: string, forcedKind?: DocumentKind): boolean {
  if (forcedKind) return forcedKind === "pdf";
  return looksLikePdf(bytes) || extname(fileName).toLowerCase() === ".pdf";
}

/**
 * Prepares a text, Markdown or HTML document from a file's bytes. Throws EvidenceInputError
 * for bad input, and for a PDF (read those with prepareDocumentAsync).
 */
export function prepareDocument(
  bytes: Uint8Array,
  fileName: string,
  forcedKind?: DocumentKind,
): PreparedDocument {
  if (isPdfInput(bytes, fileName, forcedKind))
    throw new EvidenceInputError(
      "unsupported",
      "a PDF is read asynchronously (prepareDocumentAsync / readDocument)",
      fileName,
    );
  const raw = decodeText(bytes, fileName);
  const kind = kindOf(fileName, raw) ?? "text";
  return finish(bytes, fileName, forcedKind ?? kind, raw);
}

/** Prepares a document of any kind, PDF included, from a file's bytes. */
export async function prepareDocumentAsync(
  bytes: Uint8Array,
  fileName: string,
  forcedKind?: DocumentKind,
): Promise<PreparedDocument> {
  if (!isPdfInput(bytes, fileName, forcedKind)) return prepareDocument(bytes, fileName, forcedKind);
  if (bytes.length > MAX_DOCUMENT_BYTES)
    throw new EvidenceInputError(
      "too-large",
      `${formatBytes(bytes.length)} is larger than the ${formatBytes(MAX_DOCUMENT_BYTES)} limit for one document`,
      fileName,
    );
  if (bytes.length === 0) throw new EvidenceInputError("empty", "the file is empty", fileName);
  if (pdfHeaderOffset(bytes) < 0)
    throw new EvidenceInputError("corrupt", "named as a PDF but does not start with %PDF-", fileName);
  const pdf = await extractPdf(bytes, fileName);
  return finish(bytes, fileName, "pdf", pdf.lines.map((l) => l.normalize("NFC")).join("\n"), pdf);
}

/** Cleaning and metadata of a document whose stored text is known. */
function finish(
  bytes: Uint8Array,
  fileName: string,
  kind: DocumentKind,
  raw: string,
  pdf?: PdfExtraction,
): PreparedDocument {
  let text: string;
  let clean: CleanResult;
  let metadata: DocumentMetadata = {};
  if (kind === "html") {
    const h = extractHtml(raw, fileName);
    text = h.lines.join("\n");
    clean = cleanLines(h.lines, {
      kind,
      extracted: h.extracted,
      titleLine: h.titleLine,
      linkDensity: h.linkDensity,
    });
    metadata = h.metadata;
  } else {
    text = raw;
    const lines = textLines(text);
    const fm = kind === "markdown" ? frontMatter(lines) : { lines: new Set<number>(), data: {} };
    const header = parseHeader(lines, fm.lines);
    const linkDensity = new Map<number, number>();
    if (kind === "markdown")
      lines.forEach((l, i) => {
        const links = [...l.matchAll(/\[([^\]]*)\]\([^)]*\)/g)].reduce((s, m) => s + m[1].length, 0);
        const plain = l.replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1").trim();
        if (links > 0 && plain) linkDensity.set(i + 1, links / plain.length);
      });
    clean = cleanLines(lines, {
      kind,
      frontMatter: fm.lines,
      metadataLines: header.lines,
      pageFurniture: pdf?.furniture,
      linkDensity,
    });
    const d = fm.data as Record<string, unknown>;
    const h = header.metadata;
    metadata = {
      title: str(d.title) ?? h.title ?? pdf?.metadata.title,
      author: str(d.author) ?? h.author ?? pdf?.metadata.author,
      date: str(d.date) ?? h.date,
      url: str(d.url) ?? str(d.source_url) ?? h.url,
      outlet: str(d.outlet) ?? str(d.source) ?? str(d.publisher) ?? h.outlet,
      language: str(d.lang) ?? str(d.language) ?? h.language,
    };
  }
  // Fill what metadata did not say from the cleaned text itself.
  metadata.title ??= clean.title;
  metadata.author ??= clean.byline;
  // A dateline in capitals ("BEIRUT —") names a place, not an outlet ("Shafaq News/").
  if (clean.dateline && clean.dateline !== clean.dateline.toUpperCase()) metadata.outlet ??= clean.dateline;
  for (const k of Object.keys(metadata) as (keyof DocumentMetadata)[])
    if (metadata[k] === undefined || KEY_WORD.test(metadata[k]!.trim())) delete metadata[k];
  if (clean.cleanedToOriginal.length === 0)
    throw new EvidenceInputError(
      "no-article",
      "no article text found: every block was classed as page furniture (see the rules in docs/evidence.md)",
      fileName,
    );
  return {
    id: documentId(text),
    kind,
    fileName: basename(fileName),
    rawSha256: sha256Hex(bytes),
    metadata,
    text,
    lines: textLines(text),
    clean,
    cleaner: pdf ? `${CLEANER_VERSION}+${EXTRACTOR_VERSION}` : CLEANER_VERSION,
  };
}

/** Reads and prepares a text, Markdown or HTML file (not a PDF: see readDocument). */
export function readDocumentFile(path: string): PreparedDocument {
  try {
    checkSize(statSync(path), path);
  } catch (e) {
    throw statError(e, path);
  }
  return prepareDocument(readFileSync(path), path);
}

/** Reads and prepares a document file of any kind, PDF included, checking its size first. */
export async function readDocument(path: string): Promise<PreparedDocument> {
  let bytes: Uint8Array;
  try {
    checkSize(await stat(path), path);
    bytes = await readFile(path);
  } catch (e) {
    throw statError(e, path);
  }
  return prepareDocumentAsync(bytes, path);
}

function checkSize(st: { isDirectory(): boolean; size: number }, path: string): number {
  if (st.isDirectory()) throw new EvidenceInputError("unreadable", "is a folder, not a file", path);
  if (st.size > MAX_DOCUMENT_BYTES)
    throw new EvidenceInputError(
      "too-large",
      `${formatBytes(st.size)} is larger than the ${formatBytes(MAX_DOCUMENT_BYTES)} limit for one document`,
      path,
    );
  return st.size;
}

function statError(e: unknown, path: string): EvidenceInputError {
  if (e instanceof EvidenceInputError) return e;
  const err = e as NodeJS.ErrnoException;
  return new EvidenceInputError(
    "unreadable",
    err.code === "ENOENT" ? "no such file" : `cannot read: ${err.message}`,
    path,
  );
}
